// The numbers commissioners need, each defined once (docs/metrics.md), built from the report
// counts the store keeps as the workflow runs (store/report_counts.h) — a few thousand rows
// for a year, whatever the number of referrals. Every table goes out through Publish()
// (reports/disclosure.h), so each figure is suppressed or rounded.
// Thread-safety: stateless functions over a thread-safe Store.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "directory/area.h"
#include "reports/disclosure.h"
#include "store/store.h"

namespace waymark::reports {

// The reporting period: referrals received in whole months, fromMonth to toMonth inclusive
// ("2026-01" .. "2026-12"). Later steps of those referrals count up to now.
struct DashboardOptions {
  std::string fromMonth;
  std::string toMonth;
  domain::Timestamp now;  // open breaches, and access in the 12 months to today
};

// Every dashboard table, in display order. Fails only when the store fails.
Result<std::vector<Table>> Dashboard(store::Store& store, const directory::Area& area,
                                     const DashboardOptions& options);

// Routings per service cross-tabulated by locality and by source (a row per service, a
// column per locality or source, with totals across and down), for the quarterly report.
Result<std::vector<Table>> ServiceActivity(store::Store& store, const directory::Area& area,
                                           const DashboardOptions& options);

// The table ids Dashboard returns (for /api/v1/reports/{id}.csv).
const std::vector<std::string>& DashboardTableIds();

// "YYYY-MM" naming a real month, or nullopt.
std::optional<std::string> ParseMonth(std::string_view text);
// The month `n` months after (or before, n < 0) `month` ("2026-12", 1 → "2027-01").
std::string AddMonths(const std::string& month, int n);
// The UTC month of a timestamp, "2026-11".
std::string MonthOf(domain::Timestamp t);

// Nearest-rank percentile (p in 1..100) of a histogram value → how many: the smallest value
// whose cumulative count reaches ceil(p × total / 100). nullopt when empty.
std::optional<int64_t> Percentile(const std::map<int64_t, int64_t>& histogram, int p);

}  // namespace waymark::reports
