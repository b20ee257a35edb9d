// The numbers commissioners need, each defined once (docs/metrics.md), computed from the
// store's referrals, events and contacts. Every table goes out through Publish()
// (reports/disclosure.h), so each figure is suppressed or rounded.
// Thread-safety: stateless functions over a thread-safe Store.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "directory/area.h"
#include "reports/disclosure.h"
#include "store/store.h"

namespace waymark::reports {

struct DashboardOptions {
  store::ReportRange range;  // referrals received in [from, to)
  domain::Timestamp now;     // for open breaches and the rolling 12 months of access
};

// Every dashboard table, in display order. Fails only when the store fails.
Result<std::vector<Table>> Dashboard(store::Store& store, const directory::Area& area,
                                     const DashboardOptions& options);

// The table ids Dashboard returns (for /api/v1/reports/{id}.csv).
const std::vector<std::string>& DashboardTableIds();

// Nearest-rank percentile (p in 0..100) of unsorted values; nullopt when empty.
std::optional<double> Percentile(std::vector<double> values, double p);

}  // namespace waymark::reports
