#include "security/tokens.h"

#include <gtest/gtest.h>

#include <set>

#include "security/passwords.h"

namespace waymark::security {
namespace {

TEST(Reference, ShortReadableAndUnique) {
  ASSERT_TRUE(InitCrypto());
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    std::string r = NewReference();
    ASSERT_EQ(r.size(), 12u) << r;
    for (char bad : std::string("01IL2Z5S8BOUV")) {
      EXPECT_EQ(r.substr(3).find(bad), std::string::npos) << r;
    }
    EXPECT_TRUE(IsReferenceShape(r));
    seen.insert(r);
  }
  EXPECT_EQ(seen.size(), 2000u);
}

TEST(Reference, NormalisesWhatPeopleType) {
  EXPECT_EQ(NormaliseReference("wm k7mx 3qpa"), "WM-K7MX-3QPA");
  EXPECT_EQ(NormaliseReference("K7MX3QPA"), "WM-K7MX-3QPA");
  EXPECT_EQ(NormaliseReference("short"), "");
  EXPECT_FALSE(IsReferenceShape("WM-K7MX-3QP0"));
}

TEST(Secrets, UnguessableAndHashed) {
  ASSERT_TRUE(InitCrypto());
  std::string a = NewSecret(), b = NewSecret();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);  // 32 bytes, base64url without padding
  EXPECT_EQ(HashSecret(a), HashSecret(a));
  EXPECT_NE(HashSecret(a), HashSecret(b));
  EXPECT_EQ(HashSecret(a).size(), 64u);
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST(Passwords, Argon2idRoundTrip) {
  ASSERT_TRUE(InitCrypto());
  auto h = HashPassword("correct horse battery staple");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(*h, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*h, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPassword("garbage", "x"));
  EXPECT_FALSE(VerifyPassword(DummyPasswordHash(), ""));
}

}  // namespace
}  // namespace waymark::security
