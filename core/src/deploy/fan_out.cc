#include "herald/core/deploy/fan_out.h"

#include <atomic>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "herald/core/log.h"

namespace herald::deploy {
namespace {

std::atomic<int64_t> g_abandoned{0};

// What a call's thread and the waiting caller share; outlives either.
struct Shared {
  std::mutex mu;
  std::condition_variable done_cv;
  size_t remaining = 0;
  std::vector<bool> finished;
  std::vector<CallResult> results;
};

}  // namespace

std::string_view CallOutcomeName(CallOutcome outcome) {
  switch (outcome) {
    case CallOutcome::kOk:
      return "ok";
    case CallOutcome::kError:
      return "error";
    case CallOutcome::kTimedOut:
      return "timed_out";
  }
  return "error";
}

int64_t abandoned_calls() { return g_abandoned.load(); }

std::vector<CallResult> FanOut(std::vector<NamedCall> calls, std::chrono::milliseconds deadline) {
  auto shared = std::make_shared<Shared>();
  shared->remaining = calls.size();
  shared->finished.assign(calls.size(), false);
  shared->results.resize(calls.size());
  const auto start = std::chrono::steady_clock::now();

  for (size_t i = 0; i < calls.size(); ++i) {
    std::thread([shared, i, call = std::move(calls[i].call), start] {
      CallResult result;
      try {
        std::string error = call();
        result.outcome = error.empty() ? CallOutcome::kOk : CallOutcome::kError;
        result.message = std::move(error);
      } catch (const std::exception& e) {
        result.message = std::string("threw: ") + e.what();
      } catch (...) {
        result.message = "threw a non-standard exception";
      }
      result.latency_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - start)
                              .count();
      std::lock_guard<std::mutex> lock(shared->mu);
      // Past the deadline the caller has moved on: the result is dropped.
      if (shared->finished[i]) return;
      shared->finished[i] = true;
      shared->results[i] = std::move(result);
      if (--shared->remaining == 0) shared->done_cv.notify_all();
    }).detach();
  }

  std::unique_lock<std::mutex> lock(shared->mu);
  shared->done_cv.wait_until(lock, start + deadline, [&] { return shared->remaining == 0; });
  for (size_t i = 0; i < calls.size(); ++i) {
    if (shared->finished[i]) continue;
    shared->finished[i] = true;  // the late result, if any, is dropped
    shared->results[i].outcome = CallOutcome::kTimedOut;
    shared->results[i].message = "no answer within " + std::to_string(deadline.count()) + " ms";
    shared->results[i].latency_ms = deadline.count();
    g_abandoned.fetch_add(1);
    LogEvent(spdlog::level::warn, "channel.call_abandoned",
             {{"channel", calls[i].name}, {"deadline_ms", deadline.count()}});
  }
  return shared->results;
}

}  // namespace herald::deploy
