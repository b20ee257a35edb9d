// Code lists for checking area configuration: the triage contract's codes from
// domain/codes.h, plus the THRIVE groups (standards.md).
#include "directory/vocabulary.h"

#include <array>

#include "domain/codes.h"

namespace waymark::directory::vocabulary {
namespace {

constexpr std::array<std::string_view, 5> kThrive = {"thriving", "getting-advice", "getting-help",
                                                     "getting-more-help", "getting-risk-support"};

}  // namespace

std::span<const std::string_view> NeedCodes() { return domain::NeedCodes(); }
std::span<const std::string_view> ContextCodes() { return domain::ContextCodes(); }
std::span<const std::string_view> ThriveGroups() { return kThrive; }
std::span<const std::string_view> ReferralSourceCodes() { return domain::ReferralSourceCodes(); }

bool Contains(std::span<const std::string_view> list, std::string_view code) {
  return domain::Contains(list, code);
}

std::string Join(std::span<const std::string_view> list) { return domain::JoinCodes(list); }

}  // namespace waymark::directory::vocabulary
