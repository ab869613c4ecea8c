#include "herald/core/deploy/call_pool.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace herald::deploy {

// One worker's mailbox, where Run leaves it a task. Shared by the worker and
// whoever hands it the task, so that waking it after unlocking never touches
// a worker that has already exited.
struct CallPool::Worker {
  std::condition_variable wake;
  std::function<void()> task;  // guarded by State::mu
};

struct CallPool::State {
  explicit State(Options o) : options(o) {}

  const Options options;
  mutable std::mutex mu;
  bool stopping = false;                      // the CallPool is gone
  std::vector<std::shared_ptr<Worker>> idle;  // the most recently idle last
  int64_t started = 0;
  int64_t alive = 0;
};

CallPool::CallPool() : CallPool(Options{}) {}

CallPool::CallPool(Options options) : state_(std::make_shared<State>(options)) {}

CallPool::~CallPool() {
  std::vector<std::shared_ptr<Worker>> idle;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->stopping = true;
    idle.swap(state_->idle);
  }
  for (const auto& worker : idle) worker->wake.notify_one();
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
      worker->task = std::move(task);
    } else {
      ++state_->started;
      ++state_->alive;
    }
  }
  if (worker != nullptr) {
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
  auto self = std::make_shared<Worker>();
  std::unique_lock<std::mutex> lock(state->mu, std::defer_lock);
  for (;;) {
    task();
    task = nullptr;  // let go of what the task held (a plugin's closure) before idling
    lock.lock();
    if (state->stopping) break;
    state->idle.push_back(self);
    const auto handed_a_task = [&] { return self->task != nullptr || state->stopping; };
    while (!self->wake.wait_for(lock, state->options.idle_timeout, handed_a_task)) {
      // Idle for a whole period, and so still in `idle` (a worker is taken
      // out of it only together with a task).
      if (state->idle.size() > state->options.idle_floor) {
        state->idle.erase(std::find(state->idle.begin(), state->idle.end(), self));
        break;
      }
    }
    if (self->task == nullptr) break;  // retiring, or the pool is gone
    task = std::move(self->task);
    self->task = nullptr;
    lock.unlock();
  }
  --state->alive;
}

}  // namespace herald::deploy
