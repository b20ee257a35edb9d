#include "domain/referral.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "domain/crisis.h"

namespace waymark::domain {
namespace {

using nlohmann::json;

const Date kToday{2026, 11, 23};

json Valid() {
  return json::parse(R"({
    "referrer": {"type": "professional", "name": "Dr Example", "role": "GP",
                 "organisation": "Example Surgery", "email": "gp@example.org"},
    "youngPerson": {"givenName": "Sam", "familyName": "Example", "dateOfBirth": "2012-01-31",
                    "nhsNumber": "943 476 5919", "postcode": "le2 7qq"},
    "source": "A1", "needs": ["low-mood"], "risks": [], "context": ["young-carer"],
    "impact": "moderate", "durationWeeks": 8,
    "consent": {"youngPersonAgrees": true, "parentMayBeContacted": true}})");
}

std::set<std::string> Paths(const Status& s) {
  std::set<std::string> out;
  for (const auto& f : s.fields()) out.insert(f.path);
  return out;
}

TEST(ReferralSubmission, ParsesAndNormalises) {
  auto r = ParseReferralSubmission(Valid(), kToday);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->youngPerson.nhsNumber, "9434765919");
  EXPECT_EQ(r->youngPerson.postcode, "LE2 7QQ");
  EXPECT_EQ(r->ageOnReceipt, 14);
  EXPECT_EQ(r->referrer.type, ReferrerType::kProfessional);
  EXPECT_EQ(r->durationWeeks, 8);
}

TEST(ReferralSubmission, RoundTripsThroughJson) {
  auto r = ParseReferralSubmission(Valid(), kToday);
  ASSERT_TRUE(r.ok());
  auto again = ParseReferralSubmission(ToJson(*r), kToday);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(ToJson(*again), ToJson(*r));
}

TEST(ReferralSubmission, NamesEveryBadField) {
  json j = Valid();
  j["youngPerson"]["dateOfBirth"] = "2027-01-01";
  j["youngPerson"]["nhsNumber"] = "9434765918";
  j["source"] = "B1";
  j["needs"] = {"low-mood", "bogus"};
  j["extra"] = 1;
  auto r = ParseReferralSubmission(j, kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalid);
  EXPECT_EQ(Paths(r.status()),
            (std::set<std::string>{"youngPerson.dateOfBirth", "youngPerson.nhsNumber", "source",
                                   "needs[1]", "extra"}));
}

TEST(ReferralSubmission, AgeLimitIsTwentyFiveOnTheDayReceived) {
  json j = Valid();
  j["youngPerson"]["dateOfBirth"] = "2001-11-23";  // 25 today
  EXPECT_TRUE(ParseReferralSubmission(j, kToday).ok());
  j["youngPerson"]["dateOfBirth"] = "2000-11-23";  // 26 today
  EXPECT_FALSE(ParseReferralSubmission(j, kToday).ok());
  j["youngPerson"]["dateOfBirth"] = "2000-11-24";  // 26 tomorrow
  EXPECT_TRUE(ParseReferralSubmission(j, kToday).ok());
}

TEST(ReferralSubmission, LocalityInsteadOfPostcode) {
  json j = Valid();
  j["youngPerson"].erase("postcode");
  EXPECT_EQ(Paths(ParseReferralSubmission(j, kToday).status()),
            (std::set<std::string>{"youngPerson.postcode"}));
  j["locality"] = "city";
  EXPECT_TRUE(ParseReferralSubmission(j, kToday).ok());
}

TEST(ReferralSubmission, NotAnObject) {
  EXPECT_FALSE(ParseReferralSubmission(json::array(), kToday).ok());
  EXPECT_FALSE(ParseReferralSubmission(json(), kToday).ok());
  EXPECT_FALSE(ParseReferralSubmission(json("x"), kToday).ok());
}

TEST(Crisis, RisksContextAndWords) {
  EXPECT_FALSE(SignalsImmediateDanger(Valid()));
  json j = Valid();
  j["risks"] = {"suicide-plan"};
  EXPECT_TRUE(SignalsImmediateDanger(j));
  j = Valid();
  j["context"] = {"in-emergency-department"};
  EXPECT_TRUE(SignalsImmediateDanger(j));
  j = Valid();
  j["description"] = "She said she wants to END IT ALL";
  EXPECT_TRUE(SignalsImmediateDanger(j));
  EXPECT_FALSE(SignalsImmediateDanger(json::array()));
  EXPECT_TRUE(ContainsCrisisWords("thinking about suicide"));
  EXPECT_FALSE(ContainsCrisisWords("worried about exams"));
  // What people write, not only the clinical words; curly apostrophes from phones.
  for (const char* t :
       {"I took 20 paracetamol last night", "she OVERDOSED at the weekend",
        "I don\u2019t want to be here any more", "he has a knife in his room",
        "my step-dad hits me", "found a noose in her wardrobe",
        // punctuation, capitals, missing apostrophes, line breaks, slang
        "I feel like I want to KILL myself, honestly", "i dont want to be alive", "kms",
        "I'm going to end it all!!", "thinking of\nkilling myself", "she has been Self-Harming",
        "I cant go on like this", "taken tablets tonight", "he wants to end...it all"}) {
    EXPECT_TRUE(ContainsCrisisWords(t)) << t;
  }
  // Word starts only, and everyday words are not alarms.
  for (const char* t :
       {"hanging out with friends", "her mood is stable now", "we grow grapes", "the begun project",
        "he has good skills", "a kind of skill", "tms therapy", "they are alive and well"}) {
    EXPECT_FALSE(ContainsCrisisWords(t)) << t;
  }
  auto signals = CrisisSignals();
  EXPECT_NE(std::find(signals["risks"].begin(), signals["risks"].end(), "suicide-plan"),
            signals["risks"].end());
  EXPECT_GT(signals["words"].size(), 50u);
  auto help = CrisisHelp().dump();
  for (const char* n : {"999", "111", "85258", "0800 1111", "116 123"}) {
    EXPECT_NE(help.find(n), std::string::npos) << n;
  }
}

}  // namespace
}  // namespace waymark::domain
