// Spark-compatible parsing of date and timestamp strings into Arrow's date32 (days)
// and timestamp(us, UTC) (microseconds) values, without allocation: used per value. ISO
// text as Spark reads it when no format is set, Spark datetime patterns (dateFormat,
// timestampFormat) compiled once into a DatetimePattern, and the timeZone option.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "inlet/util/status.h"

namespace date {
class time_zone;
}  // namespace date

namespace inlet::formats {

// Spark's timeZone option: what a timestamp without an offset is in. UTC when default
// constructed; a fixed offset or a region of the tz database otherwise.
class TimeZone {
 public:
  TimeZone() = default;
  // "UTC", "Z", "GMT", "+01:00", "-0800", "+1", "UTC+01:00", "GMT-8", or a region such as
  // "America/Los_Angeles". Status::Invalid naming `id` when it is none of these.
  static Result<TimeZone> Make(std::string_view id);
  // Seconds east of UTC in effect at the wall time `local_seconds` (seconds since
  // 1970-01-01T00:00 on that wall clock). In a fall-back overlap the earlier offset, in a
  // spring-forward gap the offset before it (java.time's rule, so Spark's answer).
  int64_t OffsetAtLocal(int64_t local_seconds) const;

 private:
  int64_t fixed_offset_seconds_ = 0;
  const date::time_zone* region_ = nullptr;
};

// A Spark datetime pattern (https://spark.apache.org/docs/latest/sql-ref-datetime-pattern.html)
// compiled for parsing: y M/L d D H k K h m s S a, the zone letters X x Z VV z, 'quoted'
// literals ('' for a quote), other punctuation as literals, and [optional] sections.
// Matching is case-insensitive, month names are English, and the whole text must match.
class DatetimePattern {
 public:
  // Status::Invalid naming the pattern and the letter for what Spark also refuses for
  // parsing (week-based fields, E, F, Q, unknown letters, unbalanced [ ] or quotes) and
  // for what inlet does not read (G, O, n, N, A and the like).
  static Result<DatetimePattern> Compile(std::string_view pattern);

  enum class Kind : uint8_t;
  struct Token {
    Kind kind;
    uint8_t count = 0;  // letters in a row: yyyy is 4
    char literal = 0;
    uint8_t end = 0;    // an optional section's closing token
  };
  static constexpr size_t kMaxTokens = 64;

  const Token* begin() const { return tokens_.data(); }
  size_t size() const { return size_; }

 private:
  std::array<Token, kMaxTokens> tokens_{};
  uint8_t size_ = 0;
};

// What DATE and TIMESTAMP columns are read with. Unset patterns read ISO text as Spark's
// defaults do (ParseSparkDate / ParseSparkTimestamp); `zone` is timeZone.
struct TemporalFormats {
  std::optional<DatetimePattern> date;
  std::optional<DatetimePattern> timestamp;
  TimeZone zone;
};

// dateFormat, timestampFormat and timeZone compiled; errors name the option.
Result<TemporalFormats> CompileTemporalFormats(const std::optional<std::string>& date_format,
                                               const std::optional<std::string>& timestamp_format,
                                               std::string_view time_zone);

// Days since 1970-01-01, or nullopt when `text` does not match (a type mismatch).
std::optional<int32_t> ParseDate(std::string_view text, const TemporalFormats& formats);
// Microseconds since the epoch (UTC), or nullopt. Text without an offset is in formats.zone.
std::optional<int64_t> ParseTimestamp(std::string_view text, const TemporalFormats& formats);

// Spark's stringToDate: "yyyy-M[M]-d[d]", optionally followed by 'T' or ' ' and anything
// (a time part is ignored), or "yyyy" or "yyyy-M[M]" alone (their first day), with an
// optional '+'. Days since 1970-01-01, or nullopt when it is not a date.
std::optional<int32_t> ParseSparkDate(std::string_view text);

// ISO 8601 as Spark reads it: "yyyy-MM-dd", "yyyy-MM-dd HH:mm[:ss[.fffffffff]]" or with 'T',
// optionally followed by a zone: "Z", "UTC", "GMT", "+hh", "+hh:mm" or "+hhmm" (an optional
// space before it). No zone means `zone` (UTC by default). Digits past microseconds are
// truncated. Microseconds since the epoch (UTC), or nullopt.
std::optional<int64_t> ParseSparkTimestamp(std::string_view text, const TimeZone& zone = TimeZone());

// Days since 1970-01-01 of a proleptic Gregorian date (no validation).
int32_t DaysFromCivil(int year, int month, int day);

}  // namespace inlet::formats
