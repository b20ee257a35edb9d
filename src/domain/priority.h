// Triage priority (triage contract): emergency, very-urgent, urgent, routine — the one
// definition the engine, the clocks, the queue and the MHSDS export share.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

namespace waymark::domain {

enum class Priority { kEmergency, kVeryUrgent, kUrgent, kRoutine };
const char* PriorityName(Priority p);
std::optional<Priority> ParsePriority(std::string_view s);
// MHSDS ClinRespPriorityType: emergency 1, very urgent 4, urgent 2, routine 3.
int ClinRespPriorityType(Priority p);

}  // namespace waymark::domain
