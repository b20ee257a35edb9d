// Commissioner reports: every figure through reports::Publish (disclosure control).
#include "api/app.h"
#include "api/handlers.h"
#include "http/server.h"
#include "reports/metrics.h"
#include "security/roles.h"

namespace waymark::api {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

// ?from=YYYY-MM&to=YYYY-MM: referrals received in those whole months, both included;
// defaults: the 12 months to this one (this one included).
Result<reports::DashboardOptions> Period(AppContext& ctx, const Request& req) {
  reports::DashboardOptions o;
  o.now = ctx.clock.Now();
  o.toMonth = reports::MonthOf(o.now);
  o.fromMonth = reports::AddMonths(o.toMonth, -11);
  std::vector<FieldError> errors;
  for (auto [name, slot] : {std::pair{"from", &o.fromMonth}, std::pair{"to", &o.toMonth}}) {
    std::string v = req.Query(name);
    if (v.empty()) continue;
    if (auto month = reports::ParseMonth(v)) {
      *slot = *month;
    } else {
      errors.push_back({name, "must be a month like 2026-07"});
    }
  }
  if (errors.empty() && o.fromMonth > o.toMonth) {
    errors.push_back({"to", "must be the same month as from or later"});
  }
  if (errors.empty() && o.toMonth > reports::AddMonths(o.fromMonth, 12 * 20 - 1)) {
    errors.push_back({"to", "must be within 20 years of from"});
  }
  if (!errors.empty()) return Status::Invalid("Check the months.", errors);
  return o;
}

// ?unrounded=true asks for England-level figures as counted: only a national analyst may
// (docs/decisions/0008-report-counts.md); anyone else gets 403 naming the field.
Result<reports::Release> ReleaseFor(AppContext& ctx, const Request& req) {
  std::string v = req.Query("unrounded");
  if (v.empty() || v == "false") return reports::Release::kControlled;
  if (v != "true") {
    return Status::Invalid("Check unrounded.", {{"unrounded", "must be true or false"}});
  }
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return p.status();
  if (!security::HasAnyRole(p->roles, {"national-analyst"})) {
    return Status(ErrorCode::kForbidden,
                  "Unrounded figures are for national analysts only; every other figure is rounded "
                  "and small numbers are hidden.",
                  {{"unrounded", "needs the national-analyst role"}});
  }
  return reports::Release::kUnrounded;
}

}  // namespace

Response ReportDashboard(AppContext& ctx, Request& req) {
  auto o = Period(ctx, req);
  if (!o.ok()) return http::Problem(o.status());
  auto release = ReleaseFor(ctx, req);
  if (!release.ok()) return http::Problem(release.status());
  auto tables = reports::Dashboard(ctx.store, *ctx.area.Current(), o.value());
  if (!tables.ok()) return http::Problem(tables.status());
  json out = {{"from", o->fromMonth},
              {"to", o->toMonth},
              {"generatedAt", domain::FormatTimestamp(o->now)},
              {"tables", json::array()}};
  if (*release == reports::Release::kUnrounded) out["unrounded"] = true;
  for (const auto& t : tables.value()) out["tables"].push_back(reports::Publish(t, *release));
  return http::Json(200, out.dump());
}

Response ReportCsv(AppContext& ctx, Request& req) {
  std::string name = req.params["table"];
  if (name.size() < 5 || name.substr(name.size() - 4) != ".csv") {
    return http::Problem(Status::NotFound("Ask for a table as /api/v1/reports/TABLE.csv"));
  }
  std::string id = name.substr(0, name.size() - 4);
  auto o = Period(ctx, req);
  if (!o.ok()) return http::Problem(o.status());
  auto release = ReleaseFor(ctx, req);
  if (!release.ok()) return http::Problem(release.status());
  auto tables = reports::Dashboard(ctx.store, *ctx.area.Current(), o.value());
  if (!tables.ok()) return http::Problem(tables.status());
  for (const auto& t : tables.value()) {
    if (t.id != id) continue;
    Response r;
    r.contentType = "text/csv; charset=utf-8";
    r.body = reports::PublishCsv(t, *release);
    r.Header("Content-Disposition", "attachment; filename=\"" + id + ".csv\"");
    return r;
  }
  return http::Problem(Status::NotFound("No such report table."));
}

}  // namespace waymark::api
