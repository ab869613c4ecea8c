#include "herald/core/deploy/call_pool.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <string>
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
  std::function<void()> task;    // guarded by mu
  std::shared_ptr<Worker> next;  // guarded by mu: handed a task too, to wake
  bool stop = false;             // guarded by mu: the pool is gone
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
    // Idle a whole period. Never both locks at once, here or in Run: there is
    // no lock order to keep.
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
  const std::shared_ptr<Worker> next = std::move(self->next);
  self->next = nullptr;
  self_lock.unlock();
  // Before the task, which may hang: the next one's task never waits on it.
  if (next != nullptr) next->wake.notify_one();
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

size_t CallPool::Run(std::vector<std::function<void()>> tasks, std::string* error) {
  std::vector<std::shared_ptr<Worker>> handed;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    while (handed.size() < tasks.size() && !state_->idle.empty()) {
      handed.push_back(std::move(state_->idle.back()));
      state_->idle.pop_back();
    }
    const auto more = static_cast<int64_t>(tasks.size() - handed.size());
    state_->started += more;
    state_->alive += more;
  }
  // Last to first, so that a worker that finds its task (woken, or at the end
  // of an idle period) finds the next worker to wake with it.
  for (size_t i = handed.size(); i-- > 0;) {
    std::lock_guard<std::mutex> lock(handed[i]->mu);
    handed[i]->task = std::move(tasks[i]);
    handed[i]->next = i + 1 < handed.size() ? handed[i + 1] : nullptr;
  }
  if (!handed.empty()) handed[0]->wake.notify_one();
  // The thread starts come last, and outside the lock: they are slow, and
  // neither other callers nor workers going idle should wait for them.
  for (size_t i = handed.size(); i < tasks.size(); ++i) {
    try {
      std::thread(&CallPool::Work, state_, std::move(tasks[i])).detach();
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(state_->mu);
      const auto not_started = static_cast<int64_t>(tasks.size() - i);
      state_->started -= not_started;
      state_->alive -= not_started;
      *error = e.what();
      return i;
    }
  }
  return tasks.size();
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
