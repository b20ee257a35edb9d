#include "domain/identifiers.h"

#include <gtest/gtest.h>

namespace waymark::domain {
namespace {

TEST(NhsNumber, AcceptsValidWithSpacesAndHyphens) {
  EXPECT_EQ(NormaliseNhsNumber("9434765919"), "9434765919");
  EXPECT_EQ(NormaliseNhsNumber("943 476 5919"), "9434765919");
  EXPECT_EQ(NormaliseNhsNumber("943-476-5919"), "9434765919");
}

TEST(NhsNumber, RejectsWrongCheckDigitLengthAndLetters) {
  EXPECT_FALSE(NormaliseNhsNumber("9434765918"));
  EXPECT_FALSE(NormaliseNhsNumber("943476591"));
  EXPECT_FALSE(NormaliseNhsNumber("94347659190"));
  EXPECT_FALSE(NormaliseNhsNumber("94347659l9"));
  EXPECT_FALSE(NormaliseNhsNumber(""));
}

TEST(NhsNumber, RemainderOneMeansNoValidNumber) {
  // Digits whose weighted sum leaves remainder 1 need check digit 10: never valid.
  // 000000001x: sum = 1*2 = 2 -> check 9; 000000010x: 1*3=3 -> 8; find one with remainder 1:
  // 100000000x: 1*10 = 10 -> remainder 10 -> check 1. 000001000x: 1*5=5 -> 6.
  // 010000001x: 9 + 2 = 11 -> remainder 0 -> check 11 -> 0.
  EXPECT_EQ(NormaliseNhsNumber("0100000010"), "0100000010");
  // 000000006x: 6*2=12 -> remainder 1 -> check 10 -> invalid whatever the last digit.
  for (char d = '0'; d <= '9'; ++d) {
    EXPECT_FALSE(NormaliseNhsNumber(std::string("000000006") + d)) << d;
  }
}

TEST(NhsNumber, Formats3_3_4) { EXPECT_EQ(FormatNhsNumber("9434765919"), "943 476 5919"); }

TEST(Postcode, NormalisesCaseAndSpacing) {
  EXPECT_EQ(NormalisePostcode("le1 5ww"), "LE1 5WW");
  EXPECT_EQ(NormalisePostcode("LE15WW"), "LE1 5WW");
  EXPECT_EQ(NormalisePostcode("  le15  7aa "), "LE15 7AA");
  EXPECT_EQ(NormalisePostcode("SW1A 1AA"), "SW1A 1AA");
  EXPECT_EQ(NormalisePostcode("M1 1AE"), "M1 1AE");
  EXPECT_EQ(NormalisePostcode("GIR 0AA"), "GIR 0AA");
}

TEST(Postcode, RejectsWrongShapes) {
  for (const char* bad :
       {"", "LE1", "12345", "LE1 5W", "LE1-5WW", "LEE1 5WW", "L 5WW", "GIR 1AA", "LE1 5WWW"}) {
    EXPECT_FALSE(NormalisePostcode(bad)) << bad;
  }
}

TEST(Postcode, District) {
  EXPECT_EQ(PostcodeDistrict("LE1 5WW"), "LE1");
  EXPECT_EQ(PostcodeDistrict("SW1A 1AA"), "SW1A");
}

}  // namespace
}  // namespace waymark::domain
