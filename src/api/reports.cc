// Commissioner reports: every figure through reports::Publish (disclosure control).
#include "api/app.h"
#include "api/handlers.h"
#include "http/server.h"
#include "reports/metrics.h"

namespace waymark::api {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

// ?from=YYYY-MM-DD&to=YYYY-MM-DD (to exclusive); defaults: the 12 months to today.
Result<reports::DashboardOptions> Range(AppContext& ctx, const Request& req) {
  reports::DashboardOptions o;
  o.now = ctx.clock.Now();
  o.range.to = o.now;
  o.range.from = o.now - std::chrono::hours(24 * 365);
  std::vector<FieldError> errors;
  for (auto [name, slot] : {std::pair{"from", &o.range.from}, std::pair{"to", &o.range.to}}) {
    std::string v = req.Query(name);
    if (v.empty()) continue;
    auto d = domain::ParseDate(v);
    if (!d) {
      errors.push_back({name, "must be a date like 2026-07-01"});
    } else {
      *slot =
          domain::Timestamp(std::chrono::sys_days(std::chrono::days(domain::DaysFromEpoch(*d))));
    }
  }
  if (errors.empty() && o.range.from >= o.range.to) errors.push_back({"to", "must be after from"});
  if (!errors.empty()) return Status::Invalid("Check the dates.", errors);
  return o;
}

}  // namespace

Response ReportDashboard(AppContext& ctx, Request& req) {
  auto o = Range(ctx, req);
  if (!o.ok()) return http::Problem(o.status());
  auto tables = reports::Dashboard(ctx.store, *ctx.area.Current(), o.value());
  if (!tables.ok()) return http::Problem(tables.status());
  json out = {{"from", domain::FormatTimestamp(o->range.from)},
              {"to", domain::FormatTimestamp(o->range.to)},
              {"tables", json::array()}};
  for (const auto& t : tables.value()) out["tables"].push_back(reports::Publish(t));
  return http::Json(200, out.dump());
}

Response ReportCsv(AppContext& ctx, Request& req) {
  std::string name = req.params["table"];
  if (name.size() < 5 || name.substr(name.size() - 4) != ".csv") {
    return http::Problem(Status::NotFound("Ask for a table as /api/v1/reports/TABLE.csv"));
  }
  std::string id = name.substr(0, name.size() - 4);
  auto o = Range(ctx, req);
  if (!o.ok()) return http::Problem(o.status());
  auto tables = reports::Dashboard(ctx.store, *ctx.area.Current(), o.value());
  if (!tables.ok()) return http::Problem(tables.status());
  for (const auto& t : tables.value()) {
    if (t.id != id) continue;
    Response r;
    r.contentType = "text/csv; charset=utf-8";
    r.body = reports::PublishCsv(t);
    r.Header("Content-Disposition", "attachment; filename=\"" + id + ".csv\"");
    return r;
  }
  return http::Problem(Status::NotFound("No such report table."));
}

}  // namespace waymark::api
