#include "reports/disclosure.h"

#include <cmath>
#include <limits>

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

int64_t MinimumValuesFor(int percentile) { return percentile == 50 ? 5 : 10; }

void Table::AddTotalRow(const std::string& label, const std::vector<size_t>& cols) {
  const size_t total_row = rows.size();
  std::vector<Cell> row(columns.size(), Cell::Text(""));
  row[0] = Cell::Text(label);
  std::vector<size_t> parts;
  for (size_t r = 0; r < total_row; ++r) parts.push_back(r);
  for (size_t col : cols) {
    int64_t n = 0;
    for (size_t r = 0; r < total_row; ++r) {
      if (col < rows[r].size() && rows[r][col].kind == Cell::Kind::kCount) n += rows[r][col].count;
    }
    row[col] = Cell::Count(n);
  }
  rows.push_back(std::move(row));
  totalRows.push_back(total_row);
  for (size_t col : cols) SumDown(col, total_row, parts);
}

void Table::SumAcross(size_t row, size_t total_col, const std::vector<size_t>& parts) {
  Sum s{{row, total_col}, {}};
  for (size_t c : parts) s.parts.push_back({row, c});
  sums.push_back(std::move(s));
}

void Table::SumDown(size_t col, size_t total_row, const std::vector<size_t>& parts) {
  Sum s{{total_row, col}, {}};
  for (size_t r : parts) s.parts.push_back({r, col});
  sums.push_back(std::move(s));
}

namespace {

bool PrimaryHidden(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::kText:
      return false;
    case Cell::Kind::kCount:
      return c.count < 5;
    case Cell::Kind::kPercent:
      return c.numerator < 5 || c.denominator < 5;
    case Cell::Kind::kMeasure:
      return !c.value || c.basedOn < MinimumValuesFor(c.percentile);
  }
  return true;
}

const Cell* At(const Table& t, CellRef ref) {
  if (ref.row >= t.rows.size() || ref.col >= t.rows[ref.row].size()) return nullptr;
  return &t.rows[ref.row][ref.col];
}

json CellJson(const Cell& c, bool hidden, Release release) {
  if (c.kind == Cell::Kind::kText) return c.text;
  if (release == Release::kUnrounded) {
    switch (c.kind) {
      case Cell::Kind::kCount:
        return c.count;
      case Cell::Kind::kPercent:
        if (c.denominator == 0) return "";
        return std::round(1000.0 * static_cast<double>(c.numerator) /
                          static_cast<double>(c.denominator)) /
               10.0;
      case Cell::Kind::kMeasure:
        if (!c.value) return "";
        return std::round(*c.value * 10.0) / 10.0;
      default:
        break;
    }
  }
  if (hidden) return "*";
  switch (c.kind) {
    case Cell::Kind::kCount:
      return DiscloseCount(c.count);
    case Cell::Kind::kPercent:
      return DisclosePercent(c.numerator, c.denominator);
    case Cell::Kind::kMeasure:
      return std::round(*c.value * 10.0) / 10.0;
    default:
      break;
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

std::vector<std::vector<bool>> HiddenCells(const Table& t) {
  std::vector<std::vector<bool>> hidden;
  for (const auto& r : t.rows) {
    std::vector<bool> row;
    for (const auto& c : r) row.push_back(PrimaryHidden(c));
    hidden.push_back(std::move(row));
  }
  auto is_hidden = [&](CellRef ref) { return At(t, ref) && hidden[ref.row][ref.col]; };
  auto hide = [&](CellRef ref) { hidden[ref.row][ref.col] = true; };
  // Each pass hides at least one more cell or stops, so this ends within (cells) passes.
  for (bool changed = true; changed;) {
    changed = false;
    for (const Sum& s : t.sums) {
      const Cell* total = At(t, s.total);
      if (!total || is_hidden(s.total)) continue;  // a hidden total: the parts are all under 5
      int hidden_parts = 0;
      std::optional<CellRef> smallest;
      int64_t smallest_n = std::numeric_limits<int64_t>::max();
      for (const CellRef& p : s.parts) {
        const Cell* part = At(t, p);
        if (!part || part->kind != Cell::Kind::kCount) continue;
        if (is_hidden(p)) {
          ++hidden_parts;
        } else if (part->count < smallest_n) {
          smallest_n = part->count;
          smallest = p;
        }
      }
      if (hidden_parts != 1) continue;
      // One hidden part would be total minus the others: hide the next smallest with it, or
      // the total itself when there is no other part.
      hide(smallest ? *smallest : s.total);
      changed = true;
    }
    for (size_t r = 0; r < t.rows.size(); ++r) {
      for (size_t c = 0; c < t.rows[r].size(); ++c) {
        if (hidden[r][c]) continue;
        for (size_t dep : t.rows[r][c].hiddenWith) {
          if (is_hidden({r, dep})) {
            hidden[r][c] = true;
            changed = true;
            break;
          }
        }
      }
    }
  }
  return hidden;
}

json Publish(const Table& t, Release release) {
  auto hidden = HiddenCells(t);
  json rows = json::array();
  for (size_t r = 0; r < t.rows.size(); ++r) {
    json row = json::array();
    for (size_t c = 0; c < t.rows[r].size(); ++c) {
      row.push_back(CellJson(t.rows[r][c], hidden[r][c], release));
    }
    rows.push_back(row);
  }
  return {{"id", t.id},
          {"title", t.title},
          {"columns", t.columns},
          {"rows", rows},
          {"totalRows", t.totalRows},
          {"disclosureControl",
           release == Release::kUnrounded
               ? "England-level figures as counted, for a national analyst: not rounded or "
                 "suppressed. Do not publish them."
               : "Counts under 5 show as *, other counts are rounded to the nearest 5; "
                 "percentages show * when either side is under 5; a median needs at least 5 "
                 "values and a 90th percentile at least 10. Where a total would give a hidden "
                 "count away, the next smallest count is hidden too."}};
}

std::string PublishCsv(const Table& t, Release release) {
  json pub = Publish(t, release);
  std::string out;
  for (size_t i = 0; i < t.columns.size(); ++i) out += (i ? "," : "") + CsvField(t.columns[i]);
  out += "\n";
  for (const auto& r : pub["rows"]) {
    for (size_t i = 0; i < r.size(); ++i) out += (i ? "," : "") + CsvField(r[i]);
    out += "\n";
  }
  return out;
}

}  // namespace waymark::reports
