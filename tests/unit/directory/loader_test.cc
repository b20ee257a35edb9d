// Loading area configuration: bad files give errors naming file, line and field.
#include "directory/loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace waymark::directory {
namespace {

using ::testing::HasSubstr;

// A small valid area; line numbers below are relied on by the tests.
constexpr const char* kArea = R"(id: test
name: Test area
timeZone: UTC
localities:
  - code: north
    name: North
  - code: south
    name: South
postcodeDistricts:
  AB1: north
  AB2: south
referralRoutes:
  self: [B1]
  gp: [A1]
triageTeam:
  name: Triage
  teamType: A18
  triagesPerMonth: 100
  accessStandard:
    clockStart: referral-received
    clockStop: triage-decision
    target: 5 working days
    basis: example
breachAlertAt: 0.75
transition: {alertMonthsBefore: 6, adultServicesAge: 18, psychosisTransferAge: 16}
outOfAreaAdvice: Ask your GP.
bankHolidays: [2026-08-31]
)";

constexpr const char* kServices = R"(services:
  - id: alpha
    name: Alpha
    description: First service.
    offers: [Talking]
    eligibility:
      minAge: 5
      maxAge: 17
      localities: all
      needsTaken: [anxiety, low-mood]
    whoMayRefer: [self, gp]
    hours: Weekdays.
    thriveGroups: [getting-help]
    teamType: A13
    accessStandard:
      clockStart: referral-received
      clockStop: first-attended-contact
      target: 4 weeks
      byPriority: {urgent: 1 week}
      basis: local
    capacity: {newAssessmentsPerWeek: 3, basis: example}
    contact: {text: "Example only: ask your GP.", example: true}
  - id: beta
    name: Beta
    description: Second service.
    offers: [Crisis help]
    eligibility:
      minAge: 0
      maxAge: 25
      localities: [south, out-of-area]
      needsTaken: any
      needsExcluded: [information-only]
      contextsRequired: [in-emergency-department]
    whoMayRefer: [gp]
    hours: Always.
    thriveGroups: [getting-risk-support]
    teamType: A11
    accessStandard:
      clockStart: referral-received
      clockStop: assessed
      target: 1 hour
      basis: national
    capacity: {newAssessmentsPerWeek: 10, basis: example}
    contact: {text: "Example only.", example: true}
)";

// `text` with the first occurrence of `from` replaced by `to` (which must exist).
std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string ServicesWith(const std::string& from, const std::string& to) {
  return Replace(kServices, from, to);
}

std::string AreaWith(const std::string& from, const std::string& to) {
  return Replace(kArea, from, to);
}

TEST(ParseArea, SmallValidAreaLoads) {
  auto area = ParseArea(kArea, kServices);
  ASSERT_TRUE(area.ok()) << area.status().message();
  EXPECT_EQ(area->id(), "test");
  ASSERT_EQ(area->directory().services().size(), 2u);
  const Service& alpha = area->directory().services()[0];
  EXPECT_EQ(alpha.eligibility.localities, (std::vector<std::string>{"north", "south"}));
  EXPECT_EQ(alpha.referral_sources, (std::vector<std::string>{"B1", "A1"}));
  EXPECT_EQ(alpha.access_standard.TargetFor(Priority::kUrgent), (Target{1, TargetUnit::kWeeks}));
  const Service& beta = area->directory().services()[1];
  EXPECT_EQ(beta.eligibility.localities, (std::vector<std::string>{"south", "out-of-area"}));
  EXPECT_TRUE(beta.eligibility.TakesNeed("psychosis"));  // "any" expanded
  EXPECT_FALSE(beta.eligibility.TakesNeed("information-only"));
  EXPECT_TRUE(
      area->calendar().IsBankHoliday(std::chrono::sys_days(std::chrono::year(2026) / 8 / 31)));
  EXPECT_EQ(area->settings().triage_team.team_type, "A18");
}

