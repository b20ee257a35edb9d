// Reads area.yaml and services.yaml with yaml-cpp. Every check reports the file, the line
// and the field path; yaml-cpp exceptions are caught here and never escape.
#include "directory/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>

#include "directory/vocabulary.h"

namespace waymark::directory {
namespace {

constexpr int kMaxReportedProblems = 50;

struct Problem {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
  std::string path;
  std::string message;
};

bool IsKebab(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsTeamType(std::string_view s) {
  return s.size() == 3 && s[0] >= 'A' && s[0] <= 'Z' &&
         std::isdigit(static_cast<unsigned char>(s[1])) &&
         std::isdigit(static_cast<unsigned char>(s[2]));
}

// Strict "YYYY-MM-DD" naming a real day.
std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return std::nullopt;
  }
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) {
      return std::nullopt;
    }
  }
  auto num = [&](std::size_t at, std::size_t len) {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  const std::chrono::year_month_day ymd{std::chrono::year(num(0, 4)),
                                        std::chrono::month(static_cast<unsigned>(num(5, 2))),
                                        std::chrono::day(static_cast<unsigned>(num(8, 2)))};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return ymd;
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string JoinStrings(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& s : list) {
    out += (out.empty() ? "" : ", ") + s;
  }
  return out;
}

std::string Child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Index(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// Checks one YAML document and collects problems; never throws by itself (callers catch
// yaml-cpp exceptions around it as a last resort).
class Reader {
 public:
  Reader(std::string file, std::vector<Problem>* problems)
      : file_(std::move(file)), problems_(problems) {}

  const std::string& file() const { return file_; }

  void Fail(const YAML::Node& at, const std::string& path, std::string message) {
    const YAML::Mark mark = at.Mark();
    Fail(mark.is_null() ? 0 : mark.line + 1, path, std::move(message));
  }
  void Fail(int line, const std::string& path, std::string message) {
    problems_->push_back({file_, line, path, std::move(message)});
  }

  // True when `node` is a map whose keys are all in `allowed`, each once; reports the rest.
  bool Map(const YAML::Node& node, const std::string& path,
           std::initializer_list<std::string_view> allowed) {
    if (!node.IsMap()) {
      Fail(node, path, "must be a map of keys and values");
      return false;
    }
    bool ok = true;
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key = it->first;
      const std::string name = key.IsScalar() ? key.Scalar() : "?";
      if (!seen.insert(name).second) {
        Fail(key, Child(path, name), "appears twice");
        ok = false;
        continue;
      }
      if (allowed.size() != 0 && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        std::string list;
        for (auto a : allowed) {
          list += (list.empty() ? "" : ", ") + std::string(a);
        }
        Fail(key, Child(path, name), "unknown key; allowed: " + list);
        ok = false;
      }
    }
    return ok;
  }

  // The value under `key` in map `node`, or an undefined node when absent. (Iterating
  // rather than operator[] keeps yaml-cpp from ever inserting into the document.)
  static YAML::Node Get(const YAML::Node& node, std::string_view key) {
    if (!node.IsMap()) {
      return YAML::Node(YAML::NodeType::Undefined);
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == key) {
        return it->second;
      }
    }
    return YAML::Node(YAML::NodeType::Undefined);
  }

  // Present and not null; when absent and required, reports at the parent map's line.
  bool Present(const YAML::Node& map, std::string_view key, const std::string& path,
               bool required) {
    const YAML::Node v = Get(map, key);
    if (v.IsDefined() && !v.IsNull()) {
      return true;
    }
    if (required) {
      Fail(v.IsDefined() ? v : map, Child(path, key), "is required");
    }
    return false;
  }

  std::optional<std::string> Text(const YAML::Node& map, std::string_view key,
                                  const std::string& path, bool required) {
    if (!Present(map, key, path, required)) {
      return std::nullopt;
    }
    const YAML::Node v = Get(map, key);
    return TextValue(v, Child(path, key));
  }

  std::optional<std::string> TextValue(const YAML::Node& v, const std::string& path) {
    if (!v.IsScalar() || Trim(v.Scalar()).empty()) {
      Fail(v, path, "must be non-empty text");
      return std::nullopt;
    }
    return std::string(Trim(v.Scalar()));
  }

  std::optional<int> Int(const YAML::Node& map, std::string_view key, const std::string& path,
                         int min, int max, bool required) {
    if (!Present(map, key, path, required)) {
      return std::nullopt;
    }
    const YAML::Node v = Get(map, key);
    const std::string what =
        "must be an integer " + std::to_string(min) + "–" + std::to_string(max);
    if (!v.IsScalar()) {
      Fail(v, Child(path, key), what);
      return std::nullopt;
    }
    const std::string s(Trim(v.Scalar()));
    int value = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || value < min ||
        value > max) {
      Fail(v, Child(path, key), what);
      return std::nullopt;
    }
    return value;
  }

  std::optional<double> Fraction(const YAML::Node& map, std::string_view key,
                                 const std::string& path, bool required) {
    if (!Present(map, key, path, required)) {
      return std::nullopt;
    }
    const YAML::Node v = Get(map, key);
    const std::string what = "must be a number greater than 0 and less than 1, e.g. 0.75";
    if (!v.IsScalar()) {
      Fail(v, Child(path, key), what);
      return std::nullopt;
    }
    const std::string s(Trim(v.Scalar()));
    double value = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !(value > 0) ||
        !(value < 1)) {
      Fail(v, Child(path, key), what);
      return std::nullopt;
    }
    return value;
  }

  std::optional<bool> Bool(const YAML::Node& map, std::string_view key, const std::string& path,
                           bool required) {
    if (!Present(map, key, path, required)) {
      return std::nullopt;
    }
    const YAML::Node v = Get(map, key);
    if (v.IsScalar() && (v.Scalar() == "true" || v.Scalar() == "false")) {
      return v.Scalar() == "true";
    }
    Fail(v, Child(path, key), "must be true or false");
    return std::nullopt;
  }

  // A list of text items; nullopt (and a report) when not a list. Bad items are reported
  // and left out.
  std::optional<std::vector<std::pair<std::string, YAML::Node>>> TextList(const YAML::Node& v,
                                                                          const std::string& path) {
    if (!v.IsSequence()) {
      Fail(v, path, "must be a list, e.g. [a, b]");
      return std::nullopt;
    }
    std::vector<std::pair<std::string, YAML::Node>> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const YAML::Node item = v[i];
      if (auto s = TextValue(item, Index(path, i))) {
        out.emplace_back(*s, item);
      }
    }
    return out;
  }

  // A list of codes each in `allowed` (`what` names them in messages: "need code").
  std::vector<std::string> CodeList(const YAML::Node& map, std::string_view key,
                                    const std::string& path,
                                    std::span<const std::string_view> allowed,
                                    const std::string& what, bool required) {
    std::vector<std::string> out;
    if (!Present(map, key, path, required)) {
      return out;
    }
    const std::string p = Child(path, key);
    const auto items = TextList(Get(map, key), p);
    if (!items) {
      return out;
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
      const auto& [code, node] = (*items)[i];
      if (!vocabulary::Contains(allowed, code)) {
        Fail(node, Index(p, i),
             "unknown " + what + " " + Quoted(code) + "; allowed: " + vocabulary::Join(allowed));
      } else if (std::find(out.begin(), out.end(), code) != out.end()) {
        Fail(node, Index(p, i), what + " " + Quoted(code) + " is listed twice");
      } else {
        out.push_back(code);
      }
    }
    return out;
  }

  static std::string_view Trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
      s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
      s.remove_suffix(1);
    }
    return s;
  }

 private:
  std::string file_;
  std::vector<Problem>* problems_;
};

