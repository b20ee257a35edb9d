// Private to src/directory: the code lists the area configuration is checked against. Need,
// context and referral-source codes come from the shared vocabulary (domain/codes.h); the
// THRIVE groups are kept here until domain has them. Not part of the public API.
// Thread-safety: immutable tables, safe from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace waymark::directory::vocabulary {

std::span<const std::string_view> NeedCodes();
std::span<const std::string_view> ContextCodes();
std::span<const std::string_view> ThriveGroups();
std::span<const std::string_view> ReferralSourceCodes();  // MHSDS SourceOfReferralMH

bool Contains(std::span<const std::string_view> list, std::string_view code);
std::string Join(std::span<const std::string_view> list);  // "a, b, c"

}  // namespace waymark::directory::vocabulary
