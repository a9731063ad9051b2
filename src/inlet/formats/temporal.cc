// Date/timestamp text -> days / microseconds, hand-written because it runs once per value
// on the read path and std::chrono parsing allocates and is locale-bound. A Spark pattern
// is compiled once into a token array; parsing walks it with no allocation.
#include "inlet/formats/temporal.h"

#include <date/tz.h>

#include <cctype>
#include <chrono>
#include <exception>

#include <fmt/format.h>

namespace inlet::formats {

enum class DatetimePattern::Kind : uint8_t {
  kLiteral,
  kYear,
  kMonth,
  kDay,
  kDayOfYear,
  kHourOfDay,        // H 0-23
  kClockHourOfDay,   // k 1-24
  kHourOfAmPm,       // K 0-11
  kClockHourOfAmPm,  // h 1-12
  kMinute,
  kSecond,
  kFraction,
  kAmPm,
  kOffsetX,  // X: +HH[mm], +HHmm, +HH:mm; Z for zero
  kOffsetx,  // x: the same without Z
  kOffsetZ,  // Z: +HHMM; ZZZZ: GMT+HH:MM; ZZZZZ: +HH:MM[:ss] or Z
  kZoneId,   // VV, z
  kOptionalBegin,
  kOptionalEnd,
};

namespace {

using Kind = DatetimePattern::Kind;
using Token = DatetimePattern::Token;

constexpr int64_t kMicrosPerSecond = 1000000;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Reads between min_digits and max_digits decimal digits at text[*pos].
bool ReadInt(std::string_view text, size_t* pos, int min_digits, int max_digits, int* out) {
  int value = 0;
  int n = 0;
  while (*pos < text.size() && n < max_digits && IsDigit(text[*pos])) {
    value = value * 10 + (text[*pos] - '0');
    ++*pos;
    ++n;
  }
  *out = value;
  return n >= min_digits;
}

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The "yyyy-M[M]-d[d]" prefix; leaves *pos after it.
bool ReadDate(std::string_view text, size_t* pos, int32_t* days) {
  int year, month, day;
  if (!ReadInt(text, pos, 4, 4, &year)) return false;
  if (*pos >= text.size() || text[*pos] != '-') return false;
  ++*pos;
  if (!ReadInt(text, pos, 1, 2, &month) || month < 1 || month > 12) return false;
  if (*pos >= text.size() || text[*pos] != '-') return false;
  ++*pos;
  if (!ReadInt(text, pos, 1, 2, &day) || day < 1 || day > DaysInMonth(year, month)) return false;
  *days = DaysFromCivil(year, month, day);
  return true;
}

// "+h", "+hh", "+hh:mm", "+hhmm" (sign required); seconds east of UTC.
bool ReadSignedOffset(std::string_view zone, int64_t* offset_seconds) {
  if (zone.empty() || (zone[0] != '+' && zone[0] != '-')) return false;
  const int sign = zone[0] == '-' ? -1 : 1;
  size_t p = 1;
  int hours = 0, minutes = 0;
  if (!ReadInt(zone, &p, 1, 2, &hours) || hours > 18) return false;
  if (p < zone.size() && zone[p] == ':') ++p;
  if (p < zone.size() && (!ReadInt(zone, &p, 2, 2, &minutes) || minutes > 59)) return false;
  if (p != zone.size()) return false;
  *offset_seconds = sign * (hours * 3600 + minutes * 60);
  return true;
}

// A zone suffix starting at text[pos] (after optional space): *has_zone is false when
// there is none; the offset is in seconds east of UTC.
bool ReadZone(std::string_view text, size_t pos, bool* has_zone, int64_t* offset_seconds) {
  *offset_seconds = 0;
  if (pos < text.size() && text[pos] == ' ') ++pos;
  std::string_view zone = text.substr(pos);
  *has_zone = !zone.empty();
  if (zone.empty() || zone == "Z" || zone == "UTC" || zone == "GMT") return true;
  if (zone.substr(0, 3) == "UTC" || zone.substr(0, 3) == "GMT") zone.remove_prefix(3);
  return ReadSignedOffset(zone, offset_seconds);
}

// --- Patterns: compiling. ----------------------------------------------------------------

bool IsNumeric(Kind kind) {
  switch (kind) {
    case Kind::kYear: case Kind::kMonth: case Kind::kDay: case Kind::kDayOfYear: case Kind::kHourOfDay:
    case Kind::kClockHourOfDay: case Kind::kHourOfAmPm: case Kind::kClockHourOfAmPm: case Kind::kMinute:
    case Kind::kSecond: case Kind::kFraction:
      return true;
    default:
      return false;
  }
}

Status PatternError(std::string_view pattern, std::string_view what) {
  return Status::Invalid(fmt::format("datetime pattern '{}': {}", pattern, what));
}

// The kind of a run of `count` letters `c`, or an error saying why it cannot be parsed.
Result<Kind> LetterKind(std::string_view pattern, char c, int count) {
  auto at_most = [&](int n, Kind kind) -> Result<Kind> {
    if (count > n) return PatternError(pattern, fmt::format("too many pattern letters '{}'", c));
    return kind;
  };
  switch (c) {
    case 'y': case 'u': return Kind::kYear;
    case 'M': case 'L': return at_most(4, Kind::kMonth);
    case 'd': return at_most(2, Kind::kDay);
    case 'D': return at_most(3, Kind::kDayOfYear);
    case 'H': return at_most(2, Kind::kHourOfDay);
    case 'k': return at_most(2, Kind::kClockHourOfDay);
    case 'K': return at_most(2, Kind::kHourOfAmPm);
    case 'h': return at_most(2, Kind::kClockHourOfAmPm);
    case 'm': return at_most(2, Kind::kMinute);
    case 's': return at_most(2, Kind::kSecond);
    case 'S': return at_most(9, Kind::kFraction);
    case 'a': return at_most(1, Kind::kAmPm);
    case 'X': return at_most(5, Kind::kOffsetX);
    case 'x': return at_most(5, Kind::kOffsetx);
    case 'Z': return at_most(5, Kind::kOffsetZ);
    case 'z': return at_most(4, Kind::kZoneId);
    case 'V':
      if (count != 2) return PatternError(pattern, "pattern letter 'V' must be VV");
      return Kind::kZoneId;
    case 'Y': case 'w': case 'W': case 'e': case 'c':
      return PatternError(pattern, fmt::format("week-based pattern letter '{}' is not supported (Spark refuses "
                                               "week-based patterns too)", c));
    case 'E': case 'F': case 'q': case 'Q':
      return PatternError(pattern, fmt::format("pattern letter '{}' only formats; Spark does not parse with it", c));
    default:
      return PatternError(pattern, fmt::format("pattern letter '{}' is not supported", c));
  }
}

// --- Patterns: parsing. ------------------------------------------------------------------

struct Parsed {
  int year = 1970, month = 1, day = 1, day_of_year = 0;
  int hour_of_day = -1, hour_of_ampm = -1, ampm = -1;
  int minute = 0, second = 0;
  int64_t fraction_micros = 0;
  bool has_offset = false;
  int64_t offset_seconds = 0;
  bool has_zone = false;  // VV or z: a zone ID in the text
  TimeZone zone;
};

constexpr std::string_view kMonths[] = {"january", "february", "march",     "april",   "may",      "june",
                                        "july",    "august",   "september", "october", "november", "december"};

bool MatchWord(std::string_view text, size_t* pos, std::string_view word) {
  if (text.size() - *pos < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (Lower(text[*pos + i]) != word[i]) return false;
  }
  *pos += word.size();
  return true;
}

bool ReadMonthName(std::string_view text, size_t* pos, bool full, int* month) {
  for (int m = 0; m < 12; ++m) {
    if (MatchWord(text, pos, full ? kMonths[m] : kMonths[m].substr(0, 3))) {
      *month = m + 1;
      return true;
    }
  }
  return false;
}

// An offset in the form of `token` at text[*pos].
bool ReadPatternOffset(std::string_view text, size_t* pos, const Token& token, int64_t* offset) {
  *offset = 0;
  const bool z_for_zero = token.kind == Kind::kOffsetX || (token.kind == Kind::kOffsetZ && token.count == 5);
  if (z_for_zero && *pos < text.size() && (text[*pos] == 'Z' || text[*pos] == 'z')) {
    ++*pos;
    return true;
  }
  if (token.kind == Kind::kOffsetZ && token.count == 4) {  // localized: GMT, GMT+8, GMT+08:00
    if (!MatchWord(text, pos, "gmt")) return false;
    if (*pos >= text.size() || (text[*pos] != '+' && text[*pos] != '-')) return true;
  }
  if (*pos >= text.size() || (text[*pos] != '+' && text[*pos] != '-')) return false;
  const int sign = text[*pos] == '-' ? -1 : 1;
  ++*pos;
  int hours = 0, minutes = 0, seconds = 0;
  const bool colon = (token.kind != Kind::kOffsetZ && token.count == 3) || token.count >= 4;
  const bool localized = token.kind == Kind::kOffsetZ && token.count == 4;
  if (!ReadInt(text, pos, localized ? 1 : 2, 2, &hours) || hours > 18) return false;
  const bool minutes_optional = token.count == 1 && token.kind != Kind::kOffsetZ;
  const bool has_colon = *pos < text.size() && text[*pos] == ':';
  if (colon && (token.kind != Kind::kOffsetZ || token.count != 5 || has_colon)) {
    if (has_colon) {
      ++*pos;
      if (!ReadInt(text, pos, 2, 2, &minutes)) return false;
    } else if (!localized) {
      return false;
    }
  } else if (!minutes_optional || (*pos < text.size() && IsDigit(text[*pos]))) {
    if (!ReadInt(text, pos, 2, 2, &minutes)) return false;
  }
  if (token.count >= 4 && !localized && *pos < text.size() && (text[*pos] == ':' || IsDigit(text[*pos]))) {
    if (text[*pos] == ':') ++*pos;
    if (!ReadInt(text, pos, 2, 2, &seconds)) return false;
  }
  if (minutes > 59 || seconds > 59) return false;
  *offset = sign * (hours * 3600 + minutes * 60 + seconds);
  return true;
}

bool ReadZoneId(std::string_view text, size_t* pos, Parsed* out) {
  size_t end = *pos;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '/' ||
                               text[end] == '_' || text[end] == '+' || text[end] == '-' || text[end] == ':')) {
    ++end;
  }
  if (end == *pos) return false;
  auto zone = TimeZone::Make(text.substr(*pos, end - *pos));  // rare: zone names in the data
  if (!zone.ok()) return false;
  *pos = end;
  out->zone = *zone;
  out->has_zone = true;
  return true;
}

