// The working calendar of an area: which days are working days (Monday to Friday, not a bank
// holiday) and how UTC instants map to the area's civil days. No clock is read here.
// Thread-safety: immutable after construction; safe to share between threads.
#pragma once

#include <chrono>
#include <vector>

namespace waymark::directory {

// Same representation as domain::Timestamp: UTC, millisecond precision.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;
using Day = std::chrono::sys_days;

// The civil time rule an area keeps. Only the two an English area needs: UTC, and UK civil
// time (GMT, and BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
// Sunday of October) — computed, so no time-zone database is read.
enum class TimeZoneRule { kUtc, kUkCivil };

class WorkingCalendar {
 public:
  // UTC, no bank holidays: every Monday to Friday is a working day.
  WorkingCalendar() = default;
  // `bank_holidays` in any order, duplicates allowed.
  WorkingCalendar(std::vector<Day> bank_holidays, TimeZoneRule zone);

  TimeZoneRule zone() const { return zone_; }
  const std::vector<Day>& bank_holidays() const { return bank_holidays_; }  // sorted

  bool IsBankHoliday(Day day) const;
  // Whether the bank holidays of `day`'s year are known: true up to the year of the last
  // holiday listed (and always when none are listed, as for a UTC calendar without any).
  bool KnowsHolidaysOf(Day day) const;
  bool IsWorkingDay(Day day) const;  // Monday–Friday and not a bank holiday

  // Offset of the area's civil time from UTC at instant `t` (0 or 60 minutes in the UK).
  std::chrono::minutes UtcOffset(Timestamp t) const;
  // The civil day on which instant `t` falls in the area.
  Day LocalDay(Timestamp t) const;
  // The UTC instant of civil midnight at the start of `day`.
  Timestamp StartOfLocalDay(Day day) const;
  // The same civil time of day `days` civil days later (days may be negative).
  Timestamp AddLocalDays(Timestamp t, int days) const;
  // The `n`-th working day after `day` (n ≥ 1; `day` itself does not count, whatever it
  // is). n ≤ 0 gives `day` itself if it is a working day, else the next working day.
  Day AddWorkingDays(Day day, int n) const;

 private:
  std::vector<Day> bank_holidays_;
  TimeZoneRule zone_ = TimeZoneRule::kUtc;
};

}  // namespace waymark::directory