constexpr std::string_view kTargetHelp =
    "must be an amount and a unit, e.g. \"4 weeks\", \"10 working days\", \"24 hours\" "
    "(units: minutes, hours, days, working days, weeks), or \"same day\"";

std::optional<Target> ReadTarget(Reader& r, const YAML::Node& v, const std::string& path) {
  if (!v.IsScalar()) {
    r.Fail(v, path, std::string(kTargetHelp));
    return std::nullopt;
  }
  auto t = ParseTarget(v.Scalar());
  if (!t) {
    r.Fail(v, path, std::string(kTargetHelp) + "; got " + Quoted(v.Scalar()));
  }
  return t;
}

std::optional<AccessStandard> ReadAccessStandard(Reader& r, const YAML::Node& map,
                                                 std::string_view key, const std::string& parent) {
  const std::string path = Child(parent, key);
  if (!r.Present(map, key, parent, true)) {
    return std::nullopt;
  }
  const YAML::Node node = Reader::Get(map, key);
  if (!r.Map(node, path,
             {"clockStart", "clockStop", "target", "byPriority", "maximumWait", "goalPercent",
              "basis", "note"})) {
    if (!node.IsMap()) {
      return std::nullopt;
    }
  }
  AccessStandard a;
  bool ok = true;
  if (auto s = r.Text(node, "clockStart", path, true)) {
    if (auto v = ParseClockStart(*s)) {
      a.clock_start = *v;
    } else {
      r.Fail(
          Reader::Get(node, "clockStart"), Child(path, "clockStart"),
          "unknown clock start " + Quoted(*s) + "; allowed: referral-received, routed, accepted");
      ok = false;
    }
  } else {
    ok = false;
  }
  if (auto s = r.Text(node, "clockStop", path, true)) {
    if (auto v = ParseClockStop(*s)) {
      a.clock_stop = *v;
    } else {
      r.Fail(Reader::Get(node, "clockStop"), Child(path, "clockStop"),
             "unknown clock stop " + Quoted(*s) +
                 "; allowed: triage-decision, first-response, assessed, allocated, "
                 "first-attended-contact, treatment-started");
      ok = false;
    }
  } else {
    ok = false;
  }
  if (r.Present(node, "target", path, true)) {
    if (auto t = ReadTarget(r, Reader::Get(node, "target"), Child(path, "target"))) {
      a.target = *t;
    } else {
      ok = false;
    }
  } else {
    ok = false;
  }
  if (r.Present(node, "byPriority", path, false)) {
    const YAML::Node bp = Reader::Get(node, "byPriority");
    const std::string bp_path = Child(path, "byPriority");
    if (r.Map(bp, bp_path, {"emergency", "very-urgent", "urgent", "routine"})) {
      for (auto it = bp.begin(); it != bp.end(); ++it) {
        const std::string name = it->first.Scalar();
        if (auto t = ReadTarget(r, it->second, Child(bp_path, name))) {
          a.by_priority[*ParsePriority(name)] = *t;
        }
      }
    }
  }
  if (r.Present(node, "maximumWait", path, false)) {
    a.maximum = ReadTarget(r, Reader::Get(node, "maximumWait"), Child(path, "maximumWait"));
  }
  a.goal_percent = r.Int(node, "goalPercent", path, 1, 100, false);
  if (auto s = r.Text(node, "basis", path, true)) {
    if (*s != "national" && *s != "local" && *s != "example") {
      r.Fail(Reader::Get(node, "basis"), Child(path, "basis"),
             "unknown basis " + Quoted(*s) + "; allowed: national, local, example");
    }
    a.basis = *s;
  }
  if (auto s = r.Text(node, "note", path, false)) {
    a.note = *s;
  }
  if (!ok) {
    return std::nullopt;
  }
  return a;
}