bool ParseTokens(const Token* tokens, size_t begin, size_t end, std::string_view text, size_t* pos, Parsed* out);

bool ParseToken(const Token* tokens, size_t i, size_t end, std::string_view text, size_t* pos, Parsed* out) {
  const Token& token = tokens[i];
  // A variable-width number directly followed by another number takes its own width only
  // ("yyyyMMdd"), as java.time's adjacent value parsing does.
  const bool adjacent = i + 1 < end && IsNumeric(tokens[i + 1].kind);
  int value = 0;
  auto number = [&](int min_digits, int max_digits) {
    return ReadInt(text, pos, min_digits, adjacent ? std::max(min_digits, 1) : max_digits, &value);
  };
  switch (token.kind) {
    case Kind::kLiteral:
      if (*pos >= text.size() || Lower(text[*pos]) != Lower(token.literal)) return false;
      ++*pos;
      return true;
    case Kind::kYear:
      if (token.count == 2) {
        if (!ReadInt(text, pos, 2, 2, &value)) return false;
        out->year = 2000 + value;
        return true;
      }
      if (!number(token.count == 1 ? 1 : token.count, 9)) return false;
      if (adjacent && token.count == 1) return false;
      out->year = value;
      return true;
    case Kind::kMonth:
      if (token.count >= 3) return ReadMonthName(text, pos, token.count == 4, &out->month);
      if (!number(token.count, 2) || value < 1 || value > 12) return false;
      out->month = value;
      return true;
    case Kind::kDay:
      if (!number(token.count, 2) || value < 1 || value > 31) return false;
      out->day = value;
      return true;
    case Kind::kDayOfYear:
      if (!number(token.count, 3) || value < 1 || value > 366) return false;
      out->day_of_year = value;
      return true;
    case Kind::kHourOfDay:
    case Kind::kClockHourOfDay:
      if (!number(token.count, 2)) return false;
      if (token.kind == Kind::kHourOfDay ? value > 23 : (value < 1 || value > 24)) return false;
      out->hour_of_day = value % 24;
      return true;
    case Kind::kHourOfAmPm:
    case Kind::kClockHourOfAmPm:
      if (!number(token.count, 2)) return false;
      if (token.kind == Kind::kHourOfAmPm ? value > 11 : (value < 1 || value > 12)) return false;
      out->hour_of_ampm = value % 12;
      return true;
    case Kind::kMinute:
      if (!number(token.count, 2) || value > 59) return false;
      out->minute = value;
      return true;
    case Kind::kSecond:
      if (!number(token.count, 2) || value > 59) return false;
      out->second = value;
      return true;
    case Kind::kFraction: {
      // Spark reads 1 up to count digits for a run of S; microseconds keep 6 of them.
      int64_t fraction = 0;
      int digits = 0;
      while (*pos < text.size() && digits < token.count && IsDigit(text[*pos])) {
        if (digits < 6) fraction = fraction * 10 + (text[*pos] - '0');
        ++digits;
        ++*pos;
      }
      if (digits == 0) return false;
      for (int d = digits; d < 6; ++d) fraction *= 10;
      out->fraction_micros = fraction;
      return true;
    }
    case Kind::kAmPm:
      if (MatchWord(text, pos, "am")) {
        out->ampm = 0;
      } else if (MatchWord(text, pos, "pm")) {
        out->ampm = 1;
      } else {
        return false;
      }
      return true;
    case Kind::kOffsetX:
    case Kind::kOffsetx:
    case Kind::kOffsetZ:
      out->has_offset = ReadPatternOffset(text, pos, token, &out->offset_seconds);
      return out->has_offset;
    case Kind::kZoneId:
      return ReadZoneId(text, pos, out);
    case Kind::kOptionalBegin: {
      // Parsed if it can be, else skipped as if absent; no backtracking into it later.
      const size_t saved_pos = *pos;
      const Parsed saved = *out;
      if (!ParseTokens(tokens, i + 1, token.end, text, pos, out)) {
        *pos = saved_pos;
        *out = saved;
      }
      return true;
    }
    case Kind::kOptionalEnd:
      return true;
  }
  return false;
}

