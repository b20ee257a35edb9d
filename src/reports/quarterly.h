// The quarterly activity report: the dashboard's tables for one quarter as a self-contained
// HTML page (no scripts) and one CSV per table, every figure through disclosure control.
// Thread-safety: stateless functions over a thread-safe Store.
#pragma once

#include <filesystem>
#include <string>
#include <utility>

#include "directory/area.h"
#include "store/store.h"

namespace waymark::reports {

// "2026Q3" → its first and last months, {"2026-07", "2026-09"}. Invalid names the field
// "quarter".
Result<std::pair<std::string, std::string>> QuarterMonths(const std::string& quarter);

// Writes index.html and TABLE.csv files into `dir`; returns the number of tables.
Result<int> WriteQuarterly(store::Store& store, const directory::Area& area,
                           const std::string& quarter, domain::Timestamp now,
                           const std::filesystem::path& dir);

}  // namespace waymark::reports
