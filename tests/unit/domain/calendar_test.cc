#include "domain/calendar.h"

#include <gtest/gtest.h>

namespace waymark::domain {
namespace {

TEST(Date, ParsesOnlyRealDays) {
  EXPECT_EQ(ParseDate("2024-02-29"), (Date{2024, 2, 29}));
  EXPECT_FALSE(ParseDate("2023-02-29"));
  EXPECT_FALSE(ParseDate("2023-13-01"));
  EXPECT_FALSE(ParseDate("2023-1-01"));
  EXPECT_FALSE(ParseDate("01/02/2023"));
  EXPECT_FALSE(ParseDate("2023-01-01T00:00"));
  EXPECT_FALSE(ParseDate("+023-01-01"));
}

TEST(Date, DaysRoundTrip) {
  for (long d : {-1000L, 0L, 1L, 19000L, 20415L}) EXPECT_EQ(DaysFromEpoch(DateFromDays(d)), d);
  EXPECT_EQ(DaysFromEpoch({1970, 1, 1}), 0);
}

TEST(Age, CountsWholeYears) {
  EXPECT_EQ(AgeOn({2010, 6, 15}, {2026, 6, 14}), 15);
  EXPECT_EQ(AgeOn({2010, 6, 15}, {2026, 6, 15}), 16);
  EXPECT_EQ(AgeOn({2008, 2, 29}, {2026, 2, 28}), 17);  // leap-day birthday counts on 1 March
  EXPECT_EQ(AgeOn({2008, 2, 29}, {2026, 3, 1}), 18);
  EXPECT_EQ(AgeOn({2026, 1, 1}, {2026, 1, 1}), 0);
}

TEST(Timestamp, FormatsAndParsesUtc) {
  auto t = ParseTimestamp("2026-11-23T03:45:12.123Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatTimestamp(*t), "2026-11-23T03:45:12.123Z");
  auto offset = ParseTimestamp("2026-06-01T10:00:00+01:00");
  ASSERT_TRUE(offset);
  EXPECT_EQ(FormatTimestamp(*offset), "2026-06-01T09:00:00.000Z");
  EXPECT_FALSE(ParseTimestamp("2026-06-01 10:00:00Z"));
  EXPECT_FALSE(ParseTimestamp("2026-06-01T25:00:00Z"));
  EXPECT_FALSE(ParseTimestamp("2026-06-01T10:00:00"));
  EXPECT_EQ(DateOf(*t), (Date{2026, 11, 23}));
}

}  // namespace
}  // namespace waymark::domain
