// The Mental Health Services Data Set export for one month: one CSV per table, named after
// the table, with the item names and codes of ../shared/domain/standards.md, and a data
// quality report listing records missing mandatory items.
// Thread-safety: stateless functions over a thread-safe Store.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "directory/area.h"
#include "store/store.h"

namespace waymark::reports {

struct MhsdsFile {
  std::string name;  // "MHS101Referral.csv"
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

struct MhsdsExport {
  std::vector<MhsdsFile> files;
  std::vector<std::string> dataQuality;  // one line per problem
};

// Referrals received up to the month's end that were still open at its start (or received
// in it), and their contacts in the month. `month` is "YYYY-MM".
Result<MhsdsExport> BuildMhsds(store::Store& store, const directory::Area& area,
                               const std::string& month);
// Writes every file and DataQuality.csv into `dir` (created if needed).
Status WriteMhsds(const MhsdsExport& e, const std::filesystem::path& dir);

// PrimReasonReferralMH for the needs, risks and context of a referral; "" when none fits.
std::string PrimaryReason(const nlohmann::json& submission);

}  // namespace waymark::reports
