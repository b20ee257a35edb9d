// Triage input validation per the triage contract.
#include "domain/triage_input.h"

#include <fmt/format.h>

#include <set>

#include "domain/codes.h"
#include "domain/identifiers.h"

namespace waymark::domain {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 11> kKeys = {
    "age",     "postcode", "locality",      "source",        "needs",      "risks",
    "context", "impact",   "durationWeeks", "triedServices", "description"};

void CodeList(const json& j, const char* key, std::span<const std::string_view> allowed,
              std::vector<std::string>& out, std::vector<FieldError>& errors) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  if (!it->is_array()) {
    errors.push_back({key, "must be a list; allowed codes: " + JoinCodes(allowed)});
    return;
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < it->size(); ++i) {
    const json& v = (*it)[i];
    if (!v.is_string() ||
        (!allowed.empty() && !Contains(allowed, v.get_ref<const std::string&>()))) {
      errors.push_back({fmt::format("{}[{}]", key, i),
                        allowed.empty() ? "must be a service id"
                                        : "unknown code; allowed: " + JoinCodes(allowed)});
    } else if (seen.insert(v.get<std::string>()).second) {
      out.push_back(v.get<std::string>());
    }
  }
}

}  // namespace

Result<TriageInput> ParseTriageInput(const json& j) {
  std::vector<FieldError> errors;
  TriageInput in;
  if (!j.is_object())
    return Status::Invalid("The triage input must be a JSON object.", {{"", "must be an object"}});
  for (auto& [k, v] : j.items()) {
    if (!Contains(kKeys, k)) errors.push_back({k, "unknown field; allowed: " + JoinCodes(kKeys)});
  }
  if (!j.contains("age") || !j["age"].is_number_integer() || j["age"].get<long long>() < 0 ||
      j["age"].get<long long>() > 25) {
    errors.push_back({"age", "is required: a whole number from 0 to 25"});
  } else {
    in.age = j["age"].get<int>();
  }
  if (j.contains("postcode") && !j["postcode"].is_null()) {
    auto pc = j["postcode"].is_string() ? NormalisePostcode(j["postcode"].get<std::string>())
                                        : std::nullopt;
    if (!pc) {
      errors.push_back({"postcode", "must be a UK postcode like LE1 5WW"});
    } else {
      in.postcode = *pc;
    }
  }
  if (j.contains("locality") && !j["locality"].is_null()) {
    if (!j["locality"].is_string() || j["locality"].get_ref<const std::string&>().empty()) {
      errors.push_back(
          {"locality", "must be a locality code such as city, east, west, rutland or out-of-area"});
    } else {
      in.locality = j["locality"].get<std::string>();
    }
  }
  if (!in.postcode && !in.locality && !j.contains("postcode") && !j.contains("locality")) {
    errors.push_back({"postcode", "give a postcode or a locality"});
  }
  if (!j.contains("source") || !j["source"].is_string() ||
      !Contains(ReferralSourceCodes(), j["source"].get_ref<const std::string&>())) {
    errors.push_back({"source", "is required: an MHSDS SourceOfReferralMH code; allowed: " +
                                    JoinCodes(ReferralSourceCodes())});
  } else {
    in.source = j["source"].get<std::string>();
  }
  CodeList(j, "needs", NeedCodes(), in.needs, errors);
  CodeList(j, "risks", RiskCodes(), in.risks, errors);
  CodeList(j, "context", ContextCodes(), in.context, errors);
  CodeList(j, "triedServices", {}, in.triedServices, errors);
  if (!j.contains("impact") || !j["impact"].is_string() ||
      !Contains(ImpactLevels(), j["impact"].get_ref<const std::string&>())) {
    errors.push_back({"impact", "is required: one of none, mild, moderate, severe"});
  } else {
    in.impact = j["impact"].get<std::string>();
  }
  if (j.contains("durationWeeks") && !j["durationWeeks"].is_null()) {
    if (!j["durationWeeks"].is_number_integer() || j["durationWeeks"].get<long long>() < 0 ||
        j["durationWeeks"].get<long long>() > 1300) {
      errors.push_back({"durationWeeks", "must be a whole number of weeks, 0 or more"});
    } else {
      in.durationWeeks = j["durationWeeks"].get<int>();
    }
  }
  if (j.contains("description") && !j["description"].is_null()) {
    if (!j["description"].is_string()) {
      errors.push_back({"description", "must be text"});
    } else {
      in.description = j["description"].get<std::string>();
    }
  }
  if (!errors.empty()) {
    std::string message = fmt::format("The triage input has {} problem(s): {} {}", errors.size(),
                                      errors[0].path, errors[0].message);
    return Status::Invalid(std::move(message), std::move(errors));
  }
  return in;
}

