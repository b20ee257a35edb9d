// The counts commissioner reports read, kept by the store in the same transaction as every
// change of a referral (migration 010), so the dashboard sums a few thousand counts instead of
// reading a million referrals. Each referral contributes a set of counted keys that is a pure
// function of its state (its row, its navigation events and its contacts); a command adds
// the difference between the referral's contributions after it and before it. The counts
// therefore always equal a full recount from the rows (Store::RebuildReportCounts; tested).
// What each measure means for a commissioner is defined in docs/metrics.md; the tables are
// built from these counts in reports/metrics.cc.
// Thread-safety: pure functions and plain values.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace waymark::store {

// One counted key. `period` is the month the referral was received ("2026-10") for every
// measure except access.latest (the day, "2026-10-14") and access.year (the year, "2026").
struct CountKey {
  std::string measure;  // e.g. "received.source" (the list is in report_counts.cc)
  std::string period;
  std::string key;    // the group: a source code, a service id, "" when not recorded
  int64_t value = 0;  // a measured amount (MeasuredHours, due time in seconds); 0 when unused
  auto operator<=>(const CountKey&) const = default;
};
using Counts = std::map<CountKey, int64_t>;

// What a referral's contributions depend on. Events are those of the kinds in
// kCountedEventKinds, in any order; contacts are all of the referral's contacts.
struct ReferralFacts {
  ReferralRow row;
  std::vector<Event> events;
  std::vector<ContactRow> contacts;
};

// The event kinds contributions read (the others never change a count).
extern const std::vector<std::string> kCountedEventKinds;

// Adds `sign` (+1 or -1) times the referral's contributions to `out`.
void AddContributions(const ReferralFacts& facts, int sign, Counts& out);

// Whether two rows of the same referral differ in a column contributions read.
bool CountedColumnsDiffer(const ReferralRow& a, const ReferralRow& b);

// A duration as reports measure it: timestamps are taken to the whole second, then the
// duration in whole hours when under two days, else in whole days (as hours: 48, 72, ...).
// Negative durations count as 0. Percentiles of measured durations are exact from counts.
int64_t MeasuredHours(Timestamp from, Timestamp to);

// "0-4", "5-10", "11-15", "16-17" or "18-25" for an age on receipt.
std::string_view AgeBand(int age);

// The separator between the service and the reason in a decline.reason key.
inline constexpr char kKeySeparator = '\x1f';

}  // namespace waymark::store
