// Fuzzes the Quartz cron parser (schedule/cron.h): parse, then walk a few fire times in
// zones with and without daylight saving; each must be strictly after the one before.
#include <chrono>
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "inlet/schedule/cron.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t choice = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto cron = inlet::schedule::CronExpression::Parse(text);
  if (!cron.ok()) {
    INLET_FUZZ_CHECK(!cron.status().message().empty(), "error without a message");
    return 0;
  }
  // Lord Howe moves its clocks by 30 minutes; Apia skipped a whole day (30 Dec 2011).
  static const char* const kZones[] = {"UTC", "Europe/Amsterdam", "America/New_York",
                                       "Australia/Lord_Howe", "Pacific/Apia",
                                       "Asia/Kolkata", "America/St_Johns", "Etc/GMT+12"};
  const std::string zone = kZones[choice % std::size(kZones)];
  // Starts spread over 1970-2100 so both ends of the calendar and DST rule changes run.
  const int64_t start_seconds = static_cast<int64_t>(choice) * 16'000'000LL;
  auto after = std::chrono::sys_seconds{std::chrono::seconds{start_seconds}};
  for (int i = 0; i < 4; ++i) {
    auto next = cron->NextAfter(after, zone);
    INLET_FUZZ_CHECK(next.ok(), "NextAfter failed in " + zone + ": " + next.status().ToString());
    if (!next->has_value()) break;
    INLET_FUZZ_CHECK(**next > after, "fire time not after the start: " + cron->text());
    after = **next;
  }
  return 0;
}
