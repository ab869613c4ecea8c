#include "herald/core/deploy/fan_out.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "deploy/eventually_test_util.h"
#include "herald/core/deploy/call_pool.h"

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

using testing::Eventually;

// `n` calls that each wait until all have started, so that each needs a
// worker of its own.
std::vector<NamedCall> CallsThatMeet(int n) {
  auto all_started = std::make_shared<std::latch>(n);
  std::vector<NamedCall> calls;
  for (int i = 0; i < n; ++i) {
    calls.push_back({"c" + std::to_string(i), [all_started] {
                       all_started->arrive_and_wait();
                       return std::string();
                     }});
  }
  return calls;
}

// A pool whose idle workers never retire during a test.
CallPool::Options KeepIdle(size_t workers) {
  return CallPool::Options{.idle_floor = workers, .idle_timeout = std::chrono::hours(1)};
}

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

TEST(FanOutTest, ACallHungOnTheSpinningWorkerHoldsNoOther) {
  // The spinning worker starts the first call, which hangs until the others
  // have answered: FanOut must give them workers of their own while it
  // waits, long before the deadline.
  CallPool pool(CallPool::Options{
      .idle_floor = 4, .idle_timeout = std::chrono::hours(1), .spin = std::chrono::hours(1)});
  FanOut(pool, CallsThatMeet(3), 10s);
  ASSERT_TRUE(Eventually([&] { return pool.stats().workers_idle == 3; }));
  auto others = std::make_shared<std::latch>(2);
  std::vector<CallResult> results = FanOut(pool,
                                           {{"hangs",
                                             [others] {
                                               others->wait();
                                               return std::string();
                                             }},
                                            {"a",
                                             [others] {
                                               others->count_down();
                                               return std::string();
                                             }},
                                            {"b",
                                             [others] {
                                               others->count_down();
                                               return std::string();
                                             }}},
                                           20s);
  // Had the others waited for the hung call, all three would have timed out.
  for (const CallResult& r : results) EXPECT_EQ(r.outcome, CallOutcome::kOk);
  EXPECT_EQ(pool.stats().workers_started, 3);
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

TEST(FanOutTest, ReportsAFastCallBeforeASlowOneOnTheCallersThread) {
  // The slow call waits until the fast one has been reported: only reporting
  // in order of arrival, before the fan-out ends, lets it finish in time.
  auto gate = std::make_shared<Gate>();
  std::vector<size_t> order;
  std::vector<std::thread::id> threads;
  std::vector<CallResult> results = FanOut({{"slow",
                                             [gate] {
                                               gate->Wait();
                                               return std::string("slow said no");
                                             }},
                                            {"fast", [] { return std::string(); }}},
                                           5s, [&](size_t index, const CallResult& result) {
                                             order.push_back(index);
                                             threads.push_back(std::this_thread::get_id());
                                             if (index == 1) {
                                               EXPECT_EQ(result.outcome, CallOutcome::kOk);
                                               gate->Open();
                                             } else {
                                               EXPECT_EQ(result.outcome, CallOutcome::kError);
                                               EXPECT_EQ(result.message, "slow said no");
                                             }
                                           });
  EXPECT_EQ(order, (std::vector<size_t>{1, 0}));
  for (const auto& id : threads) EXPECT_EQ(id, std::this_thread::get_id());
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].outcome, CallOutcome::kError);
  EXPECT_EQ(results[1].outcome, CallOutcome::kOk);
}

TEST(FanOutTest, ReportsTimedOutCallsAtTheDeadlineOncePerCall) {
  auto gate = std::make_shared<Gate>();
  std::vector<std::pair<size_t, CallOutcome>> reports;
  std::vector<CallResult> results = FanOut({{"hangs",
                                             [gate] {
                                               gate->Wait();
                                               return std::string();
                                             }},
                                            {"ok", [] { return std::string(); }},
                                            {"error", [] { return std::string("no"); }}},
                                           100ms, [&](size_t index, const CallResult& result) {
                                             reports.emplace_back(index, result.outcome);
                                           });
  ASSERT_EQ(reports.size(), 3u);
  // The timed-out call comes last, after both answers (in whatever order
  // they arrived).
  EXPECT_EQ(reports[2], std::make_pair(size_t{0}, CallOutcome::kTimedOut));
  EXPECT_EQ(results[0].outcome, CallOutcome::kTimedOut);
  EXPECT_EQ(results[1].outcome, CallOutcome::kOk);
  EXPECT_EQ(results[2].outcome, CallOutcome::kError);
  gate->Open();
}