// The public pages show `publicDescription` (plain words); staff pages keep `description`.
TEST(ParseArea, PublicDescriptionIsOptionalPlainText) {
  auto area = ParseArea(kArea, ServicesWith("    description: First service.\n",
                                            "    description: First service.\n"
                                            "    publicDescription: Someone to talk to.\n"));
  ASSERT_TRUE(area.ok()) << area.status().message();
  EXPECT_EQ(area->directory().services()[0].public_description, "Someone to talk to.");
  EXPECT_EQ(area->directory().services()[0].description, "First service.");
  EXPECT_EQ(area->directory().services()[1].public_description, "");  // not given
}

TEST(ParseArea, PublicDescriptionThatIsNotTextNamesTheField) {
  auto area = ParseArea(kArea, ServicesWith("    description: First service.\n",
                                            "    description: First service.\n"
                                            "    publicDescription: [a, list]\n"));
  ASSERT_FALSE(area.ok());
  EXPECT_THAT(area.status().message(),
              HasSubstr("services.yaml:5: services[0].publicDescription: must be non-empty text"));
}

// The message format from the brief, exactly.
TEST(ParseArea, AgeOutOfRangeNamesFileLineAndField) {
  auto area = ParseArea(kArea, ServicesWith("maxAge: 25", "maxAge: 30"));
  ASSERT_FALSE(area.ok());
  EXPECT_EQ(area.status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(area.status().message(),
            "services.yaml:29: services[1].eligibility.maxAge: must be an integer 0–25");
  ASSERT_EQ(area.status().fields().size(), 1u);
  EXPECT_EQ(area.status().fields()[0].path, "services[1].eligibility.maxAge");
  EXPECT_EQ(area.status().fields()[0].message, "services.yaml:29: must be an integer 0–25");
}

TEST(ParseArea, AgeThatIsNotANumber) {
  auto area = ParseArea(kArea, ServicesWith("minAge: 5", "minAge: five"));
  ASSERT_FALSE(area.ok());
  EXPECT_EQ(area.status().message(),
            "services.yaml:7: services[0].eligibility.minAge: must be an integer 0–25");
}

TEST(ParseArea, MinAgeAboveMaxAge) {
  auto area = ParseArea(kArea, ServicesWith("minAge: 5", "minAge: 18"));
  ASSERT_FALSE(area.ok());
  EXPECT_THAT(area.status().message(),
              HasSubstr("services.yaml:8: services[0].eligibility.maxAge: must not be less than "
                        "minAge (18)"));
}

TEST(ParseArea, UnknownNeedCodeIsRejectedByName) {
  auto area = ParseArea(kArea, ServicesWith("[anxiety, low-mood]", "[anxiety, low-moood]"));
  ASSERT_FALSE(area.ok());
  EXPECT_THAT(area.status().message(),
              HasSubstr("services.yaml:10: services[0].eligibility.needsTaken[1]: unknown need "
                        "code \"low-moood\"; allowed: low-mood, depression"));
}

TEST(ParseArea, UnknownExcludedNeedAndContextAreRejected) {
  auto area =
      ParseArea(kArea, ServicesWith("needsExcluded: [information-only]", "needsExcluded: [info]"));
  ASSERT_FALSE(area.ok());
  EXPECT_THAT(area.status().message(),
              HasSubstr("services[1].eligibility.needsExcluded[0]: unknown need code \"info\""));
  auto ctx = ParseArea(kArea, ServicesWith("[in-emergency-department]", "[in-a-and-e]"));
  ASSERT_FALSE(ctx.ok());
  EXPECT_THAT(ctx.status().message(),
              HasSubstr("services.yaml:33: services[1].eligibility.contextsRequired[0]: unknown "
                        "context code \"in-a-and-e\""));
}

TEST(ParseArea, UnknownKeyIsATypoNotSilence) {
  auto area = ParseArea(kArea, ServicesWith("maxAge: 17", "maxage: 17"));
  ASSERT_FALSE(area.ok());
  EXPECT_THAT(area.status().message(),
              HasSubstr("services.yaml:8: services[0].eligibility.maxage: unknown key; allowed: "
                        "minAge, maxAge"));
  // ... and the real key is then missing, reported at the eligibility map's line.
  EXPECT_THAT(area.status().message(),
              HasSubstr("services.yaml:7: services[0].eligibility.maxAge: is required"));
}

TEST(ParseArea, MissingFieldIsReportedAtItsMap) {
  auto area = ParseArea(kArea, ServicesWith("    hours: Weekdays.\n", ""));
  ASSERT_FALSE(area.ok());
  EXPECT_EQ(area.status().message(), "services.yaml:2: services[0].hours: is required");
}

TEST(ParseArea, UnknownLocalityRouteThriveAndTarget) {
  auto loc = ParseArea(kArea, ServicesWith("[south, out-of-area]", "[south, east]"));
  ASSERT_FALSE(loc.ok());
  EXPECT_THAT(loc.status().message(),
              HasSubstr("services.yaml:30: services[1].eligibility.localities[1]: unknown "
                        "locality \"east\"; allowed: north, south, out-of-area, all"));

  auto route = ParseArea(kArea, ServicesWith("whoMayRefer: [self, gp]",
                                             "whoMayRefer: [self, "
                                             "teacher]"));
  ASSERT_FALSE(route.ok());
  EXPECT_THAT(route.status().message(),
              HasSubstr("services.yaml:11: services[0].whoMayRefer[1]: unknown referral route "
                        "\"teacher\""));

  auto thrive = ParseArea(kArea, ServicesWith("[getting-help]", "[getting-helped]"));
  ASSERT_FALSE(thrive.ok());
  EXPECT_THAT(thrive.status().message(),
              HasSubstr("services.yaml:13: services[0].thriveGroups[0]: unknown THRIVE group"));

  auto target = ParseArea(kArea, ServicesWith("target: 4 weeks", "target: 4 weeeks"));
  ASSERT_FALSE(target.ok());
  EXPECT_THAT(target.status().message(),
              HasSubstr("services.yaml:18: services[0].accessStandard.target: must be an amount "
                        "and a unit"));

  auto priority = ParseArea(kArea, ServicesWith("{urgent: 1 week}", "{urgnt: 1 week}"));
  ASSERT_FALSE(priority.ok());
  EXPECT_THAT(priority.status().message(),
              HasSubstr("services.yaml:19: services[0].accessStandard.byPriority.urgnt: unknown "
                        "key; allowed: emergency, very-urgent, urgent, routine"));
}

TEST(ParseArea, DuplicateServiceId) {
  auto area = ParseArea(kArea, ServicesWith("id: beta", "id: alpha"));
  ASSERT_FALSE(area.ok());
  EXPECT_EQ(area.status().message(),
            "services.yaml:23: services[1].id: service id \"alpha\" is used twice");
}

TEST(ParseArea, EveryProblemIsReportedAtOnce) {
  auto area = ParseArea(AreaWith("breachAlertAt: 0.75", "breachAlertAt: 1.5"),
                        ServicesWith("teamType: A13", "teamType: camhs"));
  ASSERT_FALSE(area.ok());
  ASSERT_EQ(area.status().fields().size(), 2u);
  EXPECT_EQ(area.status().fields()[0].path, "breachAlertAt");
  EXPECT_THAT(area.status().fields()[0].message, HasSubstr("area.yaml:24:"));
  EXPECT_EQ(area.status().fields()[1].path, "services[0].teamType");
  EXPECT_THAT(area.status().fields()[1].message, HasSubstr("services.yaml:14:"));
}

TEST(ParseArea, AreaFileProblems) {
  auto holiday = ParseArea(AreaWith("[2026-08-31]", "[2026-08-31, 2026-02-30]"), kServices);
  ASSERT_FALSE(holiday.ok());
  EXPECT_EQ(holiday.status().message(),
            "area.yaml:27: bankHolidays[1]: must be a real date written YYYY-MM-DD; got "
            "\"2026-02-30\"");

  auto district = ParseArea(AreaWith("AB2: south", "AB2: middle"), kServices);
  ASSERT_FALSE(district.ok());
  EXPECT_EQ(district.status().message(),
            "area.yaml:11: postcodeDistricts.AB2: unknown locality \"middle\"; allowed: north, "
            "south");

  auto bad_key = ParseArea(AreaWith("AB2: south", "not a postcode: south"), kServices);
  ASSERT_FALSE(bad_key.ok());
  EXPECT_THAT(bad_key.status().message(), HasSubstr("area.yaml:11: postcodeDistricts.not a "
                                                    "postcode: must be a postcode district"));

  auto zone = ParseArea(AreaWith("timeZone: UTC", "timeZone: Mars/Olympus"), kServices);
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.status().message(),
            "area.yaml:3: timeZone: unsupported time zone \"Mars/Olympus\"; allowed: "
            "Europe/London, UTC");

  auto source = ParseArea(AreaWith("gp: [A1]", "gp: [Z9]"), kServices);
  ASSERT_FALSE(source.ok());
  EXPECT_THAT(source.status().message(),
              HasSubstr("area.yaml:14: referralRoutes.gp[0]: unknown MHSDS referral source "
                        "\"Z9\""));

  auto dup = ParseArea(AreaWith("  - code: south", "  - code: north"), kServices);
  ASSERT_FALSE(dup.ok());
  EXPECT_THAT(dup.status().message(),
              HasSubstr("area.yaml:7: localities[1].code: locality \"north\" is listed twice"));
}

