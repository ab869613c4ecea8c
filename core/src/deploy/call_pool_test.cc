#include "herald/core/deploy/call_pool.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <latch>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "deploy/eventually_test_util.h"

namespace herald::deploy {
namespace {

using namespace std::chrono_literals;

using testing::Eventually;

void RunOne(CallPool& pool, std::function<void()> task) {
  std::vector<std::function<void()>> tasks;
  tasks.push_back(std::move(task));
  std::string error;
  EXPECT_NE(pool.Run(std::move(tasks), &error), nullptr) << error;
}

// Runs `tasks` and spreads them at once: each gets a worker of its own.
void RunSpread(CallPool& pool, std::vector<std::function<void()>> tasks) {
  std::string error;
  const std::shared_ptr<CallPool::Batch> batch = pool.Run(std::move(tasks), &error);
  ASSERT_NE(batch, nullptr) << error;
  EXPECT_TRUE(pool.Spread(batch, &error).empty()) << error;
}

// `n` tasks that each wait until all have started, so that each needs a
// worker of its own.
std::vector<std::function<void()>> TasksThatMeet(std::latch* all_started, int n) {
  std::vector<std::function<void()>> tasks;
  for (int i = 0; i < n; ++i) tasks.push_back([all_started] { all_started->arrive_and_wait(); });
  return tasks;
}

TEST(CallPoolTest, RunsATaskOnAnotherThread) {
  CallPool pool;
  std::latch ran(1);
  std::thread::id where;
  RunOne(pool, [&] {
    where = std::this_thread::get_id();
    ran.count_down();
  });
  ran.wait();
  EXPECT_NE(where, std::this_thread::get_id());
}

// Runs two batches of `n` tasks that each wait until all have started: the
// second ends only if every idle worker was woken for it.
void ExpectEveryIdleWorkerWoken(CallPool& pool, int n) {
  std::latch first(n);
  RunSpread(pool, TasksThatMeet(&first, n));
  ASSERT_TRUE(Eventually([&] { return pool.stats().workers_idle == n; }));
  std::latch second(n);
  RunSpread(pool, TasksThatMeet(&second, n));
  second.wait();
  EXPECT_EQ(pool.stats().workers_started, n);
  // Leaves no worker behind in a latch about to go away.
  EXPECT_TRUE(Eventually([&] { return pool.stats().workers_idle == n; }));
}

TEST(CallPoolTest, SpreadWakesEveryIdleWorkerHandedATask) {
  // No spinning: Spread wakes the first; each wakes the next.
  CallPool pool(
      CallPool::Options{.idle_floor = 4, .idle_timeout = std::chrono::hours(1), .spin = 0us});
  ExpectEveryIdleWorkerWoken(pool, 4);
}

// A pool whose first worker to go idle spins until it is handed a task (or
// the pool goes).
CallPool::Options SpinForGood(size_t idle_floor) {
  return CallPool::Options{
      .idle_floor = idle_floor, .idle_timeout = std::chrono::hours(1), .spin = 1h};
}

TEST(CallPoolTest, ASpinningWorkerWakesTheOthersSpreadHandsATask) {
  // One of the four spins, and wakes the other three.
  CallPool pool(SpinForGood(4));
  ExpectEveryIdleWorkerWoken(pool, 4);
}

// Two tasks: the first hangs until the second has run, which it does only
// on a worker of its own.
struct HangUntilSecondRuns {
  std::latch second_ran{1};
  std::latch first_started{1};
  std::latch first_ended{1};
  std::vector<std::function<void()>> Tasks() {
    std::vector<std::function<void()>> tasks;
    tasks.push_back([this] {
      first_started.count_down();
      second_ran.wait();
      first_ended.count_down();
    });
    tasks.push_back([this] { second_ran.count_down(); });
    return tasks;
  }
};

TEST(CallPoolTest, ATaskThatHangsOnTheSpinningWorkerDelaysNoOtherOnceSpread) {
  CallPool pool(SpinForGood(2));
  std::latch warmed(2);
  RunSpread(pool, TasksThatMeet(&warmed, 2));
  ASSERT_TRUE(Eventually([&] { return pool.stats().workers_idle == 2; }));
  // The spinning worker takes the batch and starts the first task, which
  // hangs until the second has run: Spread gives the second the other
  // worker.
  HangUntilSecondRuns hang;
  std::string error;
  const std::shared_ptr<CallPool::Batch> batch = pool.Run(hang.Tasks(), &error);
  ASSERT_NE(batch, nullptr) << error;
  hang.first_started.wait();
  EXPECT_TRUE(pool.Spread(batch, &error).empty()) << error;
  hang.first_ended.wait();
  EXPECT_EQ(pool.stats().workers_started, 2);
}

TEST(CallPoolTest, SpreadStartsAThreadForATaskBehindAHungOne) {
  CallPool pool(SpinForGood(4));
  HangUntilSecondRuns hang;
  std::string error;
  const std::shared_ptr<CallPool::Batch> batch = pool.Run(hang.Tasks(), &error);
  ASSERT_NE(batch, nullptr) << error;
  EXPECT_EQ(pool.stats().workers_started, 1);
  hang.first_started.wait();
  EXPECT_TRUE(pool.Spread(batch, &error).empty()) << error;
  hang.first_ended.wait();
  EXPECT_EQ(pool.stats().workers_started, 2);
}

TEST(CallPoolTest, UntilSpreadOneWorkerRunsTheTasksInTurn) {
  CallPool pool(SpinForGood(4));
  constexpr int kTasks = 3;
  std::latch all_ran(kTasks);
  std::mutex mu;
  std::vector<std::thread::id> where;
  std::vector<std::function<void()>> tasks;
  for (int i = 0; i < kTasks; ++i) {
    tasks.push_back([&] {
      {
        std::lock_guard<std::mutex> lock(mu);
        where.push_back(std::this_thread::get_id());
      }
      all_ran.count_down();
    });
  }
  std::string error;
  const std::shared_ptr<CallPool::Batch> batch = pool.Run(std::move(tasks), &error);
  ASSERT_NE(batch, nullptr) << error;
  all_ran.wait();
  ASSERT_EQ(where.size(), static_cast<size_t>(kTasks));
  for (const auto& id : where) EXPECT_EQ(id, where[0]);
  EXPECT_NE(where[0], std::this_thread::get_id());
  // Every task has ended: spreading now needs no worker.
  ASSERT_TRUE(Eventually([&] { return pool.stats().workers_idle == 1; }));
  EXPECT_TRUE(pool.Spread(batch, &error).empty()) << error;
  EXPECT_EQ(pool.stats().workers_started, 1);
  EXPECT_EQ(pool.stats().workers_idle, 1);
}

TEST(CallPoolTest, DestroyingThePoolStopsASpinningWorker) {
  pid_t worker = 0;  // Linux's id for the worker thread
  {
    CallPool pool(SpinForGood(1));
    std::latch ran(1);
    RunOne(pool, [&] {
      worker = gettid();
      ran.count_down();
    });
    ran.wait();
    ASSERT_TRUE(Eventually([&] { return pool.stats().workers_idle == 1; }));
  }
  // Left alone, the worker would spin for an hour.
  const std::filesystem::path task = "/proc/self/task/" + std::to_string(worker);
  EXPECT_TRUE(Eventually([&] { return !std::filesystem::exists(task); }));
}

TEST(CallPoolTest, IdleWorkersAboveTheFloorRetire) {
  CallPool pool(CallPool::Options{.idle_floor = 1, .idle_timeout = 10ms});
  // Four tasks that each wait until all four have started: four workers.
  constexpr int kTasks = 4;
  std::latch all_started(kTasks);
  RunSpread(pool, TasksThatMeet(&all_started, kTasks));
  EXPECT_EQ(pool.stats().workers_started, kTasks);
  EXPECT_TRUE(Eventually([&] { return pool.stats().workers_alive == 1; }));
  EXPECT_EQ(pool.stats().workers_idle, 1);
  // The worker kept runs the next task: no new thread.
  std::latch ran(1);
  RunOne(pool, [&] { ran.count_down(); });
  ran.wait();
  EXPECT_EQ(pool.stats().workers_started, kTasks);
}

TEST(CallPoolTest, NoTaskIsLostToAWorkerRetiringAsItIsHandedOne) {
  // Workers that retire as soon as they idle race every hand-over.
  CallPool pool(CallPool::Options{.idle_floor = 0, .idle_timeout = 0ms});
  constexpr int kTasks = 2000;
  std::latch all_ran(kTasks);
  for (int i = 0; i < kTasks; ++i) RunOne(pool, [&] { all_ran.count_down(); });
  all_ran.wait();
  EXPECT_TRUE(Eventually([&] { return pool.stats().workers_alive == 0; }));
}

TEST(CallPoolTest, AWorkerStuckInATaskOutlivesItsPool) {
  // Like a plugin that hangs past heraldd's shutdown: the pool goes, the
  // worker finishes later and touches nothing that went with it.
  struct Gate {
    std::mutex mu;
    std::condition_variable cv;
    bool open = false;
  };
  auto gate = std::make_shared<Gate>();
  auto finished = std::make_shared<std::latch>(1);
  {
    CallPool pool;
    std::latch idle_worker_ran(1);
    RunOne(pool, [&] { idle_worker_ran.count_down(); });
    idle_worker_ran.wait();
    RunOne(pool, [gate, finished] {
      std::unique_lock<std::mutex> lock(gate->mu);
      gate->cv.wait(lock, [&] { return gate->open; });
      finished->count_down();
    });
  }
  {
    std::lock_guard<std::mutex> lock(gate->mu);
    gate->open = true;
  }
  gate->cv.notify_all();
  finished->wait();
}

}  // namespace
}  // namespace herald::deploy
