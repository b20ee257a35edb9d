// The permission table. Clinical records: triage clinicians, clinical leads, and service
// staff (for their own services only, checked on the record). Commissioners see only
// aggregated reports; admins manage accounts and read no clinical record unless they also
// hold a clinical role. Clinical leads alone edit the decision model and the directory.
#include "security/permissions.h"

#include <algorithm>

namespace waymark::security {
namespace {

constexpr std::string_view kTriage = "triage-clinician";
constexpr std::string_view kLead = "clinical-lead";
constexpr std::string_view kSvc = "service-clinician";
constexpr std::string_view kMgr = "service-manager";
constexpr std::string_view kComm = "commissioner";
constexpr std::string_view kAdmin = "admin";
constexpr std::string_view kSafe = "safeguarding-lead";
constexpr std::string_view kNational = "national-analyst";

}  // namespace

const std::vector<RoutePermission>& PermissionTable() {
  static const std::vector<RoutePermission> table = {
      {"GET", "/api/v1/health", true, {}, "load balancers"},
      {"GET", "/api/v1/openapi.yaml", true, {}, "the API description"},
      {"GET", "/api/v1/crisis-signals", true, {}, "what shows crisis help; no personal data"},
      {"GET", "/api/v1/area", true, {}, "public directory"},
      {"GET", "/api/v1/services", true, {}, "public directory"},
      {"GET", "/api/v1/services/{id}", true, {}, "public directory"},
      {"POST", "/api/v1/referrals", true, {}, "the front door"},
      {"GET", "/api/v1/referrals/{reference}/status", true, {}, "family; needs the status token"},
      {"POST",
       "/api/v1/referrals/{reference}/informants",
       true,
       {},
       "family; needs the status token"},
      {"POST", "/api/v1/informants/{id}/views", true, {}, "informant; needs the invite token"},
      {"POST", "/api/v1/auth/sign-in", true, {}, "staff sign-in"},
      {"POST", "/api/v1/auth/sign-out", true, {}, "ends the caller's own session"},
      {"GET",
       "/api/v1/auth/me",
       false,
       {kTriage, kLead, kSvc, kMgr, kComm, kAdmin, kSafe, kNational},
       "own account"},
      {"POST",
       "/api/v1/auth/sign-out-everywhere",
       false,
       {kTriage, kLead, kSvc, kMgr, kComm, kAdmin, kSafe, kNational},
       "ends every session of the caller's own account"},
      {"POST",
       "/api/v1/auth/totp",
       false,
       {kTriage, kLead, kSvc, kMgr, kComm, kAdmin, kSafe, kNational},
       "starts setting up the caller's own second factor"},
      {"POST",
       "/api/v1/auth/totp/confirm",
       false,
       {kTriage, kLead, kSvc, kMgr, kComm, kAdmin, kSafe, kNational},
       "confirms the caller's own second factor"},
      {"GET", "/api/v1/referrals", false, {kTriage, kLead}, "queue summary"},
      {"GET",
       "/api/v1/referrals/{reference}",
       false,
       {kTriage, kLead, kSvc, kMgr, kSafe},
       "clinical record; service staff only for their services; the safeguarding lead only "
       "with a safeguarding alert or override (audited with that reason)"},
      {"GET", "/api/v1/queue", false, {kTriage, kLead}, "triage queue"},
      {"POST",
       "/api/v1/referrals/{reference}/confidentiality",
       false,
       {kTriage, kLead, kSvc, kMgr, kSafe},
       "the young person's choices; staff who may read it"},
      {"POST",
       "/api/v1/referrals/{reference}/safeguarding-override",
       false,
       {kTriage, kLead, kSvc, kMgr, kSafe},
       "reason required; audited; alerts the safeguarding lead"},
      {"POST",
       "/api/v1/referrals/{reference}/status-token",
       false,
       {kTriage, kLead},
       "re-issues the family's link"},
      {"GET", "/api/v1/safeguarding/alerts", false, {kSafe, kLead}, "overrides to review"},
      {"GET",
       "/api/v1/accounts",
       false,
       {kAdmin, kLead},
       "staff accounts; no clinical data; the clinical lead sees what waits for approval"},
      {"GET",
       "/api/v1/reports/dashboard",
       false,
       {kComm, kLead, kNational},
       "aggregates only, every figure through disclosure control; ?unrounded=true only for the "
       "national analyst"},
      {"GET",
       "/api/v1/reports/{table}",
       false,
       {kComm, kLead, kNational},
       "one table as CSV, same control"},
      {"POST",
       "/api/v1/accounts",
       false,
       {kAdmin},
       "asks for a staff account (one-time password; clinical roles wait for approval)"},
      {"POST", "/api/v1/accounts/{id}/disable", false, {kAdmin}, "disables an account; audited"},
      {"POST",
       "/api/v1/accounts/{id}/roles",
       false,
       {kAdmin},
       "changes roles; a role reading clinical records waits for approval again; audited"},
      {"POST",
       "/api/v1/accounts/{id}/approve",
       false,
       {kLead},
       "two-person rule: a clinical lead (not the requester) approves clinical access"},
      {"GET",
       "/api/v1/alerts/stream",
       false,
       {kTriage, kLead, kSafe},
       "on-call alerts; the safeguarding lead gets only safeguarding alerts"},
      {"POST",
       "/api/v1/alerts/{id}/acknowledge",
       false,
       {kTriage, kLead, kSvc, kMgr, kSafe},
       "workflow checks the alert is for the caller's team; audited"},
      {"POST",
       "/api/v1/referrals/{reference}/actions/{action}",
       false,
       {kTriage, kLead, kSvc, kMgr},
       "workflow decides which role may take which action"},
      {"GET",
       "/api/v1/services/{id}/lists",
       false,
       {kTriage, kLead, kSvc, kMgr},
       "service lists; service staff only for their services"},
      {"GET",
       "/api/v1/referrals/{reference}/reproduction",
       false,
       {kTriage, kLead},
       "re-runs a stored decision from its stored model version; audited read"},
      // The decision model and the directory: clinical leads only (an admin too only when
      // also a clinical lead). Each change is audited and refused while a clinical case fails.
      {"GET", "/api/v1/model/versions", false, {kLead}, "decision model versions"},
      {"POST", "/api/v1/model/versions", false, {kLead}, "uploads a draft decision model"},
      {"GET", "/api/v1/model/versions/{version}", false, {kLead}, "one version with its DMN"},
      {"POST",
       "/api/v1/model/versions/{version}/test",
       false,
       {kLead},
       "runs the clinical cases against a version"},
      {"POST",
       "/api/v1/model/versions/{version}/publish",
       false,
       {kLead},
       "makes a draft live; refused while any clinical case fails"},
      {"POST",
       "/api/v1/model/versions/{version}/rollback",
       false,
       {kLead},
       "makes an earlier live version live again"},
      {"GET", "/api/v1/directory/versions", false, {kLead}, "directory versions"},
      {"POST",
       "/api/v1/directory/versions/{version}/rollback",
       false,
       {kLead},
       "makes an earlier directory version live again"},
      {"PATCH",
       "/api/v1/directory/services/{id}",
       false,
       {kLead},
       "edits a service's capacity, hours, contact or eligibility"},
      {"GET", "/api/*", true, {}, "unknown API paths answer 404"},
      {"GET",
       "/*",
       true,
       {},
       "the web front end; /staff pages (but sign-in) redirect a signed-out caller to sign in"},
  };
  return table;
}

std::optional<RoutePermission> PermissionFor(std::string_view method, std::string_view pattern) {
  for (const auto& p : PermissionTable()) {
    if (p.method == method && p.pattern == pattern) return p;
  }
  return std::nullopt;
}

bool Allowed(std::string_view method, std::string_view pattern,
             const std::vector<std::string>* roles) {
  auto p = PermissionFor(method, pattern);
  if (!p) return false;
  if (p->isPublic) return true;
  if (!roles) return false;
  return std::any_of(roles->begin(), roles->end(), [&](const std::string& r) {
    return std::find(p->roles.begin(), p->roles.end(), r) != p->roles.end();
  });
}

}  // namespace waymark::security
