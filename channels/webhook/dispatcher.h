// Sends deliveries: signs each attempt (Standard Webhooks headers), sends it
// through the host's HTTP client, records the attempt and decides what
// follows: done on 2xx; the endpoint disabled on 410; otherwise (3xx, other
// 4xx/5xx, timeout, connection refused or dropped) the next attempt on the
// retry schedule, no earlier than a Retry-After, until the schedule is used
// up. The webhook-id stays the same on every attempt; the timestamp and
// signature are this attempt's.
//
// Time comes from the host's clock (Host::NowUnixMs), so a test drives the
// schedule with FakeHost::SetNowUnixMs and RunDue.
//
// Thread-safety: Attempt may be called from several threads for different
// deliveries; RunDue from one thread at a time.
#ifndef HERALD_CHANNELS_WEBHOOK_DISPATCHER_H_
#define HERALD_CHANNELS_WEBHOOK_DISPATCHER_H_

#include <herald/sdk/host.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "delivery.h"
#include "outbox.h"
#include "retry_policy.h"
#include "secret_store.h"

namespace herald::webhook {

struct DispatcherOptions {
  RetryPolicy retry;
  int64_t timeout_ms = 15'000;  // one attempt of a notify delivery
  // How much of a receiver's answer an attempt keeps (and a gate shows).
  size_t excerpt_bytes = 200;
};

class Dispatcher {
 public:
  Dispatcher(sdk::Host host, Outbox* outbox, SecretStore* secrets, DispatcherOptions options);

  // Sends one attempt of `d` now, with `timeout_ms`, and appends it to
  // d->attempts. Does not store anything. `retry_after_ms` (may be null)
  // receives the receiver's Retry-After, in ms from now, on a failure.
  Attempt Send(Delivery* d, int64_t timeout_ms, std::optional<int64_t>* retry_after_ms = nullptr);

  // Attempts every pending delivery that is due, one after the other, and
  // stores each outcome. Returns how many were attempted. `stop` (may be
  // empty) is polled between deliveries.
  size_t RunDue(const std::function<bool()>& stop = {});

  // The earliest next attempt among pending deliveries, as of the last
  // RunDue; nullopt when none is pending.
  std::optional<int64_t> next_due_ms() const { return next_due_ms_; }

  const DispatcherOptions& options() const { return options_; }

 private:
  void AttemptAndStore(Delivery* d);
  double Random01();

  sdk::Host host_;
  Outbox* outbox_;
  SecretStore* secrets_;
  DispatcherOptions options_;
  std::optional<int64_t> next_due_ms_;
};

// The start of a receiver's answer, fit to show: at most `max` bytes,
// control characters as spaces, cut on a UTF-8 boundary.
std::string Excerpt(std::string_view body, size_t max);

}  // namespace herald::webhook

#endif  // HERALD_CHANNELS_WEBHOOK_DISPATCHER_H_
