#include "herald/core/deploy/call_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace herald::deploy {

// The tasks Run hands out together. Each is started by the first of the
// batch's workers to be free: usually the one Run handed them to runs quick
// tasks one after another before any other is needed. Spread hands the
// batch to more workers, one for each task neither started nor covered by a
// worker that is free (see Spread for why that is enough).
class CallPool::Batch {
 public:
  explicit Batch(std::vector<std::function<void()>> t) : tasks(std::move(t)) {}

  // Runs the tasks no worker has started yet, one after another.
  void RunUnstarted() {
    for (size_t i = next.fetch_add(1); i < tasks.size(); i = next.fetch_add(1)) {
      tasks[i]();
      // Let go of what the task held (a plugin's closure) before idling.
      // Only the worker that started a task touches its entry.
      tasks[i] = nullptr;
      finished.fetch_add(1, std::memory_order_release);
    }
  }

  std::vector<std::function<void()>> tasks;
  std::atomic<size_t> next{0};      // the first task not yet started
  std::atomic<size_t> finished{0};  // tasks run to their end, or dropped
  // Workers handed the batch so far. Only Run and Spread touch it, and they
  // never race for one batch.
  size_t workers = 0;
};

// One worker's mailbox, where Run leaves it a batch. It has a lock of its
// own, so that a worker woken for a batch never contends for the pool's lock
// with the caller handing out the next one. Shared by the worker and whoever
// hands it the batch, so that waking it after unlocking never touches a
// worker that has already exited.
struct CallPool::Worker {
  std::mutex mu;
  std::condition_variable wake;
  std::shared_ptr<Batch> batch;  // guarded by mu
  // Guarded by mu: handed the batch too, to wake before starting a task.
  std::vector<std::shared_ptr<Worker>> to_wake;
  bool stop = false;  // guarded by mu: the pool is gone
  // Set once `batch` or `stop` is, for a spinning worker to see without the
  // lock.
  std::atomic<bool> handed{false};
};

struct CallPool::State {
  explicit State(Options o) : options(o) {}

  // Parks `self` as idle until it is handed a batch, wakes the workers
  // handed it too, and returns the batch; null when the worker should exit
  // instead.
  std::shared_ptr<Batch> AwaitBatch(const std::shared_ptr<Worker>& self);

  const Options options;
  mutable std::mutex mu;
  bool stopping = false;  // the CallPool is gone
  // Taking a worker out of `idle` is the right to hand it a task (or a stop):
  // a worker in `idle` has none, and one taken out is about to get one.
  std::vector<std::shared_ptr<Worker>> idle;  // the most recently idle last
  // The idle worker spinning, if any: at most one at a time, so that idle
  // workers never take more than one CPU from the threads doing real work.
  Worker* spinner = nullptr;
  int64_t started = 0;
  int64_t alive = 0;
};

std::shared_ptr<CallPool::Batch> CallPool::State::AwaitBatch(const std::shared_ptr<Worker>& self) {
  bool spin = false;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (stopping) return nullptr;
    idle.push_back(self);
    spin = options.spin.count() > 0 && spinner == nullptr;
    if (spin) spinner = self.get();
  }
  if (spin) {
    const auto until = std::chrono::steady_clock::now() + options.spin;
    while (!self->handed.load(std::memory_order_acquire) &&
           std::chrono::steady_clock::now() < until) {
      std::this_thread::yield();
    }
    std::lock_guard<std::mutex> lock(mu);
    if (spinner == self.get()) spinner = nullptr;
  }
  std::unique_lock<std::mutex> self_lock(self->mu);
  while (self->batch == nullptr && !self->stop) {
    if (self->wake.wait_for(self_lock, options.idle_timeout) == std::cv_status::no_timeout) {
      continue;
    }
    // Idle a whole period. Never both locks at once, here or in Run: there is
    // no lock order to keep.
    self_lock.unlock();
    {
      std::lock_guard<std::mutex> lock(mu);
      const auto it = std::find(idle.begin(), idle.end(), self);
      // Not found: taken out just now, and its batch (or stop) is on the way.
      if (it != idle.end() && idle.size() > options.idle_floor) {
        idle.erase(it);
        return nullptr;
      }
    }
    self_lock.lock();
  }
  if (self->stop) return nullptr;
  std::shared_ptr<Batch> batch = std::move(self->batch);
  self->batch = nullptr;
  self->handed.store(false, std::memory_order_relaxed);
  const std::vector<std::shared_ptr<Worker>> to_wake = std::move(self->to_wake);
  self->to_wake.clear();
  self_lock.unlock();
  // Before any task, which may hang: the others never wait on it.
  for (const auto& worker : to_wake) worker->wake.notify_one();
  return batch;
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
      worker->handed.store(true, std::memory_order_release);
    }
    worker->wake.notify_one();
  }
}