json ToJson(const TriageInput& in) {
  json j = {{"age", in.age},
            {"source", in.source},
            {"needs", in.needs},
            {"risks", in.risks},
            {"context", in.context},
            {"impact", in.impact},
            {"triedServices", in.triedServices},
            {"description", in.description}};
  if (in.postcode) j["postcode"] = *in.postcode;
  if (in.locality) j["locality"] = *in.locality;
  if (in.durationWeeks) j["durationWeeks"] = *in.durationWeeks;
  return j;
}

TriageInput TriageInputFrom(const ReferralSubmission& s, const std::string& locality) {
  TriageInput in;
  in.age = s.ageOnReceipt;
  in.postcode = s.youngPerson.postcode;
  if (!locality.empty()) in.locality = locality;
  in.source = s.source;
  in.needs = s.needs;
  in.risks = s.risks;
  in.context = s.context;
  in.impact = s.impact;
  in.durationWeeks = s.durationWeeks;
  in.triedServices = s.triedServices;
  in.description = s.description;
  return in;
}

json ToJson(const TriageDecision& d) {
  json services = json::array(), alerts = json::array(), fired = json::array();
  for (const auto& s : d.services) services.push_back({{"id", s.id}, {"reason", s.reason}});
  for (const auto& a : d.alerts) alerts.push_back({{"code", a.code}, {"message", a.message}});
  for (const auto& r : d.rulesFired) fired.push_back({{"decision", r.decision}, {"rule", r.rule}});
  json out = {{"priority", PriorityName(d.priority)},
              {"thriveGroup", d.thriveGroup},
              {"services", services},
              {"alerts", alerts},
              {"outOfArea", d.outOfArea},
              {"rulesFired", fired},
              {"modelVersion", d.modelVersion}};
  if (!d.directoryVersion.empty()) out["directoryVersion"] = d.directoryVersion;
  return out;
}

Result<TriageDecision> ParseTriageDecision(const json& j) {
  TriageDecision d;
  if (!j.is_object()) return Status::Invalid("decision must be an object");
  auto p = ParsePriority(j.value("priority", std::string()));
  if (!p) return Status::Invalid("decision.priority is not a priority");
  d.priority = *p;
  d.thriveGroup = j.value("thriveGroup", std::string());
  if (!Contains(kThriveGroups, d.thriveGroup))
    return Status::Invalid("decision.thriveGroup is not a THRIVE group");
  for (const auto& s : j.value("services", json::array())) {
    d.services.push_back({s.value("id", std::string()), s.value("reason", std::string())});
  }
  for (const auto& a : j.value("alerts", json::array())) {
    d.alerts.push_back({a.value("code", std::string()), a.value("message", std::string())});
  }
  for (const auto& r : j.value("rulesFired", json::array())) {
    d.rulesFired.push_back({r.value("decision", std::string()), r.value("rule", std::string())});
  }
  d.outOfArea = j.value("outOfArea", false);
  d.modelVersion = j.value("modelVersion", std::string());
  d.directoryVersion = j.value("directoryVersion", std::string());
  return d;
}

}  // namespace waymark::domain
