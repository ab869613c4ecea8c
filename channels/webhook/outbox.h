// The durable outbox: deliveries waiting to be sent and the history of those
// done, in the plugin's key-value store (the host's database), so that
// delivery survives a restart of heraldd.
//
// Keys:
//   q/<id>          a pending delivery (Delivery JSON)
//   h/<id>          a finished one: delivered, failed or disabled
//   x/<agent>/<n>   endpoint n of the agent is disabled (it answered 410)
// Ids sort by creation time, so both lists come oldest first.
//
// Enqueue made inside a deployment_event commits with the deployment.
// Errors of the store throw std::runtime_error (host messages carry no
// secret). Thread-safe: Finish and Redeliver are serialised so a redelivery
// cannot be lost to a delivery finishing at the same moment.
#ifndef HERALD_CHANNELS_WEBHOOK_OUTBOX_H_
#define HERALD_CHANNELS_WEBHOOK_OUTBOX_H_

#include <herald/sdk/host.hpp>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "delivery.h"

namespace herald::webhook {

struct DisabledEndpoint {
  std::string url;
  int64_t at_ms = 0;
};

class Outbox {
 public:
  explicit Outbox(sdk::Host host) : host_(host) {}
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Writes a pending delivery (or updates one after a failed attempt).
  void Put(const Delivery& d);
  // Every pending delivery, oldest first.
  std::vector<Delivery> Pending() const;
  // Moves a delivery that has ended to the history.
  void Finish(const Delivery& d);
  // Writes straight to the history (a gate request, sent synchronously).
  void Record(const Delivery& d);
  // A delivery by id, pending or finished.
  std::optional<Delivery> Find(const std::string& id) const;
  // The agent's deliveries, pending and finished, newest first, at most
  // `limit`.
  std::vector<Delivery> ForAgent(const std::string& agent, size_t limit) const;

  enum class RedeliverResult { kQueued, kNotFound, kPending };
  // Queues a finished delivery again, the same id and body, due at `now_ms`.
  RedeliverResult Redeliver(const std::string& id, int64_t now_ms);

  std::optional<DisabledEndpoint> Disabled(const std::string& agent, size_t endpoint) const;
  void Disable(const std::string& agent, size_t endpoint, const std::string& url, int64_t at_ms);
  void Enable(const std::string& agent, size_t endpoint);

  // Drops the oldest finished deliveries beyond `keep`.
  void PruneHistory(size_t keep);

 private:
  void Check(const sdk::HostResult& r, const char* what) const;

  sdk::Host host_;
  mutable std::mutex finish_mu_;
};

}  // namespace herald::webhook

#endif  // HERALD_CHANNELS_WEBHOOK_OUTBOX_H_
