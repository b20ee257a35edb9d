// Code tables from ../shared/domain/triage-contract.md and standards.md.
#include "domain/codes.h"

#include <algorithm>
#include <array>

namespace waymark::domain {
namespace {

constexpr std::array<std::string_view, 37> kNeeds = {"low-mood",
                                                     "depression",
                                                     "anxiety",
                                                     "panic",
                                                     "ocd",
                                                     "phobia",
                                                     "trauma",
                                                     "self-harm",
                                                     "suicidal-thoughts",
                                                     "eating-difficulties",
                                                     "eating-disorder",
                                                     "body-image",
                                                     "psychosis",
                                                     "bipolar",
                                                     "anger",
                                                     "conduct",
                                                     "adhd",
                                                     "autism",
                                                     "neurodevelopmental",
                                                     "challenging-behaviour",
                                                     "sleep",
                                                     "bereavement",
                                                     "abuse",
                                                     "domestic-abuse",
                                                     "family-relationships",
                                                     "bullying",
                                                     "academic-stress",
                                                     "school-transition",
                                                     "loneliness",
                                                     "self-esteem",
                                                     "social-skills",
                                                     "substance-use",
                                                     "gender-identity",
                                                     "attachment",
                                                     "illness-coping",
                                                     "placement-breakdown",
                                                     "information-only"};

constexpr std::array<std::string_view, 14> kRisks = {
    "suicidal-ideation",   "suicide-plan",           "suicide-attempt", "self-harm-recent",
    "self-harm-medical",   "harm-to-others",         "acute-psychosis", "rapid-weight-loss",
    "medical-instability", "not-eating-or-drinking", "safeguarding",    "exploitation",
    "carer-cannot-cope",   "risk-of-admission"};

constexpr std::array<std::string_view, 10> kContexts = {"looked-after",
                                                        "adopted",
                                                        "youth-justice",
                                                        "homeless",
                                                        "learning-disability",
                                                        "autism-diagnosed",
                                                        "send",
                                                        "young-carer",
                                                        "in-emergency-department",
                                                        "known-to-camhs"};

constexpr std::array<std::string_view, 4> kImpact = {"none", "mild", "moderate", "severe"};

// Codes named in standards.md; the J/K/L groups are accepted as published groups whose
// members are not all listed there (unverified: configurable if a return rejects one).
constexpr std::array<std::string_view, 45> kSources = {
    "A1", "A2", "A3", "A4", "B1", "B2", "C1", "C2", "C3", "D1", "D2", "E1", "E2", "E3", "E4",
    "E5", "E6", "F1", "F2", "F3", "G1", "G2", "G3", "G4", "H1", "H2", "I1", "I2", "J2", "J3",
    "J4", "K1", "K2", "K3", "K4", "L1", "L2", "M1", "M2", "M3", "M4", "M5", "M6", "M7", "N3"};

constexpr std::array<std::string_view, 6> kGender = {"1", "2", "3", "4", "X", "Z"};

constexpr std::array<std::string_view, 18> kEthnic = {"A", "B", "C", "D", "E", "F", "G", "H", "J",
                                                      "K", "L", "M", "N", "P", "R", "S", "Z", "99"};

struct Worded {
  std::string_view code, words;
};
constexpr std::array<Worded, 8> kDeclineReasons = {{
    {"not-meeting-criteria", "Needs not what the service helps with"},
    {"outside-age-range", "Outside the service's age range"},
    {"outside-area", "Lives outside the area the service covers"},
    {"needs-met-elsewhere", "Another service would meet the needs better"},
    {"more-information-needed", "More information needed first"},
    {"already-receiving-help", "Already getting help for this"},
    {"family-declined", "The young person or family did not want the service"},
    {"other", "Another reason"},
}};
constexpr std::array<Worded, 22> kSourceWords = {{
    {"A1", "GP"},
    {"A2", "Health visitor"},
    {"A3", "Other primary care"},
    {"B1", "Self"},
    {"B2", "Carer or relative"},
    {"C1", "Social services"},
    {"C2", "Education"},
    {"C3", "Housing"},
    {"E1", "Police"},
    {"E2", "Courts"},
    {"E3", "Probation"},
    {"E4", "Prison"},
    {"E5", "Liaison and diversion"},
    {"E6", "Youth offending team"},
    {"F1", "School nurse"},
    {"F2", "Hospital paediatrics"},
    {"F3", "Community paediatrics"},
    {"G4", "Voluntary sector"},
    {"H1", "Emergency department"},
    {"H2", "Other secondary care"},
    {"M6", "Other"},
    {"M7", "Single point of access"},
}};
constexpr auto kDeclineReasonCodes = [] {
  std::array<std::string_view, kDeclineReasons.size()> codes{};
  for (size_t i = 0; i < codes.size(); ++i) codes[i] = kDeclineReasons[i].code;
  return codes;
}();

}  // namespace

std::span<const std::string_view> DeclineReasonCodes() { return kDeclineReasonCodes; }
std::string_view DeclineReasonText(std::string_view code) {
  for (const auto& r : kDeclineReasons)
    if (r.code == code) return r.words;
  return "Not coded";
}

std::span<const std::string_view> NeedCodes() { return kNeeds; }
std::span<const std::string_view> RiskCodes() { return kRisks; }
std::span<const std::string_view> ContextCodes() { return kContexts; }
std::span<const std::string_view> ImpactLevels() { return kImpact; }
std::span<const std::string_view> ReferralSourceCodes() { return kSources; }
std::span<const std::string_view> GenderCodes() { return kGender; }
std::string_view ReferralSourceText(std::string_view code) {
  for (const auto& s : kSourceWords)
    if (s.code == code) return s.words;
  return {};
}
std::span<const std::string_view> EthnicCategoryCodes() { return kEthnic; }

bool Contains(std::span<const std::string_view> list, std::string_view code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

std::string JoinCodes(std::span<const std::string_view> list) {
  std::string out;
  for (auto c : list) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

}  // namespace waymark::domain
