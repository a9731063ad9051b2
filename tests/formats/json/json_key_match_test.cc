// RawKeyMatcher: a key's raw text (after its opening quote) against a known plain name.
#include "inlet/formats/json/json_key_match.h"

#include <string>

#include <gtest/gtest.h>

namespace inlet::json {
namespace {

// The key's text as it sits in a document: name, closing quote, rest of the record, and
// padding (the matcher reads up to 16 bytes from the key's start).
std::string KeyText(const std::string& key, const std::string& rest = ": 1}") {
  return key + "\"" + rest + std::string(64, ' ');
}

TEST(RawKeyMatcher, MatchesOnlyTheWholeName) {
  RawKeyMatcher temp("temp");
  EXPECT_TRUE(temp.Matches(KeyText("temp").c_str()));
  EXPECT_FALSE(temp.Matches(KeyText("tem").c_str()));        // a prefix of the name
  EXPECT_FALSE(temp.Matches(KeyText("temps").c_str()));      // the name is a prefix of it
  EXPECT_FALSE(temp.Matches(KeyText("Temp").c_str()));
  EXPECT_FALSE(temp.Matches(KeyText("te\\u006dp").c_str()));  // escaped: left to the slow path
}

TEST(RawKeyMatcher, NamesAroundTheTwoWordLimitMatch) {
  // 15 characters and the quote fill the two words; 16 and more compare with memcmp.
  for (size_t length : {1u, 7u, 8u, 14u, 15u, 16u, 17u, 40u}) {
    const std::string name(length, 'k');
    RawKeyMatcher matcher(name);
    EXPECT_TRUE(matcher.Matches(KeyText(name).c_str())) << length;
    EXPECT_FALSE(matcher.Matches(KeyText(name + "k").c_str())) << length;
    EXPECT_FALSE(matcher.Matches(KeyText(name.substr(1)).c_str())) << length;
    std::string last_differs = name;
    last_differs.back() = 'j';
    EXPECT_FALSE(matcher.Matches(KeyText(last_differs).c_str())) << length;
  }
}

TEST(RawKeyMatcher, EmptyNameMatchesOnlyTheEmptyKey) {
  RawKeyMatcher empty("");
  EXPECT_TRUE(empty.Matches(KeyText("").c_str()));
  EXPECT_FALSE(empty.Matches(KeyText("a").c_str()));
}

TEST(RawKeyMatcher, MultiByteNamesCompareByBytes) {
  RawKeyMatcher name("t\xC3\xA9mp");  // "témp"
  EXPECT_TRUE(name.Matches(KeyText("t\xC3\xA9mp").c_str()));
  EXPECT_FALSE(name.Matches(KeyText("temp").c_str()));
}

}  // namespace
}  // namespace inlet::json
