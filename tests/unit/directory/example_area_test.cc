// The shipped example area: it loads, holds every service of the triage contract, and
// answers searches and postcode lookups as a clinician would expect.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "directory/loader.h"
#include "test_time.h"

namespace waymark::directory {
namespace {

using testing::At;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

const Area& Example() {
  static const Area* area = [] {
    auto loaded = LoadArea(std::filesystem::path(WAYMARK_SOURCE_DIR) / "config/areas/example");
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status().message();
      std::abort();
    }
    return new Area(std::move(loaded).value());
  }();
  return *area;
}

std::vector<std::string> Ids(const std::vector<const Service*>& services) {
  std::vector<std::string> ids;
  for (const auto* s : services) ids.push_back(s->id);
  return ids;
}

std::vector<std::string> SearchIds(const SearchQuery& q) {
  auto found = Example().directory().Search(q);
  EXPECT_TRUE(found.ok()) << found.status().message();
  return found.ok() ? Ids(*found) : std::vector<std::string>{};
}

TEST(ExampleArea, Loads) {
  auto area = LoadArea(std::filesystem::path(WAYMARK_SOURCE_DIR) / "config/areas/example");
  ASSERT_TRUE(area.ok()) << area.status().message();
  EXPECT_EQ(area->id(), "example");
  ASSERT_EQ(area->localities().size(), 4u);
  for (const char* code : {"city", "east", "west", "rutland"}) {
    ASSERT_NE(area->FindLocality(code), nullptr) << code;
    EXPECT_FALSE(area->FindLocality(code)->name.empty());
  }
  EXPECT_EQ(area->FindLocality("rutland")->name, "Rutland");
  EXPECT_EQ(area->FindLocality("Rutland"), nullptr);
}

TEST(ExampleArea, HasEveryServiceOfTheTriageContract) {
  const std::vector<std::string> contract = {"online-counselling",
                                             "chat-health",
                                             "early-intervention",
                                             "camhs",
                                             "eating-disorders",
                                             "crisis",
                                             "eip",
                                             "ld-outreach",
                                             "post-abuse-counselling",
                                             "young-peoples-team",
                                             "ceips",
                                             "early-help-city",
                                             "early-help-county",
                                             "early-help-rutland",
                                             "lac-wraparound",
                                             "adhd-support",
                                             "bereavement",
                                             "liaison-psychiatry",
                                             "ld-autism-intensive"};
  const Directory& dir = Example().directory();
  for (const auto& id : contract) EXPECT_NE(dir.Find(id), nullptr) << id;
  EXPECT_EQ(dir.services().size(), contract.size());
  EXPECT_EQ(dir.Find("no-such-service"), nullptr);
}

// Every service has words for the public pages that a 12-year-old can read: short
// sentences and none of the jargon the staff description may use. (The browser tests measure
// the reading grade of each page as a whole.)
TEST(ExampleArea, EveryServiceHasAPlainPublicDescription) {
  const std::regex jargon(
      "multi-disciplinary|multidisciplinary|\\btier\\b|criteria|universal|intervention|"
      "therapeutic|neurodevelopmental|modera|adverse|jointly",
      std::regex::icase);
  for (const auto& s : Example().directory().services()) {
    SCOPED_TRACE(s.id);
    ASSERT_FALSE(s.public_description.empty());
    EXPECT_NE(s.public_description, s.description);
    EXPECT_FALSE(std::regex_search(s.public_description, jargon)) << s.public_description;
    // No sentence longer than 25 words.
    int words = 0;
    for (char c : s.public_description + " ") {
      if (c == ' ') ++words;
      if (c == '.' || c == '?' || c == '!') {
        EXPECT_LE(words, 25) << s.public_description;
        words = 0;
      }
    }
  }
}

TEST(ExampleArea, ContactRoutesAreMarkedExamplesWithNoRealNumbersOrLinks) {
  const std::regex phone_like("[0-9][0-9 ]{4,}[0-9]");
  for (const auto& s : Example().directory().services()) {
    EXPECT_TRUE(s.contact.example) << s.id;
    EXPECT_THAT(s.contact.text, ::testing::StartsWith("Example only")) << s.id;
    EXPECT_THAT(s.contact.text, Not(HasSubstr("http"))) << s.id;
    EXPECT_THAT(s.contact.text, Not(HasSubstr("www"))) << s.id;
    EXPECT_THAT(s.contact.text, Not(HasSubstr("@"))) << s.id;
    EXPECT_FALSE(std::regex_search(s.contact.text, phone_like)) << s.id;
    EXPECT_EQ(s.capacity.basis, "example") << s.id;
    EXPECT_GT(s.capacity.new_assessments_per_week, 0) << s.id;
    EXPECT_FALSE(s.thrive_groups.empty()) << s.id;
    EXPECT_FALSE(s.referral_sources.empty()) << s.id;
  }
}

TEST(ExampleArea, PublishedAccessStandards) {
  const Directory& dir = Example().directory();
  const auto& ed = dir.Find("eating-disorders")->access_standard;
  EXPECT_EQ(ed.TargetFor(Priority::kUrgent), (Target{1, TargetUnit::kWeeks}));
  EXPECT_EQ(ed.TargetFor(Priority::kRoutine), (Target{4, TargetUnit::kWeeks}));
  EXPECT_EQ(ed.goal_percent, 95);
  EXPECT_EQ(ed.clock_stop, ClockStop::kTreatmentStarted);
  const auto& crisis = dir.Find("crisis")->access_standard;
  EXPECT_EQ(crisis.TargetFor(Priority::kEmergency), (Target{1, TargetUnit::kHours}));
  EXPECT_EQ(crisis.TargetFor(Priority::kVeryUrgent), (Target{4, TargetUnit::kHours}));
  EXPECT_EQ(crisis.TargetFor(Priority::kUrgent), (Target{24, TargetUnit::kHours}));
  EXPECT_EQ(dir.Find("camhs")->access_standard.TargetFor(Priority::kRoutine),
            (Target{13, TargetUnit::kWeeks}));
  EXPECT_EQ(dir.Find("eip")->access_standard.TargetFor(Priority::kRoutine),
            (Target{2, TargetUnit::kWeeks}));
  EXPECT_EQ(dir.Find("young-peoples-team")->access_standard.TargetFor(Priority::kRoutine),
            (Target{10, TargetUnit::kWorkingDays}));
  EXPECT_EQ(dir.Find("eating-disorders")->team_type, "C10");
}

TEST(ExampleArea, AreaSettings) {
  const AreaSettings& s = Example().settings();
  EXPECT_DOUBLE_EQ(s.breach_alert_fraction, 0.75);
  EXPECT_EQ(s.calendar.zone(), TimeZoneRule::kUkCivil);
  EXPECT_EQ(s.calendar.bank_holidays().size(), 48u);  // England and Wales 2025–2030
  // Eight a year, none at a weekend (substitute days are listed instead).
  for (int year = 2025; year <= 2030; ++year) {
    int n = 0;
    for (Day d : s.calendar.bank_holidays()) {
      if (std::chrono::year_month_day(d).year() == std::chrono::year(year)) {
        ++n;
        EXPECT_TRUE(std::chrono::weekday(d).c_encoding() % 6 != 0) << year;
      }
    }
    EXPECT_EQ(n, 8) << year;
  }
  EXPECT_TRUE(s.calendar.KnowsHolidaysOf(Day(std::chrono::year(2030) / 12 / 31)));
  EXPECT_FALSE(s.calendar.KnowsHolidaysOf(Day(std::chrono::year(2031) / 1 / 1)));
  EXPECT_EQ(s.triage_team.team_type, "A18");
  EXPECT_EQ(s.triage_team.access_standard.clock_stop, ClockStop::kTriageDecision);
  EXPECT_EQ(s.triage_team.access_standard.TargetFor(Priority::kEmergency),
            (Target{1, TargetUnit::kHours}));
  EXPECT_EQ(s.transition.psychosis_transfer_age, 16);
  EXPECT_FALSE(s.out_of_area_advice.empty());
}

TEST(ExampleArea, YouthOffendingAssessmentDueOverBankHolidayWeekend) {
  // Friday 28 August 2026, 10:00 BST; Monday 31 August is the summer bank holiday.
  const Area& area = Example();
  const auto& ypt = area.directory().Find("young-peoples-team")->access_standard;
  EXPECT_EQ(ypt.DueTime(At(2026, 8, 28, 9), Priority::kRoutine, area.calendar()),
            At(2026, 9, 14, 23));
}

TEST(ExampleArea, PostcodeToLocality) {
  const Area& area = Example();
  EXPECT_EQ(area.LocalityForPostcode("LE1 6TP"), "city");
  EXPECT_EQ(area.LocalityForPostcode("le5 0aa"), "city");
  EXPECT_EQ(area.LocalityForPostcode("  le16   7ab "), "east");
  EXPECT_EQ(area.LocalityForPostcode("LE167AB"), "east");
  EXPECT_EQ(area.LocalityForPostcode("LE11 3TU"), "west");
  EXPECT_EQ(area.LocalityForPostcode("le15"), "rutland");
  EXPECT_EQ(area.LocalityForPostcode("LE15 6AB"), "rutland");
  EXPECT_EQ(area.LocalityForPostcode("\tLE65 1AA\n"), "west");
  // Outside the table, or not a postcode at all: out of area, never an error.
  EXPECT_EQ(area.LocalityForPostcode("NG7 2RD"), "out-of-area");
  EXPECT_EQ(area.LocalityForPostcode("L1 8JQ"), "out-of-area");
  EXPECT_EQ(area.LocalityForPostcode("LE99 9ZZ"), "out-of-area");
  EXPECT_EQ(area.LocalityForPostcode(""), "out-of-area");
  EXPECT_EQ(area.LocalityForPostcode("my house"), "out-of-area");
  EXPECT_EQ(area.LocalityForPostcode("LE1 6T"), "out-of-area");
  EXPECT_EQ(area.LocalityForPostcode("LE1\xE2\x80\x8B 6TP"), "out-of-area");  // zero-width
}

TEST(PostcodeDistrict, Shapes) {
  EXPECT_EQ(PostcodeDistrict("sw1a 1aa"), "SW1A");
  EXPECT_EQ(PostcodeDistrict("W1A0AX"), "W1A");
  EXPECT_EQ(PostcodeDistrict("M1 1AE"), "M1");
  EXPECT_EQ(PostcodeDistrict("B33 8TH"), "B33");
  EXPECT_EQ(PostcodeDistrict("LE1"), "LE1");
  EXPECT_EQ(PostcodeDistrict("LE16"), "LE16");
  EXPECT_FALSE(PostcodeDistrict("1LE 6TP").has_value());
  EXPECT_FALSE(PostcodeDistrict("LE").has_value());
  EXPECT_FALSE(PostcodeDistrict("LEICESTER").has_value());
}

TEST(ExampleSearch, ByNeedAndAge) {
  const auto ed = SearchIds({.need = "eating-disorder", .age = 15});
  EXPECT_THAT(ed, Contains("eating-disorders"));
  EXPECT_THAT(ed, Contains("camhs"));
  EXPECT_THAT(ed, Not(Contains("early-intervention")));  // excluded there
  const auto adult = SearchIds({.need = "eating-disorder", .age = 19});
  EXPECT_THAT(adult, Not(Contains("eating-disorders")));
  EXPECT_THAT(adult, Not(Contains("camhs")));
  const auto psychosis15 = SearchIds({.need = "psychosis", .age = 15});
  EXPECT_THAT(psychosis15, Contains("eip"));
  EXPECT_THAT(SearchIds({.need = "psychosis", .age = 13}), Not(Contains("eip")));
  EXPECT_THAT(SearchIds({.need = "bereavement"}), Contains("bereavement"));
}

TEST(ExampleSearch, ByLocality) {
  EXPECT_THAT(SearchIds({.need = "anxiety", .locality = "city"}), Contains("ceips"));
  EXPECT_THAT(SearchIds({.need = "anxiety", .locality = "east"}), Not(Contains("ceips")));
  const auto rutland = SearchIds({.locality = "rutland"});
  EXPECT_THAT(rutland, Contains("early-help-rutland"));
  EXPECT_THAT(rutland, Not(Contains("early-help-city")));
  EXPECT_THAT(rutland, Not(Contains("early-help-county")));
  // Out of area: only a service that sees whoever turns up.
  EXPECT_EQ(SearchIds({.locality = "out-of-area"}), std::vector<std::string>{"liaison-psychiatry"});
}

TEST(ExampleSearch, BySource) {
  const auto self = SearchIds({.need = "anxiety", .source = "B1"});
  EXPECT_THAT(self, Contains("online-counselling"));
  EXPECT_THAT(self, Contains("early-intervention"));
  EXPECT_THAT(self, Not(Contains("camhs")));
  EXPECT_THAT(SearchIds({.need = "anxiety", .source = "A1"}), Contains("camhs"));
}

TEST(ExampleSearch, NoFiltersGivesEverything) {
  EXPECT_EQ(SearchIds({}).size(), Example().directory().services().size());
}

TEST(ExampleSearch, BadQueriesNameTheField) {
  auto need = Example().directory().Search({.need = "sadness"});
  ASSERT_FALSE(need.ok());
  EXPECT_EQ(need.status().code(), ErrorCode::kInvalid);
  ASSERT_EQ(need.status().fields().size(), 1u);
  EXPECT_EQ(need.status().fields()[0].path, "need");
  EXPECT_THAT(need.status().fields()[0].message, HasSubstr("\"sadness\""));
  auto age = Example().directory().Search({.age = 26});
  ASSERT_FALSE(age.ok());
  EXPECT_EQ(age.status().fields()[0].path, "age");
  auto loc = Example().directory().Search({.locality = "north"});
  ASSERT_FALSE(loc.ok());
  EXPECT_EQ(loc.status().fields()[0].path, "locality");
  EXPECT_THAT(loc.status().fields()[0].message, HasSubstr("city, east, west, rutland"));
}

TEST(ExampleEligibility, UnmetSaysWhyInPlainWords) {
  const Service* lac = Example().directory().Find("lac-wraparound");
  Candidate c{.age = 12, .locality = "west", .needs = {"placement-breakdown"}};
  EXPECT_THAT(lac->Unmet(c), Contains("is only for context looked-after"));
  c.contexts = {"looked-after"};
  EXPECT_TRUE(lac->Unmet(c).empty());
  c.source = "B1";
  EXPECT_THAT(lac->Unmet(c), Contains("cannot take referrals from source B1"));

  const Service* camhs = Example().directory().Find("camhs");
  const auto why = camhs->Unmet({.age = 19, .locality = "out-of-area", .needs = {"sleep"}});
  EXPECT_THAT(why, Contains("age 19 is over the maximum of 17"));
  EXPECT_THAT(why, Contains("does not serve locality out-of-area"));
  EXPECT_THAT(why, Contains("takes none of the needs given"));

  const Service* ypt = Example().directory().Find("young-peoples-team");
  EXPECT_THAT(ypt->Unmet({.needs = {"trauma"}}),
              Contains(HasSubstr("is only for one of the contexts looked-after, adopted")));
  EXPECT_TRUE(ypt->Unmet({.needs = {"trauma"}, .contexts = {"youth-justice"}}).empty());

  const Service* ei = Example().directory().Find("early-intervention");
  EXPECT_THAT(ei->Unmet({.needs = {"anxiety", "psychosis"}}),
              Contains("does not take need psychosis"));
}

TEST(ExamplePublicJson, ShapeOfAService) {
  const nlohmann::json j = ToPublicJson(*Example().directory().Find("eating-disorders"));
  EXPECT_EQ(j["id"], "eating-disorders");
  EXPECT_EQ(j["teamType"], "C10");
  EXPECT_EQ(j["eligibility"]["maxAge"], 17);
  EXPECT_EQ(j["eligibility"]["localities"], nlohmann::json({"city", "east", "west", "rutland"}));
  EXPECT_EQ(j["accessStandard"]["target"]["amount"], 4);
  EXPECT_EQ(j["accessStandard"]["target"]["unit"], "weeks");
  EXPECT_EQ(j["accessStandard"]["byPriority"]["urgent"]["text"], "1 week");
  EXPECT_EQ(j["accessStandard"]["clockStop"], "treatment-started");
  EXPECT_EQ(j["accessStandard"]["goalPercent"], 95);
  EXPECT_EQ(j["contact"]["example"], true);
  EXPECT_EQ(j["capacity"]["basis"], "example");
  EXPECT_THAT(j["referralSources"].get<std::vector<std::string>>(), Contains("A1"));
  for (const char* key :
       {"name", "description", "offers", "whoMayRefer", "hours", "thriveGroups"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  const nlohmann::json area = ToPublicJson(Example());
  EXPECT_EQ(area["localities"].size(), 4u);
  EXPECT_FALSE(area.contains("postcodeDistricts"));
}

}  // namespace
}  // namespace waymark::directory

namespace waymark::directory {
namespace {

TEST(ExampleEligible, WholeCandidate) {
  const Directory& dir = Example().directory();
  // A 15-year-old in the city, referred by their GP, anxious and low.
  const auto anxious = Ids(dir.Eligible(
      {.age = 15, .locality = "city", .needs = {"anxiety", "low-mood"}, .source = "A1"}));
  EXPECT_THAT(anxious, Contains("early-intervention"));
  EXPECT_THAT(anxious, Contains("camhs"));
  EXPECT_THAT(anxious, Contains("ceips"));
  EXPECT_THAT(anxious, Not(Contains("online-counselling")));  // self-registration only
  EXPECT_THAT(anxious, Not(Contains("lac-wraparound")));
  // A looked-after 12-year-old whose placements keep breaking down, referred by social care.
  const auto lac = Ids(dir.Eligible({.age = 12,
                                     .locality = "west",
                                     .needs = {"placement-breakdown"},
                                     .contexts = {"looked-after"},
                                     .source = "C1"}));
  EXPECT_THAT(lac, Contains("lac-wraparound"));
  EXPECT_THAT(lac, Contains("young-peoples-team"));
  // Someone from outside the area in the emergency department.
  EXPECT_EQ(Ids(dir.Eligible({.age = 17,
                              .locality = "out-of-area",
                              .needs = {"self-harm"},
                              .contexts = {"in-emergency-department"},
                              .source = "H1"})),
            std::vector<std::string>{"liaison-psychiatry"});
}

TEST(ExampleArea, ClockStandardsAsConfigured) {
  const Directory& dir = Example().directory();
  // Online counselling: a first reply the same day, by any means (chat, text...).
  const auto& oc = dir.Find("online-counselling")->access_standard;
  EXPECT_EQ(oc.target, (Target{1, TargetUnit::kSameDay}));
  EXPECT_EQ(oc.clock_stop, ClockStop::kFirstResponse);
  EXPECT_EQ(dir.Find("chat-health")->access_standard.clock_stop, ClockStop::kFirstResponse);
  // Counselling after abuse: allocated within 8 weeks, and nobody over 16 weeks.
  const auto& pac = dir.Find("post-abuse-counselling")->access_standard;
  EXPECT_EQ(pac.clock_stop, ClockStop::kAllocated);
  EXPECT_EQ(pac.target, (Target{8, TargetUnit::kWeeks}));
  ASSERT_TRUE(pac.maximum.has_value());
  EXPECT_EQ(*pac.maximum, (Target{16, TargetUnit::kWeeks}));
  EXPECT_FALSE(dir.Find("camhs")->access_standard.maximum.has_value());
}

}  // namespace
}  // namespace waymark::directory
