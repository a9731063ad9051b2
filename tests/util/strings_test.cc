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

TEST(Strings, Utf8ChecksRejectOverlongSurrogatesAndCutSequences) {
  EXPECT_EQ(FindInvalidUtf8("ascii \xC3\xA9 \xF0\x9F\x98\x80"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\xAF"), 2u);      // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("a\xED\xA0\x80"), 1u);  // a surrogate
  EXPECT_EQ(FindInvalidUtf8("a\xF4\x90\x80\x80"), 1u);  // past U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("abc\xE2\x82"), 3u);     // cut at the end
  // Each byte that starts no character becomes U+FFFD; the characters around it stay.
  EXPECT_EQ(ToValidUtf8("a\xFF\xC3\xA9\xE2\x82"), "a\xEF\xBF\xBD\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD");
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
