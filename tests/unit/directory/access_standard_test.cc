// Due times of access standards across weekends, bank holidays and clock changes.
#include "directory/access_standard.h"

#include <gtest/gtest.h>

#include "test_time.h"

namespace waymark::directory {
namespace {

using testing::At;
using testing::D;

// England 2026 bank holidays that matter below.
WorkingCalendar England2026() {
  return WorkingCalendar({D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28), D(2026, 5, 25)},
                         TimeZoneRule::kUkCivil);
}

AccessStandard Standard(std::string_view target) {
  AccessStandard a;
  a.target = *ParseTarget(target);
  return a;
}

TEST(ParseTarget, AcceptsSingularPluralAndWorkingDaySpellings) {
  EXPECT_EQ(ParseTarget("4 weeks"), (Target{4, TargetUnit::kWeeks}));
  EXPECT_EQ(ParseTarget("1 week"), (Target{1, TargetUnit::kWeeks}));
  EXPECT_EQ(ParseTarget(" 10 Working Days "), (Target{10, TargetUnit::kWorkingDays}));
  EXPECT_EQ(ParseTarget("10 working-days"), (Target{10, TargetUnit::kWorkingDays}));
  EXPECT_EQ(ParseTarget("1 working day"), (Target{1, TargetUnit::kWorkingDays}));
  EXPECT_EQ(ParseTarget("24 hours"), (Target{24, TargetUnit::kHours}));
  EXPECT_EQ(ParseTarget("30 minutes"), (Target{30, TargetUnit::kMinutes}));
  EXPECT_EQ(ParseTarget("3 days"), (Target{3, TargetUnit::kDays}));
}

TEST(ParseTarget, SameDay) {
  EXPECT_EQ(ParseTarget("same day"), (Target{1, TargetUnit::kSameDay}));
  EXPECT_EQ(ParseTarget(" Same-Day "), (Target{1, TargetUnit::kSameDay}));
  EXPECT_EQ(FormatTarget({1, TargetUnit::kSameDay}), "same day");
  EXPECT_EQ(ParseTarget(FormatTarget({1, TargetUnit::kSameDay})),
            (Target{1, TargetUnit::kSameDay}));
  EXPECT_EQ(TargetInWords({1, TargetUnit::kSameDay}), "the same day");
  EXPECT_EQ(TargetInWords({10, TargetUnit::kWorkingDays}), "10 working days");
  EXPECT_EQ(TargetInWords({1, TargetUnit::kHours}), "1 hour");
  EXPECT_FALSE(ParseTarget("same week").has_value());
}

// "Same day" ends at civil midnight after the day it started, not 24 hours later.
TEST(DueTime, SameDayEndsAtLocalMidnight) {
  const AccessStandard a = Standard("same day");
  // 09:00 UTC = 10:00 BST on Friday 28 August 2026: due at midnight BST (23:00 UTC).
  EXPECT_EQ(a.DueTime(At(2026, 8, 28, 9), Priority::kRoutine, England2026()), At(2026, 8, 28, 23));
  // 23:30 UTC on 28 August is 00:30 BST on the 29th: due at the end of the 29th.
  EXPECT_EQ(a.DueTime(At(2026, 8, 28, 23, 30), Priority::kRoutine, England2026()),
            At(2026, 8, 29, 23));
  // In winter (GMT) midnight is 00:00 UTC; weekends and holidays make no difference.
  EXPECT_EQ(a.DueTime(At(2026, 12, 25, 15), Priority::kRoutine, England2026()),
            At(2026, 12, 26, 0));
}

TEST(DueTime, MaximumWaitIsASecondTarget) {
  AccessStandard a = Standard("8 weeks");
  EXPECT_FALSE(a.MaximumDueTime(At(2026, 1, 5, 10), England2026()).has_value());
  a.maximum = Target{16, TargetUnit::kWeeks};
  EXPECT_EQ(a.DueTime(At(2026, 1, 5, 10), Priority::kRoutine, England2026()), At(2026, 3, 2, 10));
  // 16 weeks from 5 January (GMT) is 27 April (BST): the same civil time, 09:00 UTC.
  EXPECT_EQ(a.MaximumDueTime(At(2026, 1, 5, 10), England2026()), At(2026, 4, 27, 9));
}

TEST(WorkingCalendar, KnowsHolidaysUpToTheLastYearListed) {
  EXPECT_TRUE(England2026().KnowsHolidaysOf(D(2026, 12, 31)));
  EXPECT_TRUE(England2026().KnowsHolidaysOf(D(2020, 1, 1)));
  EXPECT_FALSE(England2026().KnowsHolidaysOf(D(2027, 1, 1)));
  EXPECT_TRUE(WorkingCalendar().KnowsHolidaysOf(D(2099, 1, 1)));  // none listed: none expected
}

TEST(ParseTarget, RejectsMalformed) {
  for (const char* bad : {"", "weeks", "4", "4weeks", "0 weeks", "-1 weeks", "4 weeeks",
                          "4.5 weeks", "four weeks", "4 fortnights"}) {
    EXPECT_FALSE(ParseTarget(bad).has_value()) << bad;
  }
}

TEST(FormatTarget, SingularForOne) {
  EXPECT_EQ(FormatTarget({1, TargetUnit::kWeeks}), "1 week");
  EXPECT_EQ(FormatTarget({10, TargetUnit::kWorkingDays}), "10 working-days");
  EXPECT_EQ(FormatTarget({1, TargetUnit::kWorkingDays}), "1 working-day");
}

TEST(Priority, NamesRoundTrip) {
  for (auto p :
       {Priority::kEmergency, Priority::kVeryUrgent, Priority::kUrgent, Priority::kRoutine}) {
    EXPECT_EQ(ParsePriority(PriorityName(p)), p);
  }
  EXPECT_FALSE(ParsePriority("URGENT").has_value());
}

TEST(AccessStandard, TargetForFallsBackToDefault) {
  AccessStandard a = Standard("4 weeks");
  a.by_priority[Priority::kUrgent] = {1, TargetUnit::kWeeks};
  EXPECT_EQ(a.TargetFor(Priority::kUrgent), (Target{1, TargetUnit::kWeeks}));
  EXPECT_EQ(a.TargetFor(Priority::kRoutine), (Target{4, TargetUnit::kWeeks}));
}

// The case in the brief: 10 working days from a Friday before a bank holiday Monday.
// Fri 28 Aug 2026 14:00 BST; Mon 31 Aug is a bank holiday. Working days 1..10 are
// Tue 1 .. Fri 4, Mon 7 .. Fri 11, Mon 14 Sep; due at the end of Mon 14 Sep (BST).
TEST(DueTime, TenWorkingDaysFromFridayBeforeBankHolidayMonday) {
  const AccessStandard a = Standard("10 working days");
  EXPECT_EQ(a.DueTime(At(2026, 8, 28, 13), Priority::kRoutine, England2026()),
            At(2026, 9, 14, 23));  // midnight BST = 23:00 UTC
}

TEST(DueTime, TenWorkingDaysWithoutTheBankHolidayIsOneDayEarlier) {
  const AccessStandard a = Standard("10 working days");
  const WorkingCalendar no_holidays({}, TimeZoneRule::kUkCivil);
  EXPECT_EQ(a.DueTime(At(2026, 8, 28, 13), Priority::kRoutine, no_holidays), At(2026, 9, 11, 23));
}

TEST(DueTime, WorkingDayOverChristmasSkipsWeekendAndTwoBankHolidays) {
  // Thu 24 Dec 2026 (GMT); Fri 25 and Mon 28 are bank holidays: the next working day is
  // Tue 29 Dec.
  const AccessStandard a = Standard("1 working day");
  EXPECT_EQ(a.DueTime(At(2026, 12, 24, 10), Priority::kUrgent, England2026()), At(2026, 12, 30, 0));
}

TEST(DueTime, StartOnSaturdayCountsFromMonday) {
  const AccessStandard a = Standard("1 working day");
  EXPECT_EQ(a.DueTime(At(2026, 11, 21, 15), Priority::kRoutine, England2026()),
            At(2026, 11, 24, 0));  // end of Monday 23 November (GMT)
}

TEST(DueTime, LateFridayUtcIsSaturdayInSummerTime) {
  // 23:30 UTC on Friday 5 June 2026 is 00:30 BST on Saturday 6 June: the start day is a
  // Saturday in the area, so one working day ends at the end of Monday 8 June.
  const AccessStandard a = Standard("1 working day");
  EXPECT_EQ(a.DueTime(At(2026, 6, 5, 23, 30), Priority::kRoutine, England2026()),
            At(2026, 6, 8, 23));
  // In a UTC calendar the same instant is still Friday: due at the end of Monday (UTC).
  EXPECT_EQ(a.DueTime(At(2026, 6, 5, 23, 30), Priority::kRoutine, WorkingCalendar()),
            At(2026, 6, 9, 0));
}

TEST(DueTime, HoursRunRoundTheClockOverWeekendsAndHolidays) {
  AccessStandard crisis = Standard("24 hours");
  crisis.by_priority[Priority::kEmergency] = {1, TargetUnit::kHours};
  crisis.by_priority[Priority::kVeryUrgent] = {4, TargetUnit::kHours};
  const auto sat_night = At(2026, 12, 26, 22, 15);
  EXPECT_EQ(crisis.DueTime(sat_night, Priority::kEmergency, England2026()),
            At(2026, 12, 26, 23, 15));
  EXPECT_EQ(crisis.DueTime(sat_night, Priority::kVeryUrgent, England2026()),
            At(2026, 12, 27, 2, 15));
  EXPECT_EQ(crisis.DueTime(sat_night, Priority::kRoutine, England2026()), At(2026, 12, 27, 22, 15));
}

TEST(DueTime, WeeksKeepTheCivilTimeOfDayAcrossTheClockChange) {
  // Mon 19 Oct 2026 10:00 BST; BST ends Sun 25 Oct. One and four weeks later it is 10:00 GMT.
  AccessStandard eating = Standard("4 weeks");
  eating.by_priority[Priority::kUrgent] = {1, TargetUnit::kWeeks};
  const auto start = At(2026, 10, 19, 9);
  EXPECT_EQ(eating.DueTime(start, Priority::kUrgent, England2026()), At(2026, 10, 26, 10));
  EXPECT_EQ(eating.DueTime(start, Priority::kRoutine, England2026()), At(2026, 11, 16, 10));
  // Calendar days ignore weekends: 3 days from Friday noon (GMT) is Monday noon.
  EXPECT_EQ(Standard("3 days").DueTime(At(2026, 11, 20, 12), Priority::kRoutine, England2026()),
            At(2026, 11, 23, 12));
}

TEST(DueTime, MinutesAreExact) {
  EXPECT_EQ(
      Standard("30 minutes").DueTime(At(2026, 1, 1, 23, 50), Priority::kRoutine, England2026()),
      At(2026, 1, 2, 0, 20));
}

TEST(WorkingCalendar, UkSummerTimeStartsAndEndsAtOneUtc) {
  const WorkingCalendar cal({}, TimeZoneRule::kUkCivil);
  // 2026: BST from Sun 29 March 01:00 UTC to Sun 25 October 01:00 UTC.
  EXPECT_EQ(cal.UtcOffset(At(2026, 3, 29, 0, 59)).count(), 0);
  EXPECT_EQ(cal.UtcOffset(At(2026, 3, 29, 1, 0)).count(), 60);
  EXPECT_EQ(cal.UtcOffset(At(2026, 10, 25, 0, 59)).count(), 60);
  EXPECT_EQ(cal.UtcOffset(At(2026, 10, 25, 1, 0)).count(), 0);
  EXPECT_EQ(cal.StartOfLocalDay(D(2026, 7, 1)), At(2026, 6, 30, 23));
  EXPECT_EQ(cal.StartOfLocalDay(D(2026, 12, 1)), At(2026, 12, 1, 0));
  EXPECT_EQ(cal.StartOfLocalDay(D(2026, 3, 29)), At(2026, 3, 29, 0));     // day BST starts
  EXPECT_EQ(cal.StartOfLocalDay(D(2026, 10, 25)), At(2026, 10, 24, 23));  // day BST ends
  EXPECT_EQ(cal.LocalDay(At(2026, 7, 1, 23, 30)), D(2026, 7, 2));
}

TEST(WorkingCalendar, WorkingDays) {
  const WorkingCalendar cal = England2026();
  EXPECT_TRUE(cal.IsWorkingDay(D(2026, 8, 28)));   // Friday
  EXPECT_FALSE(cal.IsWorkingDay(D(2026, 8, 29)));  // Saturday
  EXPECT_FALSE(cal.IsWorkingDay(D(2026, 8, 31)));  // bank holiday Monday
  EXPECT_TRUE(cal.IsBankHoliday(D(2026, 12, 28)));
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 8, 28), 1), D(2026, 9, 1));
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 8, 29), 0), D(2026, 9, 1));  // next working day
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 9, 1), 0), D(2026, 9, 1));
}

TEST(WorkingCalendar, SortsAndDeduplicatesHolidays) {
  const WorkingCalendar cal({D(2026, 12, 28), D(2026, 8, 31), D(2026, 12, 28)}, TimeZoneRule::kUtc);
  ASSERT_EQ(cal.bank_holidays().size(), 2u);
  EXPECT_EQ(cal.bank_holidays()[0], D(2026, 8, 31));
}

}  // namespace
}  // namespace waymark::directory
