// Quartz cron expressions, as Databricks job schedules use them
// ("0 15 10 ? * MON-FRI", "0 0/5 * * * ?", "0 0 12 L * ?", "0 0 9 ? * 6#3"), evaluated in an
// IANA time zone with daylight-saving changes handled.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "inlet/util/status.h"

namespace inlet::schedule {

class CronExpression {
 public:
  // Fields: seconds minutes hours day-of-month month day-of-week [year]. Supports *, ?,
  // lists (a,b), ranges (a-b), steps (a/n, */n, a-b/n), month and weekday names (JAN,
  // MON; weekdays 1-7 = SUN-SAT as Quartz), L (last day of month, L-n, last weekday of
  // month as 5L), W (nearest weekday: 15W, LW) and # (nth weekday: 6#3). As in Quartz,
  // exactly one of day-of-month and day-of-week must be '?'. Errors are Status::Invalid
  // naming the field, e.g. "cron '0 61 * * * ?': minutes: 61 is outside 0-59".
  static Result<CronExpression> Parse(std::string_view text);

  // The first fire time strictly after `after`, with the fields read as wall-clock time in
  // `time_zone` (an IANA name such as "Europe/Amsterdam"; "UTC" too). Daylight saving: a
  // wall time that does not exist (spring forward) fires at the first instant after the
  // gap; a wall time that occurs twice (fall back) fires once, at its first occurrence.
  // nullopt when the expression never fires again (a year range that has ended). An
  // unknown zone is Status::Invalid naming it.
  Result<std::optional<std::chrono::sys_seconds>> NextAfter(std::chrono::sys_seconds after,
                                                          const std::string& time_zone) const;

  const std::string& text() const { return text_; }

 private:
  struct Fields;
  CronExpression() = default;
  std::string text_;
  std::shared_ptr<const Fields> fields_;
};

// True when `name` is an IANA time zone known to the system's tz database.
bool IsKnownTimeZone(const std::string& name);

}  // namespace inlet::schedule
