// When a notify-mode event is attempted again: the schedule of delays,
// jitter, and the receiver's Retry-After.
//
// The schedule lists the delay before each attempt: the first (usually 0,
// "at once"), then one per retry; once every entry is used the event has
// failed. Written as a comma-separated list of durations with a unit
// ("0, 5s, 5m, 30m, 2h, 5h, 10h, 10h"; ms, s, m, h, d), e.g. in the plugin
// configuration `plugins.webhook.retry_schedule`.
//
// Immutable after construction, so thread-safe.
#ifndef HERALD_CHANNELS_WEBHOOK_RETRY_POLICY_H_
#define HERALD_CHANNELS_WEBHOOK_RETRY_POLICY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::webhook {

inline constexpr std::string_view kDefaultRetrySchedule = "0, 5s, 5m, 30m, 2h, 5h, 10h, 10h";

class RetryPolicy {
 public:
  // The default schedule with 10% jitter.
  RetryPolicy();
  // `delays_ms` must not be empty; `jitter` is a fraction in [0, 1].
  RetryPolicy(std::vector<int64_t> delays_ms, double jitter);

  // Parses a schedule; nullopt (and `error` says why) when malformed.
  static std::optional<std::vector<int64_t>> ParseSchedule(std::string_view text,
                                                           std::string* error);

  // How many attempts an event gets in all.
  size_t max_attempts() const { return delays_ms_.size(); }
  const std::vector<int64_t>& delays_ms() const { return delays_ms_; }

  // When attempt number `next_attempt` (0-based; 1 is the first retry) is
  // due, after the previous one ended at `now_ms`; nullopt when there is none
  // left. The delay is varied by up to ±jitter of itself, with `random01`
  // (in [0, 1)) choosing where; `retry_after_ms`, the receiver's wish, makes
  // it no earlier than that (capped at a day).
  std::optional<int64_t> NextAttemptAt(size_t next_attempt, int64_t now_ms, double random01,
                                       std::optional<int64_t> retry_after_ms = {}) const;

 private:
  std::vector<int64_t> delays_ms_;
  double jitter_;
};

// A Retry-After header value, in milliseconds from `now_ms`: delay-seconds
// or an HTTP date. nullopt when malformed.
std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_ms);

}  // namespace herald::webhook

#endif  // HERALD_CHANNELS_WEBHOOK_RETRY_POLICY_H_
