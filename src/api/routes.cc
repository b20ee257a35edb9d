// Route table of the API. Handlers stay thin: parse, authorise, call workflow, render.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "api/app.h"
#include "api/handlers.h"
#include "domain/crisis.h"
#include "http/rate_limit.h"
#include "http/server.h"
#include "security/client_address.h"
#include "security/permissions.h"
#include "security/roles.h"
#include "security/tokens.h"
#include "workflow/confidentiality.h"

namespace waymark {
const std::map<std::string, std::string_view>& EmbeddedFiles();
}

namespace waymark::api {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

workflow::Actor PublicActor(const Request& req, std::string role) {
  return workflow::Actor{"public", std::move(role), req.clientAddress};
}

bool IsStaffPage(std::string_view path) {
  return path == "/staff" || path.rfind("/staff/", 0) == 0;
}

std::string SessionCookie(const Request& req) {
  return req.Cookie(security::kSessionCookie).value_or("");
}

}  // namespace

// The guard (AddRoutes) has already authenticated the caller and checked the permission
// table; this hands the handler who it is.
Result<security::Principal> RequireStaff(AppContext& ctx, const Request& req) {
  if (const auto* p = std::any_cast<security::Principal>(&req.user)) return *p;
  return Status::Unauthenticated("Please sign in.");
}

workflow::StaffActor StaffActorFor(const security::Principal& p, const Request& req) {
  // The audit names the role the permission was granted by, not whichever role is first.
  std::string role = !p.actingRole.empty() ? p.actingRole : p.roles.empty() ? "" : p.roles.front();
  return workflow::StaffActor{workflow::Actor{p.accountId, role, req.clientAddress}, p.roles,
                              p.services};
}

