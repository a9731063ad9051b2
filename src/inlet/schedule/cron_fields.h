// The parsed form of a Quartz cron expression, shared by the parser (cron.cc) and the
// fire-time search (cron_next.cc). Internal to the schedule module.
#pragma once

#include <bitset>
#include <cstdint>

#include "inlet/schedule/cron.h"

namespace inlet::schedule::internal {

inline constexpr int kMinYear = 1970;
inline constexpr int kMaxYear = 2099;

// Day-of-month forms. Quartz allows L, L-n, LW and nW only on their own, so one kind
// (plus its parameter) describes the whole field.
enum class DayOfMonthKind { kUnspecified, kValues, kLastDay, kLastWeekday, kNearestWeekday };
// Day-of-week forms: plain weekdays, nL (last such weekday) and n#k (k-th such weekday).
enum class DayOfWeekKind { kUnspecified, kValues, kLastOfMonth, kNthOfMonth };

// Bit v of a mask is set when value v matches. Weekdays use Quartz numbering, 1 = Sunday.
struct CronFields {
  uint64_t seconds = 0;
  uint64_t minutes = 0;
  uint64_t hours = 0;
  uint64_t months = 0;
  bool any_year = true;  // no year field: every year matches
  std::bitset<kMaxYear - kMinYear + 1> years;

  DayOfMonthKind day_of_month = DayOfMonthKind::kUnspecified;
  uint64_t days = 0;           // kValues
  int last_day_offset = 0;     // kLastDay: n of L-n
  int nearest_weekday_to = 0;  // kNearestWeekday: n of nW

  DayOfWeekKind day_of_week = DayOfWeekKind::kUnspecified;
  uint64_t weekdays = 0;  // kValues
  int weekday = 0;        // kLastOfMonth, kNthOfMonth
  int nth = 0;            // kNthOfMonth
};

}  // namespace inlet::schedule::internal

namespace inlet::schedule {
// The header's private Fields type is this struct, so free functions in both source files
// can work on it.
struct CronExpression::Fields : internal::CronFields {};
}  // namespace inlet::schedule
