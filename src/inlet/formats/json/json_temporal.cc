// Date/timestamp text -> days / microseconds, hand-written because it runs once per value
// on the read path and std::chrono parsing allocates and is locale-bound.
#include "inlet/formats/json/json_temporal.h"

namespace inlet::json {
namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

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

// A zone suffix starting at text[pos] (after optional space); offset in seconds east of UTC.
bool ReadZone(std::string_view text, size_t pos, int64_t* offset_seconds) {
  *offset_seconds = 0;
  if (pos < text.size() && text[pos] == ' ') ++pos;
  std::string_view zone = text.substr(pos);
  if (zone.empty() || zone == "Z" || zone == "UTC" || zone == "GMT") return true;
  if (zone.substr(0, 3) == "UTC" || zone.substr(0, 3) == "GMT") zone.remove_prefix(3);
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

}  // namespace

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
  size_t pos = 0;
  int32_t days;
  if (!ReadDate(text, &pos, &days)) return std::nullopt;
  if (pos != text.size() && text[pos] != 'T' && text[pos] != ' ') return std::nullopt;
  return days;
}

std::optional<int64_t> ParseSparkTimestamp(std::string_view text) {
  text = Trim(text);
  size_t pos = 0;
  int32_t days;
  if (!ReadDate(text, &pos, &days)) return std::nullopt;
  int64_t micros = days * kMicrosPerDay;
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
        int64_t fraction = 0;
        int digits = 0;
        while (pos < text.size() && IsDigit(text[pos])) {
          if (digits < 6) fraction = fraction * 10 + (text[pos] - '0');
          ++digits;
          ++pos;
        }
        if (digits == 0 || digits > 9) return std::nullopt;
        for (int d = digits; d < 6; ++d) fraction *= 10;
        micros += fraction;
      }
    }
    micros += (hour * 3600LL + minute * 60LL + second) * kMicrosPerSecond;
  }
  int64_t offset_seconds;
  if (!ReadZone(text, pos, &offset_seconds)) return std::nullopt;
  return micros - offset_seconds * kMicrosPerSecond;
}

}  // namespace inlet::json
