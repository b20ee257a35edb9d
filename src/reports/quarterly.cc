#include "reports/quarterly.h"

#include <fstream>

#include "domain/codes.h"
#include "reports/metrics.h"

namespace waymark::reports {
namespace {

std::string Html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string CellText(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// A source of referral code with its words ("A1 GP") for the HTML; the CSV keeps the code.
std::string SourceLabel(const std::string& code) {
  auto words = domain::ReferralSourceText(code);
  return words.empty() ? code : code + " " + std::string(words);
}

const Table* Find(const std::vector<Table>& tables, const std::string& id) {
  for (const auto& t : tables)
    if (t.id == id) return &t;
  return nullptr;
}

// The published row of `table` whose label is `label`, with the table's column names.
std::vector<std::pair<std::string, std::string>> RowOf(const Table* t, const std::string& label) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!t) return out;
  auto pub = Publish(*t);
  for (const auto& row : pub["rows"]) {
    if (row.empty() || CellText(row[0]) != label) continue;
    for (size_t i = 1; i < row.size() && i < t->columns.size(); ++i)
      out.emplace_back(t->columns[i], CellText(row[i]));
  }
  return out;
}

// One section per service, as commissioners read the quarterly activity tables: its
// routings, answers and waits, and where its referrals came from. Every figure is a cell of
// a published table (so disclosure control has been applied, complement included).
std::string ServiceSections(const directory::Area& area, const std::vector<Table>& tables) {
  std::string html = "<h2 id=\"by-service\">By service</h2>\n";
  struct Part {
    const char* table;
    const char* caption;
  };
  const Part parts[] = {{"service-answers", "Routings and answers"},
                        {"waits-by-service", "Waits against the service's standard"},
                        {"routings-by-service-and-locality", "Routings by locality"},
                        {"routings-by-service-and-source", "Routings by source of referral"}};
  for (const auto& svc : area.directory().services()) {
    html += "<h3 id=\"service-" + Html(svc.id) + "\">" + Html(svc.name) + "</h3>\n";
    for (const Part& p : parts) {
      auto row = RowOf(Find(tables, p.table), svc.name);
      if (row.empty()) continue;
      html += "<table>\n<caption>" + Html(p.caption) +
              "</caption>\n<thead><tr><th scope=\"col\">figure</th><th "
              "scope=\"col\">value</th></tr></thead>\n<tbody>\n";
      const bool by_source = std::string_view(p.table) == "routings-by-service-and-source";
      for (const auto& [name, value] : row) {
        html += "<tr><th scope=\"row\">" + Html(by_source ? SourceLabel(name) : name) +
                "</th><td>" + Html(value.empty() ? "not set" : value) + "</td></tr>\n";
      }
      html += "</tbody>\n</table>\n";
    }
  }
  return html;
}

}  // namespace

Result<std::pair<std::string, std::string>> QuarterMonths(const std::string& q) {
  std::optional<std::string> first;
  if (q.size() == 6 && q[4] == 'Q' && q[5] >= '1' && q[5] <= '4') {
    if (auto jan = ParseMonth(q.substr(0, 4) + "-01")) first = AddMonths(*jan, 3 * (q[5] - '1'));
  }
  if (!first) {
    return Status::Invalid("Give the quarter as YYYYQn.", {{"quarter", "must be like 2026Q3"}});
  }
  return std::pair{*first, AddMonths(*first, 2)};
}

Result<int> WriteQuarterly(store::Store& store, const directory::Area& area,
                           const std::string& quarter, domain::Timestamp now,
                           const std::filesystem::path& dir) {
  auto months = QuarterMonths(quarter);
  if (!months.ok()) return months.status();
  const DashboardOptions period{months->first, months->second, now};
  auto tables = Dashboard(store, area, period);
  if (!tables.ok()) return tables.status();
  auto by_service = ServiceActivity(store, area, period);
  if (!by_service.ok()) return by_service.status();
  for (auto& t : by_service.value()) tables->push_back(std::move(t));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Unavailable("cannot create " + dir.string());
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Quarterly "
      "activity " +
      Html(quarter) + " - " + Html(area.name()) +
      "</title></head>\n<body>\n<h1>Quarterly activity: " + Html(quarter) + "</h1>\n<p>" +
      Html(area.name()) + ". Referrals received from " + months->first + " to " + months->second +
      " (whole months). Counts under 5 show as *, other counts are rounded to the nearest 5; "
      "percentages show * when either side is under 5. Definitions: docs/metrics.md.</p>\n";
  html += ServiceSections(area, tables.value());
  html += "<h2>All tables</h2>\n";
  for (const auto& t : tables.value()) {
    auto pub = Publish(t);
    html += "<h2 id=\"" + Html(t.id) + "\">" + Html(t.title) + "</h2>\n<table>\n<thead><tr>";
    const bool source_columns = t.id == "routings-by-service-and-source";
    const bool source_rows = !t.columns.empty() && t.columns[0] == "source";
    for (const auto& c : t.columns)
      html += "<th scope=\"col\">" + Html(source_columns ? SourceLabel(c) : c) + "</th>";
    html += "</tr></thead>\n<tbody>\n";
    for (const auto& row : pub["rows"]) {
      html += "<tr>";
      for (size_t i = 0; i < row.size(); ++i) {
        std::string text = CellText(row[i]);
        if (i == 0 && source_rows) text = SourceLabel(text);
        html +=
            (i == 0 ? "<th scope=\"row\">" : "<td>") + Html(text) + (i == 0 ? "</th>" : "</td>");
      }
      html += "</tr>\n";
    }
    html += "</tbody>\n</table>\n<p><a href=\"" + Html(t.id) + ".csv\">Download as CSV</a></p>\n";
    std::ofstream csv(dir / (t.id + ".csv"));
    csv << PublishCsv(t);
    if (!csv) return Status::Unavailable("cannot write " + (dir / (t.id + ".csv")).string());
  }
  html += "</body></html>\n";
  std::ofstream f(dir / "index.html");
  f << html;
  if (!f) return Status::Unavailable("cannot write " + (dir / "index.html").string());
  return static_cast<int>(tables->size());
}

}  // namespace waymark::reports
