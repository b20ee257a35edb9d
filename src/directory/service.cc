// Eligibility checks and public JSON of a service.
#include "directory/service.h"

#include <algorithm>

namespace waymark::directory {
namespace {

bool Has(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

nlohmann::json TargetJson(const Target& t) {
  return {{"amount", t.amount}, {"unit", TargetUnitName(t.unit)}, {"text", FormatTarget(t)}};
}

}  // namespace

bool Eligibility::ServesLocality(std::string_view locality) const {
  return Has(localities, locality);
}

bool Eligibility::TakesNeed(std::string_view need) const {
  return Has(needs_taken, need) && !Has(needs_excluded, need);
}

std::vector<std::string> Eligibility::Unmet(const Candidate& c) const {
  std::vector<std::string> why;
  if (c.age) {
    if (*c.age < min_age) {
      why.push_back("age " + std::to_string(*c.age) + " is under the minimum of " +
                    std::to_string(min_age));
    } else if (*c.age > max_age) {
      why.push_back("age " + std::to_string(*c.age) + " is over the maximum of " +
                    std::to_string(max_age));
    }
  }
  if (c.locality && !ServesLocality(*c.locality)) {
    why.push_back("does not serve locality " + *c.locality);
  }
  if (!c.needs.empty()) {
    for (const auto& need : c.needs) {
      if (Has(needs_excluded, need)) {
        why.push_back("does not take need " + need);
      }
    }
    const bool any_taken = std::any_of(c.needs.begin(), c.needs.end(),
                                       [&](const std::string& n) { return Has(needs_taken, n); });
    if (!any_taken) {
      why.push_back("takes none of the needs given");
    }
  }
  for (const auto& ctx : contexts_required) {
    if (!Has(c.contexts, ctx)) {
      why.push_back("is only for context " + ctx);
    }
  }
  if (!contexts_any_of.empty()) {
    const bool any = std::any_of(contexts_any_of.begin(), contexts_any_of.end(),
                                 [&](const std::string& ctx) { return Has(c.contexts, ctx); });
    if (!any) {
      std::string list;
      for (const auto& ctx : contexts_any_of) {
        list += (list.empty() ? "" : ", ") + ctx;
      }
      why.push_back("is only for one of the contexts " + list);
    }
  }
  return why;
}

bool Service::AcceptsSource(std::string_view source_code) const {
  return Has(referral_sources, source_code);
}

std::vector<std::string> Service::Unmet(const Candidate& candidate) const {
  std::vector<std::string> why = eligibility.Unmet(candidate);
  if (candidate.source && !AcceptsSource(*candidate.source)) {
    why.push_back("cannot take referrals from source " + *candidate.source);
  }
  return why;
}

nlohmann::json ToPublicJson(const Service& s) {
  const Eligibility& e = s.eligibility;
  nlohmann::json eligibility = {
      {"minAge", e.min_age},
      {"maxAge", e.max_age},
      {"localities", e.localities},
      {"needsTaken", e.needs_taken},
      {"needsExcluded", e.needs_excluded},
      {"contextsRequired", e.contexts_required},
      {"contextsAnyOf", e.contexts_any_of},
  };
  if (!e.note.empty()) {
    eligibility["note"] = e.note;
  }

  const AccessStandard& a = s.access_standard;
  nlohmann::json by_priority = nlohmann::json::object();
  for (const auto& [priority, target] : a.by_priority) {
    by_priority[std::string(PriorityName(priority))] = TargetJson(target);
  }
  nlohmann::json standard = {
      {"clockStart", ClockStartName(a.clock_start)},
      {"clockStop", ClockStopName(a.clock_stop)},
      {"target", TargetJson(a.target)},
      {"byPriority", by_priority},
      {"basis", a.basis},
  };
  if (a.maximum) {
    standard["maximumWait"] = TargetJson(*a.maximum);
  }
  if (a.goal_percent) {
    standard["goalPercent"] = *a.goal_percent;
  }
  if (!a.note.empty()) {
    standard["note"] = a.note;
  }

  return {
      {"id", s.id},
      {"name", s.name},
      {"description", s.description},
      {"offers", s.offers},
      {"eligibility", eligibility},
      {"whoMayRefer", s.who_may_refer},
      {"referralSources", s.referral_sources},
      {"hours", s.hours},
      {"thriveGroups", s.thrive_groups},
      {"teamType", s.team_type},
      {"accessStandard", standard},
      {"capacity",
       {{"newAssessmentsPerWeek", s.capacity.new_assessments_per_week},
        {"basis", s.capacity.basis}}},
      {"contact", {{"text", s.contact.text}, {"example", s.contact.example}}},
  };
}

}  // namespace waymark::directory
