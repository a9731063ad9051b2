// The raw-text scans behind inference's and the converter's hot paths: key equality,
// escape detection, and number kinds, read in place from a padded document.
#include "inlet/formats/json/json_raw_text.h"

#include <cstring>
#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace inlet::json {
namespace {

using raw_text::HasEscape;
using raw_text::PlainNumberKind;
using raw_text::RawKeyEquals;

// Text as it sits in a document after an opening quote (or at a number): the token, what
// follows it, and padding (the scans read up to 32 bytes ahead).
std::string Padded(const std::string& token, const std::string& rest = "\": 1}") {
  return token + rest + std::string(64, ' ');
}

TEST(RawKeyEquals, MatchesOnlyTheWholeName) {
  EXPECT_TRUE(RawKeyEquals(Padded("temp").c_str(), "temp"));
  EXPECT_FALSE(RawKeyEquals(Padded("tem").c_str(), "temp"));        // a prefix of the name
  EXPECT_FALSE(RawKeyEquals(Padded("temps").c_str(), "temp"));      // the name is a prefix of it
  EXPECT_FALSE(RawKeyEquals(Padded("Temp").c_str(), "temp"));
  EXPECT_FALSE(RawKeyEquals(Padded("te\\u006dp").c_str(), "temp"));  // escaped: left to the slow path
}

TEST(RawKeyEquals, NamesOfEveryLengthAroundTheWordSizesMatch) {
  for (size_t length : {1u, 3u, 4u, 7u, 8u, 9u, 15u, 16u, 17u, 31u, 32u, 33u, 40u}) {
    const std::string name(length, 'k');
    EXPECT_TRUE(RawKeyEquals(Padded(name).c_str(), name)) << length;
    EXPECT_FALSE(RawKeyEquals(Padded(name + "k").c_str(), name)) << length;
    EXPECT_FALSE(RawKeyEquals(Padded(name.substr(1)).c_str(), name)) << length;
    for (size_t at : {size_t{0}, length / 2, length - 1}) {
      std::string differs = name;
      differs[at] = 'j';
      EXPECT_FALSE(RawKeyEquals(Padded(differs).c_str(), name)) << length << " at " << at;
    }
  }
}

TEST(RawKeyEquals, ALongNameNeverReadsPastAShortKeyAtTheEndOfTheBuffer) {
  // The key ends right before simdjson's 64 bytes of padding, which end the allocation: a
  // 100-byte name must not be compared byte for byte past them (ASan builds catch it).
  const std::string name(100, 'J');
  const std::string text = "a\"}";
  std::unique_ptr<char[]> buffer(new char[text.size() + 64]);
  std::memcpy(buffer.get(), text.data(), text.size());
  std::memset(buffer.get() + text.size(), ' ', 64);
  EXPECT_FALSE(RawKeyEquals(buffer.get(), name));
  EXPECT_TRUE(RawKeyEquals(Padded(name).c_str(), name));
  EXPECT_FALSE(RawKeyEquals(Padded(name.substr(1) + "K").c_str(), name));
}

TEST(RawKeyEquals, EmptyAndMultiByteNames) {
  EXPECT_TRUE(RawKeyEquals(Padded("").c_str(), ""));
  EXPECT_FALSE(RawKeyEquals(Padded("a").c_str(), ""));
  EXPECT_TRUE(RawKeyEquals(Padded("t\xC3\xA9mp").c_str(), "t\xC3\xA9mp"));
  EXPECT_FALSE(RawKeyEquals(Padded("temp").c_str(), "t\xC3\xA9mp"));
}

TEST(RawTextHasEscape, LooksOnlyBeforeTheClosingQuote) {
  EXPECT_FALSE(HasEscape(Padded("plain text").c_str()));
  EXPECT_TRUE(HasEscape(Padded("tab\\there").c_str()));
  EXPECT_TRUE(HasEscape(Padded(std::string(40, 'x') + "\\n").c_str()));  // past the first block
  EXPECT_FALSE(HasEscape(Padded("closed", "\", \"next\\n\"").c_str()));  // a later string's escape
}

TEST(RawTextPlainNumberKind, CommonNumbersAreClassifiedOthersAreLeftToSimdjson) {
  EXPECT_EQ(PlainNumberKind(Padded("42", ",").c_str()), TypeKind::kLong);
  EXPECT_EQ(PlainNumberKind(Padded("-0", "}").c_str()), TypeKind::kLong);
  EXPECT_EQ(PlainNumberKind(Padded("999999999999999999", "]").c_str()), TypeKind::kLong);  // 18 digits
  EXPECT_EQ(PlainNumberKind(Padded("27.5", ",").c_str()), TypeKind::kDouble);
  EXPECT_EQ(PlainNumberKind(Padded("-0.25", " ").c_str()), TypeKind::kDouble);
  // Left to simdjson: 19 digits, exponents, leading zeros, a bare '-', a dot without digits,
  // and a number followed by something that cannot end it.
  EXPECT_EQ(PlainNumberKind(Padded("1.000000000000000000", ",").c_str()), TypeKind::kDouble);  // 19 digits
  for (const char* text : {"9223372036854775807", "1e5", "01", "-", "1.", "1.5x", "2\"", "1.0000000000000000000",
                           "1234567890123456789012345678901234567890"}) {
    EXPECT_EQ(PlainNumberKind(Padded(text, ",").c_str()), TypeKind::kNull) << text;
  }
}

}  // namespace
}  // namespace inlet::json
