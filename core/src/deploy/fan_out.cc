#include "herald/core/deploy/fan_out.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "herald/core/deploy/call_pool.h"
#include "herald/core/log.h"

namespace herald::deploy {
namespace {

std::atomic<int64_t> g_abandoned{0};

// What a call's worker and the waiting caller share; outlives either.
struct Shared {
  bool reporting = false;  // the caller hears each result as it arrives
  std::mutex mu;
  std::condition_variable done_cv;
  size_t remaining = 0;
  std::vector<bool> finished;
  std::vector<CallResult> results;
  std::vector<size_t> arrived;  // finished, not yet reported, in order of arrival
  // How many results have arrived so far (in time), for the caller to poll
  // without the lock, which the calls' workers take to hand in a result.
  std::atomic<size_t> arrivals{0};
};

// Records call `index`'s result, unless the caller has given up on it.
void Arrive(Shared& shared, size_t index, CallResult result, bool in_time) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(shared.mu);
    // Past the deadline the caller has moved on (or will, once its reporter
    // returns): the result is dropped and the call reported timed out.
    if (shared.finished[index] || !in_time) return;
    shared.finished[index] = true;
    shared.results[index] = std::move(result);
    shared.arrived.push_back(index);
    --shared.remaining;
    shared.arrivals.fetch_add(1, std::memory_order_release);
    // Without a reporter, only the last result wakes the caller.
    wake = shared.reporting || shared.remaining == 0;
  }
  // After unlocking, so that the woken caller does not block on the lock.
  if (wake) shared.done_cv.notify_all();
}

CallResult RunCall(const ChannelCall& call) {
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
  return result;
}

// Most channel calls answer within a few hundred microseconds. A caller
// that sleeps on the condition variable at once lets its CPU go idle, and on
// a virtual machine waking an idle CPU back up costs more than the calls
// (about 90 us of a 0.6 ms redeploy, measured). So the caller first polls
// for a short while, yielding its CPU to whatever can run (the calls' own
// workers included), and sleeps only if the calls are still running.
constexpr std::chrono::microseconds kPollBeforeSleeping{200};

// How long a call may wait for one still running before the pool gives it
// a worker of its own (CallPool::Spread). Until then one worker runs the
// calls in turn: quick calls, the usual kind, then wake no other thread.
// Waking a worker per call before any started, as FanOut did before, cost
// a futex system call and context switches on a 2-vCPU VM for each:
// 21-24 us for a fan-out of three calls that do nothing, against 2.4-2.6 us
// now (BM_FanOutThreeQuickCalls). Far below any deadline, and about the
// time a sleeping worker takes to wake anyway.
constexpr std::chrono::microseconds kSpreadAfter{50};

// Polls, without the lock, until `done` holds or `until`.
template <typename Done>
void PollUntil(std::chrono::steady_clock::time_point until, const Done& done) {
  while (!done() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
}

void Report(const OnCallResult& on_result, const std::vector<NamedCall>& calls, size_t index,
            const CallResult& result) {
  try {
    on_result(index, result);
  } catch (const std::exception& e) {
    LogEvent(spdlog::level::err, "channel.report_failed",
             {{"channel", calls[index].name}, {"what", e.what()}});
  } catch (...) {
    LogEvent(spdlog::level::err, "channel.report_failed", {{"channel", calls[index].name}});
  }
}

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

std::vector<CallResult> FanOut(std::vector<NamedCall> calls, std::chrono::milliseconds deadline,
                               const OnCallResult& on_result) {
  return FanOut(CallPool::Default(), std::move(calls), deadline, on_result);
}

std::vector<CallResult> FanOut(CallPool& pool, std::vector<NamedCall> calls,
                               std::chrono::milliseconds deadline, const OnCallResult& on_result) {
  // A redeploy that stops no channel fans out nothing: no pool, no wait.
  if (calls.empty()) return {};
  auto shared = std::make_shared<Shared>();
  shared->reporting = static_cast<bool>(on_result);
  shared->remaining = calls.size();
  shared->finished.assign(calls.size(), false);
  shared->results.resize(calls.size());
  shared->arrived.reserve(calls.size());  // no allocation in a worker holding the lock
  const auto start = std::chrono::steady_clock::now();

  std::vector<std::function<void()>> tasks;
  tasks.reserve(calls.size());
  for (size_t i = 0; i < calls.size(); ++i) {
    tasks.push_back([shared, i, call = std::move(calls[i].call), start, deadline] {
      CallResult result = RunCall(call);
      const auto now = std::chrono::steady_clock::now();
      result.latency_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(now - start).count();
      Arrive(*shared, i, std::move(result), now <= start + deadline);
    });
  }
  auto could_not_start = [&](size_t i, const std::string& error) {
    LogEvent(spdlog::level::err, "channel.call_not_started",
             {{"channel", calls[i].name}, {"what", error}});
    CallResult result;
    result.message = "could not start the call: " + error;
    Arrive(*shared, i, std::move(result), /*in_time=*/true);
  };
  std::string error;
  const std::shared_ptr<CallPool::Batch> batch = pool.Run(std::move(tasks), &error);
  if (batch == nullptr) {
    for (size_t i = 0; i < calls.size(); ++i) could_not_start(i, error);
  }

  // The calls run in turn on one worker until they are spread (see
  // kSpreadAfter): before then, results are only polled for. Spread comes
  // before any report, so that a slow reporter never holds a call back.
  const size_t count = calls.size();
  const auto spread_at = std::min(start + deadline, start + kSpreadAfter);
  PollUntil(spread_at, [&] { return shared->arrivals.load(std::memory_order_acquire) == count; });
  if (batch != nullptr) {
    for (size_t i : pool.Spread(batch, &error)) could_not_start(i, error);
  }
  PollUntil(std::min(start + deadline, start + kPollBeforeSleeping), [&] {
    const size_t arrivals = shared->arrivals.load(std::memory_order_acquire);
    return arrivals == count || (on_result && arrivals != 0);
  });

  std::unique_lock<std::mutex> lock(shared->mu);
  for (;;) {
    const bool woken = shared->done_cv.wait_until(lock, start + deadline, [&] {
      return shared->remaining == 0 || (on_result && !shared->arrived.empty());
    });
    if (on_result && !shared->arrived.empty()) {
      std::vector<std::pair<size_t, CallResult>> to_report;
      for (size_t i : shared->arrived) to_report.emplace_back(i, shared->results[i]);
      shared->arrived.clear();
      // Report with the lock released: the calls' workers never wait on the
      // reporter.
      lock.unlock();
      for (const auto& [i, result] : to_report) Report(on_result, calls, i, result);
      lock.lock();
      continue;  // more may have arrived meanwhile; the deadline is rechecked
    }
    if (!woken || shared->remaining == 0) break;
  }
  std::vector<size_t> timed_out;
  for (size_t i = 0; i < calls.size(); ++i) {
    if (shared->finished[i]) continue;
    shared->finished[i] = true;  // the late result, if any, is dropped
    shared->results[i].outcome = CallOutcome::kTimedOut;
    shared->results[i].message = "no answer within " + std::to_string(deadline.count()) + " ms";
    shared->results[i].latency_ms = deadline.count();
    timed_out.push_back(i);
    g_abandoned.fetch_add(1);
    LogEvent(spdlog::level::warn, "channel.call_abandoned",
             {{"channel", calls[i].name}, {"deadline_ms", deadline.count()}});
  }
  std::vector<CallResult> results = shared->results;
  lock.unlock();
  if (on_result) {
    for (size_t i : timed_out) Report(on_result, calls, i, results[i]);
  }
  return results;
}

}  // namespace herald::deploy