TEST(ParseArea, AccessTrajectoryIsOptionalAndChecked) {
  auto none = ParseArea(kArea, kServices);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->settings().access_trajectory.per_year.empty());

  const std::string with =
      "bankHolidays: [2026-08-31]\naccessTrajectory:\n  basis: Local plan\n  years:\n"
      "    2019: 5406\n    2020: 5565\n";
  auto area = ParseArea(AreaWith("bankHolidays: [2026-08-31]\n", with), kServices);
  ASSERT_TRUE(area.ok()) << area.status().message();
  EXPECT_EQ(area->settings().access_trajectory.basis, "Local plan");
  EXPECT_EQ(area->settings().access_trajectory.per_year,
            (std::map<int, int64_t>{{2019, 5406}, {2020, 5565}}));

  auto bad_year = ParseArea(AreaWith("bankHolidays: [2026-08-31]\n",
                                     "bankHolidays: [2026-08-31]\naccessTrajectory:\n  basis: "
                                     "Plan\n  years:\n    twenty: 5406\n    2020: none\n"),
                            kServices);
  ASSERT_FALSE(bad_year.ok());
  EXPECT_THAT(bad_year.status().message(),
              HasSubstr("area.yaml:31: accessTrajectory.years.twenty: must be a year written "
                        "YYYY, 2000-2100"));
  EXPECT_THAT(bad_year.status().message(),
              HasSubstr("area.yaml:32: accessTrajectory.years.2020: must be an integer"));
  auto no_basis = ParseArea(AreaWith("bankHolidays: [2026-08-31]\n",
                                     "bankHolidays: [2026-08-31]\naccessTrajectory:\n  years: "
                                     "{2020: 10}\n"),
                            kServices);
  ASSERT_FALSE(no_basis.ok());
  EXPECT_THAT(no_basis.status().message(), HasSubstr("accessTrajectory.basis: is required"));
}

