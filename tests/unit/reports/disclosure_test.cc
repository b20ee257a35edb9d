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

// Every boundary through Publish, not only the helpers: 0, 4, 5, 7, 8 in one column.
TEST(Disclosure, PublishCountBoundaries) {
  Table t{"t", "T", {"label", "n"}, {}};
  for (int n : {0, 4, 5, 7, 8}) t.rows.push_back({Cell::Text(std::to_string(n)), Cell::Count(n)});
  json rows = Publish(t)["rows"];
  EXPECT_EQ(rows,
            json::array({json::array({"0", "*"}), json::array({"4", "*"}), json::array({"5", 5}),
                         json::array({"7", 5}), json::array({"8", 10})}));
}

TEST(Disclosure, MedianNeedsFiveValuesOtherPercentilesTen) {
  EXPECT_EQ(MinimumValuesFor(50), 5);
  EXPECT_EQ(MinimumValuesFor(90), 10);
  Table t{"t", "T", {"values", "median", "p90"}, {}};
  for (int n : {4, 5, 9, 10}) {
    t.rows.push_back({Cell::Count(n), Cell::Measure(3.0, n, 50), Cell::Measure(7.0, n, 90)});
  }
  json rows = Publish(t)["rows"];
  EXPECT_EQ(rows[0], json({"*", "*", "*"}));  // 4 values: nothing
  EXPECT_EQ(rows[1], json({5, 3.0, "*"}));    // 5: the median, not the 90th percentile
  EXPECT_EQ(rows[2], json({10, 3.0, "*"}));   // 9: still no 90th percentile
  EXPECT_EQ(rows[3], json({10, 3.0, 7.0}));   // 10: both
}

// The complement case: one hidden cell in a column with a published total would be total
// minus the others. The next smallest count is hidden with it.
TEST(Disclosure, ComplementSuppressionInAColumn) {
  Table t{"by-locality", "Referrals by locality", {"locality", "referrals"}, {}};
  t.rows.push_back({Cell::Text("city"), Cell::Count(177)});
  t.rows.push_back({Cell::Text("east"), Cell::Count(88)});
  t.rows.push_back({Cell::Text("rutland"), Cell::Count(3)});
  t.rows.push_back({Cell::Text("west"), Cell::Count(154)});
  t.AddTotalRow("all referrals", {1});
  ASSERT_EQ(t.rows.back()[1].count, 422);
  json rows = Publish(t)["rows"];
  EXPECT_EQ(rows[2][1], "*");  // primary: 3
  EXPECT_EQ(rows[1][1], "*");  // secondary: 88, the next smallest
  EXPECT_EQ(rows[0][1], 175);
  EXPECT_EQ(rows[3][1], 155);
  EXPECT_EQ(rows[4], json({"all referrals", 420}));
  EXPECT_EQ(Publish(t)["totalRows"], json({4}));  // charts leave the total out
}

TEST(Disclosure, NoSecondCellWhenNothingOrTwoAreHidden) {
  Table none{"t", "T", {"g", "n"}, {}};
  none.rows.push_back({Cell::Text("a"), Cell::Count(10)});
  none.rows.push_back({Cell::Text("b"), Cell::Count(20)});
  none.AddTotalRow("all", {1});
  EXPECT_EQ(Publish(none)["rows"], json::array({json::array({"a", 10}), json::array({"b", 20}),
                                                json::array({"all", 30})}));
  // Two hidden cells: their sum is known, neither is.
  Table two{"t", "T", {"g", "n"}, {}};
  for (int n : {2, 3, 40}) two.rows.push_back({Cell::Text(std::to_string(n)), Cell::Count(n)});
  two.AddTotalRow("all", {1});
  EXPECT_EQ(Publish(two)["rows"], json::array({json::array({"2", "*"}), json::array({"3", "*"}),
                                               json::array({"40", 40}), json::array({"all", 45})}));
  // A hidden total: no sum to subtract from, nothing more hidden.
  Table small{"t", "T", {"g", "n"}, {}};
  small.rows.push_back({Cell::Text("a"), Cell::Count(1)});
  small.rows.push_back({Cell::Text("b"), Cell::Count(2)});
  small.AddTotalRow("all", {1});
  EXPECT_EQ(Publish(small)["rows"], json::array({json::array({"a", "*"}), json::array({"b", "*"}),
                                                 json::array({"all", "*"})}));
}