TEST(FanOutTest, ASlowReporterDoesNotTurnAnAnswerIntoATimeout) {
  // The first report takes longer than the deadline; the second call answered
  // well within it and stays an answer.
  std::vector<size_t> order;
  std::vector<CallResult> results = FanOut({{"now", [] { return std::string(); }},
                                            {"soon",
                                             [] {
                                               std::this_thread::sleep_for(50ms);
                                               return std::string();
                                             }}},
                                           200ms, [&](size_t index, const CallResult&) {
                                             order.push_back(index);
                                             if (index == 0) std::this_thread::sleep_for(400ms);
                                           });
  EXPECT_EQ(order, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(results[0].outcome, CallOutcome::kOk);
  EXPECT_EQ(results[1].outcome, CallOutcome::kOk);
}

TEST(FanOutTest, AThrowingReporterDoesNotStopTheFanOut) {
  int reports = 0;
  std::vector<CallResult> results =
      FanOut({{"a", [] { return std::string(); }}, {"b", [] { return std::string(); }}}, 5s,
             [&](size_t, const CallResult&) {
               ++reports;
               throw std::runtime_error("the client went away");
             });
  EXPECT_EQ(reports, 2);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].outcome, CallOutcome::kOk);
  EXPECT_EQ(results[1].outcome, CallOutcome::kOk);
}

TEST(FanOutTest, ReusesWorkersFromOneFanOutToTheNext) {
  CallPool pool(KeepIdle(8));
  for (const CallResult& r : FanOut(pool, CallsThatMeet(3), 10s)) {
    EXPECT_EQ(r.outcome, CallOutcome::kOk);
  }
  EXPECT_EQ(pool.stats().workers_started, 3);
  // A worker goes idle just after handing in its result.
  ASSERT_TRUE(Eventually([&] { return pool.stats().workers_idle == 3; }));
  for (const CallResult& r : FanOut(pool, CallsThatMeet(3), 10s)) {
    EXPECT_EQ(r.outcome, CallOutcome::kOk);
  }
  EXPECT_EQ(pool.stats().workers_started, 3);
}

TEST(FanOutTest, NeverRunsACallOnTheCallersThread) {
  CallPool pool(KeepIdle(8));
  std::thread::id where;
  FanOut(pool,
         {{"one",
           [&] {
             where = std::this_thread::get_id();
             return std::string();
           }}},
         10s);
  EXPECT_NE(where, std::this_thread::get_id());
}

TEST(FanOutTest, AHungCallDoesNotHoldALaterFanOut) {
  CallPool pool(KeepIdle(8));
  auto gate = std::make_shared<Gate>();
  std::vector<CallResult> first = FanOut(pool,
                                         {{"hangs",
                                           [gate] {
                                             gate->Wait();
                                             return std::string();
                                           }}},
                                         100ms);
  EXPECT_EQ(first[0].outcome, CallOutcome::kTimedOut);
  // The hung call's worker is not idle: the next fan-out gets a new one.
  std::vector<CallResult> second = FanOut(pool, {{"ok", [] { return std::string(); }}}, 10s);
  EXPECT_EQ(second[0].outcome, CallOutcome::kOk);
  EXPECT_EQ(pool.stats().workers_started, 2);
  EXPECT_EQ(pool.stats().workers_alive, 2);
  // Once the plugin returns, its worker is back for the next call.
  gate->Open();
  ASSERT_TRUE(Eventually([&] { return pool.stats().workers_idle == 2; }));
  EXPECT_EQ(FanOut(pool, CallsThatMeet(2), 10s)[1].outcome, CallOutcome::kOk);
  EXPECT_EQ(pool.stats().workers_started, 2);
}

TEST(FanOutTest, AThrowingCallIsAnErrorAndItsWorkerServesAgain) {
  CallPool pool(KeepIdle(8));
  std::vector<CallResult> results =
      FanOut(pool,
             {{"throws", []() -> std::string { throw std::runtime_error("boom"); }},
              {"throws_an_int", []() -> std::string { throw 42; }}},
             10s);
  EXPECT_EQ(results[0].outcome, CallOutcome::kError);
  EXPECT_EQ(results[0].message, "threw: boom");
  EXPECT_EQ(results[1].outcome, CallOutcome::kError);
  EXPECT_EQ(results[1].message, "threw a non-standard exception");
  const int64_t started = pool.stats().workers_started;
  ASSERT_TRUE(Eventually([&] { return pool.stats().workers_idle == started; }));
  EXPECT_EQ(FanOut(pool, {{"ok", [] { return std::string(); }}}, 10s)[0].outcome, CallOutcome::kOk);
  EXPECT_EQ(pool.stats().workers_started, started);
}

TEST(FanOutTest, FanOutsFromSeveralThreadsAtOnce) {
  // On the process-wide pool, as heraldd's deploys of different agents do.
  constexpr int kThreads = 4;
  constexpr int kRounds = 25;
  constexpr int kCalls = 3;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        std::vector<NamedCall> calls;
        for (int c = 0; c < kCalls; ++c) {
          calls.push_back({"c" + std::to_string(c), [t, round, c] {
                             return std::to_string(t) + "/" + std::to_string(round) + "/" +
                                    std::to_string(c);
                           }});
        }
        std::vector<size_t> reported;
        std::vector<CallResult> results =
            FanOut(std::move(calls), 10s,
                   [&](size_t index, const CallResult&) { reported.push_back(index); });
        if (results.size() != kCalls || reported.size() != kCalls) ++wrong;
        for (int c = 0; c < kCalls && c < static_cast<int>(results.size()); ++c) {
          const std::string expected =
              std::to_string(t) + "/" + std::to_string(round) + "/" + std::to_string(c);
          if (results[c].outcome != CallOutcome::kError || results[c].message != expected) ++wrong;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace herald::deploy