// ---------------------------------------------------------------------------- area.yaml

void ReadArea(Reader& r, const YAML::Node& root, AreaSettings& area) {
  if (!r.Map(root, "",
             {"id", "name", "timeZone", "localities", "postcodeDistricts", "referralRoutes",
              "triageTeam", "breachAlertAt", "transition", "outOfAreaAdvice", "bankHolidays",
              "accessTrajectory"})) {
    if (!root.IsMap()) {
      return;
    }
  }
  if (auto s = r.Text(root, "id", "", true)) {
    if (!IsKebab(*s)) {
      r.Fail(Reader::Get(root, "id"), "id", "must be lower-case letters, digits and -");
    }
    area.id = *s;
  }
  if (auto s = r.Text(root, "name", "", true)) {
    area.name = *s;
  }

  TimeZoneRule zone = TimeZoneRule::kUkCivil;
  if (auto s = r.Text(root, "timeZone", "", true)) {
    if (*s == "Europe/London") {
      zone = TimeZoneRule::kUkCivil;
    } else if (*s == "UTC") {
      zone = TimeZoneRule::kUtc;
    } else {
      r.Fail(Reader::Get(root, "timeZone"), "timeZone",
             "unsupported time zone " + Quoted(*s) + "; allowed: Europe/London, UTC");
    }
  }

  // Localities.
  if (r.Present(root, "localities", "", true)) {
    const YAML::Node list = Reader::Get(root, "localities");
    if (!list.IsSequence() || list.size() == 0) {
      r.Fail(list, "localities", "must be a list of at least one locality");
    } else {
      for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node item = list[i];
        const std::string path = Index("localities", i);
        if (!r.Map(item, path, {"code", "name", "note"}) && !item.IsMap()) {
          continue;
        }
        Locality l;
        if (auto s = r.Text(item, "code", path, true)) {
          if (!IsKebab(*s) || *s == kOutOfArea) {
            r.Fail(Reader::Get(item, "code"), Child(path, "code"),
                   "must be lower-case letters, digits and - (and not \"out-of-area\")");
          } else if (std::any_of(area.localities.begin(), area.localities.end(),
                                 [&](const Locality& o) { return o.code == *s; })) {
            r.Fail(Reader::Get(item, "code"), Child(path, "code"),
                   "locality " + Quoted(*s) + " is listed twice");
          }
          l.code = *s;
        }
        if (auto s = r.Text(item, "name", path, true)) {
          l.name = *s;
        }
        if (auto s = r.Text(item, "note", path, false)) {
          l.note = *s;
        }
        area.localities.push_back(std::move(l));
      }
    }
  }
  std::vector<std::string> codes;
  for (const auto& l : area.localities) {
    codes.push_back(l.code);
  }

  // Postcode districts.
  if (r.Present(root, "postcodeDistricts", "", true)) {
    const YAML::Node table = Reader::Get(root, "postcodeDistricts");
    if (r.Map(table, "postcodeDistricts", {})) {
      for (auto it = table.begin(); it != table.end(); ++it) {
        const std::string key = it->first.Scalar();
        const std::string path = Child("postcodeDistricts", key);
        const auto district = PostcodeDistrict(key);
        if (!district || *district != key) {
          r.Fail(it->first, path, "must be a postcode district in capitals, e.g. LE1 or LE16");
          continue;
        }
        const auto value = r.TextValue(it->second, path);
        if (!value) {
          continue;
        }
        if (std::find(codes.begin(), codes.end(), *value) == codes.end()) {
          r.Fail(it->second, path,
                 "unknown locality " + Quoted(*value) + "; allowed: " + JoinStrings(codes));
          continue;
        }
        area.postcode_districts[*district] = *value;
      }
    }
  }

  // Referral routes: name → MHSDS SourceOfReferralMH codes.
  if (r.Present(root, "referralRoutes", "", true)) {
    const YAML::Node routes = Reader::Get(root, "referralRoutes");
    if (r.Map(routes, "referralRoutes", {})) {
      for (auto it = routes.begin(); it != routes.end(); ++it) {
        const std::string name = it->first.Scalar();
        const std::string path = Child("referralRoutes", name);
        if (!IsKebab(name)) {
          r.Fail(it->first, path, "route names must be lower-case letters, digits and -");
          continue;
        }
        const auto items = r.TextList(it->second, path);
        if (!items) {
          continue;
        }
        std::vector<std::string> sources;
        for (std::size_t i = 0; i < items->size(); ++i) {
          const auto& [code, node] = (*items)[i];
          if (!vocabulary::Contains(vocabulary::ReferralSourceCodes(), code)) {
            r.Fail(node, Index(path, i),
                   "unknown MHSDS referral source " + Quoted(code) +
                       "; allowed: " + vocabulary::Join(vocabulary::ReferralSourceCodes()));
          } else {
            sources.push_back(code);
          }
        }
        if (items->empty()) {
          r.Fail(it->second, path, "must list at least one source code");
        }
        area.referral_routes[name] = std::move(sources);
      }
    }
  }

  // The triage team.
  if (r.Present(root, "triageTeam", "", true)) {
    const YAML::Node team = Reader::Get(root, "triageTeam");
    if (r.Map(team, "triageTeam", {"name", "teamType", "triagesPerMonth", "accessStandard"}) ||
        team.IsMap()) {
      if (auto s = r.Text(team, "name", "triageTeam", true)) {
        area.triage_team.name = *s;
      }
      if (auto s = r.Text(team, "teamType", "triageTeam", true)) {
        if (!IsTeamType(*s)) {
          r.Fail(Reader::Get(team, "teamType"), "triageTeam.teamType",
                 "must be an MHSDS ServTeamTypeMH code, a capital letter and two digits, e.g. A18");
        }
        area.triage_team.team_type = *s;
      }
      if (auto n = r.Int(team, "triagesPerMonth", "triageTeam", 0, 1000000, true)) {
        area.triage_team.triages_per_month = *n;
      }
      if (auto a = ReadAccessStandard(r, team, "accessStandard", "triageTeam")) {
        area.triage_team.access_standard = *a;
      }
    }
  }

  if (auto f = r.Fraction(root, "breachAlertAt", "", true)) {
    area.breach_alert_fraction = *f;
  }

  if (r.Present(root, "transition", "", true)) {
    const YAML::Node t = Reader::Get(root, "transition");
    if (r.Map(t, "transition", {"alertMonthsBefore", "adultServicesAge", "psychosisTransferAge"}) ||
        t.IsMap()) {
      if (auto n = r.Int(t, "alertMonthsBefore", "transition", 0, 24, true)) {
        area.transition.alert_months_before = *n;
      }
      if (auto n = r.Int(t, "adultServicesAge", "transition", 0, 25, true)) {
        area.transition.adult_services_age = *n;
      }
      if (auto n = r.Int(t, "psychosisTransferAge", "transition", 0, 25, true)) {
        area.transition.psychosis_transfer_age = *n;
      }
    }
  }

  if (auto s = r.Text(root, "outOfAreaAdvice", "", true)) {
    area.out_of_area_advice = *s;
  }

  // The access trajectory (optional): year → planned number of under-18s seen.
  if (r.Present(root, "accessTrajectory", "", false)) {
    const YAML::Node t = Reader::Get(root, "accessTrajectory");
    if (r.Map(t, "accessTrajectory", {"basis", "years"}) || t.IsMap()) {
      if (auto s = r.Text(t, "basis", "accessTrajectory", true)) {
        area.access_trajectory.basis = *s;
      }
      if (r.Present(t, "years", "accessTrajectory", true)) {
        const YAML::Node years = Reader::Get(t, "years");
        if (r.Map(years, "accessTrajectory.years", {})) {
          for (auto it = years.begin(); it != years.end(); ++it) {
            const std::string year = it->first.Scalar();
            const std::string path = Child("accessTrajectory.years", year);
            int y = 0;
            auto [ptr, ec] = std::from_chars(year.data(), year.data() + year.size(), y);
            if (year.size() != 4 || ec != std::errc() || ptr != year.data() + year.size() ||
                y < 2000 || y > 2100) {
              r.Fail(it->first, path, "must be a year written YYYY, 2000-2100");
              continue;
            }
            if (auto n = r.Int(years, year, "accessTrajectory.years", 1, 10000000, true)) {
              area.access_trajectory.per_year[y] = *n;
            }
          }
        }
      }
    }
  }

  // Bank holidays.
  std::vector<Day> holidays;
  if (r.Present(root, "bankHolidays", "", true)) {
    if (auto items = r.TextList(Reader::Get(root, "bankHolidays"), "bankHolidays")) {
      for (std::size_t i = 0; i < items->size(); ++i) {
        const auto& [text, node] = (*items)[i];
        const auto ymd = ParseIsoDate(text);
        if (!ymd) {
          r.Fail(node, Index("bankHolidays", i),
                 "must be a real date written YYYY-MM-DD; got " + Quoted(text));
          continue;
        }
        holidays.push_back(Day(*ymd));
      }
    }
  }
  area.calendar = WorkingCalendar(std::move(holidays), zone);
}

