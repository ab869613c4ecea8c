#include "delivery_worker.h"

#include <chrono>

namespace herald::webhook {

DeliveryWorker::DeliveryWorker(sdk::Host host, Dispatcher* dispatcher, int64_t poll_ms,
                               std::function<void()> housekeeping)
    : host_(host),
      dispatcher_(dispatcher),
      poll_ms_(poll_ms > 0 ? poll_ms : 100),
      housekeeping_(std::move(housekeeping)) {}

void DeliveryWorker::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void DeliveryWorker::Kick() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    kicks_ = 2;
  }
  cv_.notify_one();
}

void DeliveryWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void DeliveryWorker::Loop() {
  auto stopping = [this] {
    std::lock_guard<std::mutex> lock(mu_);
    return stop_;
  };
  auto last_housekeeping = std::chrono::steady_clock::now();
  while (!stopping()) {
    size_t attempted = 0;
    try {
      attempted = dispatcher_->RunDue(stopping);
      auto now = std::chrono::steady_clock::now();
      if (housekeeping_ && now - last_housekeeping > std::chrono::seconds(60)) {
        last_housekeeping = now;
        housekeeping_();
      }
    } catch (const std::exception& e) {
      host_.Error(std::string("webhook delivery: ") + e.what());
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (stop_) break;
    if (attempted > 0) continue;  // more may have become due meanwhile
    if (kicks_ > 0) {
      // The kicking transaction may not have committed yet: look again shortly.
      --kicks_;
      cv_.wait_for(lock, std::chrono::milliseconds(kicks_ == 1 ? 0 : 20), [this] { return stop_; });
      continue;
    }
    cv_.wait_for(lock, std::chrono::milliseconds(poll_ms_), [this] { return stop_ || kicks_ > 0; });
  }
}

}  // namespace herald::webhook
