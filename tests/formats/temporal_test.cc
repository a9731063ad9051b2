// Spark-compatible date and timestamp text parsing.
#include "inlet/formats/temporal.h"

#include <gtest/gtest.h>

namespace inlet::formats {
namespace {

constexpr int64_t kDay = 86400LL * 1000000;

TEST(DaysFromCivil, MatchesKnownDates) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2016, 3, 20), 16880);
}

TEST(ParseSparkDate, AcceptsIsoDatesAndIgnoresATimePart) {
  EXPECT_EQ(ParseSparkDate("2016-03-20"), 16880);
  EXPECT_EQ(ParseSparkDate("2016-3-5"), DaysFromCivil(2016, 3, 5));
  EXPECT_EQ(ParseSparkDate("2016-03-20T10:00:00"), 16880);
  EXPECT_EQ(ParseSparkDate("2024-02-29"), DaysFromCivil(2024, 2, 29));
  EXPECT_FALSE(ParseSparkDate("2023-02-29"));
  EXPECT_FALSE(ParseSparkDate("20160320"));
  EXPECT_FALSE(ParseSparkDate("2016-13-01"));
  EXPECT_FALSE(ParseSparkDate("2016-03-20x"));
  EXPECT_FALSE(ParseSparkDate(""));
}

TEST(ParseSparkTimestamp, ReadsLocalAsUtcAndAppliesOffsets) {
  const int64_t base = 16880 * kDay + (3 * 3600 + 20 * 60 + 54) * 1000000LL;
  EXPECT_EQ(ParseSparkTimestamp("2016-03-20 03:20:54.119"), base + 119000);
  EXPECT_EQ(ParseSparkTimestamp("2016-03-20T03:20:54.119Z"), base + 119000);
  EXPECT_EQ(ParseSparkTimestamp("2016-03-20T03:20:54.1234567"), base + 123456);
  EXPECT_EQ(ParseSparkTimestamp("2016-03-20T04:20:54+01:00"), base);
  EXPECT_EQ(ParseSparkTimestamp("2016-03-20T01:50:54-0130"), base);
  EXPECT_EQ(ParseSparkTimestamp("2016-03-20T03:20:54 UTC"), base);
  EXPECT_EQ(ParseSparkTimestamp("2016-03-20"), 16880 * kDay);
  EXPECT_FALSE(ParseSparkTimestamp("2016-03-20T25:00:00"));
  EXPECT_FALSE(ParseSparkTimestamp("2016-03-20T03:20:54+"));
  EXPECT_FALSE(ParseSparkTimestamp("2016-03-20T03:20:54.1234567891"));
  EXPECT_FALSE(ParseSparkTimestamp("yesterday"));
}


// --- Spark datetime patterns (dateFormat / timestampFormat). ---

TemporalFormats Formats(std::optional<std::string> date, std::optional<std::string> timestamp,
                        std::string zone = "UTC") {
  auto formats = CompileTemporalFormats(date, timestamp, zone);
  EXPECT_TRUE(formats.ok()) << formats.status().ToString();
  return formats.ValueOr(TemporalFormats{});
}