bool ParseTokens(const Token* tokens, size_t begin, size_t end, std::string_view text, size_t* pos, Parsed* out) {
  for (size_t i = begin; i < end; ++i) {
    if (!ParseToken(tokens, i, end, text, pos, out)) return false;
    if (tokens[i].kind == Kind::kOptionalBegin) i = tokens[i].end;
  }
  return true;
}

// The whole text against the pattern, then the fields resolved as Spark does: a missing
// year/month/day is 1970/1/1, a missing hour 0, h without a is AM.
std::optional<Parsed> ParsePattern(std::string_view text, const DatetimePattern& pattern, int32_t* days) {
  Parsed parsed;
  size_t pos = 0;
  if (!ParseTokens(pattern.begin(), 0, pattern.size(), text, &pos, &parsed) || pos != text.size()) {
    return std::nullopt;
  }
  if (parsed.day_of_year > 0) {
    if (parsed.day_of_year > (IsLeap(parsed.year) ? 366 : 365)) return std::nullopt;
    *days = DaysFromCivil(parsed.year, 1, 1) + parsed.day_of_year - 1;
  } else {
    if (parsed.day > DaysInMonth(parsed.year, parsed.month)) return std::nullopt;
    *days = DaysFromCivil(parsed.year, parsed.month, parsed.day);
  }
  return parsed;
}

}  // namespace

