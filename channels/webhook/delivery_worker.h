// The background thread that sends notify-mode deliveries: started with the
// plugin, stopped (and joined) when it shuts down. It runs the dispatcher
// every `poll_ms` and at once when kicked (a deployment has queued events),
// and does the housekeeping between runs (pruning history and seen ids).
//
// What it sends is read from the outbox each time, so delivery resumes
// after a restart with whatever was pending. Thread-safe: Kick and Stop may
// be called from any thread.
#ifndef HERALD_CHANNELS_WEBHOOK_DELIVERY_WORKER_H_
#define HERALD_CHANNELS_WEBHOOK_DELIVERY_WORKER_H_

#include <herald/sdk/host.hpp>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "dispatcher.h"

namespace herald::webhook {

class DeliveryWorker {
 public:
  DeliveryWorker(sdk::Host host, Dispatcher* dispatcher, int64_t poll_ms,
                 std::function<void()> housekeeping);
  ~DeliveryWorker() { Stop(); }
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  void Start();
  // Asks for a run soon. Events queued in a deployment commit after the
  // deployment_event call returns, so a kick also asks for a second run a
  // moment later.
  void Kick();
  // Stops after the delivery in progress and joins the thread. Idempotent.
  void Stop();

 private:
  void Loop();

  sdk::Host host_;
  Dispatcher* dispatcher_;
  int64_t poll_ms_;
  std::function<void()> housekeeping_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  int kicks_ = 0;
  std::thread thread_;
};

}  // namespace herald::webhook

#endif  // HERALD_CHANNELS_WEBHOOK_DELIVERY_WORKER_H_
