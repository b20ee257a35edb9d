#include "reports/quarterly.h"

#include <fstream>

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
  auto tables = Dashboard(store, area, {months->first, months->second, now});
  if (!tables.ok()) return tables.status();
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
  for (const auto& t : tables.value()) {
    auto pub = Publish(t);
    html += "<h2 id=\"" + Html(t.id) + "\">" + Html(t.title) + "</h2>\n<table>\n<thead><tr>";
    for (const auto& c : t.columns) html += "<th scope=\"col\">" + Html(c) + "</th>";
    html += "</tr></thead>\n<tbody>\n";
    for (const auto& row : pub["rows"]) {
      html += "<tr>";
      for (size_t i = 0; i < row.size(); ++i) {
        html += (i == 0 ? "<th scope=\"row\">" : "<td>") + Html(CellText(row[i])) +
                (i == 0 ? "</th>" : "</td>");
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