namespace {

std::string StatusToken(const Request& req) {
  std::string t = req.Header("x-status-token");
  return t.empty() ? req.Query("token") : t;
}

Response Health(AppContext& ctx, Request&) {
  auto n = ctx.store.CountReferrals();
  if (!n.ok()) return http::Json(503, R"({"status":"unavailable","database":"unreachable"})");
  return http::Json(200, R"({"status":"ok","database":"ok"})");
}

Response OpenApi(Request&) {
  const auto& files = EmbeddedFiles();
  auto it = files.find("docs/api/openapi.yaml");
  Response r;
  r.contentType = "application/yaml";
  r.body = std::string(it->second);
  return r;
}

// The answers and words that show crisis help, so the web form and the server agree.
Response CrisisSignals(Request&) {
  Response r = http::Json(200, domain::CrisisSignals().dump());
  r.Header("Cache-Control", "public, max-age=3600");
  return r;
}

Response CreateReferral(AppContext& ctx, Request& req) {
  auto body = ParseJsonBody(req);
  if (!body.ok()) return http::Problem(body.status());
  std::string role = "public";
  if (body->is_object() && body->contains("referrer") && (*body)["referrer"].is_object()) {
    const auto& type = (*body)["referrer"]["type"];
    role = type.is_string() ? type.get<std::string>() : "public";
    if (role != "self" && role != "parent" && role != "professional") role = "public";
  }
  bool crisis = domain::SignalsImmediateDanger(body.value());
  auto ack = ctx.intake.Submit(body.value(), PublicActor(req, role));
  if (!ack.ok()) {
    Response r = http::Problem(ack.status());
    if (crisis) {  // crisis help whatever else happens
      auto j = json::parse(r.body);
      j["crisisHelp"] = domain::CrisisHelp();
      r.body = j.dump();
    }
    return r;
  }
  // Triage at once; if the model fails the referral waits, untriaged, in the queue.
  ctx.navigation.AfterIntake(ack->reference, ack->crisis, PublicActor(req, "triage-engine"));
  json out = {{"reference", ack->reference},
              {"statusToken", ack->statusToken},
              {"statusUrl", fmt::format("/api/v1/referrals/{}/status?token={}", ack->reference,
                                        ack->statusToken)},
              {"trackUrl", fmt::format("/track/{}#{}", ack->reference, ack->statusToken)}};
  if (ack->crisis) out["crisisHelp"] = domain::CrisisHelp();
  Response r = http::Json(201, out.dump());
  r.Header("Location", fmt::format("/api/v1/referrals/{}/status", ack->reference));
  return r;
}

// Writes a read's audit entry before the data leaves: no audit, no data.
Status AuditRead(AppContext& ctx, const workflow::Actor& actor, std::string action,
                 std::string record, std::string fields, std::string reason = "") {
  store::AuditEntry a;
  a.at = ctx.clock.Now();
  a.actor = actor.id;
  a.role = actor.role;
  a.action = std::move(action);
  a.record = std::move(record);
  a.fields = std::move(fields);
  a.client = actor.client;
  a.reason = std::move(reason);
  return ctx.store.AppendAudit(a);
}

Response ReferralStatus(AppContext& ctx, Request& req) {
  auto row = ctx.intake.AuthoriseFamily(req.params["reference"], StatusToken(req));
  if (!row.ok()) return http::Problem(row.status());
  // Audited as the holder of the status link, by kind (young person, parent, professional).
  bool details = workflow::StatusLinkMayShowDetails(row.value());
  auto st = AuditRead(ctx, PublicActor(req, workflow::StatusLinkHolder(row.value())),
                      "referral.status-read", "referral/" + row->reference,
                      details ? "status" : "status (restricted)");
  if (!st.ok()) return http::Problem(st);
  return http::Json(200, ctx.navigation.FamilyStory(row.value()).dump());
}

Response InviteInformant(AppContext& ctx, Request& req) {
  auto body = ParseJsonBody(req);
  if (!body.ok()) return http::Problem(body.status());
  if (!body->is_object() || !(*body)["role"].is_string()) {
    return http::Problem(Status::Invalid(
        "Say who is being invited.",
        {{"role", "is required: parent, school, young-person, professional or other"}}));
  }
  std::string role = (*body)["role"].get<std::string>();
  if (role == "parent") {
    // The young person's choice: a parent or carer is invited only if they may be contacted
    // (or a safeguarding override is recorded).
    auto row = ctx.intake.AuthoriseFamily(req.params["reference"], StatusToken(req));
    if (!row.ok()) return http::Problem(row.status());
    if (!workflow::ParentMayBeContacted(row.value())) {
      return http::Problem(Status(
          ErrorCode::kConflict,
          "The young person asked that a parent or carer is not contacted, so a parent cannot "
          "be invited to give their view. Talk to the team if you are worried about their "
          "safety.",
          {{"role", "a parent may not be contacted for this request"}}));
    }
  }
  auto inv = ctx.intake.InviteInformant(req.params["reference"], StatusToken(req), role,
                                        PublicActor(req, "family"));
  if (!inv.ok()) return http::Problem(inv.status());
  json out = {{"informantId", inv->informantId},
              {"role", inv->role},
              {"inviteToken", inv->inviteToken},
              {"viewUrl", fmt::format("/api/v1/informants/{}/views", inv->informantId)}};
  return http::Json(201, out.dump());
}

Response AddInformantView(AppContext& ctx, Request& req) {
  auto body = ParseJsonBody(req);
  if (!body.ok()) return http::Problem(body.status());
  std::string token = req.Header("x-invite-token");
  if (token.empty()) token = req.Query("token");
  auto v = ctx.intake.SubmitInformantView(req.params["id"], token, body.value(),
                                          PublicActor(req, "informant"));
  if (!v.ok()) return http::Problem(v.status());
  return http::Json(201, json({{"version", v.value()}}).dump());
}

std::string CookieHeader(const AppContext& ctx, const std::string& value, bool clear) {
  std::string c =
      fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict", security::kSessionCookie, value);
  if (ctx.tls) c += "; Secure";
  if (clear) c += "; Max-Age=0";
  return c;
}

Response SignIn(AppContext& ctx, Request& req) {
  auto body = ParseJsonBody(req);
  if (!body.ok()) return http::Problem(body.status());
  std::vector<FieldError> errors;
  for (const char* k : {"username", "password"}) {
    if (!body->is_object() || !(*body)[k].is_string() ||
        (*body)[k].get_ref<const std::string&>().empty()) {
      errors.push_back({k, "is required"});
    }
  }
  if (!errors.empty())
    return http::Problem(Status::Invalid("Enter your username and password.", errors));
  std::string code, new_password;
  if ((*body).contains("code") && (*body)["code"].is_string()) code = (*body)["code"];
  if ((*body).contains("newPassword") && (*body)["newPassword"].is_string()) {
    new_password = (*body)["newPassword"];
  }
  auto s = ctx.accounts.SignIn((*body)["username"], (*body)["password"], code, new_password);
  if (!s.ok()) return http::Problem(s.status());
  json out = {{"username", s->principal.username},
              {"displayName", s->principal.displayName},
              {"roles", s->principal.roles}};
  Response r = http::Json(200, out.dump());
  r.Header("Set-Cookie", CookieHeader(ctx, s->sessionSecret, false));
  return r;
}

Response SignOut(AppContext& ctx, Request& req) {
  (void)ctx.accounts.SignOut(SessionCookie(req));
  Response r = http::Json(200, R"({"signedOut":true})");
  r.Header("Set-Cookie", CookieHeader(ctx, "", true));
  return r;
}

Response SignOutEverywhere(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  if (auto st = ctx.accounts.SignOutEverywhere(p->accountId); !st.ok()) return http::Problem(st);
  Response r = http::Json(200, R"({"signedOut":true,"everywhere":true})");
  r.Header("Set-Cookie", CookieHeader(ctx, "", true));
  return r;
}

Response StartTotp(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto e = ctx.accounts.StartTotp(p.value());
  if (!e.ok()) return http::Problem(e.status());
  return http::Json(200, json({{"secret", e->secret}, {"otpauthUri", e->uri}}).dump());
}

Response ConfirmTotp(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto body = ParseJsonBody(req);
  if (!body.ok()) return http::Problem(body.status());
  std::string code = body->is_object() ? body->value("code", "") : "";
  auto codes = ctx.accounts.ConfirmTotp(p.value(), code);
  if (!codes.ok()) return http::Problem(codes.status());
  return http::Json(200, json({{"enabled", true}, {"recoveryCodes", codes.value()}}).dump());
}

Response Me(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  json out = {{"username", p->username},
              {"displayName", p->displayName},
              {"roles", p->roles},
              {"secondFactorSetupNeeded", p->enrolOnly}};
  return http::Json(200, out.dump());
}

Response ListReferrals(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  store::ReferralFilter f;
  if (auto s = req.Query("status"); !s.empty()) f.status = s;
  auto rows = ctx.store.ListReferrals(f);
  if (!rows.ok()) return http::Problem(rows.status());
  // A queue summary: no names or contact details; the list read itself is audited (Guard).
  json out = json::array();
  for (const auto& r : rows.value()) {
    out.push_back({{"reference", r.reference},
                   {"status", r.status},
                   {"owner", r.owner},
                   {"receivedAt", domain::FormatTimestamp(r.receivedAt)},
                   {"crisis", r.crisis},
                   {"ageOnReceipt", r.ageOnReceipt},
                   {"locality", r.locality},
                   {"source", r.source}});
  }
  return http::Json(200, json({{"referrals", out}}).dump());
}

Response GetReferral(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto who = StaffActorFor(p.value(), req);
  auto row = ctx.store.GetReferral(security::NormaliseReference(req.params["reference"]));
  if (!row.ok()) return http::Problem(row.status());
  // Same answer as "not found", so service staff cannot probe for other services' referrals.
  if (!ctx.navigation.MayRead(row.value(), who)) {
    return http::Problem(Status::NotFound("no referral " + req.params["reference"]));
  }
  // The safeguarding lead reads only to review a safeguarding alert or override: say which.
  std::string reason;
  workflow::StaffActor without = who;
  std::erase(without.roles, "safeguarding-lead");
  if (!ctx.navigation.MayRead(row.value(), without)) {
    who.actor.role = "safeguarding-lead";
    reason = "safeguarding review: " + workflow::SafeguardingReviewReason(row.value());
  }
  auto v = ctx.intake.StaffView(row->reference, who.actor, reason);
  if (!v.ok()) return http::Problem(v.status());
  auto nav = ctx.navigation.Navigate(row.value());
  if (nav.ok()) (*v)["navigation"] = nav.value();
  return http::Json(200, v->dump());
}

std::string ContentTypeFor(const std::filesystem::path& p) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript"},
      {".css", "text/css"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"}};
  auto it = kTypes.find(p.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

const char* kFallbackPage = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Waymark</title></head>
<body><main>
<h1>Waymark</h1>
<p>One front door for children and young people's mental health.</p>
<h2>Get help now</h2>
<ul><li>If life is at risk now, call 999.</li><li>For urgent mental health help, call NHS 111 and choose option 2.</li>
<li>Text SHOUT to 85258.</li><li>Childline: 0800 1111.</li><li>Samaritans: 116 123.</li></ul>
<p>The web pages have not been built on this machine. The API is at <a href="/api/v1/openapi.yaml">/api/v1/openapi.yaml</a>.</p>
</main></body></html>
)";

// Files of the built front end; any unknown non-API path gets index.html (client routing).
// A staff page (other than sign-in) asked for without a live staff session is answered with a
// redirect to sign in: the bundle holds no data, but nothing of the staff area is served to
// someone signed out. The redirect carries nothing of the page asked for (it may hold a
// reference).
Response Static(AppContext& ctx, Request& req) {
  namespace fs = std::filesystem;
  if (IsStaffPage(req.path) && req.path != "/staff/sign-in") {
    auto who = ctx.accounts.Authenticate(SessionCookie(req));
    bool staff = who.ok() && !who->roles.empty() &&
                 std::all_of(who->roles.begin(), who->roles.end(),
                             [](const std::string& r) { return security::IsRole(r); });
    if (!staff) {
      Response r;
      r.status = 303;
      r.contentType = "text/plain; charset=utf-8";
      r.body = "Please sign in.\n";
      r.Header("Location", "/staff/sign-in");
      r.Header("Cache-Control", "no-store");
      return r;
    }
  }
  std::error_code ec;
  fs::path root = fs::weakly_canonical(ctx.webRoot, ec);
  if (ec || !fs::is_directory(root)) {
    Response r;
    r.contentType = "text/html; charset=utf-8";
    r.body = kFallbackPage;
    return r;
  }
  fs::path file = fs::weakly_canonical(root / fs::path(req.path).relative_path(), ec);
  auto rel = file.lexically_relative(root);
  bool inside = !ec && !rel.empty() && *rel.begin() != "..";
  if (!inside || !fs::is_regular_file(file)) file = root / "index.html";
  std::ifstream in(file, std::ios::binary);
  if (!in) return http::Problem(Status::NotFound("There is nothing at this address."));
  std::ostringstream ss;
  ss << in.rdbuf();
  Response r;
  r.contentType = ContentTypeFor(file);
  r.body = ss.str();
  if (file.parent_path().filename() == "assets") {
    r.Header("Cache-Control", "public, max-age=31536000, immutable");
  } else {
    r.Header("Cache-Control", "no-cache");
  }
  return r;
}

}  // namespace

namespace {

// CSRF: a state-changing request must show it came from this site. Browsers send Origin on
// every POST/PATCH (and Sec-Fetch-Site); a different origin, or a cross-site fetch, is refused.
// With neither header, `needs_proof` decides: staff routes, sign-in and sign-out, and any
// request carrying a session cookie are refused (no browser leaves both out); a cookie-less
// API client on a public route (a referral from another system) carries no ambient
// credentials, so it may.
std::optional<Status> CrossSiteProblem(const AppContext& ctx, const Request& req,
                                       bool needs_proof) {
  static const char* kOther = "This request came from another site and was refused.";
  std::string host = req.Header("host");
  std::string origin = req.Header("origin");
  if (!origin.empty()) {
    if (!host.empty() && (origin == "http://" + host || origin == "https://" + host)) {
      return std::nullopt;
    }
    return Status::Forbidden(kOther);
  }
  std::string site = req.Header("sec-fetch-site");
  if (!site.empty()) {
    if (site == "same-origin" || site == "none") return std::nullopt;
    return Status::Forbidden(kOther);
  }
  if (!needs_proof && SessionCookie(req).empty()) return std::nullopt;
  return Status::Forbidden(fmt::format(
      "This request did not say which site it came from, so it was refused. Browsers send an "
      "Origin header; an API client must send \"Origin: {}://{}\".",
      ctx.tls ? "https" : "http", host.empty() ? "this-server" : host));
}

// The first role of the route's entry (in the table's order) that the caller holds: the role
// the permission was granted by, which audit entries name.
std::string GrantingRole(const security::RoutePermission& perm,
                         const std::vector<std::string>& held) {
  for (auto r : perm.roles) {
    if (std::find(held.begin(), held.end(), r) != held.end()) return std::string(r);
  }
  return held.empty() ? "" : held.front();
}

// Lists that name referrals (by reference): each read is audited as one entry for the list.
struct ListRead {
  std::string_view pattern;
  std::string_view action;
  std::string_view fields;
};
constexpr std::array<ListRead, 5> kListReads = {{
    {"/api/v1/referrals", "referrals.list", "reference,status,owner,age,locality,source"},
    {"/api/v1/queue", "queue.read", "reference,priority,age,locality,source,alerts"},
    {"/api/v1/services/{id}/lists", "service-lists.read",
     "inbox,waitingList,reviewList (references, priority, transition month)"},
    {"/api/v1/safeguarding/alerts", "safeguarding-alerts.read", "alerts (references)"},
    {"/api/v1/alerts/stream", "alerts-stream.open", "alerts (references)"},
}};

const ListRead* ListReadFor(std::string_view pattern) {
  for (const auto& l : kListReads) {
    if (l.pattern == pattern) return &l;
  }
  return nullptr;
}

}  // namespace

// Wraps a handler with the permission table: public routes pass; others need a live session
// whose roles the table allows. State changes must come from this site (CrossSiteProblem;
// with SameSite=Strict cookies, the CSRF defence). List reads are audited here.
http::Handler Guard(AppContext& ctx, std::string method, std::string pattern, http::Handler h) {
  auto perm = security::PermissionFor(method, pattern);
  if (!perm) {
    // Deny by default: a route without an entry is a bug caught at start-up and in tests.
    std::fprintf(stderr, "waymark: route %s %s has no permission entry\n", method.c_str(),
                 pattern.c_str());
    std::abort();
  }
  const bool changes = method != "GET" && method != "HEAD";
  if (perm->isPublic) {
    // Sign-in and sign-out set or clear the session cookie: they need proof of origin too.
    bool session_route = pattern.rfind("/api/v1/auth/", 0) == 0;
    bool limited = method == "POST" || pattern == "/api/v1/referrals/{reference}/status";
    std::shared_ptr<http::RateLimiter> limiter;
    if (limited && ctx.publicRatePerMinute > 0) {
      double per_minute = ctx.publicRatePerMinute;
      limiter = std::make_shared<http::RateLimiter>(
          http::RateLimit{std::max(10.0, per_minute / 3), per_minute});
    }
    if (!changes && !limiter) return h;
    return [&ctx, limiter, h, changes, session_route](Request& req) -> Response {
      if (changes) {
        if (auto bad = CrossSiteProblem(ctx, req, session_route)) return http::Problem(*bad);
      }
      std::chrono::seconds retry{0};
      if (limiter && !limiter->Allow(security::RateLimitKey(req.clientAddress), &retry)) {
        Response r = http::Problem(
            Status::TooManyRequests("Too many requests from this address. Please wait a minute "
                                    "and try again. If you are in danger now, call 999."));
        r.Header("Retry-After", std::to_string(retry.count()));
        return r;
      }
      return h(req);
    };
  }
  const ListRead* list = ListReadFor(pattern);
  return [&ctx, method, pattern, h, perm = *perm, changes, list](Request& req) -> Response {
    auto p = ctx.accounts.Authenticate(SessionCookie(req));
    if (!p.ok()) return http::Problem(p.status());
    if (p->enrolOnly && pattern != "/api/v1/auth/me" && pattern != "/api/v1/auth/totp" &&
        pattern != "/api/v1/auth/totp/confirm" && pattern != "/api/v1/auth/sign-out-everywhere") {
      return http::Problem(
          Status(ErrorCode::kForbidden,
                 "Set up your second factor first, then sign in again with its code.",
                 {{"code", "a second factor is required for staff"}}));
    }
    if (!security::Allowed(method, pattern, &p->roles)) {
      return http::Problem(Status::Forbidden("Your role does not allow this."));
    }
    if (changes) {
      if (auto bad = CrossSiteProblem(ctx, req, true)) return http::Problem(*bad);
    }
    p->actingRole = GrantingRole(perm, p->roles);
    req.user = p.value();
    Response r = h(req);
    if (list && r.status == 200) {
      std::string record = pattern == "/api/v1/services/{id}/lists"
                               ? "service/" + req.params["id"]
                               : std::string(list->action.substr(0, list->action.find('.')));
      auto st = AuditRead(ctx, workflow::Actor{p->accountId, p->actingRole, req.clientAddress},
                          std::string(list->action), record, std::string(list->fields));
      if (!st.ok()) return http::Problem(st);  // no audit, no data
    }
    return r;
  };
}

void AddRoutes(http::Router& router, AppContext& ctx) {
  struct Guarded {
    http::Router& router;
    AppContext& ctx;
    void Add(std::string method, std::string pattern, http::Handler h) {
      auto guarded = Guard(ctx, method, pattern, std::move(h));
      router.Add(std::move(method), std::move(pattern), std::move(guarded));
    }
  } routes{router, ctx};
  auto bind = [&ctx](Response (*fn)(AppContext&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  routes.Add("GET", "/api/v1/health", bind(Health));
  routes.Add("GET", "/api/v1/openapi.yaml", [](Request& req) { return OpenApi(req); });
  routes.Add("GET", "/api/v1/crisis-signals", [](Request& req) { return CrisisSignals(req); });
  routes.Add("POST", "/api/v1/referrals", bind(CreateReferral));
  routes.Add("GET", "/api/v1/referrals", bind(ListReferrals));
  routes.Add("GET", "/api/v1/referrals/{reference}/status", bind(ReferralStatus));
  routes.Add("POST", "/api/v1/referrals/{reference}/informants", bind(InviteInformant));
  routes.Add("GET", "/api/v1/referrals/{reference}", bind(GetReferral));
  routes.Add("POST", "/api/v1/informants/{id}/views", bind(AddInformantView));
  routes.Add("GET", "/api/v1/queue", bind(Queue));
  routes.Add("POST", "/api/v1/referrals/{reference}/confidentiality", bind(RecordConfidentiality));
  routes.Add("POST", "/api/v1/referrals/{reference}/safeguarding-override",
             bind(SafeguardingOverride));
  routes.Add("POST", "/api/v1/referrals/{reference}/status-token", bind(ReissueStatusToken));
  routes.Add("GET", "/api/v1/safeguarding/alerts", bind(SafeguardingAlerts));
  routes.Add("GET", "/api/v1/accounts", bind(ListAccounts));
  routes.Add("GET", "/api/v1/reports/dashboard", bind(ReportDashboard));
  routes.Add("GET", "/api/v1/reports/{table}", bind(ReportCsv));
  routes.Add("POST", "/api/v1/accounts", bind(CreateAccount));
  routes.Add("POST", "/api/v1/accounts/{id}/disable", bind(DisableAccount));
  routes.Add("POST", "/api/v1/accounts/{id}/roles", bind(ChangeAccountRoles));
  routes.Add("POST", "/api/v1/accounts/{id}/approve", bind(ApproveAccount));
  // The on-call stream; the safeguarding lead (without a triage role) gets only theirs.
  routes.Add("GET", "/api/v1/alerts/stream", [&ctx](Request& req) {
    auto p = RequireStaff(ctx, req);
    if (p.ok() && !security::HasAnyRole(p->roles, {"triage-clinician", "clinical-lead"})) {
      return SafeguardingAlertStream(ctx, req);
    }
    return AlertStream(ctx, req);
  });
  routes.Add("POST", "/api/v1/alerts/{id}/acknowledge", bind(AcknowledgeAlert));
  routes.Add("POST", "/api/v1/referrals/{reference}/actions/{action}", bind(ReferralAction));
  routes.Add("GET", "/api/v1/services/{id}/lists", bind(ServiceLists));
  routes.Add("GET", "/api/v1/area", bind(GetArea));
  routes.Add("GET", "/api/v1/services", bind(ListServices));
  routes.Add("GET", "/api/v1/services/{id}", bind(GetService));
  routes.Add("POST", "/api/v1/auth/sign-in", bind(SignIn));
  routes.Add("POST", "/api/v1/auth/sign-out", bind(SignOut));
  routes.Add("GET", "/api/v1/auth/me", bind(Me));
  routes.Add("POST", "/api/v1/auth/sign-out-everywhere", bind(SignOutEverywhere));
  routes.Add("POST", "/api/v1/auth/totp", bind(StartTotp));
  routes.Add("POST", "/api/v1/auth/totp/confirm", bind(ConfirmTotp));
  routes.Add("GET", "/api/v1/referrals/{reference}/reproduction", bind(ReproduceTriage));
  routes.Add("GET", "/api/v1/model/versions", bind(ListModelVersions));
  routes.Add("POST", "/api/v1/model/versions", bind(UploadModel));
  routes.Add("GET", "/api/v1/model/versions/{version}", bind(GetModelVersion));
  routes.Add("POST", "/api/v1/model/versions/{version}/test", bind(TestModel));
  routes.Add("POST", "/api/v1/model/versions/{version}/publish", bind(PublishModel));
  routes.Add("POST", "/api/v1/model/versions/{version}/rollback", bind(RollbackModel));
  routes.Add("GET", "/api/v1/directory/versions", bind(ListDirectoryVersions));
  routes.Add("POST", "/api/v1/directory/versions/{version}/rollback", bind(RollbackDirectory));
  routes.Add("PATCH", "/api/v1/directory/services/{id}", bind(EditService));
  // Unknown API paths are 404 problems, never the front end.
  routes.Add("GET", "/api/*", [](Request&) {
    return http::Problem(Status::NotFound("There is no such API endpoint."));
  });
  routes.Add("GET", "/*", bind(Static));
}

}  // namespace waymark::api
