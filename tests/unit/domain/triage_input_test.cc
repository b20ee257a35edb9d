#include "domain/triage_input.h"

#include <gtest/gtest.h>

#include <set>

namespace waymark::domain {
namespace {

using nlohmann::json;

TEST(TriageInput, ParsesTheContractExample) {
  auto r = ParseTriageInput(json::parse(R"({"age": 15, "postcode": "le1 5ww", "source": "A1",
      "needs": ["anxiety"], "risks": ["self-harm-recent"], "context": ["young-carer"],
      "impact": "moderate", "durationWeeks": 10, "description": "x"})"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->postcode, "LE1 5WW");
  EXPECT_EQ(r->age, 15);
  auto again = ParseTriageInput(ToJson(*r));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(ToJson(*again), ToJson(*r));
}

TEST(TriageInput, NamesFieldsAndAllowedValues) {
  auto r = ParseTriageInput(json::parse(R"({"age": 30, "source": "Q9", "needs": ["worry"],
      "impact": "lots", "colour": "red"})"));
  ASSERT_FALSE(r.ok());
  std::set<std::string> paths;
  for (const auto& f : r.status().fields()) paths.insert(f.path);
  EXPECT_EQ(paths,
            (std::set<std::string>{"age", "source", "needs[0]", "impact", "colour", "postcode"}));
  for (const auto& f : r.status().fields()) {
    if (f.path == "needs[0]") {
      EXPECT_NE(f.message.find("anxiety"), std::string::npos);
    }
  }
}

TEST(TriageInput, OutOfAreaLocalityIsNotAnError) {
  auto r = ParseTriageInput(json::parse(R"({"age": 12, "locality": "out-of-area", "source": "B1",
      "impact": "mild"})"));
  EXPECT_TRUE(r.ok());
}

TEST(Priority, MhsdsCodes) {
  EXPECT_EQ(ClinRespPriorityType(Priority::kEmergency), 1);
  EXPECT_EQ(ClinRespPriorityType(Priority::kVeryUrgent), 4);
  EXPECT_EQ(ClinRespPriorityType(Priority::kUrgent), 2);
  EXPECT_EQ(ClinRespPriorityType(Priority::kRoutine), 3);
  EXPECT_EQ(ParsePriority("very-urgent"), Priority::kVeryUrgent);
  EXPECT_FALSE(ParsePriority("soon"));
}

}  // namespace
}  // namespace waymark::domain
