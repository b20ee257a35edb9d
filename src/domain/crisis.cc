// Crisis signals. The word list is deliberately broad: a false alarm costs a clinician a
// minute; a missed one can cost a life (docs/clinical-safety.md, hazard H1).
#include "domain/crisis.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace waymark::domain {
namespace {

constexpr std::array<std::string_view, 12> kDangerRisks = {
    "suicidal-ideation",   "suicide-plan",           "suicide-attempt",   "self-harm-recent",
    "self-harm-medical",   "harm-to-others",         "acute-psychosis",   "rapid-weight-loss",
    "medical-instability", "not-eating-or-drinking", "risk-of-admission", "exploitation"};

constexpr std::array<std::string_view, 22> kCrisisWords = {
    "suicid",       "kill myself",    "kill herself", "kill himself", "kill themselves",
    "end my life",  "end it all",     "take my life", "want to die",  "wants to die",
    "overdose",     "overdosed",      "hang myself",  "hanging",      "jump off",
    "cut myself",   "cutting",        "self harm",    "self-harm",    "not safe",
    "hurt someone", "better off dead"};

}  // namespace

bool ContainsCrisisWords(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (auto w : kCrisisWords) {
    if (lower.find(w) != std::string::npos) return true;
  }
  return false;
}

bool SignalsImmediateDanger(const nlohmann::json& body) {
  if (!body.is_object()) return false;
  auto has = [&](const char* key, auto pred) {
    auto it = body.find(key);
    if (it == body.end() || !it->is_array()) return false;
    for (const auto& v : *it) {
      if (v.is_string() && pred(v.template get_ref<const std::string&>())) return true;
    }
    return false;
  };
  if (has("risks", [](const std::string& c) {
        return std::find(kDangerRisks.begin(), kDangerRisks.end(), c) != kDangerRisks.end();
      })) {
    return true;
  }
  if (has("context", [](const std::string& c) { return c == "in-emergency-department"; })) {
    return true;
  }
  if (has("needs", [](const std::string& c) { return c == "suicidal-thoughts"; })) return true;
  auto d = body.find("description");
  return d != body.end() && d->is_string() && ContainsCrisisWords(d->get_ref<const std::string&>());
}

nlohmann::json CrisisHelp() {
  return {{"message",
           "If you or someone else is in danger right now, get help straight away. You do not "
           "have to wait for us."},
          {"contacts",
           nlohmann::json::array(
               {{{"name", "Emergency services"},
                 {"how", "Call 999"},
                 {"when", "if life is at risk now"}},
                {{"name", "NHS 111"},
                 {"how", "Call 111 and choose option 2"},
                 {"when", "for urgent mental health help, any time"}},
                {{"name", "Shout"}, {"how", "Text SHOUT to 85258"}, {"when", "free, 24 hours"}},
                {{"name", "Childline"}, {"how", "Call 0800 1111"}, {"when", "free, for under-19s"}},
                {{"name", "Samaritans"}, {"how", "Call 116 123"}, {"when", "free, 24 hours"}}})}};
}

}  // namespace waymark::domain
