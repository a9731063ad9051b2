// Parses Quartz cron expressions into bit masks per field (cron_fields.h); the fire-time
// search lives in cron_next.cc.
#include "inlet/schedule/cron.h"

#include <array>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "inlet/schedule/cron_fields.h"

namespace inlet::schedule {

namespace {

using internal::CronFields;
using internal::DayOfMonthKind;
using internal::DayOfWeekKind;

constexpr std::array<std::string_view, 12> kMonthNames = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> kWeekdayNames = {"SUN", "MON", "TUE", "WED",
                                                           "THU", "FRI", "SAT"};

struct FieldInfo {
  const char* name;
  int min;
  int max;
  const std::string_view* names = nullptr;  // names[i] means min + i
  int name_count = 0;
  const char* name_hint = "";
  bool day_field = false;  // day-of-month or day-of-week: '?' is allowed as the whole field
};

constexpr FieldInfo kSeconds{"seconds", 0, 59};
constexpr FieldInfo kMinutes{"minutes", 0, 59};
constexpr FieldInfo kHours{"hours", 0, 23};
constexpr FieldInfo kDayOfMonth{"day-of-month", 1, 31, nullptr, 0, "", true};
constexpr FieldInfo kMonth{"month", 1, 12, kMonthNames.data(), 12, " or month name (JAN-DEC)"};
constexpr FieldInfo kDayOfWeek{"day-of-week", 1, 7, kWeekdayNames.data(), 7,
                               " or weekday name (SUN-SAT)", true};
constexpr FieldInfo kYear{"year", internal::kMinYear, internal::kMaxYear};

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool SameLetters(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

bool EndsWithLetter(std::string_view s, char upper) {
  return !s.empty() && std::toupper(static_cast<unsigned char>(s.back())) == upper;
}

// Parses one field; every error names the whole expression and the field.
class FieldParser {
 public:
  FieldParser(std::string_view text, const FieldInfo& info) : text_(text), info_(info) {}

  template <typename... Args>
  Status Error(Args&&... args) const {
    return Status::Invalid("cron '", text_, "': ", info_.name, ": ", std::forward<Args>(args)...);
  }

  // A number or (month, weekday) name, checked against the field's range.
  Result<int> Value(std::string_view token) const {
    if (token.empty()) return Error("missing value");
    int value = -1;
    if (IsDigits(token)) {
      if (token.size() > 6) return Error(token, " is outside ", info_.min, "-", info_.max);
      value = std::stoi(std::string(token));
    } else {
      for (int i = 0; i < info_.name_count; ++i) {
        if (SameLetters(token, info_.names[i])) value = info_.min + i;
      }
      if (value < 0) return Error("'", token, "' is not a number", info_.name_hint);
    }
    if (value < info_.min || value > info_.max) {
      return Error(value, " is outside ", info_.min, "-", info_.max);
    }
    return value;
  }

  // A small count after 'L-', '#' or '/', checked against [lo, hi].
  Result<int> Count(std::string_view token, std::string_view element, const char* what, int lo,
                    int hi) const {
    if (!IsDigits(token)) return Error(what, " '", token, "' in '", element, "' is not a number");
    int value = token.size() > 6 ? hi + 1 : std::stoi(std::string(token));
    if (value < lo || value > hi) {
      return Error(what, " ", value, " in '", element, "' is outside ", lo, "-", hi);
    }
    return value;
  }

  // A comma list of '*', 'a', 'a-b', each with an optional '/step'. A range whose end is
  // below its start wraps around the field (Quartz: hours 22-2 are 22,23,0,1,2), except
  // for years, which do not wrap.
  Result<std::vector<int>> Values(std::string_view field) const {
    std::vector<int> values;
    size_t begin = 0;
    while (true) {
      size_t comma = field.find(',', begin);
      std::string_view element = field.substr(begin, comma == std::string_view::npos
                                                         ? std::string_view::npos
                                                         : comma - begin);
      if (element.empty()) return Error("empty value in '", field, "'");
      INLET_RETURN_NOT_OK(AddElement(element, &values));
      if (comma == std::string_view::npos) break;
      begin = comma + 1;
    }
    return values;
  }

 private:
  Status AddElement(std::string_view element, std::vector<int>* values) const {
    if (element.find('?') != std::string_view::npos) {
      if (!info_.day_field) {
        return Error("'?' is only allowed in day-of-month or day-of-week");
      }
      return Error("'?' must be the whole field, not part of a list or range");
    }
    std::string_view range = element;
    int step = 1;
    bool has_step = false;
    if (size_t slash = element.find('/'); slash != std::string_view::npos) {
      range = element.substr(0, slash);
      INLET_ASSIGN_OR_RAISE(step, Count(element.substr(slash + 1), element, "step", 1,
                                        info_.max - info_.min + 1));
      has_step = true;
    }
    int first = info_.min;
    int last = info_.max;
    if (range != "*") {
      size_t dash = range.find('-');
      INLET_ASSIGN_OR_RAISE(first, Value(range.substr(0, dash)));
      if (dash != std::string_view::npos) {
        INLET_ASSIGN_OR_RAISE(last, Value(range.substr(dash + 1)));
      } else if (!has_step) {
        last = first;  // 'a' alone; 'a/n' runs from a to the field's maximum
      }
    }
    if (last < first && info_.min == internal::kMinYear) {
      return Error("range '", range, "' runs backwards");
    }
    int width = info_.max - info_.min + 1;
    int count = last >= first ? last - first + 1 : last - first + 1 + width;
    for (int i = 0; i < count; i += step) {
      int value = first + i;
      if (value > info_.max) value -= width;
      values->push_back(value);
    }
    return Status::OK();
  }

  std::string_view text_;
  const FieldInfo& info_;
};

Result<uint64_t> Mask(std::string_view text, const FieldInfo& info, std::string_view field) {
  FieldParser parser(text, info);
  INLET_ASSIGN_OR_RAISE(auto values, parser.Values(field));
  uint64_t mask = 0;
  for (int v : values) mask |= uint64_t{1} << v;
  return mask;
}

Status ParseYear(std::string_view text, std::string_view field, CronFields* out) {
  FieldParser parser(text, kYear);
  INLET_ASSIGN_OR_RAISE(auto values, parser.Values(field));
  out->any_year = false;
  for (int v : values) out->years.set(v - internal::kMinYear);
  return Status::OK();
}

Status ParseDayOfMonth(std::string_view text, std::string_view field, CronFields* out) {
  FieldParser parser(text, kDayOfMonth);
  if (field == "?") return Status::OK();
  bool has_special = false;
  for (char c : field) {
    char up = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    has_special = has_special || up == 'L' || up == 'W';
  }
  if (!has_special) {
    out->day_of_month = DayOfMonthKind::kValues;
    INLET_ASSIGN_OR_RAISE(out->days, Mask(text, kDayOfMonth, field));
    return Status::OK();
  }
  if (field.find_first_of(",/") != std::string_view::npos) {
    return parser.Error("'L' and 'W' cannot be combined with lists or steps, as in '", field,
                        "'");
  }
  if (SameLetters(field, "L")) {
    out->day_of_month = DayOfMonthKind::kLastDay;
  } else if (SameLetters(field, "LW")) {
    out->day_of_month = DayOfMonthKind::kLastWeekday;
  } else if (field.size() > 2 && SameLetters(field.substr(0, 2), "L-")) {
    out->day_of_month = DayOfMonthKind::kLastDay;
    INLET_ASSIGN_OR_RAISE(out->last_day_offset,
                          parser.Count(field.substr(2), field, "offset", 0, 30));
  } else if (EndsWithLetter(field, 'W') && IsDigits(field.substr(0, field.size() - 1))) {
    out->day_of_month = DayOfMonthKind::kNearestWeekday;
    INLET_ASSIGN_OR_RAISE(out->nearest_weekday_to,
                          parser.Value(field.substr(0, field.size() - 1)));
  } else {
    return parser.Error("'", field, "' is not a day (1-31), L, L-n, LW or nW");
  }
  return Status::OK();
}

Status ParseDayOfWeek(std::string_view text, std::string_view field, CronFields* out) {
  FieldParser parser(text, kDayOfWeek);
  if (field == "?") return Status::OK();
  if (SameLetters(field, "L")) {  // 'L' alone is the last day of the week, Saturday
    out->day_of_week = DayOfWeekKind::kValues;
    out->weekdays = uint64_t{1} << 7;
    return Status::OK();
  }
  size_t hash = field.find('#');
  // No weekday name ends in L, so a trailing L is always the "last such weekday" form.
  bool last_of = EndsWithLetter(field, 'L');
  if (hash == std::string_view::npos && !last_of) {
    out->day_of_week = DayOfWeekKind::kValues;
    INLET_ASSIGN_OR_RAISE(out->weekdays, Mask(text, kDayOfWeek, field));
    return Status::OK();
  }
  if (field.find_first_of(",-/") != std::string_view::npos) {
    return parser.Error("'L' and '#' cannot be combined with lists, ranges or steps, as in '",
                        field, "'");
  }
  if (hash != std::string_view::npos) {
    out->day_of_week = DayOfWeekKind::kNthOfMonth;
    INLET_ASSIGN_OR_RAISE(out->weekday, parser.Value(field.substr(0, hash)));
    INLET_ASSIGN_OR_RAISE(out->nth, parser.Count(field.substr(hash + 1), field, "ordinal", 1, 5));
  } else {
    out->day_of_week = DayOfWeekKind::kLastOfMonth;
    INLET_ASSIGN_OR_RAISE(out->weekday, parser.Value(field.substr(0, field.size() - 1)));
  }
  return Status::OK();
}

std::vector<std::string_view> SplitFields(std::string_view text) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) fields.push_back(text.substr(start, i - start));
  }
  return fields;
}

}  // namespace