// --- TimeZone. ---------------------------------------------------------------------------

Result<TimeZone> TimeZone::Make(std::string_view id) {
  TimeZone zone;
  std::string_view text = id;
  if (text == "Z" || text == "UTC" || text == "GMT" || text == "UT") return zone;
  for (std::string_view prefix : {"UTC", "GMT", "UT"}) {
    if (text.substr(0, prefix.size()) == prefix && text.size() > prefix.size() &&
        (text[prefix.size()] == '+' || text[prefix.size()] == '-')) {
      text.remove_prefix(prefix.size());
      break;
    }
  }
  if (ReadSignedOffset(text, &zone.fixed_offset_seconds_)) return zone;
  try {
    zone.region_ = date::locate_zone(std::string(id));
  } catch (const std::exception&) {
    zone.region_ = nullptr;
  }
  if (zone.region_ == nullptr) {
    return Status::Invalid(fmt::format(
        "unknown time zone '{}': expected a region such as America/Los_Angeles, an offset such as +01:00, "
        "or UTC",
        id));
  }
  return zone;
}

int64_t TimeZone::OffsetAtLocal(int64_t local_seconds) const {
  if (region_ == nullptr) return fixed_offset_seconds_;
  const date::local_seconds local{std::chrono::seconds(local_seconds)};
  const date::local_info info = region_->get_info(local);
  // unique and ambiguous: the first (earlier) offset; nonexistent: the one before the gap.
  return info.first.offset.count();
}

