#include <gtest/gtest.h>

#include "security/passwords.h"

namespace waymark::security {
namespace {

TEST(PasswordRules, LengthOverComplexity) {
  EXPECT_TRUE(CheckPasswordRules("purple kettle orbit", "sam").ok());
  EXPECT_TRUE(CheckPasswordRules("abcdefghijkm", "sam").ok());  // 12 plain letters is fine
  auto short_pw = CheckPasswordRules("Tr0ub4dor&3", "sam");     // "complex" but short
  ASSERT_FALSE(short_pw.ok());
  EXPECT_EQ(short_pw.fields()[0].path, "password");
}

TEST(PasswordRules, CommonUsernameAndRepeats) {
  EXPECT_FALSE(CheckPasswordRules("Password2026", "sam").ok());
  EXPECT_FALSE(CheckPasswordRules("correct horse battery staple", "sam").ok());
  EXPECT_FALSE(CheckPasswordRules("samantha-is-my-name", "samantha").ok());
  EXPECT_FALSE(CheckPasswordRules("aaaaaaaaaaaaaaaa", "sam").ok());
  EXPECT_FALSE(CheckPasswordRules(std::string(129, 'x') + "y", "sam").ok());
}

}  // namespace
}  // namespace waymark::security

namespace waymark::security {
namespace {

TEST(PasswordRules, PublishedListWithTheObviousVariants) {
  // From the published list (John the Ripper's password.lst), made long enough.
  for (const char* weak : {"sunshine2026!!", "P@ssw0rd12345", "!!!dragon!!!", "monkeymonkey",
                           "Liverpool1234", "trustno1-trustno1", "qwertyuiop123"}) {
    EXPECT_FALSE(CheckPasswordRules(weak, "sam").ok()) << weak;
  }
  for (const char* fine : {"purple kettle orbit", "amber orchard kite seven",
                           "violet harbour tram lantern", "x7#Kq9!mR2vL"}) {
    EXPECT_TRUE(CheckPasswordRules(fine, "sam").ok()) << fine;
  }
}

}  // namespace
}  // namespace waymark::security
