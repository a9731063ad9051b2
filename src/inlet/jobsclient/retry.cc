// Retry-After parsing and the backoff schedule (retry.h).
#include "inlet/jobsclient/retry.h"

#include <charconv>
#include <ctime>
#include <iomanip>
#include <sstream>
#include <string>
#include <thread>

namespace inlet::jobsclient {

void RealSleep(Millis duration) { std::this_thread::sleep_for(duration); }

std::optional<Millis> ParseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') {
    int64_t seconds = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return Millis(seconds * 1000);
  }
  // IMF-fixdate, the only HTTP-date form senders may generate (RFC 9110 5.6.7).
  std::tm parts{};
  std::istringstream stream{std::string(value)};
  stream.imbue(std::locale::classic());
  stream >> std::get_time(&parts, "%a, %d %b %Y %H:%M:%S GMT");
  if (stream.fail()) return std::nullopt;
  auto at = std::chrono::system_clock::from_time_t(timegm(&parts));
  auto delay = std::chrono::duration_cast<Millis>(at - now);
  return delay.count() > 0 ? delay : Millis(0);
}

Millis BackoffDelay(int failed_attempts, const RetryPolicy& policy, std::optional<Millis> retry_after) {
  if (retry_after) return *retry_after;
  Millis delay = policy.initial_backoff;
  for (int i = 1; i < failed_attempts && delay < policy.max_backoff; ++i) delay *= 2;
  return std::min(delay, policy.max_backoff);
}

}  // namespace inlet::jobsclient