CallPool& CallPool::Default() {
  static CallPool* const pool = new CallPool();  // never destroyed: see the header
  return *pool;
}

std::shared_ptr<CallPool::Batch> CallPool::Run(std::vector<std::function<void()>> tasks,
                                               std::string* error) {
  auto batch = std::make_shared<Batch>(std::move(tasks));
  if (batch->tasks.empty()) return batch;
  if (HandOut(batch, 1, error) == 0) return nullptr;
  return batch;
}

std::vector<size_t> CallPool::Spread(const std::shared_ptr<Batch>& batch, std::string* error) {
  // Workers handed the batch that are not running one of its tasks
  // (`workers - started + finished`) each start a task not yet started
  // (`size - started`) as soon as they get to it. So every task not yet
  // started has a worker of its own once `workers + finished >= size`, and
  // stays so: `finished` only grows. A stale `finished` errs on the side of
  // a worker too many.
  const size_t size = batch->tasks.size();
  const size_t finished = batch->finished.load(std::memory_order_acquire);
  if (batch->workers + finished >= size) return {};
  const size_t lacking = size - batch->workers - finished;
  const size_t handed = HandOut(batch, lacking, error);
  // Whatever still lacks a worker is dropped: claimed like a start, so that
  // no worker runs it.
  std::vector<size_t> dropped;
  for (size_t k = handed; k < lacking; ++k) {
    const size_t i = batch->next.fetch_add(1);
    if (i >= size) break;
    batch->tasks[i] = nullptr;
    batch->finished.fetch_add(1, std::memory_order_release);
    dropped.push_back(i);
  }
  return dropped;
}

size_t CallPool::HandOut(const std::shared_ptr<Batch>& batch, size_t count, std::string* error) {
  std::vector<std::shared_ptr<Worker>> handed;
  bool spun = false;  // handed[0] is spinning: it needs no wake-up
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    // The spinning worker first: it takes the batch without a wake-up, and
    // then wakes the others, so that the caller wakes no one.
    std::vector<std::shared_ptr<Worker>>& idle = state_->idle;
    const auto spinning = std::find_if(idle.begin(), idle.end(),
                                       [&](const auto& w) { return w.get() == state_->spinner; });
    if (spinning != idle.end()) {
      handed.push_back(std::move(*spinning));
      idle.erase(spinning);
      state_->spinner = nullptr;
      spun = true;
    }
    while (handed.size() < count && !idle.empty()) {
      handed.push_back(std::move(idle.back()));
      idle.pop_back();
    }
    const auto more = static_cast<int64_t>(count - handed.size());
    state_->started += more;
    state_->alive += more;
  }
  batch->workers += handed.size();
  // Last to first, so that a worker that finds the batch (woken, or at the
  // end of an idle period) finds the next worker to wake with it.
  for (size_t i = handed.size(); i-- > 0;) {
    std::lock_guard<std::mutex> lock(handed[i]->mu);
    handed[i]->batch = batch;
    // A spinning first worker wakes all the others at once: it is not the
    // thread the deploy waits on. A sleeping one starts a chain instead.
    if (spun && i == 0) {
      handed[i]->to_wake.assign(handed.begin() + 1, handed.end());
    } else if (!spun && i + 1 < handed.size()) {
      handed[i]->to_wake.assign(1, handed[i + 1]);
    }
    handed[i]->handed.store(true, std::memory_order_release);
  }
  // Even a spinning worker: it may have stopped spinning and be about to
  // sleep. Notifying a worker that is not waiting costs no system call.
  if (!handed.empty()) handed[0]->wake.notify_one();
  // The thread starts come last, and outside the lock: they are slow, and
  // neither other callers nor workers going idle should wait for them.
  for (size_t i = handed.size(); i < count; ++i) {
    try {
      std::thread(&CallPool::Work, state_, batch).detach();
      ++batch->workers;
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(state_->mu);
      const auto not_started = static_cast<int64_t>(count - i);
      state_->started -= not_started;
      state_->alive -= not_started;
      *error = e.what();
      return i;
    }
  }
  return count;
}

CallPool::Stats CallPool::stats() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  Stats stats;
  stats.workers_started = state_->started;
  stats.workers_alive = state_->alive;
  stats.workers_idle = static_cast<int64_t>(state_->idle.size());
  return stats;
}

void CallPool::Work(std::shared_ptr<State> state, std::shared_ptr<Batch> batch) {
  const auto self = std::make_shared<Worker>();
  while (batch != nullptr) {
    batch->RunUnstarted();
    batch = nullptr;  // let go of it before idling
    batch = state->AwaitBatch(self);
  }
  std::lock_guard<std::mutex> lock(state->mu);
  --state->alive;
}

}  // namespace herald::deploy
