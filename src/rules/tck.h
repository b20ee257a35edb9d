// The DMN Technology Compatibility Kit runner: every model and test case of a TestCases
// folder, the CSV that vendors publish, and a count per folder for docs/conformance.md.
#pragma once

#include <map>
#include <ostream>
#include <string>

namespace waymark::rules {

struct TckCount {
  int passed = 0, failed = 0, skipped = 0;
};

struct TckReport {
  TckCount total;
  std::map<std::string, TckCount> byFolder;  // "compliance-level-3/0001-filter"
};

// Runs every test folder under `root` (a folder holding compliance-level-* folders, one
// level folder, or one test folder). Writes one CSV row per test case to `csv`:
// "folder","test-file-basename","caseId","SUCCESS|ERROR|IGNORED","message".
TckReport RunTck(const std::string& root, std::ostream& csv);

}  // namespace waymark::rules
