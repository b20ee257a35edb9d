// The triage input and decision of ../shared/domain/triage-contract.md as value types, with
// validation that names the field and lists what is allowed. Nothing is guessed.
// Thread-safety: plain values and pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/priority.h"
#include "domain/referral.h"
#include "domain/status.h"

namespace waymark::domain {

struct TriageInput {
  int age = 0;
  std::optional<std::string> postcode;  // normalised
  std::optional<std::string> locality;  // locality code, or "out-of-area"
  std::string source;
  std::vector<std::string> needs;
  std::vector<std::string> risks;
  std::vector<std::string> context;
  std::string impact;
  std::optional<int> durationWeeks;
  std::vector<std::string> triedServices;
  std::string description;
};

// Validates a triage input JSON object (the `waymark triage` stdin and the engine's input).
Result<TriageInput> ParseTriageInput(const nlohmann::json& j);
nlohmann::json ToJson(const TriageInput& in);
// The triage input workflow builds from a stored referral: age on the day received.
TriageInput TriageInputFrom(const ReferralSubmission& s, const std::string& locality);

inline constexpr std::array<std::string_view, 5> kThriveGroups = {
    "thriving", "getting-advice", "getting-help", "getting-more-help", "getting-risk-support"};

struct RecommendedService {
  std::string id;
  std::string reason;
};
struct Alert {
  std::string code;
  std::string message;
};
struct RuleFired {
  std::string decision;
  std::string rule;
};

struct TriageDecision {
  Priority priority = Priority::kRoutine;
  std::string thriveGroup;
  std::vector<RecommendedService> services;
  std::vector<Alert> alerts;
  bool outOfArea = false;
  std::vector<RuleFired> rulesFired;
  std::string modelVersion;
  std::string directoryVersion;  // the directory the model read eligibility from
};

nlohmann::json ToJson(const TriageDecision& d);
Result<TriageDecision> ParseTriageDecision(const nlohmann::json& j);

}  // namespace waymark::domain
