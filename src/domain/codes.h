// The shared vocabulary of the triage contract and MHSDS: need, risk and context codes,
// referral sources, impact levels, gender and ethnic category codes.
// Thread-safety: immutable tables, safe from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace waymark::domain {

std::span<const std::string_view> NeedCodes();
std::span<const std::string_view> RiskCodes();
std::span<const std::string_view> ContextCodes();
std::span<const std::string_view> ImpactLevels();  // none, mild, moderate, severe
// MHSDS SourceOfReferralMH codes accepted at intake.
std::span<const std::string_view> ReferralSourceCodes();
// The source in plain words for a report ("GP", "Education"), as standards.md names it;
// empty for a code it does not name.
std::string_view ReferralSourceText(std::string_view code);
// MHSDS GenderIDCode: 1 male, 2 female, 3 non-binary, 4 other, X not known, Z not stated.
std::span<const std::string_view> GenderCodes();
// NHS Data Dictionary ethnic category codes (A–S, Z not stated, 99 not known).
std::span<const std::string_view> EthnicCategoryCodes();
// Why a service declined a referral (the service's answer, counted in the commissioners'
// reports; the free-text details stay in the record): not-meeting-criteria,
// outside-age-range, outside-area, needs-met-elsewhere, more-information-needed,
// already-receiving-help, family-declined, other.
std::span<const std::string_view> DeclineReasonCodes();
// The reason in plain words for a report ("Needs not what the service helps with"); "Not
// coded" for an empty or unknown code (a decline recorded before codes), never free text.
std::string_view DeclineReasonText(std::string_view code);

bool Contains(std::span<const std::string_view> list, std::string_view code);
// "a, b, c" — for error messages that list what is allowed.
std::string JoinCodes(std::span<const std::string_view> list);

}  // namespace waymark::domain
