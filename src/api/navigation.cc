// Staff navigation endpoints: the triage queue, actions on a referral, a service's lists.
#include <algorithm>
#include <charconv>

#include "api/app.h"
#include "api/handlers.h"
#include "domain/codes.h"
#include "domain/triage_input.h"
#include "http/server.h"
#include "security/tokens.h"

namespace waymark::api {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

std::optional<int> ParseInt(const std::string& s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// "a, b, c" of a list of codes, for messages naming what is allowed.
std::string Join(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ", ") + c;
  return out;
}

}  // namespace

Response Queue(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  const auto area = ctx.area.Current();
  store::QueueFilter f;
  std::vector<FieldError> errors;
  // Every filter is checked against its codes: a mistyped one is a 400 that names the
  // parameter and lists what is allowed, never an empty queue that looks like "nothing".
  auto code = [&](const char* name, const std::vector<std::string>& allowed,
                  std::optional<std::string>& into) {
    auto v = req.Query(name);
    if (v.empty()) return;
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
      errors.push_back({name, "must be one of: " + Join(allowed)});
    } else {
      into = v;
    }
  };
  code("priority", {"emergency", "very-urgent", "urgent", "routine"}, f.priority);
  code("thriveGroup", {domain::kThriveGroups.begin(), domain::kThriveGroups.end()}, f.thriveGroup);
  std::vector<std::string> localities;
  for (const auto& l : area->localities()) localities.push_back(l.code);
  localities.push_back("out-of-area");
  code("locality", localities, f.locality);
  auto sources = domain::ReferralSourceCodes();
  code("source", {sources.begin(), sources.end()}, f.source);
  if (auto v = req.Query("ageBand"); !v.empty()) {
    auto dash = v.find('-');
    auto lo = ParseInt(v.substr(0, dash));
    auto hi = dash == std::string::npos ? std::nullopt : ParseInt(v.substr(dash + 1));
    if (!lo || !hi || *lo > *hi || *lo < 0 || *hi > 25) {
      errors.push_back({"ageBand", "must be two ages from 0 to 25 like 11-15"});
    } else {
      f.minAge = lo;
      f.maxAge = hi;
    }
  }
  if (auto v = req.Query("limit"); !v.empty()) {
    auto n = ParseInt(v);
    if (!n || *n < 1 || *n > 500) {
      errors.push_back({"limit", "must be a whole number from 1 to 500"});
    } else {
      f.limit = *n;
    }
  }
  if (!errors.empty()) return http::Problem(Status::Invalid("Check the filters.", errors));
  auto q = ctx.navigation.Queue(f);
  if (!q.ok()) return http::Problem(q.status());
  return http::Json(200, q->dump());
}

Response ReferralAction(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto action = workflow::ParseAction(req.params["action"]);
  if (!action || !workflow::IsStaffAction(*action)) {
    return http::Problem(
        Status::NotFound("Unknown action. Actions: route, signpost, accept, decline, book-contact, "
                         "record-attendance, discharge, transfer, close, allocate, review."));
  }
  auto body = ParseJsonBody(req);
  if (!body.ok()) return http::Problem(body.status());
  auto parsed = workflow::ParseActionRequest(*action, body.value());
  if (!parsed.ok()) return http::Problem(parsed.status());
  auto done =
      ctx.navigation.Apply(req.params["reference"], parsed.value(), StaffActorFor(p.value(), req));
  if (!done.ok()) {
    Response r = http::Problem(done.status());
    if (done.status().code() == ErrorCode::kConflict) {
      // Tell the loser what the referral looks like now.
      auto current = ctx.store.GetReferral(security::NormaliseReference(req.params["reference"]));
      if (current.ok()) {
        auto j = json::parse(r.body);
        j["current"] = {
            {"status", current->status}, {"version", current->version}, {"owner", current->owner}};
        r.body = j.dump();
      }
    }
    return r;
  }
  json out = {{"reference", done->reference},
              {"status", done->status},
              {"owner", done->owner},
              {"version", done->version}};
  auto nav = ctx.navigation.Navigate(done.value());
  if (nav.ok()) out["navigation"] = nav.value();
  return http::Json(200, out.dump());
}

Response ServiceLists(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto lists = ctx.navigation.ServiceLists(req.params["id"], StaffActorFor(p.value(), req));
  if (!lists.ok()) return http::Problem(lists.status());
  return http::Json(200, lists->dump());
}

Response AcknowledgeAlert(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto done = ctx.navigation.Acknowledge(req.params["id"], StaffActorFor(p.value(), req));
  if (!done.ok()) return http::Problem(done.status());
  return http::Json(200, done->dump());
}

Response AlertStream(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  // The open alerts first (acknowledged and handled ones are cleared, so not replayed), then
  // each new one as it is raised ("alert") and each acknowledgement ("alert-cleared").
  auto open = ctx.store.OpenAlerts("", 200);
  if (!open.ok()) return http::Problem(open.status());
  Response r;
  r.contentType = "text/event-stream";
  r.body = "retry: 3000\n\n";
  for (auto it = open->rbegin(); it != open->rend(); ++it) {
    r.body += http::EventHub::Format("alert", workflow::AlertJson(*it).dump());
  }
  r.stream = &ctx.alerts;
  return r;
}

}  // namespace waymark::api