// ------------------------------------------------------------------------ services.yaml

void ReadEligibility(Reader& r, const YAML::Node& svc, const std::string& parent,
                     const AreaSettings& area, Eligibility& e) {
  const std::string path = Child(parent, "eligibility");
  if (!r.Present(svc, "eligibility", parent, true)) {
    return;
  }
  const YAML::Node node = Reader::Get(svc, "eligibility");
  if (!r.Map(node, path,
             {"minAge", "maxAge", "localities", "needsTaken", "needsExcluded", "contextsRequired",
              "contextsAnyOf", "note"}) &&
      !node.IsMap()) {
    return;
  }
  const auto min_age = r.Int(node, "minAge", path, 0, 25, true);
  const auto max_age = r.Int(node, "maxAge", path, 0, 25, true);
  if (min_age) {
    e.min_age = *min_age;
  }
  if (max_age) {
    e.max_age = *max_age;
  }
  if (min_age && max_age && *min_age > *max_age) {
    r.Fail(Reader::Get(node, "maxAge"), Child(path, "maxAge"),
           "must not be less than minAge (" + std::to_string(*min_age) + ")");
  }

  // Localities: "all", or a list of locality codes (and optionally "out-of-area").
  std::vector<std::string> codes;
  for (const auto& l : area.localities) {
    codes.push_back(l.code);
  }
  if (r.Present(node, "localities", path, true)) {
    const YAML::Node v = Reader::Get(node, "localities");
    const std::string p = Child(path, "localities");
    if (v.IsScalar() && v.Scalar() == "all") {
      e.localities = codes;
    } else if (v.IsScalar()) {
      r.Fail(v, p, "must be \"all\" or a list of locality codes: " + JoinStrings(codes));
    } else if (auto items = r.TextList(v, p)) {
      for (std::size_t i = 0; i < items->size(); ++i) {
        const auto& [code, item] = (*items)[i];
        if (code == "all") {
          for (const auto& c : codes) {
            if (std::find(e.localities.begin(), e.localities.end(), c) == e.localities.end()) {
              e.localities.push_back(c);
            }
          }
        } else if (code != kOutOfArea &&
                   std::find(codes.begin(), codes.end(), code) == codes.end()) {
          r.Fail(item, Index(p, i),
                 "unknown locality " + Quoted(code) + "; allowed: " + JoinStrings(codes) +
                     ", out-of-area, all");
        } else if (std::find(e.localities.begin(), e.localities.end(), code) ==
                   e.localities.end()) {
          e.localities.push_back(code);
        }
      }
      if (items->empty()) {
        r.Fail(v, p, "must list at least one locality, or say all");
      }
    }
  }

  e.needs_excluded =
      r.CodeList(node, "needsExcluded", path, vocabulary::NeedCodes(), "need code", false);
  // Needs taken: "any" (every need not excluded) or a list of need codes.
  if (r.Present(node, "needsTaken", path, true)) {
    const YAML::Node v = Reader::Get(node, "needsTaken");
    const std::string p = Child(path, "needsTaken");
    if (v.IsScalar() && v.Scalar() == "any") {
      for (auto need : vocabulary::NeedCodes()) {
        if (std::find(e.needs_excluded.begin(), e.needs_excluded.end(), need) ==
            e.needs_excluded.end()) {
          e.needs_taken.emplace_back(need);
        }
      }
    } else if (v.IsScalar()) {
      r.Fail(v, p, "must be \"any\" or a list of need codes");
    } else {
      e.needs_taken =
          r.CodeList(node, "needsTaken", path, vocabulary::NeedCodes(), "need code", true);
      for (const auto& need : e.needs_taken) {
        if (std::find(e.needs_excluded.begin(), e.needs_excluded.end(), need) !=
            e.needs_excluded.end()) {
          r.Fail(v, p, "need " + Quoted(need) + " is both taken and excluded");
        }
      }
      if (v.IsSequence() && v.size() == 0) {
        r.Fail(v, p, "must list at least one need code, or say any");
      }
    }
  }
  e.contexts_required =
      r.CodeList(node, "contextsRequired", path, vocabulary::ContextCodes(), "context code", false);
  e.contexts_any_of =
      r.CodeList(node, "contextsAnyOf", path, vocabulary::ContextCodes(), "context code", false);
  if (auto s = r.Text(node, "note", path, false)) {
    e.note = *s;
  }
}

