// Access-standard names, target parsing and due-time arithmetic.
#include "directory/access_standard.h"

#include <array>
#include <cctype>
#include <charconv>
#include <utility>

namespace waymark::directory {
namespace {

constexpr std::array<std::pair<ClockStart, std::string_view>, 3> kStarts = {{
    {ClockStart::kReferralReceived, "referral-received"},
    {ClockStart::kRouted, "routed"},
    {ClockStart::kAccepted, "accepted"},
}};

constexpr std::array<std::pair<ClockStop, std::string_view>, 6> kStops = {{
    {ClockStop::kTriageDecision, "triage-decision"},
    {ClockStop::kFirstResponse, "first-response"},
    {ClockStop::kAssessed, "assessed"},
    {ClockStop::kAllocated, "allocated"},
    {ClockStop::kFirstAttendedContact, "first-attended-contact"},
    {ClockStop::kTreatmentStarted, "treatment-started"},
}};

template <typename E, std::size_t N>
std::optional<E> Lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view code) {
  for (const auto& [value, name] : table) {
    if (name == code) {
      return value;
    }
  }
  return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) {
      return name;
    }
  }
  return "unknown";
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::optional<ClockStart> ParseClockStart(std::string_view code) { return Lookup(kStarts, code); }
std::optional<ClockStop> ParseClockStop(std::string_view code) { return Lookup(kStops, code); }
std::string_view ClockStartName(ClockStart start) { return NameOf(kStarts, start); }
std::string_view ClockStopName(ClockStop stop) { return NameOf(kStops, stop); }

std::string_view TargetUnitName(TargetUnit unit) {
  switch (unit) {
    case TargetUnit::kMinutes:
      return "minutes";
    case TargetUnit::kHours:
      return "hours";
    case TargetUnit::kDays:
      return "days";
    case TargetUnit::kWorkingDays:
      return "working-days";
    case TargetUnit::kWeeks:
      return "weeks";
    case TargetUnit::kSameDay:
      return "same-day";
  }
  return "unknown";
}

std::optional<Target> ParseTarget(std::string_view text) {
  const std::string s = Lower(Trim(text));
  if (s == "same day" || s == "same-day") {
    return Target{1, TargetUnit::kSameDay};
  }
  int amount = 0;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(begin, end, amount);
  if (ec != std::errc() || ptr == begin || amount < 1 || amount > 100000) {
    return std::nullopt;
  }
  std::string_view rest = Trim(std::string_view(ptr, static_cast<std::size_t>(end - ptr)));
  if (rest.size() == std::size_t(end - ptr)) {
    return std::nullopt;  // "4weeks": no space
  }
  // Singular and plural, and "working days" with a space or a hyphen.
  static constexpr std::array<std::pair<std::string_view, TargetUnit>, 12> kUnits = {{
      {"minute", TargetUnit::kMinutes},
      {"minutes", TargetUnit::kMinutes},
      {"hour", TargetUnit::kHours},
      {"hours", TargetUnit::kHours},
      {"day", TargetUnit::kDays},
      {"days", TargetUnit::kDays},
      {"working day", TargetUnit::kWorkingDays},
      {"working days", TargetUnit::kWorkingDays},
      {"working-day", TargetUnit::kWorkingDays},
      {"working-days", TargetUnit::kWorkingDays},
      {"week", TargetUnit::kWeeks},
      {"weeks", TargetUnit::kWeeks},
  }};
  for (const auto& [name, unit] : kUnits) {
    if (rest == name) {
      return Target{amount, unit};
    }
  }
  return std::nullopt;
}

std::string FormatTarget(const Target& target) {
  if (target.unit == TargetUnit::kSameDay) {
    return "same day";
  }
  std::string unit(TargetUnitName(target.unit));
  if (target.amount == 1) {
    unit.pop_back();  // "1 week", "1 working-day"
  }
  return std::to_string(target.amount) + " " + unit;
}

std::string TargetInWords(const Target& target) {
  if (target.unit == TargetUnit::kSameDay) {
    return "the same day";
  }
  std::string out = FormatTarget(target);
  for (char& c : out) {
    if (c == '-') {
      c = ' ';
    }
  }
  return out;
}

const Target& AccessStandard::TargetFor(Priority priority) const {
  auto it = by_priority.find(priority);
  return it == by_priority.end() ? target : it->second;
}

Timestamp AccessStandard::DueTime(Timestamp start, Priority priority,
                                  const WorkingCalendar& calendar) const {
  return DueTimeFor(TargetFor(priority), start, calendar);
}

std::optional<Timestamp> AccessStandard::MaximumDueTime(Timestamp start,
                                                        const WorkingCalendar& calendar) const {
  if (!maximum) {
    return std::nullopt;
  }
  return DueTimeFor(*maximum, start, calendar);
}

Timestamp DueTimeFor(const Target& t, Timestamp start, const WorkingCalendar& calendar) {
  switch (t.unit) {
    case TargetUnit::kMinutes:
      return start + std::chrono::minutes(t.amount);
    case TargetUnit::kHours:
      return start + std::chrono::hours(t.amount);
    case TargetUnit::kDays:
      return calendar.AddLocalDays(start, t.amount);
    case TargetUnit::kWeeks:
      return calendar.AddLocalDays(start, 7 * t.amount);
    case TargetUnit::kWorkingDays: {
      const Day last = calendar.AddWorkingDays(calendar.LocalDay(start), t.amount);
      return calendar.StartOfLocalDay(last + std::chrono::days(1));
    }
    case TargetUnit::kSameDay:
      return calendar.StartOfLocalDay(calendar.LocalDay(start) + std::chrono::days(1));
  }
  return start;
}

}  // namespace waymark::directory
