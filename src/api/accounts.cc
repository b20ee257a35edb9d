// Staff accounts: administrators ask for them and manage them; a clinical lead approves any
// account that would read clinical records (two-person rule). No clinical data here; every
// change is audited (security/accounts.h).
#include "api/app.h"
#include "api/handlers.h"
#include "http/server.h"
#include "security/roles.h"

namespace waymark::api {

using http::Request;
using http::Response;
using nlohmann::json;

Response ListAccounts(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto rows = ctx.store.ListAccounts();
  if (!rows.ok()) return http::Problem(rows.status());
  json out = json::array();
  for (const auto& a : rows.value()) {
    out.push_back({{"id", a.id},
                   {"username", a.username},
                   {"displayName", a.displayName},
                   {"roles", a.roles},
                   {"services", a.services},
                   {"disabled", a.disabled},
                   {"secondFactor", a.totpEnabled},
                   {"locked", a.lockedUntil.has_value() && *a.lockedUntil > ctx.clock.Now()},
                   {"pendingApproval", a.pendingApproval},
                   {"requestedBy", a.requestedBy},
                   {"approvedBy", a.approvedBy},
                   {"oneTimePasswordSet", a.mustChangePassword}});
  }
  return http::Json(200, json({{"accounts", out}}).dump());
}

namespace {

// Reads "roles" (required) and "services" (optional) of an account body.
void ParseRoles(AppContext& ctx, const json& body, std::vector<std::string>& roles,
                std::vector<std::string>& services, std::vector<FieldError>& errors) {
  if (!body.is_object() || !body.contains("roles") || !body["roles"].is_array() ||
      body["roles"].empty()) {
    errors.push_back({"roles", "is required: a list of roles"});
  } else {
    for (const auto& r : body["roles"]) {
      if (!r.is_string() || !security::IsRole(r.get_ref<const std::string&>())) {
        errors.push_back({"roles",
                          "unknown role; allowed: triage-clinician, service-clinician, "
                          "service-manager, commissioner, clinical-lead, admin, "
                          "safeguarding-lead"});
      } else {
        roles.push_back(r.get<std::string>());
      }
    }
  }
  if (body.is_object() && body.contains("services")) {
    if (!body["services"].is_array()) {
      errors.push_back({"services", "must be a list of service ids of this area, or [\"*\"]"});
      return;
    }
    for (const auto& s : body["services"]) {
      if (s.is_string() &&
          (s == "*" || ctx.area.Current()->directory().Find(s.get<std::string>()))) {
        services.push_back(s.get<std::string>());
      } else {
        errors.push_back({"services", "must be service ids of this area, or \"*\""});
      }
    }
  }
}

}  // namespace

Response CreateAccount(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto body = ParseJsonBody(req);
  if (!body.ok()) return http::Problem(body.status());
  std::vector<FieldError> errors;
  auto text = [&](const char* k, bool required) -> std::string {
    if (!body->is_object() || !body->contains(k) || !(*body)[k].is_string() ||
        (*body)[k].get_ref<const std::string&>().empty()) {
      if (required || (body->is_object() && body->contains(k))) {
        errors.push_back({k, required ? "is required" : "must be text"});
      }
      return "";
    }
    return (*body)[k].get<std::string>();
  };
  security::NewAccount a;
  a.username = text("username", true);
  a.displayName = text("displayName", true);
  a.password = text("password", false);
  ParseRoles(ctx, body.value(), a.roles, a.services, errors);
  if (!errors.empty()) return http::Problem(Status::Invalid("Check the account details.", errors));
  auto made = ctx.accounts.RequestAccount(p.value(), a, req.clientAddress);
  if (!made.ok()) return http::Problem(made.status());
  json out = {{"id", made->account.id},
              {"username", made->account.username},
              {"roles", made->account.roles},
              {"pendingApproval", made->account.pendingApproval},
              {"oneTimePasswordExpiresAt",
               domain::FormatTimestamp(made->account.passwordExpiresAt.value())}};
  // Shown once, for the administrator to pass on; it only lets the person choose their own.
  if (a.password.empty()) out["oneTimePassword"] = made->oneTimePassword;
  return http::Json(201, out.dump());
}

Response ApproveAccount(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto st = ctx.accounts.Approve(p.value(), req.params["id"], req.clientAddress);
  if (!st.ok()) return http::Problem(st);
  return http::Json(200, R"({"approved":true})");
}

Response ChangeAccountRoles(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto body = ParseJsonBody(req);
  if (!body.ok()) return http::Problem(body.status());
  std::vector<FieldError> errors;
  std::vector<std::string> roles, services;
  ParseRoles(ctx, body.value(), roles, services, errors);
  if (!errors.empty()) return http::Problem(Status::Invalid("Check the roles.", errors));
  auto row =
      ctx.accounts.ChangeRoles(p.value(), req.params["id"], roles, services, req.clientAddress);
  if (!row.ok()) return http::Problem(row.status());
  return http::Json(200, json({{"id", row->id},
                               {"roles", row->roles},
                               {"services", row->services},
                               {"pendingApproval", row->pendingApproval}})
                             .dump());
}

Response DisableAccount(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto st = ctx.accounts.Disable(p.value(), req.params["id"], req.clientAddress);
  if (!st.ok()) return http::Problem(st);
  return http::Json(200, R"({"disabled":true})");
}

}  // namespace waymark::api