std::optional<Service> ReadService(Reader& r, const YAML::Node& node, const std::string& path,
                                   const AreaSettings& area) {
  if (!r.Map(
          node, path,
          {"id", "name", "description", "publicDescription", "offers", "eligibility", "whoMayRefer",
           "hours", "thriveGroups", "teamType", "accessStandard", "capacity", "contact"}) &&
      !node.IsMap()) {
    return std::nullopt;
  }
  Service s;
  if (auto v = r.Text(node, "id", path, true)) {
    if (!IsKebab(*v)) {
      r.Fail(Reader::Get(node, "id"), Child(path, "id"),
             "must be lower-case letters, digits and -, e.g. eating-disorders");
    }
    s.id = *v;
  }
  if (auto v = r.Text(node, "name", path, true)) {
    s.name = *v;
  }
  if (auto v = r.Text(node, "description", path, true)) {
    s.description = *v;
  }
  if (auto v = r.Text(node, "publicDescription", path, false)) {
    s.public_description = *v;
  }
  if (r.Present(node, "offers", path, true)) {
    if (auto items = r.TextList(Reader::Get(node, "offers"), Child(path, "offers"))) {
      for (auto& [text, item] : *items) {
        s.offers.push_back(text);
      }
    }
  }
  ReadEligibility(r, node, path, area, s.eligibility);

  // Who may refer: route names from area.yaml, resolved to MHSDS source codes.
  if (r.Present(node, "whoMayRefer", path, true)) {
    const std::string p = Child(path, "whoMayRefer");
    if (auto items = r.TextList(Reader::Get(node, "whoMayRefer"), p)) {
      std::vector<std::string> names;
      for (const auto& [name, route] : area.referral_routes) {
        names.push_back(name);
      }
      for (std::size_t i = 0; i < items->size(); ++i) {
        const auto& [name, item] = (*items)[i];
        auto it = area.referral_routes.find(name);
        if (it == area.referral_routes.end()) {
          r.Fail(item, Index(p, i),
                 "unknown referral route " + Quoted(name) +
                     " (routes are defined in area.yaml referralRoutes); allowed: " +
                     JoinStrings(names));
          continue;
        }
        s.who_may_refer.push_back(name);
        for (const auto& code : it->second) {
          if (std::find(s.referral_sources.begin(), s.referral_sources.end(), code) ==
              s.referral_sources.end()) {
            s.referral_sources.push_back(code);
          }
        }
      }
      if (items->empty()) {
        r.Fail(Reader::Get(node, "whoMayRefer"), p, "must list at least one route");
      }
    }
  }
  if (auto v = r.Text(node, "hours", path, true)) {
    s.hours = *v;
  }
  s.thrive_groups =
      r.CodeList(node, "thriveGroups", path, vocabulary::ThriveGroups(), "THRIVE group", true);
  if (r.Present(node, "thriveGroups", path, false) && s.thrive_groups.empty()) {
    r.Fail(Reader::Get(node, "thriveGroups"), Child(path, "thriveGroups"),
           "must list at least one THRIVE group");
  }
  if (auto v = r.Text(node, "teamType", path, true)) {
    if (!IsTeamType(*v)) {
      r.Fail(Reader::Get(node, "teamType"), Child(path, "teamType"),
             "must be an MHSDS ServTeamTypeMH code, a capital letter and two digits, e.g. C10");
    }
    s.team_type = *v;
  }
  if (auto a = ReadAccessStandard(r, node, "accessStandard", path)) {
    s.access_standard = *a;
  }

  if (r.Present(node, "capacity", path, true)) {
    const YAML::Node c = Reader::Get(node, "capacity");
    const std::string p = Child(path, "capacity");
    if (r.Map(c, p, {"newAssessmentsPerWeek", "basis"}) || c.IsMap()) {
      if (auto n = r.Int(c, "newAssessmentsPerWeek", p, 0, 100000, true)) {
        s.capacity.new_assessments_per_week = *n;
      }
      if (auto b = r.Text(c, "basis", p, true)) {
        if (*b != "local" && *b != "example") {
          r.Fail(Reader::Get(c, "basis"), Child(p, "basis"),
                 "unknown basis " + Quoted(*b) + "; allowed: local, example");
        }
        s.capacity.basis = *b;
      }
    }
  }
  if (r.Present(node, "contact", path, true)) {
    const YAML::Node c = Reader::Get(node, "contact");
    const std::string p = Child(path, "contact");
    if (r.Map(c, p, {"text", "example"}) || c.IsMap()) {
      if (auto t = r.Text(c, "text", p, true)) {
        s.contact.text = *t;
      }
      if (auto b = r.Bool(c, "example", p, false)) {
        s.contact.example = *b;
      }
    }
  }
  return s;
}

