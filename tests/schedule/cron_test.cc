// Quartz cron parsing, next-fire search, calendar edge cases and daylight-saving behaviour.
#include "inlet/schedule/cron.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include <date/date.h>
#include <date/tz.h>

namespace inlet::schedule {
namespace {

using std::chrono::sys_seconds;

// "YYYY-MM-DD hh:mm:ss" in UTC. Parsed by hand: date::parse trips GCC 12's
// -Wmaybe-uninitialized inside date.h.
sys_seconds Utc(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  EXPECT_EQ(std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s), 6) << text;
  date::year_month_day day{date::year{y}, date::month{static_cast<unsigned>(mo)},
                           date::day{static_cast<unsigned>(d)}};
  return date::sys_days{day} + std::chrono::hours{h} + std::chrono::minutes{mi} +
         std::chrono::seconds{s};
}

// Fire times as wall time plus zone abbreviation, e.g. "2024-03-31 03:00:00 CEST".
std::string InZone(sys_seconds t, const std::string& zone) {
  return date::format("%F %T %Z", date::make_zoned(zone, t));
}

// The next `count` fire times after `after_utc`, each rendered in `zone`.
std::vector<std::string> Fires(const std::string& cron, const std::string& zone,
                               const std::string& after_utc, int count) {
  std::vector<std::string> out;
  auto expression = CronExpression::Parse(cron);
  EXPECT_TRUE(expression.ok()) << expression.status().ToString();
  if (!expression.ok()) return out;
  sys_seconds after = Utc(after_utc);
  for (int i = 0; i < count; ++i) {
    auto next = expression->NextAfter(after, zone);
    EXPECT_TRUE(next.ok()) << next.status().ToString();
    if (!next.ok() || !next->has_value()) break;
    after = **next;
    out.push_back(InZone(after, zone));
  }
  return out;
}

using Strings = std::vector<std::string>;

std::string ParseError(const std::string& cron) {
  auto expression = CronExpression::Parse(cron);
  EXPECT_FALSE(expression.ok()) << cron << " parsed";
  return expression.ok() ? "" : expression.status().message();
}

TEST(CronParse, AcceptsQuartzExamples) {
  for (const char* text :
       {"0 15 10 ? * MON-FRI", "0 0/5 * * * ?", "0 0 12 L * ?", "0 0 9 ? * 6#3",
        "20 30 * * * ?", "0 0 12 ? JAN-DEC/2 sun,SAT", "0 0 0 LW * ?", "0 0 0 L-3 * ?",
        "0 0 0 15W * ?", "0 0 0 ? * 5L", "0 0 0 ? * FRIL", "0 0 0 ? * fri#2", "0 0 0 ? * L",
        "0 0 0 1 1 ? 2030-2035", "0 0 0 1 1 ? *", "10-40/10 */5 22-2 1,15 * ?",
        "  0\t0  12 * *   ?  "}) {
    auto expression = CronExpression::Parse(text);
    EXPECT_TRUE(expression.ok()) << text << ": " << expression.status().ToString();
    if (expression.ok()) {
      EXPECT_EQ(expression->text(), text);
    }
  }
}

TEST(CronParse, WrongFieldCountSaysWhatIsExpected) {
  EXPECT_EQ(ParseError("0 12 * * ?"),
            "cron '0 12 * * ?': expected 6 or 7 fields (seconds minutes hours day-of-month "
            "month day-of-week [year]), got 5");
  EXPECT_NE(ParseError("0 0 12 * * ? 2030 1").find("got 8"), std::string::npos);
  EXPECT_NE(ParseError("").find("got 0"), std::string::npos);
}

TEST(CronParse, ValueOutsideRangeNamesFieldAndValue) {
  EXPECT_EQ(ParseError("0 61 * * * ?"), "cron '0 61 * * * ?': minutes: 61 is outside 0-59");
  struct Case {
    const char* cron;
    const char* message;
  };
  for (const Case& c : {Case{"60 * * * * ?", "seconds: 60 is outside 0-59"},
                        Case{"0 0 24 * * ?", "hours: 24 is outside 0-23"},
                        Case{"0 0 0 32 * ?", "day-of-month: 32 is outside 1-31"},
                        Case{"0 0 0 0 * ?", "day-of-month: 0 is outside 1-31"},
                        Case{"0 0 0 ? 13 *", "month: 13 is outside 1-12"},
                        Case{"0 0 0 ? * 8", "day-of-week: 8 is outside 1-7"},
                        Case{"0 0 0 ? * 0", "day-of-week: 0 is outside 1-7"},
                        Case{"0 0 0 1 1 ? 1969", "year: 1969 is outside 1970-2099"},
                        Case{"0 0 0 1 1 ? 2100", "year: 2100 is outside 1970-2099"},
                        Case{"0 0 1-99 * * ?", "hours: 99 is outside 0-23"}}) {
    std::string message = ParseError(c.cron);
    EXPECT_EQ(message, std::string("cron '") + c.cron + "': " + c.message);
  }
}

TEST(CronParse, BadTokensNameFieldAndToken) {
  struct Case {
    const char* cron;
    const char* message;
  };
  for (const Case& c : {
           Case{"x * * * * ?", "seconds: 'x' is not a number"},
           Case{"0 0 0 ? * FUN", "day-of-week: 'FUN' is not a number or weekday name (SUN-SAT)"},
           Case{"0 0 0 ? FOO *", "month: 'FOO' is not a number or month name (JAN-DEC)"},
           Case{"0 0 0 1,,2 * ?", "day-of-month: empty value in '1,,2'"},
           Case{"*/0 * * * * ?", "seconds: step 0 in '*/0' is outside 1-60"},
           Case{"0 0/x * * * ?", "minutes: step 'x' in '0/x' is not a number"},
           Case{"0 0 2- * * ?", "hours: missing value"},
           Case{"0 0 0 ? * 6#6", "day-of-week: ordinal 6 in '6#6' is outside 1-5"},
           Case{"0 0 0 ? * 6#0", "day-of-week: ordinal 0 in '6#0' is outside 1-5"},
           Case{"0 0 0 ? * 9#2", "day-of-week: 9 is outside 1-7"},
           Case{"0 0 0 L-31 * ?", "day-of-month: offset 31 in 'L-31' is outside 0-30"},
           Case{"0 0 0 32W * ?", "day-of-month: 32 is outside 1-31"},
           Case{"0 0 0 L,15 * ?",
                "day-of-month: 'L' and 'W' cannot be combined with lists or steps, as in "
                "'L,15'"},
           Case{"0 0 0 XW * ?", "day-of-month: 'XW' is not a day (1-31), L, L-n, LW or nW"},
           Case{"0 0 0 ? * 2#1,3",
                "day-of-week: 'L' and '#' cannot be combined with lists, ranges or steps, as in "
                "'2#1,3'"},
           Case{"? 0 0 * * ?", "seconds: '?' is only allowed in day-of-month or day-of-week"},
           Case{"0 0 0 1,? * ?",
                "day-of-month: '?' must be the whole field, not part of a list or range"},
           Case{"0 0 0 1 1 ? 2030-2020", "year: range '2030-2020' runs backwards"},
       }) {
    EXPECT_EQ(ParseError(c.cron), std::string("cron '") + c.cron + "': " + c.message);
  }
}

TEST(CronParse, ExactlyOneOfDayOfMonthAndDayOfWeekMustBeQuestionMark) {
  EXPECT_EQ(ParseError("0 0 0 * * *"),
            "cron '0 0 0 * * *': day-of-month '*' and day-of-week '*': exactly one of them "
            "must be '?' (e.g. '0 0 12 * * ?')");
  EXPECT_NE(ParseError("0 0 0 ? * ?").find("exactly one of them must be '?'"),
            std::string::npos);
  EXPECT_NE(ParseError("0 0 0 1 * MON").find("exactly one of them must be '?'"),
            std::string::npos);
}

TEST(CronNext, StepFromZeroFiresEveryFiveSecondsAcrossMinutes) {
  EXPECT_EQ(Fires("0/5 * * * * ?", "UTC", "2024-05-01 12:00:52", 4),
            (Strings{"2024-05-01 12:00:55 UTC", "2024-05-01 12:01:00 UTC",
                     "2024-05-01 12:01:05 UTC", "2024-05-01 12:01:10 UTC"}));
}

TEST(CronNext, IsStrictlyAfterTheGivenInstant) {
  EXPECT_EQ(Fires("0 0 12 * * ?", "UTC", "2024-05-01 12:00:00", 1),
            (Strings{"2024-05-02 12:00:00 UTC"}));
  EXPECT_EQ(Fires("0 0 12 * * ?", "UTC", "2024-05-01 11:59:59", 1),
            (Strings{"2024-05-01 12:00:00 UTC"}));
}

TEST(CronNext, DatabricksSecondAndMinuteFormFiresHourly) {
  EXPECT_EQ(Fires("20 30 * * * ?", "UTC", "2024-12-31 22:45:00", 3),
            (Strings{"2024-12-31 23:30:20 UTC", "2025-01-01 00:30:20 UTC",
                     "2025-01-01 01:30:20 UTC"}));
}

TEST(CronNext, RangeWithStepAndStarStep) {
  EXPECT_EQ(Fires("10-40/10 */30 * * * ?", "UTC", "2024-05-01 12:00:00", 6),
            (Strings{"2024-05-01 12:00:10 UTC", "2024-05-01 12:00:20 UTC",
                     "2024-05-01 12:00:30 UTC", "2024-05-01 12:00:40 UTC",
                     "2024-05-01 12:30:10 UTC", "2024-05-01 12:30:20 UTC"}));
}

TEST(CronNext, ListsOfValuesAndMonthNames) {
  EXPECT_EQ(Fires("0 5,45 8 1 jan,JUL ?", "UTC", "2024-02-01 00:00:00", 3),
            (Strings{"2024-07-01 08:05:00 UTC", "2024-07-01 08:45:00 UTC",
                     "2025-01-01 08:05:00 UTC"}));
  EXPECT_EQ(Fires("0 0 0 1 NOV/2 ?", "UTC", "2024-02-01 00:00:00", 2),
            (Strings{"2024-11-01 00:00:00 UTC", "2025-11-01 00:00:00 UTC"}));
}

TEST(CronNext, BackwardsHourRangeWrapsPastMidnight) {
  EXPECT_EQ(Fires("0 0 22-1 * * ?", "UTC", "2024-05-01 12:00:00", 5),
            (Strings{"2024-05-01 22:00:00 UTC", "2024-05-01 23:00:00 UTC",
                     "2024-05-02 00:00:00 UTC", "2024-05-02 01:00:00 UTC",
                     "2024-05-02 22:00:00 UTC"}));
}

TEST(CronNext, WeekdayRangeSkipsTheWeekend) {
  // 2024-05-03 is a Friday.
  EXPECT_EQ(Fires("0 15 10 ? * MON-FRI", "UTC", "2024-05-03 11:00:00", 2),
            (Strings{"2024-05-06 10:15:00 UTC", "2024-05-07 10:15:00 UTC"}));
  EXPECT_EQ(Fires("0 0 9 ? * 1,7", "UTC", "2024-05-03 11:00:00", 3),
            (Strings{"2024-05-04 09:00:00 UTC", "2024-05-05 09:00:00 UTC",
                     "2024-05-11 09:00:00 UTC"}));
}

TEST(CronNext, ThirtyFirstSkipsShorterMonths) {
  EXPECT_EQ(Fires("0 0 0 31 * ?", "UTC", "2024-01-31 00:00:00", 4),
            (Strings{"2024-03-31 00:00:00 UTC", "2024-05-31 00:00:00 UTC",
                     "2024-07-31 00:00:00 UTC", "2024-08-31 00:00:00 UTC"}));
}

TEST(CronNext, LeapDayFiresOnlyInLeapYears) {
  EXPECT_EQ(Fires("0 0 12 29 2 ?", "UTC", "2024-03-01 00:00:00", 2),
            (Strings{"2028-02-29 12:00:00 UTC", "2032-02-29 12:00:00 UTC"}));
  // 2100 is not a leap year (divisible by 100, not by 400).
  EXPECT_EQ(Fires("0 0 12 29 2 ?", "UTC", "2097-01-01 00:00:00", 1),
            (Strings{"2104-02-29 12:00:00 UTC"}));
}

TEST(CronNext, LastDayOfMonthFollowsMonthLengthAndLeapYears) {
  EXPECT_EQ(Fires("0 0 12 L * ?", "UTC", "2023-12-31 13:00:00", 4),
            (Strings{"2024-01-31 12:00:00 UTC", "2024-02-29 12:00:00 UTC",
                     "2024-03-31 12:00:00 UTC", "2024-04-30 12:00:00 UTC"}));
  EXPECT_EQ(Fires("0 0 12 L 2 ?", "UTC", "2024-03-01 00:00:00", 1),
            (Strings{"2025-02-28 12:00:00 UTC"}));
}

TEST(CronNext, LastDayMinusOffset) {
  EXPECT_EQ(Fires("0 0 0 L-3 * ?", "UTC", "2024-01-01 00:00:00", 3),
            (Strings{"2024-01-28 00:00:00 UTC", "2024-02-26 00:00:00 UTC",
                     "2024-03-28 00:00:00 UTC"}));
}

TEST(CronNext, LastWeekdayOfMonthSkipsWeekendEnds) {
  // 2024-03-31 is a Sunday, 2024-08-31 a Saturday, 2024-07-31 a Wednesday.
  EXPECT_EQ(Fires("0 0 0 LW 3,7,8 ?", "UTC", "2024-01-01 00:00:00", 3),
            (Strings{"2024-03-29 00:00:00 UTC", "2024-07-31 00:00:00 UTC",
                     "2024-08-30 00:00:00 UTC"}));
}

TEST(CronNext, NearestWeekdayStaysInsideTheMonth) {
  // 2024-06-15 is a Saturday -> Friday 14th; 2024-09-15 a Sunday -> Monday 16th;
  // 2024-05-15 a Wednesday -> itself.
  EXPECT_EQ(Fires("0 0 0 15W 5,6,9 ?", "UTC", "2024-01-01 00:00:00", 3),
            (Strings{"2024-05-15 00:00:00 UTC", "2024-06-14 00:00:00 UTC",
                     "2024-09-16 00:00:00 UTC"}));
  // 2024-06-01 is a Saturday: Monday the 3rd, not Friday 31 May.
  EXPECT_EQ(Fires("0 0 0 1W 6 ?", "UTC", "2024-01-01 00:00:00", 1),
            (Strings{"2024-06-03 00:00:00 UTC"}));
  // 2024-03-31 is a Sunday: Friday the 29th, not Monday 1 April. 31W skips 30-day months.
  EXPECT_EQ(Fires("0 0 0 31W * ?", "UTC", "2024-03-01 00:00:00", 2),
            (Strings{"2024-03-29 00:00:00 UTC", "2024-05-31 00:00:00 UTC"}));
}

TEST(CronNext, LastGivenWeekdayOfMonth) {
  // 5L = last Thursday: 28 Nov 2024, 26 Dec 2024, 30 Jan 2025.
  EXPECT_EQ(Fires("0 0 18 ? * 5L", "UTC", "2024-11-01 00:00:00", 3),
            (Strings{"2024-11-28 18:00:00 UTC", "2024-12-26 18:00:00 UTC",
                     "2025-01-30 18:00:00 UTC"}));
  EXPECT_EQ(Fires("0 0 18 ? * THUL", "UTC", "2024-11-01 00:00:00", 1),
            (Strings{"2024-11-28 18:00:00 UTC"}));
}

TEST(CronNext, NthWeekdayOfMonth) {
  // 6#3 = third Friday.
  EXPECT_EQ(Fires("0 0 9 ? * 6#3", "UTC", "2024-01-01 00:00:00", 3),
            (Strings{"2024-01-19 09:00:00 UTC", "2024-02-16 09:00:00 UTC",
                     "2024-03-15 09:00:00 UTC"}));
  // A fifth Monday exists only in some months: Jan, Apr, Jul 2024.
  EXPECT_EQ(Fires("0 0 9 ? * MON#5", "UTC", "2024-01-01 00:00:00", 3),
            (Strings{"2024-01-29 09:00:00 UTC", "2024-04-29 09:00:00 UTC",
                     "2024-07-29 09:00:00 UTC"}));
}

TEST(CronNext, BareLInDayOfWeekMeansSaturday) {
  EXPECT_EQ(Fires("0 0 0 ? * L", "UTC", "2024-05-01 00:00:00", 2),
            (Strings{"2024-05-04 00:00:00 UTC", "2024-05-11 00:00:00 UTC"}));
}

TEST(CronNext, YearRangeThatHasEndedNeverFiresAgain) {
  EXPECT_EQ(Fires("0 0 0 1 1 ? 2020-2022", "UTC", "2021-06-01 00:00:00", 5),
            (Strings{"2022-01-01 00:00:00 UTC"}));
  auto expression = CronExpression::Parse("0 0 0 1 1 ? 2020-2022");
  ASSERT_TRUE(expression.ok());
  auto next = expression->NextAfter(Utc("2023-01-01 00:00:00"), "UTC");
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
}

TEST(CronNext, YearStepAndList) {
  EXPECT_EQ(Fires("0 0 0 1 1 ? 2030/5", "UTC", "2024-06-01 00:00:00", 3),
            (Strings{"2030-01-01 00:00:00 UTC", "2035-01-01 00:00:00 UTC",
                     "2040-01-01 00:00:00 UTC"}));
}

TEST(CronNext, ImpossibleDateNeverFires) {
  for (const char* text : {"0 0 0 30 2 ?", "0 0 0 31 4,6,9,11 ?"}) {
    auto expression = CronExpression::Parse(text);
    ASSERT_TRUE(expression.ok()) << text;
    auto next = expression->NextAfter(Utc("2024-01-01 00:00:00"), "UTC");
    ASSERT_TRUE(next.ok());
    EXPECT_FALSE(next->has_value()) << text;
  }
}

TEST(CronNext, FieldsAreWallTimeInTheZone) {
  EXPECT_EQ(Fires("0 0 9 * * ?", "America/New_York", "2024-01-10 00:00:00", 1),
            (Strings{"2024-01-10 09:00:00 EST"}));
  auto expression = CronExpression::Parse("0 0 9 * * ?");
  ASSERT_TRUE(expression.ok());
  EXPECT_EQ(**expression->NextAfter(Utc("2024-01-10 00:00:00"), "America/New_York"),
            Utc("2024-01-10 14:00:00"));
  EXPECT_EQ(**expression->NextAfter(Utc("2024-07-10 00:00:00"), "America/New_York"),
            Utc("2024-07-10 13:00:00"));
  EXPECT_EQ(**expression->NextAfter(Utc("2024-07-10 00:00:00"), "Europe/Amsterdam"),
            Utc("2024-07-10 07:00:00"));
}

TEST(CronNext, UnknownTimeZoneIsInvalidAndNamesIt) {
  auto expression = CronExpression::Parse("0 0 9 * * ?");
  ASSERT_TRUE(expression.ok());
  auto next = expression->NextAfter(Utc("2024-01-10 00:00:00"), "Mars/Olympus_Mons");
  ASSERT_FALSE(next.ok());
  EXPECT_TRUE(next.status().IsInvalid());
  EXPECT_NE(next.status().message().find("unknown time zone 'Mars/Olympus_Mons'"),
            std::string::npos);
  EXPECT_TRUE(IsKnownTimeZone("Europe/Amsterdam"));
  EXPECT_TRUE(IsKnownTimeZone("UTC"));
  EXPECT_FALSE(IsKnownTimeZone("Mars/Olympus_Mons"));
  EXPECT_FALSE(IsKnownTimeZone(""));
}

// Europe/Amsterdam 2024: spring forward 31 March 02:00 CET -> 03:00 CEST (01:00 UTC);
// fall back 27 October 03:00 CEST -> 02:00 CET (01:00 UTC).
TEST(CronDst, AmsterdamSpringForwardWallTimeInGapFiresWhenGapEnds) {
  EXPECT_EQ(Fires("0 30 2 * * ?", "Europe/Amsterdam", "2024-03-30 12:00:00", 2),
            (Strings{"2024-03-31 03:00:00 CEST", "2024-04-01 02:30:00 CEST"}));
  auto expression = CronExpression::Parse("0 30 2 * * ?");
  ASSERT_TRUE(expression.ok());
  EXPECT_EQ(**expression->NextAfter(Utc("2024-03-30 12:00:00"), "Europe/Amsterdam"),
            Utc("2024-03-31 01:00:00"));
}

TEST(CronDst, AmsterdamSpringForwardGapCollapsesIntoOneFire) {
  // 02:00, 02:30 and 03:00 wall time all map to 01:00 UTC, which fires once.
  EXPECT_EQ(Fires("0 */30 * * * ?", "Europe/Amsterdam", "2024-03-31 00:00:00", 4),
            (Strings{"2024-03-31 01:30:00 CET", "2024-03-31 03:00:00 CEST",
                     "2024-03-31 03:30:00 CEST", "2024-03-31 04:00:00 CEST"}));
}

TEST(CronDst, AmsterdamFallBackRepeatedWallTimeFiresOnceAtFirstOccurrence) {
  EXPECT_EQ(Fires("0 30 2 * * ?", "Europe/Amsterdam", "2024-10-26 12:00:00", 2),
            (Strings{"2024-10-27 02:30:00 CEST", "2024-10-28 02:30:00 CET"}));
  auto expression = CronExpression::Parse("0 30 2 * * ?");
  ASSERT_TRUE(expression.ok());
  EXPECT_EQ(**expression->NextAfter(Utc("2024-10-26 12:00:00"), "Europe/Amsterdam"),
            Utc("2024-10-27 00:30:00"));
}

TEST(CronDst, AmsterdamFallBackHalfHourlyFiresEachWallTimeOnce) {
  // 02:00 and 02:30 fire in CEST only; the repeated hour in CET is skipped.
  EXPECT_EQ(Fires("0 */30 * * * ?", "Europe/Amsterdam", "2024-10-26 23:00:00", 5),
            (Strings{"2024-10-27 01:30:00 CEST", "2024-10-27 02:00:00 CEST",
                     "2024-10-27 02:30:00 CEST", "2024-10-27 03:00:00 CET",
                     "2024-10-27 03:30:00 CET"}));
  // Asked from inside the repeated hour's second pass (02:15 CET), the next is 03:00 CET.
  EXPECT_EQ(Fires("0 */30 * * * ?", "Europe/Amsterdam", "2024-10-27 01:15:00", 1),
            (Strings{"2024-10-27 03:00:00 CET"}));
}

// America/New_York 2024: spring forward 10 March 02:00 EST -> 03:00 EDT (07:00 UTC);
// fall back 3 November 02:00 EDT -> 01:00 EST (06:00 UTC).
TEST(CronDst, NewYorkSpringForwardWallTimeInGapFiresWhenGapEnds) {
  auto expression = CronExpression::Parse("0 30 2 * * ?");
  ASSERT_TRUE(expression.ok());
  EXPECT_EQ(**expression->NextAfter(Utc("2024-03-09 12:00:00"), "America/New_York"),
            Utc("2024-03-10 07:00:00"));
  EXPECT_EQ(Fires("0 0/20 1-3 * * ?", "America/New_York", "2024-03-10 06:30:00", 5),
            (Strings{"2024-03-10 01:40:00 EST", "2024-03-10 03:00:00 EDT",
                     "2024-03-10 03:20:00 EDT", "2024-03-10 03:40:00 EDT",
                     "2024-03-11 01:00:00 EDT"}));
}

TEST(CronDst, NewYorkFallBackRepeatedWallTimeFiresOnceAtFirstOccurrence) {
  EXPECT_EQ(Fires("0 30 1 * * ?", "America/New_York", "2024-11-02 12:00:00", 2),
            (Strings{"2024-11-03 01:30:00 EDT", "2024-11-04 01:30:00 EST"}));
  auto expression = CronExpression::Parse("0 30 1 * * ?");
  ASSERT_TRUE(expression.ok());
  EXPECT_EQ(**expression->NextAfter(Utc("2024-11-02 12:00:00"), "America/New_York"),
            Utc("2024-11-03 05:30:00"));
  EXPECT_EQ(Fires("0 0 * * * ?", "America/New_York", "2024-11-03 04:30:00", 3),
            (Strings{"2024-11-03 01:00:00 EDT", "2024-11-03 02:00:00 EST",
                     "2024-11-03 03:00:00 EST"}));
}

TEST(CronPerformance, TenThousandSuccessiveFiveSecondFires) {
  // Sanity only (no timing assertion): the search jumps by field, so this is quick.
  auto expression = CronExpression::Parse("0/5 * * * * ?");
  ASSERT_TRUE(expression.ok());
  sys_seconds start = Utc("2024-03-31 00:00:00");
  sys_seconds t = start;
  for (int i = 0; i < 10000; ++i) {
    auto next = expression->NextAfter(t, "Europe/Amsterdam");
    ASSERT_TRUE(next.ok() && next->has_value());
    ASSERT_EQ(**next - t, std::chrono::seconds{5}) << "at " << InZone(t, "UTC");
    t = **next;
  }
  EXPECT_EQ(t, start + std::chrono::seconds{50000});
}

}  // namespace
}  // namespace inlet::schedule
