// Working days and UK civil time, by arithmetic on std::chrono calendar types.
#include "directory/working_calendar.h"

#include <algorithm>

namespace waymark::directory {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

// The last Sunday of `m` in year `y`.
Day LastSunday(std::chrono::year y, std::chrono::month m) {
  const Day last = std::chrono::year_month_day_last(y, std::chrono::month_day_last(m));
  const std::chrono::weekday wd(last);
  return last - (wd - std::chrono::Sunday);
}

}  // namespace

WorkingCalendar::WorkingCalendar(std::vector<Day> bank_holidays, TimeZoneRule zone)
    : bank_holidays_(std::move(bank_holidays)), zone_(zone) {
  std::sort(bank_holidays_.begin(), bank_holidays_.end());
  bank_holidays_.erase(std::unique(bank_holidays_.begin(), bank_holidays_.end()),
                       bank_holidays_.end());
}

bool WorkingCalendar::IsBankHoliday(Day day) const {
  return std::binary_search(bank_holidays_.begin(), bank_holidays_.end(), day);
}

bool WorkingCalendar::KnowsHolidaysOf(Day day) const {
  if (bank_holidays_.empty()) {
    return true;
  }
  return std::chrono::year_month_day(day).year() <=
         std::chrono::year_month_day(bank_holidays_.back()).year();
}

bool WorkingCalendar::IsWorkingDay(Day day) const {
  const std::chrono::weekday wd(day);
  if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) {
    return false;
  }
  return !IsBankHoliday(day);
}

minutes WorkingCalendar::UtcOffset(Timestamp t) const {
  if (zone_ == TimeZoneRule::kUtc) {
    return minutes(0);
  }
  const std::chrono::year y = std::chrono::year_month_day(std::chrono::floor<days>(t)).year();
  const Timestamp summer_starts = LastSunday(y, std::chrono::March) + hours(1);
  const Timestamp summer_ends = LastSunday(y, std::chrono::October) + hours(1);
  return (t >= summer_starts && t < summer_ends) ? minutes(60) : minutes(0);
}

Day WorkingCalendar::LocalDay(Timestamp t) const {
  return std::chrono::floor<days>(t + UtcOffset(t));
}

Timestamp WorkingCalendar::StartOfLocalDay(Day day) const {
  // UK changes happen at 01:00 UTC, so civil midnight is never skipped or repeated: the
  // offset in force at UTC midnight of that date is the one in force at civil midnight.
  const Timestamp utc_midnight = day;
  return utc_midnight - UtcOffset(utc_midnight);
}

Timestamp WorkingCalendar::AddLocalDays(Timestamp t, int n) const {
  const Timestamp local_target = t + UtcOffset(t) + days(n);
  const Timestamp guess = local_target - UtcOffset(t);
  return local_target - UtcOffset(guess);
}

Day WorkingCalendar::AddWorkingDays(Day day, int n) const {
  if (n <= 0) {
    while (!IsWorkingDay(day)) {
      day += days(1);
    }
    return day;
  }
  while (n > 0) {
    day += days(1);
    if (IsWorkingDay(day)) {
      --n;
    }
  }
  return day;
}

}  // namespace waymark::directory
