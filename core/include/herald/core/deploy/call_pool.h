// CallPool: the threads that channel calls run on, reused from one fan-out
// to the next, so that a deploy does not pay for starting (and ending) a
// thread per channel.
//
// Contract: Run finds a worker for each task: an idle one when there is one,
// and otherwise a new one — it never queues a task behind another, and never
// runs it on the calling thread. The idle workers it takes share their tasks
// as one batch: each task is started by the first of them to be free, so a
// worker done with a quick task starts the next one not yet started rather
// than waiting for another to wake up, and as there are as many workers as
// tasks, no task waits for one still running. So a worker that is busy, or
// hung for good in a plugin, never delays another task: it is simply not
// idle, and the pool grows. Idle workers are reused most recently
// idle first (so that after a burst the others idle, and retire); a worker
// idle for `idle_timeout` exits unless that would leave fewer than
// `idle_floor` idle workers, so a burst does not leave its threads behind
// forever.
//
// Waking: waking a thread on another CPU costs the waker an interrupt (on a
// VM, an exit to the hypervisor, and more when that CPU has gone idle), and
// the caller of Run is the one thread a deploy waits on. So a worker that
// has just gone idle spins (yielding its CPU) for up to `spin` for its next
// task, when no other worker is spinning: deploys in a row then find it
// awake. Run hands the batch to the spinning worker first, which wakes the
// others the batch needs before starting a task (which may hang). Without
// a spinning worker, Run wakes only the first idle worker it hands the
// batch to, and each woken worker wakes the next before starting a task.
// At most one worker spins at a time, for at most `spin` after its last
// task: an idle pool takes no CPU.
//
// Ownership and shutdown: the workers are detached and share the pool's
// state with it (reference counted), never the CallPool object itself.
// Destroying a CallPool tells its idle workers to exit; a worker still in a
// task finishes it (however long a hung plugin takes) and then exits, still
// touching nothing but that shared state and its task. heraldd's deploys
// all use the process-wide pool (Default()), so that deploys of different
// agents share idle workers, and because a worker stuck in a plugin outlives
// whatever would own the pool anyway. It is created on first use and never
// destroyed: its workers may be parked, or stuck in a plugin, when the
// process exits, and leaving the pool alive means static destruction never
// pulls state out from under them (the process's end simply stops them).
//
// Thread-safety: Run and stats may be called from several threads at once.
// The destructor must not race with Run.
#ifndef HERALD_CORE_DEPLOY_CALL_POOL_H_
#define HERALD_CORE_DEPLOY_CALL_POOL_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace herald::deploy {

class CallPool {
 public:
  struct Options {
    // Idle workers kept however long they idle: enough for a typical
    // agent's channels without a thread start.
    size_t idle_floor = 4;
    // How long a worker above the floor idles before it exits.
    std::chrono::milliseconds idle_timeout = std::chrono::seconds(60);
    // How long a worker that has just gone idle spins for its next task
    // before it sleeps, when no other worker is spinning. 0: never.
    std::chrono::microseconds spin = std::chrono::microseconds(1000);
  };

  struct Stats {
    int64_t workers_started = 0;  // since the pool was made
    int64_t workers_alive = 0;    // busy, hung or idle
    int64_t workers_idle = 0;
  };

  CallPool();
  explicit CallPool(Options options);
  ~CallPool();

  CallPool(const CallPool&) = delete;
  CallPool& operator=(const CallPool&) = delete;

  // The pool FanOut uses unless given one. Never destroyed (see above).
  static CallPool& Default();

  // Runs each of `tasks` on a worker thread, idle or new, never the
  // caller's, and never behind another task (see above). A task must not
  // throw (the process would terminate).
  // Returns how many of `tasks`, from the first, were handed out: all, or,
  // when a thread could not be started, the ones before — the others are
  // dropped unrun, and `*error` says why.
  size_t Run(std::vector<std::function<void()>> tasks, std::string* error);

  Stats stats() const;

 private:
  struct State;  // shared with the workers
  struct Worker;
  struct Batch;

  static void Work(std::shared_ptr<State> state, std::function<void()> task);

  std::shared_ptr<State> state_;
};

}  // namespace herald::deploy

#endif  // HERALD_CORE_DEPLOY_CALL_POOL_H_
