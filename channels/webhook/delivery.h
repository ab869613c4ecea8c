// One event on its way to one endpoint, and the attempts made to deliver it;
// stored as JSON in the plugin's key-value store (see Outbox).
//
// Plain values; not thread-safe by themselves.
#ifndef HERALD_CHANNELS_WEBHOOK_DELIVERY_H_
#define HERALD_CHANNELS_WEBHOOK_DELIVERY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::webhook {

// How an attempt ended.
inline constexpr std::string_view kOutcomeDelivered = "delivered";      // 2xx
inline constexpr std::string_view kOutcomeHttpError = "http_error";     // 4xx/5xx, not 410
inline constexpr std::string_view kOutcomeRedirect = "redirect";        // 3xx, not followed
inline constexpr std::string_view kOutcomeGone = "gone";                // 410: endpoint disabled
inline constexpr std::string_view kOutcomeTimeout = "timeout";          // no answer in time
inline constexpr std::string_view kOutcomeUnreachable = "unreachable";  // refused, dropped, DNS
inline constexpr std::string_view kOutcomeDenied = "denied";            // on the deny list
inline constexpr std::string_view kOutcomeSkipped = "endpoint_disabled";

// The state of a delivery.
inline constexpr std::string_view kStatePending = "pending";
inline constexpr std::string_view kStateDelivered = "delivered";
inline constexpr std::string_view kStateFailed = "failed";      // schedule used up, or denied
inline constexpr std::string_view kStateDisabled = "disabled";  // its endpoint answered 410

struct Attempt {
  int64_t at_ms = 0;       // when it started
  int64_t latency_ms = 0;  // until the answer (or the failure)
  int response_code = 0;   // 0: no HTTP answer
  std::string outcome;     // kOutcome*
  std::string detail;      // the start of the answer's body, or the error
};

struct Delivery {
  std::string id;  // the webhook-id, the same on every attempt
  std::string agent;
  size_t endpoint = 0;  // position in the agent's `endpoints` setting
  std::string url;
  std::string event;            // agent.deployed | agent.undeployed | deployment.failed
  std::string mode = "notify";  // notify | gate
  std::string body;             // exactly the bytes sent
  int64_t created_ms = 0;
  int64_t next_at_ms = 0;  // when pending: the next attempt's time
  std::string state = std::string(kStatePending);
  std::vector<Attempt> attempts;
  // Attempts since the last (re)delivery began: indexes the retry schedule.
  size_t round_attempts = 0;
  int redeliveries = 0;

  std::string ToJson() const;
  // Includes the body unless `with_body` is false (API listings).
  std::string ToApiJson(bool with_body) const;
  static std::optional<Delivery> FromJson(std::string_view json);
};

// The most attempts a record keeps (the oldest are dropped).
inline constexpr size_t kMaxAttemptsKept = 100;

}  // namespace herald::webhook

#endif  // HERALD_CHANNELS_WEBHOOK_DELIVERY_H_
