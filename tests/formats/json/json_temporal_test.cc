// Spark-compatible date and timestamp text parsing.
#include "inlet/formats/json/json_temporal.h"

#include <gtest/gtest.h>

namespace inlet::json {
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

}  // namespace
}  // namespace inlet::json
