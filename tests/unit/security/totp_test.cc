#include "security/totp.h"

#include <gtest/gtest.h>

namespace waymark::security {
namespace {

// RFC 6238 appendix B, SHA-1, seed "12345678901234567890" (8 digits there; 6 are its tail).
TEST(Totp, Rfc6238Vectors) {
  std::string seed = "12345678901234567890";
  EXPECT_EQ(TotpCode(seed, 59 / 30, 8), "94287082");
  EXPECT_EQ(TotpCode(seed, 1111111109 / 30, 8), "07081804");
  EXPECT_EQ(TotpCode(seed, 1234567890 / 30, 8), "89005924");
  EXPECT_EQ(TotpCode(seed, 2000000000 / 30, 8), "69279037");
  EXPECT_EQ(TotpCode(seed, 59 / 30), "287082");
}

TEST(Totp, Base32RoundTripAndVerifyWindow) {
  std::string seed = "12345678901234567890";
  std::string b32 = Base32Encode(seed);
  EXPECT_EQ(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(Base32Decode(b32), seed);
  EXPECT_FALSE(Base32Decode("not base32!"));
  EXPECT_EQ(VerifyTotp(b32, "287082", 59), 1u);
  EXPECT_EQ(VerifyTotp(b32, "287082", 59 + 30), 1u);  // one step late is accepted
  EXPECT_FALSE(VerifyTotp(b32, "287082", 59 + 90));   // three steps late is not
  EXPECT_FALSE(VerifyTotp(b32, "000000", 59));
  EXPECT_FALSE(VerifyTotp(b32, "28708", 59));
  EXPECT_NE(TotpUri(b32, "demo user").find("otpauth://totp/Waymark:demo%20user?secret="),
            std::string::npos);
}

}  // namespace
}  // namespace waymark::security
