// Calendar dates and UTC timestamps as plain values, with strict ISO 8601 parsing.
// No clock is read here: callers pass "now" in (see domain/clock.h).
// Thread-safety: plain values and pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace waymark::domain {

struct Date {
  int year = 0;
  int month = 0;  // 1–12
  int day = 0;    // 1–31
  auto operator<=>(const Date&) const = default;
};

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

// Strict "YYYY-MM-DD" that names a real day; nullopt otherwise.
std::optional<Date> ParseDate(std::string_view text);
std::string FormatDate(const Date& date);
// Days since 1970-01-01 (negative before).
long DaysFromEpoch(const Date& date);
Date DateFromDays(long days);
Date DateOf(Timestamp t);  // the UTC calendar day of a timestamp
// Whole years completed on `on` for someone born on `born` (29 February birthdays
// count on 1 March in non-leap years).
int AgeOn(const Date& born, const Date& on);

// "2026-11-23T03:45:12.123Z" — always UTC, millisecond precision, sorts as text.
std::string FormatTimestamp(Timestamp t);
// Accepts the format above and offsets ("+01:00"); nullopt when malformed.
std::optional<Timestamp> ParseTimestamp(std::string_view text);

}  // namespace waymark::domain
