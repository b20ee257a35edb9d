// Confidentiality choices, safeguarding overrides and re-issued family links.
#include <fmt/format.h>

#include "api/app.h"
#include "api/handlers.h"
#include "http/server.h"
#include "security/roles.h"
#include "security/tokens.h"

namespace waymark::api {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

// The caller, the referral (only if they may read it) and the parsed body with its version.
struct Prepared {
  workflow::StaffActor who;
  json body;
  int64_t version = 0;
};

// `break_glass`: the safeguarding lead may act on any referral (a safeguarding override is
// audited, needs a reason and alerts the safeguarding lead role), not only those they may read.
Result<Prepared> Prepare(AppContext& ctx, Request& req, bool break_glass = false) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return p.status();
  Prepared out{StaffActorFor(p.value(), req), {}, 0};
  auto row = ctx.store.GetReferral(security::NormaliseReference(req.params["reference"]));
  if (!row.ok()) return row.status();
  bool lead_override = break_glass && security::HasAnyRole(p->roles, {"safeguarding-lead"});
  if (!lead_override && !ctx.navigation.MayRead(row.value(), out.who)) {
    return Status::NotFound("no referral " + req.params["reference"]);
  }
  auto body = ParseJsonBody(req);
  if (!body.ok()) return body.status();
  if (!body->is_object() || !(*body)["version"].is_number_integer()) {
    return Status::Invalid(
        "Say which version you were looking at.",
        {{"version", "is required: the version of the referral you were looking at"}});
  }
  out.version = (*body)["version"].get<int64_t>();
  out.body = std::move(body.value());
  return out;
}

Response Done(const store::ReferralRow& r, json extra = json::object()) {
  extra["reference"] = r.reference;
  extra["version"] = r.version;
  return http::Json(200, extra.dump());
}

}  // namespace

Response RecordConfidentiality(AppContext& ctx, Request& req) {
  auto p = Prepare(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto choices = workflow::ParseConfidentiality(p->body);
  if (!choices.ok()) return http::Problem(choices.status());
  auto r = ctx.confidentiality.Record(req.params["reference"], p->version, choices.value(), p->who);
  if (!r.ok()) return http::Problem(r.status());
  return Done(r.value(), {{"confidentiality", r->confidentiality}});
}

Response SafeguardingOverride(AppContext& ctx, Request& req) {
  auto p = Prepare(ctx, req, /*break_glass=*/true);
  if (!p.ok()) return http::Problem(p.status());
  auto it = p->body.find("reason");
  if (it != p->body.end() && !it->is_string()) {
    return http::Problem(Status::Invalid("Say why the young person's choices are overridden.",
                                         {{"reason", "must be text"}}));
  }
  std::string reason = it == p->body.end() ? "" : it->get<std::string>();
  auto r =
      ctx.confidentiality.SafeguardingOverride(req.params["reference"], p->version, reason, p->who);
  if (!r.ok()) return http::Problem(r.status());
  return Done(r.value(), {{"safeguardingOverride", true}});
}

Response ReissueStatusToken(AppContext& ctx, Request& req) {
  auto p = Prepare(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto holder = p->body.find("holder");
  if (holder != p->body.end() && !holder->is_string()) {
    return http::Problem(
        Status::Invalid("Say who the new link is for.",
                        {{"holder", "must be young-person, parent or professional"}}));
  }
  auto token = ctx.confidentiality.ReissueStatusToken(
      req.params["reference"], p->version, p->who,
      holder == p->body.end() ? "" : holder->get<std::string>());
  if (!token.ok()) return http::Problem(token.status());
  std::string ref = security::NormaliseReference(req.params["reference"]);
  json out = {{"reference", ref},
              {"statusToken", token.value()},
              {"trackUrl", fmt::format("/track/{}#{}", ref, token.value())}};
  return http::Json(200, out.dump());
}

Response SafeguardingAlerts(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto open = ctx.store.OpenAlerts("safeguarding-lead", 500);
  if (!open.ok()) return http::Problem(open.status());
  json out = json::array();
  for (const auto& a : open.value()) {
    if (workflow::IsSafeguardingAlert(a.code)) out.push_back(workflow::AlertJson(a));
  }
  return http::Json(200, json({{"alerts", out}}).dump());
}

// The safeguarding lead's live stream: the open safeguarding alerts, then each new one. The
// hub is fed only safeguarding alerts (cmd_serve.cc).
Response SafeguardingAlertStream(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  if (!ctx.safeguardingAlerts) return http::Problem(Status::Unavailable("No alert stream."));
  auto open = ctx.store.OpenAlerts("safeguarding-lead", 500);
  if (!open.ok()) return http::Problem(open.status());
  Response r;
  r.contentType = "text/event-stream";
  r.body = "retry: 3000\n\n";
  for (auto it = open->rbegin(); it != open->rend(); ++it) {
    if (workflow::IsSafeguardingAlert(it->code)) {
      r.body += http::EventHub::Format("alert", workflow::AlertJson(*it).dump());
    }
  }
  r.stream = ctx.safeguardingAlerts;
  return r;
}

}  // namespace waymark::api
