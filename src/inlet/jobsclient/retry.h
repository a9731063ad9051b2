// When `inlet jobs` retries a request and how long it waits: exponential backoff for
// 429/503 and dropped connections, or exactly what the server's Retry-After asks for.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace inlet::jobsclient {

using Millis = std::chrono::milliseconds;

struct RetryPolicy {
  int max_attempts = 6;          // requests in all, the first included
  Millis initial_backoff{500};   // wait after the first failure; doubles each time
  Millis max_backoff{16000};     // cap of one wait without Retry-After
  Millis max_total_wait{60000};  // all waits of one call together; no retry beyond it
};

// Sleeps; tests pass one that records the waits instead.
using SleepFunction = std::function<void(Millis)>;
void RealSleep(Millis duration);

// Retry-After as delay-seconds ("0", "120") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT",
// relative to `now`; a date in the past means 0). nullopt when absent or unreadable.
std::optional<Millis> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// The wait before attempt `failed_attempts + 1`: Retry-After when the server sent one,
// otherwise initial_backoff * 2^(failed_attempts - 1) capped at max_backoff.
Millis BackoffDelay(int failed_attempts, const RetryPolicy& policy, std::optional<Millis> retry_after);

}  // namespace inlet::jobsclient
