#include "herald/core/deploy/call_pool.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace herald::deploy {

// One worker's mailbox, where Run leaves it a task. It has a lock of its
// own, so that a worker woken for a task never contends for the pool's lock
// with the caller handing out the next one. Shared by the worker and whoever
// hands it the task, so that waking it after unlocking never touches a worker
// that has already exited.
struct CallPool::Worker {
  std::mutex mu;
  std::condition_variable wake;
  std::function<void()> task;  // guarded by mu
  bool stop = false;           // guarded by mu: the pool is gone
};

struct CallPool::State {
  explicit State(Options o) : options(o) {}

  // Parks `self` as idle until it is handed a task, and returns the task;
  // empty when the worker should exit instead.
  std::function<void()> AwaitTask(const std::shared_ptr<Worker>& self);

  const Options options;
  mutable std::mutex mu;
  bool stopping = false;  // the CallPool is gone
  // Taking a worker out of `idle` is the right to hand it a task (or a stop):
  // a worker in `idle` has none, and one taken out is about to get one.
  std::vector<std::shared_ptr<Worker>> idle;  // the most recently idle last
  int64_t started = 0;
  int64_t alive = 0;
};

std::function<void()> CallPool::State::AwaitTask(const std::shared_ptr<Worker>& self) {
  {
    std::lock_guard<std::mutex> lock(mu);
    if (stopping) return nullptr;
    idle.push_back(self);
  }
  std::unique_lock<std::mutex> self_lock(self->mu);
  while (self->task == nullptr && !self->stop) {
    if (self->wake.wait_for(self_lock, options.idle_timeout) == std::cv_status::no_timeout) {
      continue;
    }
    // Idle a whole period. Not both locks at once: Run never holds them so.
    self_lock.unlock();
    {
      std::lock_guard<std::mutex> lock(mu);
      const auto it = std::find(idle.begin(), idle.end(), self);
      // Not found: taken out just now, and its task (or stop) is on the way.
      if (it != idle.end() && idle.size() > options.idle_floor) {
        idle.erase(it);
        return nullptr;
      }
    }
    self_lock.lock();
  }
  if (self->stop) return nullptr;
  std::function<void()> task = std::move(self->task);
  self->task = nullptr;
  return task;
}

CallPool::CallPool() : CallPool(Options{}) {}

CallPool::CallPool(Options options) : state_(std::make_shared<State>(options)) {}

CallPool::~CallPool() {
  std::vector<std::shared_ptr<Worker>> idle;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->stopping = true;
    idle.swap(state_->idle);
  }
  for (const auto& worker : idle) {
    {
      std::lock_guard<std::mutex> lock(worker->mu);
      worker->stop = true;
    }
    worker->wake.notify_one();
  }
}

CallPool& CallPool::Default() {
  static CallPool* const pool = new CallPool();  // never destroyed: see the header
  return *pool;
}

void CallPool::Run(std::function<void()> task) {
  std::shared_ptr<Worker> worker;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!state_->idle.empty()) {
      worker = std::move(state_->idle.back());
      state_->idle.pop_back();
    } else {
      ++state_->started;
      ++state_->alive;
    }
  }
  if (worker != nullptr) {
    {
      std::lock_guard<std::mutex> lock(worker->mu);
      worker->task = std::move(task);
    }
    worker->wake.notify_one();
    return;
  }
  // Started outside the lock: a thread start is slow, and neither other
  // callers nor workers going idle should wait for it.
  try {
    std::thread(&CallPool::Work, state_, std::move(task)).detach();
  } catch (...) {
    std::lock_guard<std::mutex> lock(state_->mu);
    --state_->started;
    --state_->alive;
    throw;
  }
}

CallPool::Stats CallPool::stats() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  Stats stats;
  stats.workers_started = state_->started;
  stats.workers_alive = state_->alive;
  stats.workers_idle = static_cast<int64_t>(state_->idle.size());
  return stats;
}

void CallPool::Work(std::shared_ptr<State> state, std::function<void()> task) {
  const auto self = std::make_shared<Worker>();
  while (task != nullptr) {
    task();
    task = nullptr;  // let go of what the task held (a plugin's closure) before idling
    task = state->AwaitTask(self);
  }
  std::lock_guard<std::mutex> lock(state->mu);
  --state->alive;
}

}  // namespace herald::deploy
