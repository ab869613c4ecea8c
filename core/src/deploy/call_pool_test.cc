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
  EXPECT_EQ(pool.Run(std::move(tasks), &error), 1u) << error;
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
  std::string error;
  std::latch first(n);
  EXPECT_EQ(pool.Run(TasksThatMeet(&first, n), &error), static_cast<size_t>(n));
  ASSERT_TRUE(Eventually([&] { return pool.stats().workers_idle == n; }));
  std::latch second(n);
  EXPECT_EQ(pool.Run(TasksThatMeet(&second, n), &error), static_cast<size_t>(n));
  second.wait();
  EXPECT_EQ(pool.stats().workers_started, n);
  // Leaves no worker behind in a latch about to go away.
  EXPECT_TRUE(Eventually([&] { return pool.stats().workers_idle == n; }));
}

TEST(CallPoolTest, WakesEveryIdleWorkerHandedATask) {
  // No spinning: Run wakes the first; each wakes the next.
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

TEST(CallPoolTest, ASpinningWorkerWakesTheOthersHandedATask) {
  // One of the four spins, and wakes the other three.
  CallPool pool(SpinForGood(4));
  ExpectEveryIdleWorkerWoken(pool, 4);
}

TEST(CallPoolTest, ATaskThatHangsOnTheSpinningWorkerDelaysNoOther) {
  CallPool pool(SpinForGood(2));
  std::latch warmed(2);
  std::string error;
  EXPECT_EQ(pool.Run(TasksThatMeet(&warmed, 2), &error), 2u);
  ASSERT_TRUE(Eventually([&] { return pool.stats().workers_idle == 2; }));
  // The spinning worker takes the first task, which hangs until the second
  // has run: the second must not wait for it.
  std::latch second_ran(1);
  std::latch first_ended(1);
  std::vector<std::function<void()>> tasks;
  tasks.push_back([&] {
    second_ran.wait();
    first_ended.count_down();
  });
  tasks.push_back([&] { second_ran.count_down(); });
  EXPECT_EQ(pool.Run(std::move(tasks), &error), 2u);
  first_ended.wait();
  EXPECT_EQ(pool.stats().workers_started, 2);
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
  std::string error;
  EXPECT_EQ(pool.Run(TasksThatMeet(&all_started, kTasks), &error), kTasks);
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
