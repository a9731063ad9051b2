// Finds the next fire time of a parsed cron expression: a field-by-field search over local
// wall-clock time, then a daylight-saving-aware mapping of that wall time to an instant.
#include <bit>
#include <exception>
#include <optional>

#include <date/date.h>
#include <date/tz.h>

#include "inlet/schedule/cron.h"
#include "inlet/schedule/cron_fields.h"

namespace inlet::schedule {

namespace {

using internal::CronFields;
using internal::DayOfMonthKind;
using internal::DayOfWeekKind;
using std::chrono::seconds;
using std::chrono::sys_seconds;

// The calendar repeats every 400 years (146097 days, a whole number of weeks), so an
// expression without a year field that finds nothing in 400 years never fires (30 Feb).
constexpr int kSearchYears = 400;

// The smallest set bit >= from, if any. Masks hold values 0-59 at most.
std::optional<int> NextBit(uint64_t mask, int from) {
  if (from > 63) return std::nullopt;
  uint64_t rest = mask & (~uint64_t{0} << from);
  if (rest == 0) return std::nullopt;
  return std::countr_zero(rest);
}

std::optional<int> NextYear(const CronFields& f, int from) {
  for (int y = std::max(from, internal::kMinYear); y <= internal::kMaxYear; ++y) {
    if (f.years.test(y - internal::kMinYear)) return y;
  }
  return std::nullopt;
}

// The days of month (bits 1-31) on which the expression fires in year y, month m.
uint64_t DayMask(const CronFields& f, int y, int m) {
  date::year_month ym{date::year{y}, date::month{static_cast<unsigned>(m)}};
  int last = static_cast<int>(static_cast<unsigned>((ym / date::last).day()));
  // Quartz weekday (1 = Sunday) of day d of this month.
  int first_weekday = static_cast<int>(date::weekday{date::sys_days{ym / 1}}.c_encoding()) + 1;
  auto weekday_of = [&](int d) { return (first_weekday - 1 + d - 1) % 7 + 1; };
  auto is_weekend = [&](int d) { return weekday_of(d) == 1 || weekday_of(d) == 7; };
  uint64_t in_month = (~uint64_t{0} >> (63 - last)) & ~uint64_t{1};  // bits 1..last
  auto bit = [](int d) { return d >= 1 ? uint64_t{1} << d : 0; };

  switch (f.day_of_month) {
    case DayOfMonthKind::kValues:
      return f.days & in_month;
    case DayOfMonthKind::kLastDay:
      return bit(last - f.last_day_offset);
    case DayOfMonthKind::kLastWeekday: {
      int d = last;
      while (is_weekend(d)) --d;
      return bit(d);
    }
    case DayOfMonthKind::kNearestWeekday: {
      // The weekday nearest to day n without leaving the month: 1W on a Saturday is
      // Monday the 3rd, and the last day on a Sunday is the Friday before it.
      int n = f.nearest_weekday_to;
      if (n > last) return 0;
      if (weekday_of(n) == 7) return bit(n == 1 ? 3 : n - 1);
      if (weekday_of(n) == 1) return bit(n == last ? n - 2 : n + 1);
      return bit(n);
    }
    case DayOfMonthKind::kUnspecified:
      break;
  }
  switch (f.day_of_week) {
    case DayOfWeekKind::kValues: {
      uint64_t mask = 0;
      for (int d = 1; d <= last; ++d) {
        if (f.weekdays >> weekday_of(d) & 1) mask |= bit(d);
      }
      return mask;
    }
    case DayOfWeekKind::kLastOfMonth: {
      int d = last;
      while (weekday_of(d) != f.weekday) --d;
      return bit(d);
    }
    case DayOfWeekKind::kNthOfMonth: {
      int first = 1 + (f.weekday - first_weekday + 7) % 7;
      int d = first + 7 * (f.nth - 1);
      return d <= last ? bit(d) : 0;
    }
    case DayOfWeekKind::kUnspecified:
      break;
  }
  return 0;
}

// The first wall time >= start that matches every field, or nullopt past `year_limit`.
// Each step jumps the first field that does not match to its next allowed value and
// resets the smaller fields, so the work is per field value, never per second.
std::optional<date::local_seconds> NextWallTime(const CronFields& f, date::local_seconds start,
                                                int year_limit) {
  auto day = date::floor<date::days>(start);
  date::year_month_day ymd{day};
  date::hh_mm_ss<seconds> tod{start - day};
  int y = static_cast<int>(ymd.year());
  int m = static_cast<int>(static_cast<unsigned>(ymd.month()));
  int d = static_cast<int>(static_cast<unsigned>(ymd.day()));
  int h = static_cast<int>(tod.hours().count());
  int mi = static_cast<int>(tod.minutes().count());
  int s = static_cast<int>(tod.seconds().count());

  while (true) {
    if (y > year_limit) return std::nullopt;
    if (!f.any_year) {
      std::optional<int> next = NextYear(f, y);
      if (!next) return std::nullopt;
      if (*next != y) y = *next, m = 1, d = 1, h = 0, mi = 0, s = 0;
    }
    std::optional<int> next_month = NextBit(f.months, m);
    if (!next_month) {
      y += 1, m = 1, d = 1, h = 0, mi = 0, s = 0;
      continue;
    }
    if (*next_month != m) m = *next_month, d = 1, h = 0, mi = 0, s = 0;
    std::optional<int> next_day = NextBit(DayMask(f, y, m), d);
    if (!next_day) {
      m += 1, d = 1, h = 0, mi = 0, s = 0;
      if (m > 12) y += 1, m = 1;
      continue;
    }
    if (*next_day != d) d = *next_day, h = 0, mi = 0, s = 0;
    std::optional<int> next_hour = NextBit(f.hours, h);
    if (!next_hour) {  // d may pass the month's end; DayMask then moves to the next month
      d += 1, h = 0, mi = 0, s = 0;
      continue;
    }
    if (*next_hour != h) h = *next_hour, mi = 0, s = 0;
    std::optional<int> next_minute = NextBit(f.minutes, mi);
    if (!next_minute) {
      h += 1, mi = 0, s = 0;
      continue;
    }
    if (*next_minute != mi) mi = *next_minute, s = 0;
    std::optional<int> next_second = NextBit(f.seconds, s);
    if (!next_second) {
      mi += 1, s = 0;
      continue;
    }
    s = *next_second;
    date::year_month_day date{date::year{y}, date::month{static_cast<unsigned>(m)},
                              date::day{static_cast<unsigned>(d)}};
    return date::local_days{date} + std::chrono::hours{h} + std::chrono::minutes{mi} +
           seconds{s};
  }
}

}  // namespace

bool IsKnownTimeZone(const std::string& name) {
  try {
    return date::locate_zone(name) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

// Daylight saving, as Quartz: the search runs over wall times, and each matching wall time
// fires once. A wall time in a spring-forward gap fires at the instant the gap ends (02:30
// on that day in Amsterdam fires at 03:00 CEST; several wall times in the gap collapse into
// that one instant). A wall time repeated by a fall-back fires at its first occurrence
// only, so "every 30 minutes" skips the repeated hour's second pass instead of firing
// twice at the same wall time.
Result<std::optional<sys_seconds>> CronExpression::NextAfter(sys_seconds after,
                                                             const std::string& time_zone) const {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(time_zone);
  } catch (const std::exception&) {
    return Status::Invalid("cron '", text_, "': unknown time zone '", time_zone,
                           "' (expected an IANA name such as 'Europe/Amsterdam' or 'UTC')");
  }
  // Mapping wall time to instant (below) never decreases, and maps the wall time of `after`
  // to `after` or earlier, so nothing before the next wall second can fire after `after`.
  date::local_seconds start = zone->to_local(after) + seconds{1};
  int year_limit = static_cast<int>(date::year_month_day{date::floor<date::days>(start)}.year()) +
                   kSearchYears;
  while (true) {
    std::optional<date::local_seconds> wall = NextWallTime(*fields_, start, year_limit);
    if (!wall) return std::optional<sys_seconds>{};
    date::local_info info = zone->get_info(*wall);
    sys_seconds fire;
    if (info.result == date::local_info::nonexistent) {
      fire = info.second.begin;
    } else {  // unique, or ambiguous: the first occurrence, with the earlier offset
      fire = sys_seconds{wall->time_since_epoch() - info.first.offset};
    }
    if (fire > after) return std::optional<sys_seconds>{fire};
    // Only the repeated hour of a fall-back maps at or before `after` (we are in its second
    // pass): its wall times already fired, so continue after it.
    start = *wall + seconds{1};
    if (info.result == date::local_info::ambiguous) {
      date::local_seconds repeat_end{(info.first.end + info.first.offset).time_since_epoch()};
      start = std::max(start, repeat_end);
    }
  }
}

}  // namespace inlet::schedule
