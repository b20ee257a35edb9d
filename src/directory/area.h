// An area's configuration: its localities, the postcode-district table that places a young
// person in one, the triage team's own access standard, the working calendar, and the
// directory of services. Built by LoadArea (directory/loader.h).
// Thread-safety: a loaded Area is immutable; safe to share between threads.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "directory/access_standard.h"
#include "directory/directory.h"
#include "directory/working_calendar.h"

namespace waymark::directory {

inline constexpr std::string_view kOutOfArea = "out-of-area";

struct Locality {
  std::string code;  // e.g. "city"
  std::string name;  // e.g. "Leicester City"
  std::string note;
};

// The single point of access itself (the triage team).
struct TriageTeam {
  std::string name;
  std::string team_type;           // MHSDS ServTeamTypeMH, "A18" single point of access
  AccessStandard access_standard;  // referral received → triage decision, per priority
  int triages_per_month = 0;       // planned capacity of the human team
};

// When to warn about young people approaching a change of service because of age.
struct TransitionPolicy {
  int alert_months_before = 6;
  int adult_services_age = 18;      // most services end at the 18th birthday
  int psychosis_transfer_age = 16;  // under-16s with psychosis move to the all-age team at 16
};

// How many children and young people under 18 the area plans to see (at least one attended
// contact) in each year: the access trajectory reports compare the actual figure with.
struct AccessTrajectory {
  std::string basis;                // where the figures come from, in plain words
  std::map<int, int64_t> per_year;  // calendar year → planned number
};

struct AreaSettings {
  std::string id;
  std::string name;
  std::vector<Locality> localities;
  // Postcode district ("LE1") → locality code. Approximate in the shipped example.
  std::map<std::string, std::string, std::less<>> postcode_districts;
  // Referral route name ("gp") → MHSDS SourceOfReferralMH codes ("A1").
  std::map<std::string, std::vector<std::string>, std::less<>> referral_routes;
  TriageTeam triage_team;
  WorkingCalendar calendar;
  double breach_alert_fraction = 0.75;  // warn when this share of a target has passed
  TransitionPolicy transition;
  std::string out_of_area_advice;      // what to tell a young person from outside the area
  AccessTrajectory access_trajectory;  // empty when the area has none
};

class Area {
 public:
  Area(AreaSettings settings, Directory directory)
      : settings_(std::move(settings)), directory_(std::move(directory)) {}

  const std::string& id() const { return settings_.id; }
  const std::string& name() const { return settings_.name; }
  const std::vector<Locality>& localities() const { return settings_.localities; }
  const AreaSettings& settings() const { return settings_; }
  const Directory& directory() const { return directory_; }
  const WorkingCalendar& calendar() const { return settings_.calendar; }

  // The locality with this code, or nullptr.
  const Locality* FindLocality(std::string_view code) const;

  // The locality code for a postcode or postcode district, or "out-of-area" for one not in
  // the table or not shaped like a UK postcode (never an error: out-of-area referrals are
  // triaged and signposted). Case and spaces do not matter: " le1  6tp" → district LE1.
  std::string LocalityForPostcode(std::string_view postcode) const;

 private:
  AreaSettings settings_;
  Directory directory_;
};

// The outward code (district) of a UK postcode, upper case: "le16 7ab" → "LE16", "LE167AB" →
// "LE16", "le1" → "LE1". nullopt when the text is not shaped like a postcode or district.
std::optional<std::string> PostcodeDistrict(std::string_view postcode);

// The area as the public API shows it: id, name, localities (no postcode table).
nlohmann::json ToPublicJson(const Area& area);

}  // namespace waymark::directory