std::vector<Service> ReadServices(Reader& r, const YAML::Node& root, const AreaSettings& area) {
  std::vector<Service> services;
  if (!r.Map(root, "", {"services"}) && !root.IsMap()) {
    return services;
  }
  if (!r.Present(root, "services", "", true)) {
    return services;
  }
  const YAML::Node list = Reader::Get(root, "services");
  if (!list.IsSequence() || list.size() == 0) {
    r.Fail(list, "services", "must be a list of at least one service");
    return services;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node item = list[i];
    const std::string path = Index("services", i);
    auto s = ReadService(r, item, path, area);
    if (!s) {
      continue;
    }
    if (!s->id.empty() && std::any_of(services.begin(), services.end(),
                                      [&](const Service& o) { return o.id == s->id; })) {
      r.Fail(Reader::Get(item, "id"), Child(path, "id"),
             "service id " + Quoted(s->id) + " is used twice");
    }
    services.push_back(std::move(*s));
  }
  return services;
}

// Parses one document; on a YAML syntax error reports it and returns nullopt.
std::optional<YAML::Node> ParseDocument(const std::string& file, std::string_view text,
                                        std::vector<Problem>& problems) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    if (!root.IsDefined() || root.IsNull()) {
      problems.push_back({file, 1, "", "the file is empty"});
      return std::nullopt;
    }
    return root;
  } catch (const YAML::Exception& e) {
    problems.push_back(
        {file, e.mark.is_null() ? 0 : e.mark.line + 1, "", "not valid YAML: " + e.msg});
    return std::nullopt;
  }
}