// --- Patterns. ---------------------------------------------------------------------------

Result<DatetimePattern> DatetimePattern::Compile(std::string_view pattern) {
  DatetimePattern compiled;
  uint8_t open[kMaxTokens];
  size_t depth = 0;
  auto add = [&](Token token) -> Status {
    if (compiled.size_ >= kMaxTokens) return PatternError(pattern, fmt::format("longer than {} parts", kMaxTokens));
    compiled.tokens_[compiled.size_++] = token;
    return Status::OK();
  };
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\'') {
      size_t j = i + 1;
      if (j < pattern.size() && pattern[j] == '\'') {  // '' is a quote
        INLET_RETURN_NOT_OK(add(Token{Kind::kLiteral, 1, '\'', 0}));
        i = j + 1;
        continue;
      }
      for (;; ++j) {
        if (j >= pattern.size()) return PatternError(pattern, "a quote is not closed");
        if (pattern[j] == '\'') {
          if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
            INLET_RETURN_NOT_OK(add(Token{Kind::kLiteral, 1, '\'', 0}));
            ++j;
            continue;
          }
          break;
        }
        INLET_RETURN_NOT_OK(add(Token{Kind::kLiteral, 1, pattern[j], 0}));
      }
      i = j + 1;
      continue;
    }
    if (c == '[') {
      open[depth++] = compiled.size_;
      INLET_RETURN_NOT_OK(add(Token{Kind::kOptionalBegin, 0, 0, 0}));
      ++i;
      continue;
    }
    if (c == ']') {
      if (depth == 0) return PatternError(pattern, "']' without '['");
      compiled.tokens_[open[--depth]].end = compiled.size_;
      INLET_RETURN_NOT_OK(add(Token{Kind::kOptionalEnd, 0, 0, 0}));
      ++i;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < pattern.size() && pattern[j] == c) ++j;
      const int count = static_cast<int>(j - i);
      INLET_ASSIGN_OR_RAISE(Kind kind, LetterKind(pattern, c, count));
      INLET_RETURN_NOT_OK(add(Token{kind, static_cast<uint8_t>(count), 0, 0}));
      i = j;
      continue;
    }
    if (c == '{' || c == '}' || c == '#') {
      return PatternError(pattern, fmt::format("'{}' is reserved", c));
    }
    INLET_RETURN_NOT_OK(add(Token{Kind::kLiteral, 1, c, 0}));
    ++i;
  }
  if (depth != 0) return PatternError(pattern, "'[' without ']'");
  if (compiled.size_ == 0) return PatternError(pattern, "empty");
  return compiled;
}

Result<TemporalFormats> CompileTemporalFormats(const std::optional<std::string>& date_format,
                                               const std::optional<std::string>& timestamp_format,
                                               std::string_view time_zone) {
  TemporalFormats formats;
  if (date_format) {
    auto compiled = DatetimePattern::Compile(*date_format);
    if (!compiled.ok()) return Status::Invalid("option dateFormat: ", compiled.status().message());
    formats.date = *compiled;
  }
  if (timestamp_format) {
    auto compiled = DatetimePattern::Compile(*timestamp_format);
    if (!compiled.ok()) return Status::Invalid("option timestampFormat: ", compiled.status().message());
    formats.timestamp = *compiled;
  }
  auto zone = TimeZone::Make(time_zone);
  if (!zone.ok()) return Status::Invalid("option timeZone: ", zone.status().message());
  formats.zone = *zone;
  return formats;
}

