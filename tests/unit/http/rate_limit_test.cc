#include "http/rate_limit.h"

#include <gtest/gtest.h>

namespace waymark::http {
namespace {

TEST(RateLimiter, BurstThenSustainedRatePerClient) {
  RateLimiter limiter({3, 60});  // burst 3, one a second
  auto t0 = RateLimiter::Clock::now();
  std::chrono::seconds retry{0};
  EXPECT_TRUE(limiter.Allow("a", &retry, t0));
  EXPECT_TRUE(limiter.Allow("a", &retry, t0));
  EXPECT_TRUE(limiter.Allow("a", &retry, t0));
  EXPECT_FALSE(limiter.Allow("a", &retry, t0));
  EXPECT_EQ(retry.count(), 1);
  EXPECT_TRUE(limiter.Allow("b", &retry, t0));  // another client has its own bucket
  EXPECT_TRUE(limiter.Allow("a", &retry, t0 + std::chrono::milliseconds(1001)));
  EXPECT_FALSE(limiter.Allow("a", &retry, t0 + std::chrono::milliseconds(1002)));
  // Long idle refills only up to the burst.
  auto later = t0 + std::chrono::hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow("a", &retry, later));
  EXPECT_FALSE(limiter.Allow("a", &retry, later));
}

}  // namespace
}  // namespace waymark::http