TEST(ParseArea, DuplicateKeyIsReported) {
  auto area = ParseArea(AreaWith("name: Test area\n", "name: Test area\nname: Again\n"), kServices);
  ASSERT_FALSE(area.ok());
  EXPECT_EQ(area.status().message(), "area.yaml:3: name: appears twice");
}

TEST(ParseArea, YamlSyntaxErrorGivesFileAndLine) {
  auto area = ParseArea(kArea, ServicesWith("    hours: Weekdays.", "    hours: [Weekdays."));
  ASSERT_FALSE(area.ok());
  EXPECT_EQ(area.status().code(), ErrorCode::kInvalid);
  EXPECT_THAT(area.status().message(), HasSubstr("services.yaml:"));
  EXPECT_THAT(area.status().message(), HasSubstr("not valid YAML"));
}

TEST(ParseArea, WrongShapesAreErrorsNotCrashes) {
  for (const char* services :
       {"", "just text", "[1, 2]", "services: 3", "services: []", "services: [7]",
        "services:\n  - id: [a, b]\n", "services:\n  - eligibility: 3\n",
        "services:\n  - accessStandard: {byPriority: [1]}\n", "{services: {a: b}}"}) {
    auto area = ParseArea(kArea, services);
    ASSERT_FALSE(area.ok()) << services;
    EXPECT_EQ(area.status().code(), ErrorCode::kInvalid) << services;
    EXPECT_THAT(area.status().message(), HasSubstr("services.yaml")) << services;
  }
  for (const char* area_text : {"", "- a", "localities: x", "postcodeDistricts: [a]"}) {
    auto area = ParseArea(area_text, kServices);
    ASSERT_FALSE(area.ok()) << area_text;
    EXPECT_THAT(area.status().message(), HasSubstr("area.yaml")) << area_text;
  }
}

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ =
        std::filesystem::temp_directory_path() /
        ("waymark-directory-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
  }

 private:
  std::filesystem::path path_;
};

