// Staff accounts, for administrators. No clinical data here.
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
                   {"locked", a.lockedUntil.has_value() && *a.lockedUntil > ctx.clock.Now()}});
  }
  return http::Json(200, json({{"accounts", out}}).dump());
}

Response CreateAccount(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  auto body = ParseJsonBody(req);
  if (!body.ok()) return http::Problem(body.status());
  std::vector<FieldError> errors;
  auto text = [&](const char* k) -> std::string {
    if (!body->is_object() || !(*body)[k].is_string() ||
        (*body)[k].get_ref<const std::string&>().empty()) {
      errors.push_back({k, "is required"});
      return "";
    }
    return (*body)[k].get<std::string>();
  };
  std::string username = text("username"), display = text("displayName"),
              password = text("password");
  std::vector<std::string> roles, services;
  if (!body->is_object() || !(*body)["roles"].is_array() || (*body)["roles"].empty()) {
    errors.push_back({"roles", "is required: a list of roles"});
  } else {
    for (const auto& r : (*body)["roles"]) {
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
  if (body->is_object() && body->contains("services")) {
    for (const auto& s : (*body)["services"]) {
      if (s.is_string() &&
          (s == "*" || ctx.area.Current()->directory().Find(s.get<std::string>()))) {
        services.push_back(s.get<std::string>());
      } else {
        errors.push_back({"services", "must be service ids of this area, or \"*\""});
      }
    }
  }
  if (!errors.empty()) return http::Problem(Status::Invalid("Check the account details.", errors));
  auto st = ctx.accounts.Create(username, display, password, roles, services);
  if (!st.ok()) return http::Problem(st);
  return http::Json(201, json({{"username", username}, {"roles", roles}}).dump());
}

Response DisableAccount(AppContext& ctx, Request& req) {
  auto p = RequireStaff(ctx, req);
  if (!p.ok()) return http::Problem(p.status());
  store::AuditEntry a;
  a.at = ctx.clock.Now();
  a.actor = p->accountId;
  a.role = "admin";
  a.action = "account.disable";
  a.record = "account/" + req.params["id"];
  a.client = req.clientAddress;
  auto st = ctx.store.SetAccountDisabled(req.params["id"], true, a);
  if (!st.ok()) return http::Problem(st);
  return http::Json(200, R"({"disabled":true})");
}

}  // namespace waymark::api
