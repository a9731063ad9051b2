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

}  // namespace
}  // namespace inlet