std::optional<int32_t> ParseDate(std::string_view text, const TemporalFormats& formats) {
  if (!formats.date) return ParseSparkDate(text);
  int32_t days = 0;
  if (!ParsePattern(text, *formats.date, &days)) return std::nullopt;
  return days;
}

std::optional<int64_t> ParseTimestamp(std::string_view text, const TemporalFormats& formats) {
  if (!formats.timestamp) return ParseSparkTimestamp(text, formats.zone);
  int32_t days = 0;
  const auto parsed = ParsePattern(text, *formats.timestamp, &days);
  if (!parsed) return std::nullopt;
  int hour = parsed->hour_of_day;
  if (hour < 0) hour = parsed->hour_of_ampm < 0 ? 0 : parsed->hour_of_ampm + 12 * std::max(parsed->ampm, 0);
  const int64_t local_seconds = days * 86400LL + hour * 3600LL + parsed->minute * 60LL + parsed->second;
  int64_t offset = 0;
  if (parsed->has_offset) {
    offset = parsed->offset_seconds;
  } else if (parsed->has_zone) {
    offset = parsed->zone.OffsetAtLocal(local_seconds);
  } else {
    offset = formats.zone.OffsetAtLocal(local_seconds);
  }
  return (local_seconds - offset) * kMicrosPerSecond + parsed->fraction_micros;
}

int32_t DaysFromCivil(int year, int month, int day) {
  // Era-based day count over 400-year cycles (the classic civil-from-days inverse).
  year -= month <= 2;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

std::optional<int32_t> ParseSparkDate(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);  // Spark's stringToDate takes a sign
  size_t pos = 0;
  int32_t days;
  if (ReadDate(text, &pos, &days)) {
    if (pos != text.size() && text[pos] != 'T' && text[pos] != ' ') return std::nullopt;
    return days;
  }
  // A year, or a year and a month, alone: their first day (stringToDate's yyyy and yyyy-[m]m).
  int year = 0, month = 1;
  pos = 0;
  if (!ReadInt(text, &pos, 4, 4, &year)) return std::nullopt;
  if (pos < text.size()) {
    if (text[pos] != '-') return std::nullopt;
    ++pos;
    if (!ReadInt(text, &pos, 1, 2, &month) || month < 1 || month > 12 || pos != text.size()) return std::nullopt;
  }
  return DaysFromCivil(year, month, 1);
}

std::optional<int64_t> ParseSparkTimestamp(std::string_view text, const TimeZone& zone) {
  text = Trim(text);
  size_t pos = 0;
  int32_t days;
  if (!ReadDate(text, &pos, &days)) return std::nullopt;
  int64_t seconds = days * 86400LL;
  int64_t fraction = 0;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ') && pos + 1 < text.size() &&
      IsDigit(text[pos + 1])) {
    ++pos;
    int hour, minute, second = 0;
    if (!ReadInt(text, &pos, 1, 2, &hour) || hour > 23) return std::nullopt;
    if (pos >= text.size() || text[pos] != ':') return std::nullopt;
    ++pos;
    if (!ReadInt(text, &pos, 1, 2, &minute) || minute > 59) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!ReadInt(text, &pos, 1, 2, &second) || second > 59) return std::nullopt;
      if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < text.size() && IsDigit(text[pos])) {
          if (digits < 6) fraction = fraction * 10 + (text[pos] - '0');
          ++digits;
          ++pos;
        }
        if (digits == 0 || digits > 9) return std::nullopt;
        for (int d = digits; d < 6; ++d) fraction *= 10;
      }
    }
    seconds += hour * 3600LL + minute * 60LL + second;
  }
  bool has_zone = false;
  int64_t offset_seconds;
  if (!ReadZone(text, pos, &has_zone, &offset_seconds)) return std::nullopt;
  if (!has_zone) offset_seconds = zone.OffsetAtLocal(seconds);
  return (seconds - offset_seconds) * kMicrosPerSecond + fraction;
}

}  // namespace inlet::formats
