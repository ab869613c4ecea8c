#include "retry_policy.h"

#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace herald::webhook {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

RetryPolicy::RetryPolicy() : jitter_(0.1) {
  std::string error;
  delays_ms_ = *ParseSchedule(kDefaultRetrySchedule, &error);
}

RetryPolicy::RetryPolicy(std::vector<int64_t> delays_ms, double jitter)
    : delays_ms_(std::move(delays_ms)), jitter_(std::clamp(jitter, 0.0, 1.0)) {
  if (delays_ms_.empty()) delays_ms_.push_back(0);
}

std::optional<std::vector<int64_t>> RetryPolicy::ParseSchedule(std::string_view text,
                                                               std::string* error) {
  std::vector<int64_t> out;
  size_t i = 0;
  while (i <= text.size()) {
    size_t j = text.find(',', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view item = Trim(text.substr(i, j - i));
    i = j + 1;
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
    std::string_view unit(ptr, static_cast<size_t>(item.data() + item.size() - ptr));
    int64_t scale = 0;
    if (unit == "ms") {
      scale = 1;
    } else if (unit == "s") {
      scale = 1000;
    } else if (unit == "m") {
      scale = 60'000;
    } else if (unit == "h") {
      scale = 3'600'000;
    } else if (unit == "d") {
      scale = kDayMs;
    } else if (unit.empty() && ec == std::errc() && n == 0) {
      scale = 1;  // "0" needs no unit
    }
    if (ec != std::errc() || n < 0 || scale == 0 || n > 30 * kDayMs / scale) {
      *error = "'" + std::string(item) +
               "' is not a duration (a whole number with ms, s, m, h or d, up to 30d)";
      return std::nullopt;
    }
    out.push_back(n * scale);
    if (j == text.size()) break;
  }
  if (out.empty() || out.size() > 50) {
    *error = "the schedule needs 1 to 50 delays";
    return std::nullopt;
  }
  return out;
}

std::optional<int64_t> RetryPolicy::NextAttemptAt(size_t next_attempt, int64_t now_ms,
                                                  double random01,
                                                  std::optional<int64_t> retry_after_ms) const {
  if (next_attempt >= delays_ms_.size()) return std::nullopt;
  double base = static_cast<double>(delays_ms_[next_attempt]);
  double varied = base * (1.0 + jitter_ * (2.0 * std::clamp(random01, 0.0, 1.0) - 1.0));
  int64_t delay = static_cast<int64_t>(std::llround(varied));
  if (retry_after_ms) delay = std::max(delay, std::clamp<int64_t>(*retry_after_ms, 0, kDayMs));
  return now_ms + std::max<int64_t>(delay, 0);
}

std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_ms) {
  value = Trim(value);
  if (value.empty()) return std::nullopt;
  int64_t seconds = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && ptr == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
    return std::min<int64_t>(seconds, kDayMs / 1000) * 1000;
  }
  try {
    int tzd = 0;
    Poco::DateTime when = Poco::DateTimeParser::parse(std::string(value), tzd);
    int64_t at_ms = when.timestamp().epochMicroseconds() / 1000 - tzd * 1000LL;
    return std::max<int64_t>(0, at_ms - now_ms);
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

}  // namespace herald::webhook
