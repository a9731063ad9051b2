// ASCII case helpers.
#include "inlet/util/strings.h"

#include <gtest/gtest.h>

namespace inlet {
namespace {

TEST(Strings, CaseFoldsAsciiOnlyAndLeavesOtherBytes) {
  EXPECT_EQ(AsciiLower("cloudFiles.MaxFiles_1"), "cloudfiles.maxfiles_1");
  EXPECT_EQ(AsciiUpper("is not Null"), "IS NOT NULL");
  EXPECT_EQ(AsciiLower("\xC3\x89t\xC3\xA9"), "\xC3\x89t\xC3\xA9");
}

TEST(Strings, EqualsIgnoreCaseComparesWholeStrings) {
  EXPECT_TRUE(EqualsIgnoreCase("availableNow", "AVAILABLENOW"));
  EXPECT_FALSE(EqualsIgnoreCase("once", "onc"));
  EXPECT_FALSE(EqualsIgnoreCase("and", "any"));
}

TEST(Strings, Utf8PrefixNeverEndsInsideACharacter) {
  const std::string text = "ab\xC3\xA9\xE2\x82\xAC";  // a b é €
  EXPECT_EQ(Utf8Prefix(text, 100), text);
  EXPECT_EQ(Utf8Prefix(text, 2), "ab");
  EXPECT_EQ(Utf8Prefix(text, 3), "ab");              // inside é: back to before it
  EXPECT_EQ(Utf8Prefix(text, 4), "ab\xC3\xA9");
  EXPECT_EQ(Utf8Prefix(text, 6), "ab\xC3\xA9");      // inside €
  EXPECT_EQ(Utf8Prefix(text, 0), "");
}

}  // namespace
}  // namespace inlet
