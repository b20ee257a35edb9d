// Staff roles. The permission table (route × role) comes with the security issue; until then
// handlers ask HasAnyRole with the roles that may use them.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace waymark::security {

inline constexpr std::array<std::string_view, 7> kRoles = {"triage-clinician", "service-clinician",
                                                           "service-manager",  "commissioner",
                                                           "clinical-lead",    "admin",
                                                           "safeguarding-lead"};

// Roles that may read identifiable clinical records.
inline constexpr std::array<std::string_view, 5> kClinicalRoles = {
    "triage-clinician", "service-clinician", "service-manager", "clinical-lead",
    "safeguarding-lead"};

bool IsRole(std::string_view role);
bool HasAnyRole(const std::vector<std::string>& held, std::initializer_list<std::string_view> any);

}  // namespace waymark::security
