#include "herald/core/deploy/fan_out.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace herald::deploy {
namespace {

using namespace std::chrono_literals;

// A call that blocks until released (or the test ends), like a hung plugin.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  void Wait() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return open; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu);
    open = true;
    cv.notify_all();
  }
};

TEST(FanOutTest, ReportsEachCallsOutcomeInOrder) {
  std::vector<CallResult> results =
      FanOut({{"ok", [] { return std::string(); }},
              {"error", [] { return std::string("downstream said no"); }},
              {"throws", []() -> std::string { throw std::runtime_error("boom"); }}},
             5s);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].outcome, CallOutcome::kOk);
  EXPECT_EQ(results[1].outcome, CallOutcome::kError);
  EXPECT_EQ(results[1].message, "downstream said no");
  EXPECT_EQ(results[2].outcome, CallOutcome::kError);
  EXPECT_EQ(results[2].message, "threw: boom");
}

TEST(FanOutTest, AHungCallTimesOutWithoutHoldingTheOthers) {
  auto gate = std::make_shared<Gate>();
  const int64_t abandoned_before = abandoned_calls();
  std::vector<CallResult> results = FanOut({{"hangs",
                                             [gate] {
                                               gate->Wait();
                                               return std::string();
                                             }},
                                            {"ok", [] { return std::string(); }}},
                                           100ms);
  EXPECT_EQ(results[0].outcome, CallOutcome::kTimedOut);
  EXPECT_NE(results[0].message.find("no answer within 100 ms"), std::string::npos);
  EXPECT_EQ(results[1].outcome, CallOutcome::kOk);
  EXPECT_EQ(abandoned_calls(), abandoned_before + 1);
  gate->Open();  // the abandoned thread finishes; its result is dropped
}

TEST(FanOutTest, CallsRunInParallel) {
  // Each call waits until all have started: only true parallelism finishes.
  constexpr int kCalls = 4;
  auto started = std::make_shared<std::atomic<int>>(0);
  std::vector<NamedCall> calls;
  for (int i = 0; i < kCalls; ++i) {
    calls.push_back({"c" + std::to_string(i), [started] {
                       started->fetch_add(1);
                       while (started->load() < kCalls) std::this_thread::yield();
                       return std::string();
                     }});
  }
  for (const CallResult& r : FanOut(std::move(calls), 10s)) {
    EXPECT_EQ(r.outcome, CallOutcome::kOk);
  }
}

TEST(FanOutTest, NoCallsIsNoWork) { EXPECT_TRUE(FanOut({}, 1s).empty()); }

}  // namespace
}  // namespace herald::deploy
