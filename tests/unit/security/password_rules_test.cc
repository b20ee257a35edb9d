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
