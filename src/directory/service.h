// A service in an area's directory: what it offers, who it is for, who may refer, and the
// access standard its waiting list is measured against. Loaded from services.yaml.
// Thread-safety: plain values; a loaded Service is never changed, so safe to share.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "directory/access_standard.h"

namespace waymark::directory {

// What is known about a young person when asking "may this service help?". Unset fields
// are not checked.
struct Candidate {
  std::optional<int> age;
  std::optional<std::string> locality;  // a locality code, or "out-of-area"
  std::vector<std::string> needs;       // need codes
  std::vector<std::string> contexts;    // context codes
  std::optional<std::string> source;    // MHSDS SourceOfReferralMH code of the referrer
};

struct Eligibility {
  int min_age = 0;   // inclusive, whole years
  int max_age = 25;  // inclusive
  // Locality codes served, always explicit after loading ("all" in the file is expanded);
  // may include "out-of-area" for a service that sees anyone who turns up (e.g. liaison).
  std::vector<std::string> localities;
  // Need codes taken, always explicit after loading ("any" in the file is expanded to every
  // need code not excluded).
  std::vector<std::string> needs_taken;
  std::vector<std::string> needs_excluded;     // never taken; a candidate with one is not eligible
  std::vector<std::string> contexts_required;  // the candidate must have all of these
  std::vector<std::string> contexts_any_of;    // ... and at least one of these, if any listed
  std::string note;                            // plain words for triage clinicians

  bool AgeFits(int age) const { return age >= min_age && age <= max_age; }
  bool ServesLocality(std::string_view locality) const;
  bool TakesNeed(std::string_view need) const;  // listed and not excluded

  // Why `candidate` does not meet this eligibility, one plain sentence per unmet criterion
  // ("age 19 is over the maximum of 17"); empty when eligible. Needs: eligible when the
  // candidate has no needs listed, or at least one need is taken and none is excluded.
  std::vector<std::string> Unmet(const Candidate& candidate) const;
};

struct Capacity {
  int new_assessments_per_week = 0;
  std::string basis;  // "example" in the shipped area: a plausible figure, not a fact
};

struct ContactRoute {
  std::string text;      // how to get in touch, in plain words
  bool example = false;  // true: not a real route (the shipped example area)
};

struct Service {
  std::string id;  // kebab-case, unique in the area
  std::string name;
  std::string description;  // for staff: clinical words are fine
  // For the public pages (topics, find a service, tracking): plain words a 12-year-old can
  // read. Optional in the file; empty means "use description".
  std::string public_description;
  std::vector<std::string> offers;
  Eligibility eligibility;
  std::vector<std::string> who_may_refer;     // route names from area.yaml referralRoutes
  std::vector<std::string> referral_sources;  // MHSDS SourceOfReferralMH codes of those routes
  std::string hours;
  std::vector<std::string> thrive_groups;  // THRIVE codes, e.g. "getting-help"
  std::string team_type;                   // MHSDS ServTeamTypeMH, e.g. "C10"
  AccessStandard access_standard;
  Capacity capacity;
  ContactRoute contact;

  bool AcceptsSource(std::string_view source_code) const;
  // Unmet eligibility plus, when the candidate's source is set, "cannot take referrals from".
  std::vector<std::string> Unmet(const Candidate& candidate) const;
};

// The service as the public API shows it (camelCase, same shape as services.yaml, targets
// as {"amount", "unit"}). The directory holds no identifiable data.
nlohmann::json ToPublicJson(const Service& service);

}  // namespace waymark::directory