int64_t Micros(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, int64_t us = 0) {
  return (DaysFromCivil(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL + s) * 1000000 + us;
}

TEST(DatetimePattern, DatePatternsReadTheirFieldsAndNothingElse) {
  const auto dmy = Formats("dd/MM/yyyy", std::nullopt);
  EXPECT_EQ(ParseDate("20/03/2016", dmy), 16880);
  EXPECT_FALSE(ParseDate("2016-03-20", dmy));  // a set pattern is the only one read
  EXPECT_FALSE(ParseDate("20/3/2016", dmy));   // MM is two digits
  EXPECT_FALSE(ParseDate("31/02/2016", dmy));  // no such day
  EXPECT_FALSE(ParseDate("20/03/2016 ", dmy)); // the whole text must match
  EXPECT_FALSE(ParseDate("", dmy));
  const auto loose = Formats("d.M.yyyy", std::nullopt);
  EXPECT_EQ(ParseDate("5.3.2016", loose), DaysFromCivil(2016, 3, 5));
  EXPECT_EQ(ParseDate("05.12.2016", loose), DaysFromCivil(2016, 12, 5));
  const auto compact = Formats("yyyyMMdd", std::nullopt);
  EXPECT_EQ(ParseDate("20240229", compact), DaysFromCivil(2024, 2, 29));
  EXPECT_FALSE(ParseDate("20230229", compact));
  const auto names = Formats("MMM d, yyyy", std::nullopt);
  EXPECT_EQ(ParseDate("Mar 5, 2016", names), DaysFromCivil(2016, 3, 5));
  EXPECT_EQ(ParseDate("mar 5, 2016", names), DaysFromCivil(2016, 3, 5));  // case-insensitive
  EXPECT_FALSE(ParseDate("March 5, 2016", names));
  EXPECT_EQ(ParseDate("December 25, 2020", Formats("MMMM d, yyyy", std::nullopt)), DaysFromCivil(2020, 12, 25));
  EXPECT_EQ(ParseDate("16-03-20", Formats("yy-MM-dd", std::nullopt)), DaysFromCivil(2016, 3, 20));
  EXPECT_EQ(ParseDate("2016/080", Formats("yyyy/DDD", std::nullopt)), DaysFromCivil(2016, 3, 20));
  EXPECT_EQ(ParseDate("2016-03", Formats("yyyy-MM", std::nullopt)), DaysFromCivil(2016, 3, 1));
}

TEST(DatetimePattern, UnsetFormatsKeepTodaysIsoReading) {
  const TemporalFormats iso;
  EXPECT_EQ(ParseDate("2016-3-5", iso), DaysFromCivil(2016, 3, 5));
  EXPECT_EQ(ParseDate("2016-03-20T10:00:00", iso), 16880);
  EXPECT_EQ(ParseTimestamp("2016-03-20 03:20:54.119", iso), Micros(2016, 3, 20, 3, 20, 54, 119000));
  EXPECT_EQ(ParseTimestamp("2016-03-20T04:20:54+01:00", iso), Micros(2016, 3, 20, 3, 20, 54));
  EXPECT_FALSE(ParseTimestamp("20/03/2016", iso));
}

TEST(DatetimePattern, TimestampPatternsWithFractionsOffsetsAndLiterals) {
  const auto spark_default = Formats(std::nullopt, "yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]");
  EXPECT_EQ(ParseTimestamp("2016-03-20T03:20:54", spark_default), Micros(2016, 3, 20, 3, 20, 54));
  EXPECT_EQ(ParseTimestamp("2016-03-20T03:20:54.1", spark_default), Micros(2016, 3, 20, 3, 20, 54, 100000));
  EXPECT_EQ(ParseTimestamp("2016-03-20T03:20:54.119Z", spark_default), Micros(2016, 3, 20, 3, 20, 54, 119000));
  EXPECT_EQ(ParseTimestamp("2016-03-20T05:20:54+02:00", spark_default), Micros(2016, 3, 20, 3, 20, 54));
  EXPECT_FALSE(ParseTimestamp("2016-03-20 03:20:54", spark_default));   // 'T' is required
  EXPECT_FALSE(ParseTimestamp("2016-03-20T03:20:54.1234", spark_default));  // SSS: at most 3
  EXPECT_FALSE(ParseTimestamp("2016-03-20T03:20:54+0200", spark_default));  // XXX has a colon
  const auto us = Formats(std::nullopt, "MM/dd/yyyy hh:mm:ss a");
  EXPECT_EQ(ParseTimestamp("03/20/2016 03:20:54 PM", us), Micros(2016, 3, 20, 15, 20, 54));
  EXPECT_EQ(ParseTimestamp("03/20/2016 12:00:00 am", us), Micros(2016, 3, 20, 0, 0, 0));
  EXPECT_EQ(ParseTimestamp("03/20/2016 12:00:00 PM", us), Micros(2016, 3, 20, 12, 0, 0));
  EXPECT_FALSE(ParseTimestamp("03/20/2016 13:00:00 PM", us));
  const auto micro = Formats(std::nullopt, "yyyy-MM-dd HH:mm:ss.SSSSSSSSS");
  EXPECT_EQ(ParseTimestamp("2016-03-20 03:20:54.123456789", micro), Micros(2016, 3, 20, 3, 20, 54, 123456));
  const auto zones = Formats(std::nullopt, "yyyy-MM-dd HH:mm Z");
  EXPECT_EQ(ParseTimestamp("2016-03-20 04:20 +0100", zones), Micros(2016, 3, 20, 3, 20));
  EXPECT_FALSE(ParseTimestamp("2016-03-20 04:20 +01:00", zones));
  const auto x = Formats(std::nullopt, "yyyy-MM-dd HH:mmX");
  EXPECT_EQ(ParseTimestamp("2016-03-20 04:20+01", x), Micros(2016, 3, 20, 3, 20));
  EXPECT_EQ(ParseTimestamp("2016-03-20 04:20+0130", x), Micros(2016, 3, 20, 2, 50));
  EXPECT_EQ(ParseTimestamp("2016-03-20 04:20Z", x), Micros(2016, 3, 20, 4, 20));
  EXPECT_FALSE(ParseTimestamp("2016-03-20 04:20Z", Formats(std::nullopt, "yyyy-MM-dd HH:mmxxx")));
  const auto quoted = Formats(std::nullopt, "'at' HH'h'mm 'on' yyyy-MM-dd''");
  EXPECT_EQ(ParseTimestamp("at 03h20 on 2016-03-20'", quoted), Micros(2016, 3, 20, 3, 20));
  const auto named = Formats(std::nullopt, "yyyy-MM-dd HH:mm VV");
  EXPECT_EQ(ParseTimestamp("2016-07-01 12:00 America/Los_Angeles", named), Micros(2016, 7, 1, 19, 0));
  EXPECT_EQ(ParseTimestamp("2016-07-01 12:00 UTC", named), Micros(2016, 7, 1, 12, 0));
  EXPECT_FALSE(ParseTimestamp("2016-07-01 12:00 Mars/Olympus", named));
  const auto compact = Formats(std::nullopt, "yyyyMMddHHmmss");
  EXPECT_EQ(ParseTimestamp("20160320032054", compact), Micros(2016, 3, 20, 3, 20, 54));
  EXPECT_FALSE(ParseTimestamp("2016032003205", compact));
  EXPECT_FALSE(ParseTimestamp("2016-03-20T25:00:00", spark_default));
  EXPECT_FALSE(ParseTimestamp("yesterday", spark_default));
}

TEST(DatetimePattern, TimeZoneAppliesToTextWithoutAnOffset) {
  const auto paris_iso = Formats(std::nullopt, std::nullopt, "Europe/Paris");
  EXPECT_EQ(ParseTimestamp("2016-07-01 12:00:00", paris_iso), Micros(2016, 7, 1, 10, 0));  // CEST
  EXPECT_EQ(ParseTimestamp("2016-01-01 12:00:00", paris_iso), Micros(2016, 1, 1, 11, 0));  // CET
  EXPECT_EQ(ParseTimestamp("2016-07-01 12:00:00Z", paris_iso), Micros(2016, 7, 1, 12, 0));
  const auto la = Formats(std::nullopt, "dd/MM/yyyy HH:mm", "America/Los_Angeles");
  EXPECT_EQ(ParseTimestamp("01/07/2016 12:00", la), Micros(2016, 7, 1, 19, 0));
  // A spring-forward gap moves on by its length; a fall-back overlap takes the earlier offset.
  EXPECT_EQ(ParseTimestamp("13/03/2016 02:30", la), Micros(2016, 3, 13, 10, 30));
  EXPECT_EQ(ParseTimestamp("06/11/2016 01:30", la), Micros(2016, 11, 6, 8, 30));
  const auto fixed = Formats(std::nullopt, "yyyy-MM-dd HH:mm", "+05:30");
  EXPECT_EQ(ParseTimestamp("2016-03-20 05:30", fixed), Micros(2016, 3, 20, 0, 0));
  EXPECT_TRUE(TimeZone::Make("GMT-8").ok());
  EXPECT_TRUE(TimeZone::Make("UTC+01:00").ok());
  EXPECT_FALSE(TimeZone::Make("Mars/Olympus").ok());
  EXPECT_FALSE(TimeZone::Make("").ok());
}

TEST(DatetimePattern, PatternsSparkRefusesOrInletCannotReadFailToCompileNamingTheLetter) {
  auto refused = [](std::string_view pattern, std::string_view why) {
    auto compiled = DatetimePattern::Compile(pattern);
    ASSERT_FALSE(compiled.ok()) << pattern;
    EXPECT_NE(compiled.status().message().find(why), std::string::npos) << compiled.status().message();
  };
  refused("yyyy-ww", "week-based");
  refused("YYYY-MM-dd", "week-based");
  refused("EEE, dd MMM yyyy", "only formats");
  refused("yyyy-MM-dd'T", "not closed");
  refused("yyyy-MM-dd]", "without '['");
  refused("[yyyy", "without ']'");
  refused("yyyy-MM-dd T HH", "'T' is not supported");
  refused("ddd", "too many");
  refused("yyyy{", "reserved");
  auto bad = CompileTemporalFormats(std::string("yyyy-qq"), std::nullopt, "UTC");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("option dateFormat: ", 0), 0u);
  bad = CompileTemporalFormats(std::nullopt, std::nullopt, "Nowhere/City");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("option timeZone: ", 0), 0u);
}

}  // namespace
}  // namespace inlet::formats
