// Access standards: the clock a waiting list is measured against (what starts it, what
// stops it, the target per priority) and the due time it gives for a start instant.
// Thread-safety: plain values and pure functions; no clock is read (time is passed in).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "directory/working_calendar.h"
#include "domain/priority.h"

namespace waymark::directory {

// Triage priority is the domain's (domain/priority.h).
using domain::ParsePriority;
using domain::Priority;
using domain::PriorityName;

enum class TargetUnit { kMinutes, kHours, kDays, kWorkingDays, kWeeks, kSameDay };
// "minutes", ..., "working-days", "weeks", "same-day"
std::string_view TargetUnitName(TargetUnit unit);

struct Target {
  int amount = 0;  // ≥ 1
  TargetUnit unit = TargetUnit::kWeeks;
  bool operator==(const Target&) const = default;
};

// Parses "4 weeks", "1 week", "10 working days", "10 working-days", "24 hours", "1 hour",
// "30 minutes", "3 days", and "same day" (by the end of the day it started: amount 1)
// (case-insensitive). nullopt when malformed or amount < 1.
std::optional<Target> ParseTarget(std::string_view text);
// "4 weeks", "1 week", "10 working-days", "same day"
std::string FormatTarget(const Target& target);
// The same in words for people: "10 working days", "1 hour", "the same day".
std::string TargetInWords(const Target& target);

// The events that can start and stop a clock; workflow records them.
enum class ClockStart {
  kReferralReceived,  // "referral-received": the front door received the referral
  kRouted,            // "routed": triage routed the referral to the service
  kAccepted,          // "accepted": the service accepted the referral onto its list
};
enum class ClockStop {
  kTriageDecision,        // "triage-decision": a clinician decided (the triage team's clock)
  kFirstResponse,         // "first-response": first reply or contact of any kind
  kAssessed,              // "assessed": first assessment attended
  kAllocated,             // "allocated": a named worker allocated
  kFirstAttendedContact,  // "first-attended-contact": face to face, phone or video
  kTreatmentStarted,      // "treatment-started": first attended treatment contact
};
std::optional<ClockStart> ParseClockStart(std::string_view code);
std::optional<ClockStop> ParseClockStop(std::string_view code);
std::string_view ClockStartName(ClockStart start);
std::string_view ClockStopName(ClockStop stop);

struct AccessStandard {
  ClockStart clock_start = ClockStart::kReferralReceived;
  ClockStop clock_stop = ClockStop::kFirstAttendedContact;
  Target target;                           // for any priority not listed in by_priority
  std::map<Priority, Target> by_priority;  // where the standard differs by priority
  // A longest wait promised to everyone, beside the target most must meet ("maximumWait":
  // e.g. 75% within 8 weeks and nobody over 16 weeks); any priority.
  std::optional<Target> maximum;
  std::optional<int> goal_percent;  // share expected within target, e.g. 95
  std::string basis;                // "national", "local" or "example"
  std::string note;                 // plain words, e.g. what else is promised

  const Target& TargetFor(Priority priority) const;

  // When the clock started at `start` with `priority` breaches. Minutes and hours run
  // round the clock; days and weeks are civil days in the calendar's zone (same time of
  // day); working days end at civil midnight after the n-th working day following the
  // start day (weekends and the calendar's bank holidays do not count, nor the start day);
  // "same day" ends at civil midnight after the start day.
  Timestamp DueTime(Timestamp start, Priority priority, const WorkingCalendar& calendar) const;
  // When the maximum wait from `start` ends; nullopt when the standard has none.
  std::optional<Timestamp> MaximumDueTime(Timestamp start, const WorkingCalendar& calendar) const;
};

// When a clock started at `start` with target `target` breaches (the rules of DueTime).
Timestamp DueTimeFor(const Target& target, Timestamp start, const WorkingCalendar& calendar);

}  // namespace waymark::directory
