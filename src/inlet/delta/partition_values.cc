// Partition value text, Hive-escaped directories and add paths (PROTOCOL.md "Partition
// Value Serialization"; Hive's FileUtils.escapePathName, which Spark and delta-rs follow).
#include "inlet/delta/partition_values.h"

#include <cinttypes>
#include <cstdio>

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <fmt/format.h>

namespace inlet::delta {
namespace {

// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm), valid for every day
// Arrow can hold: no time zone library, no 2038 limit.
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int64_t>(yoe) + era * 400 + (*month <= 2 ? 1 : 0);
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

std::string TimestampText(int64_t value, arrow::TimeUnit::type unit) {
  int64_t per_second = 1;
  switch (unit) {
    case arrow::TimeUnit::SECOND: per_second = 1; break;
    case arrow::TimeUnit::MILLI: per_second = 1000; break;
    case arrow::TimeUnit::MICRO: per_second = 1000000; break;
    case arrow::TimeUnit::NANO: per_second = 1000000000; break;
  }
  const int64_t seconds = FloorDiv(value, per_second);
  const int64_t fraction = value - seconds * per_second;
  const int64_t micros = per_second >= 1000000 ? fraction / (per_second / 1000000) : fraction * (1000000 / per_second);
  const int64_t days = FloorDiv(seconds, 86400);
  const int64_t in_day = seconds - days * 86400;
  int64_t year = 0;
  unsigned month = 0, day = 0;
  CivilFromDays(days, &year, &month, &day);
  return fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}.{:06d}", year, month, day, in_day / 3600,
                     (in_day / 60) % 60, in_day % 60, micros);
}

bool NeedsHiveEscape(unsigned char c) {
  if (c < 0x20 || c == 0x7F) return true;
  switch (c) {
    case '"': case '#': case '%': case '\'': case '*': case '/': case ':': case '=': case '?':
    case '\\': case '{': case '[': case ']': case '^':
      return true;
    default:
      return false;
  }
}

bool UriPathSafe(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-': case '.': case '_': case '~': case '/': case '=': case '!': case '$': case '&': case '(':
    case ')': case '+': case ',': case ';': case '@':
      return true;
    default:
      return false;
  }
}

}  // namespace

Result<std::vector<std::optional<std::string>>> SerializePartitionValues(const arrow::Array& values,
                                                                        const std::string& column) {
  std::vector<std::optional<std::string>> out(static_cast<size_t>(values.length()));
  const arrow::Type::type id = values.type_id();
  if (id == arrow::Type::STRING || id == arrow::Type::LARGE_STRING) {
    for (int64_t i = 0; i < values.length(); ++i) {
      if (values.IsNull(i)) continue;
      std::string text = id == arrow::Type::STRING ? static_cast<const arrow::StringArray&>(values).GetString(i)
                                                   : static_cast<const arrow::LargeStringArray&>(values).GetString(i);
      if (!text.empty()) out[i] = std::move(text);
    }
    return out;
  }
  if (id == arrow::Type::TIMESTAMP) {
    const auto& timestamps = static_cast<const arrow::TimestampArray&>(values);
    const auto unit = static_cast<const arrow::TimestampType&>(*values.type()).unit();
    for (int64_t i = 0; i < values.length(); ++i) {
      if (!values.IsNull(i)) out[i] = TimestampText(timestamps.Value(i), unit);
    }
    return out;
  }
  switch (id) {
    case arrow::Type::NA:
      return out;
    case arrow::Type::BOOL: case arrow::Type::INT8: case arrow::Type::INT16: case arrow::Type::INT32:
    case arrow::Type::INT64: case arrow::Type::FLOAT: case arrow::Type::DOUBLE: case arrow::Type::DECIMAL128:
    case arrow::Type::DATE32:
      break;  // Arrow's cast to text is the protocol's text for these
    default:
      return Status::NotImplemented(fmt::format(
          "partition column '{}' has type {}, which inlet cannot write as a partition value", column,
          values.type()->ToString()));
  }
  auto cast = arrow::compute::Cast(values, arrow::utf8());
  if (!cast.ok()) {
    return Status::Invalid(fmt::format("partition column '{}': {}", column, cast.status().message()));
  }
  const auto& text = static_cast<const arrow::StringArray&>(**cast);
  for (int64_t i = 0; i < text.length(); ++i) {
    if (!text.IsNull(i)) out[i] = text.GetString(i);
  }
  return out;
}

std::string EscapePartitionPathSegment(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (NeedsHiveEscape(c)) {
      out += fmt::format("%{:02X}", c);
    } else {
      out += ch;
    }
  }
  return out;
}

std::string PartitionDirectory(const std::vector<std::string>& columns,
                               const std::vector<std::optional<std::string>>& values) {
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += '/';
    out += EscapePartitionPathSegment(columns[i]);
    out += '=';
    const bool has_value = i < values.size() && values[i] && !values[i]->empty();
    out += has_value ? EscapePartitionPathSegment(*values[i]) : kHiveDefaultPartition;
  }
  return out;
}

std::string EncodeAddPath(const std::string& relative_path) {
  std::string out;
  out.reserve(relative_path.size());
  for (char ch : relative_path) {
    const auto c = static_cast<unsigned char>(ch);
    if (UriPathSafe(c)) {
      out += ch;
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace inlet::delta
