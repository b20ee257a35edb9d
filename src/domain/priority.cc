// Priority names and MHSDS codes.
#include "domain/priority.h"

namespace waymark::domain {

const char* PriorityName(Priority p) {
  switch (p) {
    case Priority::kEmergency:
      return "emergency";
    case Priority::kVeryUrgent:
      return "very-urgent";
    case Priority::kUrgent:
      return "urgent";
    case Priority::kRoutine:
      return "routine";
  }
  return "routine";
}

std::optional<Priority> ParsePriority(std::string_view s) {
  if (s == "emergency") return Priority::kEmergency;
  if (s == "very-urgent") return Priority::kVeryUrgent;
  if (s == "urgent") return Priority::kUrgent;
  if (s == "routine") return Priority::kRoutine;
  return std::nullopt;
}

int ClinRespPriorityType(Priority p) {
  switch (p) {
    case Priority::kEmergency:
      return 1;
    case Priority::kVeryUrgent:
      return 4;
    case Priority::kUrgent:
      return 2;
    case Priority::kRoutine:
      return 3;
  }
  return 3;
}

}  // namespace waymark::domain