TEST(LoadArea, ReadsFilesFromADirectory) {
  TempDir dir;
  dir.Write("area.yaml", kArea);
  dir.Write("services.yaml", kServices);
  auto area = LoadArea(dir.path());
  ASSERT_TRUE(area.ok()) << area.status().message();
  EXPECT_EQ(area->directory().services().size(), 2u);
}

TEST(LoadArea, BadTempFileNamesFileLineAndField) {
  TempDir dir;
  dir.Write("area.yaml", kArea);
  dir.Write("services.yaml", ServicesWith("newAssessmentsPerWeek: 3", "newAssessmentsPerWeek: -3"));
  auto area = LoadArea(dir.path());
  ASSERT_FALSE(area.ok());
  EXPECT_EQ(area.status().message(),
            "services.yaml:21: services[0].capacity.newAssessmentsPerWeek: must be an integer "
            "0–100000");
}

TEST(LoadArea, MissingFileIsNotFoundNamingIt) {
  TempDir dir;
  dir.Write("area.yaml", kArea);
  auto area = LoadArea(dir.path());
  ASSERT_FALSE(area.ok());
  EXPECT_EQ(area.status().code(), ErrorCode::kNotFound);
  EXPECT_THAT(area.status().message(), HasSubstr("services.yaml"));
  auto none = LoadArea(dir.path() / "no-such-area");
  EXPECT_EQ(none.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace waymark::directory

namespace waymark::directory {
namespace {

std::string ReadExample(const char* name) {
  std::ifstream in(std::filesystem::path(WAYMARK_SOURCE_DIR) / "config/areas/example" / name);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Guard for the "never throws" promise: prefixes and byte mangles of the small fixture
// (densely) and of the real files (sparsely, to stay fast under sanitizers) either load or
// give Invalid naming a file; none crashes.
TEST(ParseArea, TruncatedAndMangledFilesNeverCrash) {
  const std::string area = ReadExample("area.yaml");
  const std::string services = ReadExample("services.yaml");
  ASSERT_FALSE(area.empty());
  ASSERT_FALSE(services.empty());
  int invalid = 0;
  auto check = [&](const std::string& a, const std::string& s) {
    auto r = ParseArea(a, s);
    if (r.ok()) return;
    ++invalid;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalid);
    EXPECT_THAT(r.status().message(), HasSubstr(".yaml"));
  };
  const std::string small(kServices);
  for (std::size_t n = 0; n < small.size(); n += 11) check(kArea, small.substr(0, n));
  for (std::size_t at = 0; at < small.size(); at += 31) {
    for (char c : {':', '[', '\t', '{'}) {
      std::string mangled = small;
      mangled[at] = c;
      check(kArea, mangled);
    }
  }
  const std::string small_area(kArea);
  for (std::size_t n = 0; n < small_area.size(); n += 17) check(small_area.substr(0, n), kServices);
  for (std::size_t n = 0; n < services.size(); n += services.size() / 5) {
    check(area, services.substr(0, n));
  }
  check(area.substr(0, area.size() / 2), services);
  EXPECT_GT(invalid, 100);
}

}  // namespace
}  // namespace waymark::directory
