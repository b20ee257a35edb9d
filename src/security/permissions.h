// Who may call what: one table of (method, route pattern) → public, or the staff roles
// allowed. Deny by default: a route with no entry is refused at start-up, and the permission
// matrix test (tests/api/test_permissions.py) checks every registered route × every role
// against the live server. Finer rules (a service's staff see only referrals routed to their
// service; which action a role may take) are checked in workflow, on the record itself.
// Thread-safety: immutable table.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace waymark::security {

struct RoutePermission {
  std::string_view method;
  std::string_view pattern;
  bool isPublic = false;                // anyone, signed in or not
  std::vector<std::string_view> roles;  // staff roles allowed when not public
  std::string_view why;                 // one line for reviewers
};

const std::vector<RoutePermission>& PermissionTable();
// The entry for a route, or nullopt when there is none.
std::optional<RoutePermission> PermissionFor(std::string_view method, std::string_view pattern);
// Whether a caller with `roles` (nullptr: signed out) may use the route. No entry: no.
bool Allowed(std::string_view method, std::string_view pattern,
             const std::vector<std::string>* roles);

}  // namespace waymark::security
