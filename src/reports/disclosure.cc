#include "reports/disclosure.h"

#include <cmath>

namespace waymark::reports {

using nlohmann::json;

json DiscloseCount(int64_t n) {
  if (n < 5) return "*";
  return static_cast<int64_t>(std::floor((static_cast<double>(n) + 2.5) / 5.0)) * 5;
}

json DisclosePercent(int64_t num, int64_t den) {
  if (num < 5 || den < 5) return "*";
  return static_cast<int64_t>(
      std::llround(100.0 * static_cast<double>(num) / static_cast<double>(den)));
}

namespace {
json CellJson(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::kText:
      return c.text;
    case Cell::Kind::kCount:
      return DiscloseCount(c.count);
    case Cell::Kind::kPercent:
      return DisclosePercent(c.numerator, c.denominator);
    case Cell::Kind::kMeasure:
      if (!c.value || c.basedOn < 5) return "*";
      return std::round(*c.value * 10.0) / 10.0;
  }
  return "*";
}

std::string CsvField(const json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}
}  // namespace

json Publish(const Table& t) {
  json rows = json::array();
  for (const auto& r : t.rows) {
    json row = json::array();
    for (const auto& c : r) row.push_back(CellJson(c));
    rows.push_back(row);
  }
  return {{"id", t.id},
          {"title", t.title},
          {"columns", t.columns},
          {"rows", rows},
          {"disclosureControl",
           "Counts under 5 show as *, other counts are rounded to the nearest 5; percentages "
           "show * when either side is under 5."}};
}

std::string PublishCsv(const Table& t) {
  std::string out;
  for (size_t i = 0; i < t.columns.size(); ++i) out += (i ? "," : "") + CsvField(t.columns[i]);
  out += "\n";
  for (const auto& r : t.rows) {
    for (size_t i = 0; i < r.size(); ++i) out += (i ? "," : "") + CsvField(CellJson(r[i]));
    out += "\n";
  }
  return out;
}

}  // namespace waymark::reports
