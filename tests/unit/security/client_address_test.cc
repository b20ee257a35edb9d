#include "security/client_address.h"

#include <gtest/gtest.h>

namespace waymark::security {
namespace {

TEST(RateLimitKey, Ipv4WholeIpv6ByItsSlash64) {
  EXPECT_EQ(RateLimitKey("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(RateLimitKey("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  // Any address of the same /64 counts as the same client.
  EXPECT_EQ(RateLimitKey("2001:db8:1:2:ffff::1"), RateLimitKey("2001:db8:1:2::9"));
  EXPECT_NE(RateLimitKey("2001:db8:1:2::1"), RateLimitKey("2001:db8:1:3::1"));
  EXPECT_EQ(RateLimitKey("[2001:db8:1:2::1]"), "2001:db8:1:2::/64");
  EXPECT_EQ(RateLimitKey("fe80::1%eth0"), "fe80::/64");
  EXPECT_EQ(RateLimitKey("::ffff:203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(RateLimitKey("not an address"), "not an address");
}

}  // namespace
}  // namespace waymark::security
