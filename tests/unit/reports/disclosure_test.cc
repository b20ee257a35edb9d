#include "reports/disclosure.h"

#include <gtest/gtest.h>

namespace waymark::reports {
namespace {

using nlohmann::json;

TEST(Disclosure, CountBoundaries) {
  EXPECT_EQ(DiscloseCount(0), "*");
  EXPECT_EQ(DiscloseCount(4), "*");
  EXPECT_EQ(DiscloseCount(5), 5);
  EXPECT_EQ(DiscloseCount(7), 5);
  EXPECT_EQ(DiscloseCount(8), 10);
  EXPECT_EQ(DiscloseCount(12), 10);
  EXPECT_EQ(DiscloseCount(13), 15);
  EXPECT_EQ(DiscloseCount(1002), 1000);
}

TEST(Disclosure, PercentBoundaries) {
  EXPECT_EQ(DisclosePercent(4, 100), "*");
  EXPECT_EQ(DisclosePercent(5, 4), "*");
  EXPECT_EQ(DisclosePercent(5, 8), 63);
  EXPECT_EQ(DisclosePercent(7, 7), 100);
  EXPECT_EQ(DisclosePercent(0, 100), "*");
}

TEST(Disclosure, PublishAppliesToEveryCell) {
  Table t{"t", "T", {"label", "count", "share", "median days"}, {}};
  t.rows.push_back(
      {Cell::Text("city"), Cell::Count(3), Cell::Percent(3, 10), Cell::Measure(12.25, 4)});
  t.rows.push_back(
      {Cell::Text("east"), Cell::Count(8), Cell::Percent(8, 10), Cell::Measure(12.25, 5)});
  json j = Publish(t);
  EXPECT_EQ(j["rows"][0], json({"city", "*", "*", "*"}));
  EXPECT_EQ(j["rows"][1], json({"east", 10, 80, 12.3}));
  EXPECT_EQ(PublishCsv(t), "label,count,share,median days\ncity,*,*,*\neast,10,80,12.3\n");
}

}  // namespace
}  // namespace waymark::reports