// Rows and columns both add up (a service x reason table): hiding a second cell in a row can
// leave a column with one hidden cell, which then needs a second of its own.
TEST(Disclosure, ComplementSuppressionAcrossRowsAndColumns) {
  // columns: label, total, reason A, reason B, reason C
  Table t{"t", "T", {"service", "total", "A", "B", "C"}, {}};
  t.rows.push_back(
      {Cell::Text("s1"), Cell::Count(0), Cell::Count(3), Cell::Count(20), Cell::Count(30)});
  t.rows.push_back(
      {Cell::Text("s2"), Cell::Count(0), Cell::Count(25), Cell::Count(40), Cell::Count(50)});
  for (size_t r = 0; r < 2; ++r) {
    int64_t n = 0;
    for (size_t c = 2; c < 5; ++c) n += t.rows[r][c].count;
    t.rows[r][1] = Cell::Count(n);
    t.SumAcross(r, 1, {2, 3, 4});
  }
  t.AddTotalRow("all services", {1, 2, 3, 4});
  auto hidden = HiddenCells(t);
  EXPECT_TRUE(hidden[0][2]);   // primary: 3
  EXPECT_TRUE(hidden[0][3]);   // row s1: the next smallest, 20
  EXPECT_TRUE(hidden[1][2]);   // column A: s2's 25, else A = 28 - 25
  EXPECT_TRUE(hidden[1][3]);   // column B had 20 hidden: s2's 40 too, else B = 60 - 40
  EXPECT_FALSE(hidden[0][4]);  // s1's C: its row already has two hidden
  EXPECT_FALSE(hidden[1][4]);
  EXPECT_FALSE(hidden[2][1]);  // totals stay
  // No declared sum is left with exactly one hidden part.
  for (const Sum& s : t.sums) {
    int n = 0;
    for (const auto& p : s.parts) n += hidden[p.row][p.col];
    EXPECT_NE(n, 1) << "sum at row " << s.total.row << " col " << s.total.col;
  }
}

// accepted (%) and declined (%) add up to 100: a hidden accepted count must hide both shares,
// else accepted = declined / share − declined.
TEST(Disclosure, PercentHiddenWithTheCountsItIsMadeFrom) {
  Table t{"t", "T", {"service", "accepted", "declined", "accepted (%)", "declined (%)"}, {}};
  t.rows.push_back({Cell::Text("camhs"), Cell::Count(3), Cell::Count(20),
                    Cell::Percent(3, 23, {1, 2}), Cell::Percent(20, 23, {1, 2})});
  EXPECT_EQ(Publish(t)["rows"][0], json({"camhs", "*", 20, "*", "*"}));
}

TEST(Disclosure, UnroundedShowsEveryFigureAsCounted) {
  Table t{"t", "T", {"g", "n", "share", "median"}, {}};
  t.rows.push_back(
      {Cell::Text("a"), Cell::Count(3), Cell::Percent(3, 8, {1}), Cell::Measure(2.0, 3, 50)});
  t.rows.push_back(
      {Cell::Text("b"), Cell::Count(7), Cell::Percent(7, 8, {1}), Cell::Measure(4.0, 7, 50)});
  t.AddTotalRow("all", {1});
  EXPECT_EQ(Publish(t)["rows"][0], json({"a", "*", "*", "*"}));
  EXPECT_EQ(Publish(t)["rows"][1], json({"b", "*", "*", 4.0}));  // complement of a
  json raw = Publish(t, Release::kUnrounded);
  EXPECT_EQ(raw["rows"][0], json({"a", 3, 37.5, 2.0}));
  EXPECT_EQ(raw["rows"][2], json({"all", 10, "", ""}));
  EXPECT_NE(raw["disclosureControl"].get<std::string>().find("national analyst"),
            std::string::npos);
}

}  // namespace
}  // namespace waymark::reports
