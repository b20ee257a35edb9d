// Disclosure control: the one place every figure a commissioner sees passes through. Below
// national level counts under 5 (0 included) show as "*", other counts are rounded to the
// nearest 5, and a percentage shows "*" when its numerator or denominator is under 5, else it
// is rounded to a whole number (../shared/domain/standards.md). A median needs at least 5
// values and any other percentile (the 90th) at least 10, else it shows "*". Because a hidden
// count could be recomputed by subtraction from a published total, a table declares which of
// its cells add up to which (Table::sums) and Publish hides a second cell — the next smallest
// — wherever a total would otherwise give one hidden cell away; a percentage whose count (or
// the count it is taken of) is hidden is hidden with it. Report code builds tables of raw
// numbers; only Publish() turns them into JSON or CSV, so no endpoint can skip the control.
// Thread-safety: pure functions and plain values.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace waymark::reports {

// "*" or the count rounded to the nearest 5 (halves round up: 7 → 5, 8 → 10).
nlohmann::json DiscloseCount(int64_t n);
// "*" when either side is under 5, else the whole-number percentage.
nlohmann::json DisclosePercent(int64_t numerator, int64_t denominator);
// The fewest values a percentile may summarise: 5 for a median, 10 for any other.
int64_t MinimumValuesFor(int percentile);

// A cell of a report table before disclosure control.
struct Cell {
  enum class Kind { kText, kCount, kPercent, kMeasure } kind = Kind::kText;
  std::string text;             // kText: a label
  int64_t count = 0;            // kCount
  int64_t numerator = 0;        // kPercent
  int64_t denominator = 0;      // kPercent
  std::optional<double> value;  // kMeasure: a median or percentile in days
  int64_t basedOn = 0;          // kMeasure: how many values it summarises
  int percentile = 50;          // kMeasure: 50 for a median, 90 for the 90th percentile
  // Columns of the same row whose hiding hides this cell too: a percentage lists the counts
  // it is made from, so it never reveals a count hidden by complementary suppression.
  std::vector<size_t> hiddenWith;

  static Cell Text(std::string t) { return {Kind::kText, std::move(t)}; }
  static Cell Count(int64_t n) {
    Cell c;
    c.kind = Kind::kCount;
    c.count = n;
    return c;
  }
  static Cell Percent(int64_t num, int64_t den, std::vector<size_t> hidden_with = {}) {
    Cell c;
    c.kind = Kind::kPercent;
    c.numerator = num;
    c.denominator = den;
    c.hiddenWith = std::move(hidden_with);
    return c;
  }
  static Cell Measure(std::optional<double> v, int64_t based_on, int percentile = 50) {
    Cell c;
    c.kind = Kind::kMeasure;
    c.value = v;
    c.basedOn = based_on;
    c.percentile = percentile;
    return c;
  }
};

// A cell of a table by position (row, column).
struct CellRef {
  size_t row = 0;
  size_t col = 0;
  bool operator==(const CellRef&) const = default;
};

// The count cell `total` is exactly the sum of the count cells `parts`.
struct Sum {
  CellRef total;
  std::vector<CellRef> parts;
};

struct Table {
  std::string id;     // "referrals-by-month"
  std::string title;  // plain words
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
  std::vector<Sum> sums;  // which published counts add up to which (complementary suppression)
  std::vector<size_t> totalRows;  // rows AddTotalRow appended (charts leave them out)

  // Appends a row labelled `label` whose cell in each of `cols` is the sum of that column's
  // counts over every row so far (other cells are empty text), and declares each sum.
  void AddTotalRow(const std::string& label, const std::vector<size_t>& cols);
  // Declares that in row `row` the count at `total_col` is the sum of the counts at `parts`.
  void SumAcross(size_t row, size_t total_col, const std::vector<size_t>& parts);
  // Declares that in column `col` the count at `total_row` is the sum of the counts at `parts`.
  void SumDown(size_t col, size_t total_row, const std::vector<size_t>& parts);
};

// Which figures a caller may see. kControlled for everyone below national level; kUnrounded
// (England-level figures, every count as counted) only for a caller holding the
// national-analyst role — the API checks the role (api/reports.cc), nothing else asks for it.
enum class Release { kControlled, kUnrounded };

// Which cells disclosure control hides ("*"): the primary rules, then complementary
// suppression until no declared sum gives a hidden cell away. Text cells are never hidden.
std::vector<std::vector<bool>> HiddenCells(const Table& table);

// The table as JSON with disclosure control applied to every cell ("*" for hidden).
nlohmann::json Publish(const Table& table, Release release = Release::kControlled);
// The same as CSV (a header line, then one line per row).
std::string PublishCsv(const Table& table, Release release = Release::kControlled);

}  // namespace waymark::reports
