// Staff roles. The permission table (route × role) comes with the security issue; until then
// handlers ask HasAnyRole with the roles that may use them.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace waymark::security {

// national-analyst: sees the commissioner reports and alone may ask for England-level figures
// unrounded and unsuppressed (reports/disclosure.h); reads no clinical record.
inline constexpr std::array<std::string_view, 8> kRoles = {"triage-clinician",  "service-clinician",
                                                           "service-manager",   "commissioner",
                                                           "clinical-lead",     "admin",
                                                           "safeguarding-lead", "national-analyst"};

// Roles that may read identifiable clinical records.
inline constexpr std::array<std::string_view, 5> kClinicalRoles = {
    "triage-clinician", "service-clinician", "service-manager", "clinical-lead",
    "safeguarding-lead"};

bool IsRole(std::string_view role);
bool HasAnyRole(const std::vector<std::string>& held, std::initializer_list<std::string_view> any);

}  // namespace waymark::security
