// The coverage check of `waymark rules test`: a priority, THRIVE group or service that no
// clinical case reaches is reported by name.
#include "rules/cases.h"

#include <gtest/gtest.h>

namespace waymark::rules {
namespace {

CaseOutcome Decided(std::string priority, std::string group, std::vector<std::string> services) {
  CaseOutcome o;
  o.priority = std::move(priority);
  o.thriveGroup = std::move(group);
  o.services = std::move(services);
  return o;
}

TEST(ClinicalCases, CoverageGapsNameWhatNoCaseReaches) {
  std::vector<CaseOutcome> cases = {
      Decided("emergency", "getting-risk-support", {"crisis", "camhs"}),
      Decided("routine", "getting-advice", {"online-counselling"}),
  };
  auto gaps = CoverageGaps(cases, {"crisis", "online-counselling", "camhs"});
  std::vector<std::string> want = {
      "no case decides priority very-urgent",
      "no case decides priority urgent",
      "no case puts a young person in THRIVE group thriving",
      "no case puts a young person in THRIVE group getting-help",
      "no case puts a young person in THRIVE group getting-more-help",
      // camhs appears, but only second: it is not shown to be reachable as a recommendation.
      "no case recommends camhs first",
  };
  EXPECT_EQ(gaps, want);
}

TEST(ClinicalCases, NoGapsWhenEverythingIsReached) {
  std::vector<CaseOutcome> cases = {
      Decided("emergency", "getting-risk-support", {"crisis"}),
      Decided("very-urgent", "getting-more-help", {"camhs"}),
      Decided("urgent", "getting-help", {"crisis"}),
      Decided("routine", "getting-advice", {"crisis"}),
      Decided("routine", "thriving", {"crisis"}),
  };
  EXPECT_TRUE(CoverageGaps(cases, {"crisis", "camhs"}).empty());
}

}  // namespace
}  // namespace waymark::rules
