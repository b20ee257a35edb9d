#include "security/roles.h"

#include <algorithm>

namespace waymark::security {

bool IsRole(std::string_view role) {
  return std::find(kRoles.begin(), kRoles.end(), role) != kRoles.end();
}

bool HasAnyRole(const std::vector<std::string>& held, std::initializer_list<std::string_view> any) {
  for (const auto& h : held) {
    if (std::find(any.begin(), any.end(), h) != any.end()) return true;
  }
  return false;
}

}  // namespace waymark::security
