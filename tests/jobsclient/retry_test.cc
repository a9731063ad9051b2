// Retry-After parsing and the backoff schedule of `inlet jobs`.
#include "inlet/jobsclient/retry.h"

#include <gtest/gtest.h>

namespace inlet::jobsclient {
namespace {

using std::chrono::system_clock;

TEST(RetryAfter, DelaySecondsAreParsed) {
  EXPECT_EQ(ParseRetryAfter("0"), Millis(0));
  EXPECT_EQ(ParseRetryAfter(" 120 "), Millis(120000));
}

TEST(RetryAfter, HttpDateIsRelativeToNow) {
  auto now = system_clock::from_time_t(1445412470);  // Wed, 21 Oct 2015 07:27:50 GMT
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now), Millis(10000));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now), Millis(0));
}

TEST(RetryAfter, GarbageIsIgnored) {
  EXPECT_EQ(ParseRetryAfter(""), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("soon"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("5s"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-1"), std::nullopt);
}

TEST(Backoff, DoublesFromInitialUpToCap) {
  RetryPolicy policy;  // 500 ms, cap 16 s
  EXPECT_EQ(BackoffDelay(1, policy, std::nullopt), Millis(500));
  EXPECT_EQ(BackoffDelay(2, policy, std::nullopt), Millis(1000));
  EXPECT_EQ(BackoffDelay(3, policy, std::nullopt), Millis(2000));
  EXPECT_EQ(BackoffDelay(5, policy, std::nullopt), Millis(8000));
  EXPECT_EQ(BackoffDelay(6, policy, std::nullopt), Millis(16000));
  EXPECT_EQ(BackoffDelay(40, policy, std::nullopt), Millis(16000));
}

TEST(Backoff, RetryAfterIsHonouredExactly) {
  RetryPolicy policy;
  EXPECT_EQ(BackoffDelay(1, policy, Millis(0)), Millis(0));
  EXPECT_EQ(BackoffDelay(4, policy, Millis(3000)), Millis(3000));
}

}  // namespace
}  // namespace inlet::jobsclient
