// The quarterly activity report: the dashboard's tables for one quarter as a self-contained
// HTML page (no scripts) and one CSV per table, every figure through disclosure control.
// Thread-safety: stateless functions over a thread-safe Store.
#pragma once

#include <filesystem>
#include <string>

#include "directory/area.h"
#include "store/store.h"

namespace waymark::reports {

// "2026Q3" → [2026-07-01, 2026-10-01). Invalid names the field "quarter".
Result<store::ReportRange> QuarterRange(const std::string& quarter);

// Writes index.html and TABLE.csv files into `dir`; returns the number of tables.
Result<int> WriteQuarterly(store::Store& store, const directory::Area& area,
                           const std::string& quarter, domain::Timestamp now,
                           const std::filesystem::path& dir);

}  // namespace waymark::reports