Status ToStatus(const std::vector<Problem>& problems) {
  std::string message;
  std::vector<FieldError> fields;
  int n = 0;
  for (const auto& p : problems) {
    if (n++ == kMaxReportedProblems) {
      message +=
          "\n... and " + std::to_string(problems.size() - kMaxReportedProblems) + " more problems";
      break;
    }
    const std::string where = p.file + (p.line > 0 ? ":" + std::to_string(p.line) : "");
    if (!message.empty()) {
      message += "\n";
    }
    message += where + ": " + (p.path.empty() ? "" : p.path + ": ") + p.message;
    fields.push_back({p.path, where + ": " + p.message});
  }
  return Status::Invalid(std::move(message), std::move(fields));
}

std::optional<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) {
    return std::nullopt;
  }
  return out.str();
}

}  // namespace

Result<Area> ParseArea(std::string_view area_yaml, std::string_view services_yaml) {
  std::vector<Problem> problems;
  try {
    AreaSettings settings;
    auto area_root = ParseDocument("area.yaml", area_yaml, problems);
    auto services_root = ParseDocument("services.yaml", services_yaml, problems);
    if (area_root) {
      Reader r("area.yaml", &problems);
      ReadArea(r, *area_root, settings);
    }
    std::vector<Service> services;
    // Services are checked against the area's localities and routes, so only when the
    // area file itself was readable.
    if (area_root && services_root) {
      Reader r("services.yaml", &problems);
      services = ReadServices(r, *services_root, settings);
    }
    if (!problems.empty()) {
      return ToStatus(problems);
    }
    std::vector<std::string> codes;
    for (const auto& l : settings.localities) {
      codes.push_back(l.code);
    }
    Directory directory(std::move(services), std::move(codes));
    return Area(std::move(settings), std::move(directory));
  } catch (const YAML::Exception& e) {
    // A shape the checks above did not foresee; still a bad file, not a crash.
    problems.push_back({"area configuration", e.mark.is_null() ? 0 : e.mark.line + 1, "",
                        std::string("could not be read: ") + e.what()});
    return ToStatus(problems);
  }
}

