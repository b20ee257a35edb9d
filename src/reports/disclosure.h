// Disclosure control: the one place every figure a commissioner sees passes through. Below
// national level counts under 5 (0 included) show as "*", other counts are rounded to the
// nearest 5, and a percentage shows "*" when its numerator or denominator is under 5, else it
// is rounded to a whole number (../shared/domain/standards.md). Report code builds tables of
// raw numbers; only Publish() turns them into JSON, so no endpoint can skip the control.
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

// A cell of a report table before disclosure control.
struct Cell {
  enum class Kind { kText, kCount, kPercent, kMeasure } kind = Kind::kText;
  std::string text;             // kText: a label
  int64_t count = 0;            // kCount
  int64_t numerator = 0;        // kPercent
  int64_t denominator = 0;      // kPercent
  std::optional<double> value;  // kMeasure: a median or percentile in days (from >= 5 items)
  int64_t basedOn = 0;          // kMeasure: how many items it summarises

  static Cell Text(std::string t) { return {Kind::kText, std::move(t)}; }
  static Cell Count(int64_t n) {
    Cell c;
    c.kind = Kind::kCount;
    c.count = n;
    return c;
  }
  static Cell Percent(int64_t num, int64_t den) {
    Cell c;
    c.kind = Kind::kPercent;
    c.numerator = num;
    c.denominator = den;
    return c;
  }
  static Cell Measure(std::optional<double> v, int64_t based_on) {
    Cell c;
    c.kind = Kind::kMeasure;
    c.value = v;
    c.basedOn = based_on;
    return c;
  }
};

struct Table {
  std::string id;     // "referrals-by-month"
  std::string title;  // plain words
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};

// The table as JSON with disclosure control applied to every cell ("*" for suppressed).
// A measure summarising fewer than 5 items is suppressed too.
nlohmann::json Publish(const Table& table);
// The same as CSV (a header line, then one line per row).
std::string PublishCsv(const Table& table);

}  // namespace waymark::reports