Result<CronExpression> CronExpression::Parse(std::string_view text) {
  std::vector<std::string_view> parts = SplitFields(text);
  if (parts.size() != 6 && parts.size() != 7) {
    return Status::Invalid("cron '", text, "': expected 6 or 7 fields (seconds minutes hours ",
                           "day-of-month month day-of-week [year]), got ", parts.size());
  }
  auto fields = std::make_shared<Fields>();
  INLET_ASSIGN_OR_RAISE(fields->seconds, Mask(text, kSeconds, parts[0]));
  INLET_ASSIGN_OR_RAISE(fields->minutes, Mask(text, kMinutes, parts[1]));
  INLET_ASSIGN_OR_RAISE(fields->hours, Mask(text, kHours, parts[2]));
  INLET_RETURN_NOT_OK(ParseDayOfMonth(text, parts[3], fields.get()));
  INLET_ASSIGN_OR_RAISE(fields->months, Mask(text, kMonth, parts[4]));
  INLET_RETURN_NOT_OK(ParseDayOfWeek(text, parts[5], fields.get()));
  if (parts.size() == 7) INLET_RETURN_NOT_OK(ParseYear(text, parts[6], fields.get()));

  // Quartz cannot combine a day of the month with a day of the week, and needs one of them.
  bool dom_open = fields->day_of_month == DayOfMonthKind::kUnspecified;
  bool dow_open = fields->day_of_week == DayOfWeekKind::kUnspecified;
  if (dom_open == dow_open) {
    return Status::Invalid("cron '", text, "': day-of-month '", parts[3], "' and day-of-week '",
                           parts[5], "': exactly one of them must be '?' (e.g. '0 0 12 * * ?')");
  }
  CronExpression expression;
  expression.text_ = std::string(text);
  expression.fields_ = std::move(fields);
  return expression;
}

}  // namespace inlet::schedule
