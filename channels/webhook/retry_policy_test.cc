// The retry schedule, jitter and Retry-After.
#include "retry_policy.h"

#include <gtest/gtest.h>

namespace herald::webhook {
namespace {

TEST(RetryPolicyTest, TheDefaultSchedule) {
  RetryPolicy p;
  EXPECT_EQ(p.delays_ms(), (std::vector<int64_t>{0, 5'000, 300'000, 1'800'000, 7'200'000,
                                                 18'000'000, 36'000'000, 36'000'000}));
  EXPECT_EQ(p.max_attempts(), 8u);
}

TEST(RetryPolicyTest, ParsesAndRefuses) {
  std::string error;
  EXPECT_EQ(*RetryPolicy::ParseSchedule("0,250ms, 1s,2m,1h,1d", &error),
            (std::vector<int64_t>{0, 250, 1000, 120'000, 3'600'000, 86'400'000}));
  EXPECT_FALSE(RetryPolicy::ParseSchedule("0, 5", &error));
  EXPECT_NE(error.find("'5'"), std::string::npos);
  EXPECT_FALSE(RetryPolicy::ParseSchedule("", &error));
  EXPECT_FALSE(RetryPolicy::ParseSchedule("-1s", &error));
  EXPECT_FALSE(RetryPolicy::ParseSchedule("31d", &error));
}

TEST(RetryPolicyTest, JitterStaysWithinItsFraction) {
  RetryPolicy p({0, 10'000}, 0.1);
  EXPECT_EQ(*p.NextAttemptAt(1, 1000, 0.0), 1000 + 9'000);
  EXPECT_EQ(*p.NextAttemptAt(1, 1000, 0.5), 1000 + 10'000);
  EXPECT_EQ(*p.NextAttemptAt(1, 1000, 0.999999), 1000 + 11'000);
  EXPECT_FALSE(p.NextAttemptAt(2, 1000, 0.5));
  RetryPolicy exact({0, 10'000}, 0.0);
  EXPECT_EQ(*exact.NextAttemptAt(1, 0, 0.9), 10'000);
}

TEST(RetryPolicyTest, RetryAfterPostponesButNeverHastens) {
  RetryPolicy p({0, 5'000}, 0.0);
  EXPECT_EQ(*p.NextAttemptAt(1, 0, 0.5, 60'000), 60'000);
  EXPECT_EQ(*p.NextAttemptAt(1, 0, 0.5, 1'000), 5'000);
  EXPECT_EQ(*p.NextAttemptAt(1, 0, 0.5, 10LL * 86'400'000), 86'400'000);  // capped at a day
}

TEST(RetryPolicyTest, ParsesRetryAfter) {
  EXPECT_EQ(ParseRetryAfter("120", 0), 120'000);
  EXPECT_EQ(ParseRetryAfter(" 0 ", 0), 0);
  // Sun, 06 Nov 1994 08:49:37 GMT is 784111777 s.
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111777000 - 30'000), 30'000);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111777000 + 30'000), 0);
  EXPECT_FALSE(ParseRetryAfter("soon", 0));
  EXPECT_FALSE(ParseRetryAfter("-5", 0));
}

}  // namespace
}  // namespace herald::webhook
