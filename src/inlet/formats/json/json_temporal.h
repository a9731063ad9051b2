// Spark-compatible parsing of JSON date and timestamp strings into Arrow's date32 (days)
// and timestamp(us, UTC) (microseconds) values, without allocation: used per value.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace inlet::json {

// "yyyy-M[M]-d[d]", optionally followed by 'T' or ' ' and anything (Spark ignores a time
// part when reading a date). Days since 1970-01-01, or nullopt when it is not a date.
std::optional<int32_t> ParseSparkDate(std::string_view text);

// ISO 8601 as Spark reads it: "yyyy-MM-dd", "yyyy-MM-dd HH:mm[:ss[.fffffffff]]" or with 'T',
// optionally followed by a zone: "Z", "UTC", "GMT", "+hh", "+hh:mm" or "+hhmm" (an optional
// space before it). No zone means UTC. Digits past microseconds are truncated.
// Microseconds since the epoch (UTC), or nullopt.
std::optional<int64_t> ParseSparkTimestamp(std::string_view text);

// Days since 1970-01-01 of a proleptic Gregorian date (no validation).
int32_t DaysFromCivil(int year, int month, int day);

}  // namespace inlet::json