namespace {

nlohmann::json NodeToJson(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Sequence: {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& e : n) a.push_back(NodeToJson(e));
      return a;
    }
    case YAML::NodeType::Map: {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& kv : n) o[kv.first.Scalar()] = NodeToJson(kv.second);
      return o;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = n.Scalar();
      if (n.Tag() == "!") return s;  // quoted in the file
      if (s == "true" || s == "false") return s == "true";
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      // Only numbers that read back the same ("08" stays text).
      if (!s.empty() && ec == std::errc() && ptr == s.data() + s.size() && std::to_string(v) == s)
        return v;
      return s;
    }
    default:
      return nullptr;
  }
}

}  // namespace

Result<nlohmann::json> YamlToJson(std::string_view yaml) {
  try {
    return NodeToJson(YAML::Load(std::string(yaml)));
  } catch (const YAML::Exception& e) {
    return Status::Invalid("not valid YAML at line " +
                           std::to_string(e.mark.is_null() ? 0 : e.mark.line + 1) + ": " + e.msg);
  }
}

Result<Area> LoadArea(const std::filesystem::path& area_dir) {
  const auto area_path = area_dir / "area.yaml";
  const auto services_path = area_dir / "services.yaml";
  auto area_text = ReadFile(area_path);
  if (!area_text) {
    return Status::NotFound("area.yaml: cannot read " + area_path.string());
  }
  auto services_text = ReadFile(services_path);
  if (!services_text) {
    return Status::NotFound("services.yaml: cannot read " + services_path.string());
  }
  return ParseArea(*area_text, *services_text);
}

}  // namespace waymark::directory
