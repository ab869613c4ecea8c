// CallPool: the threads that channel calls run on, reused from one fan-out
// to the next, so that a deploy does not pay for starting (and ending) a
// thread per channel.
//
// Contract: Run hands a batch of tasks to one worker, which starts them one
// after another, each once it is done with the one before: the spinning
// worker when there is one (see Waking), else the most recently idle one,
// woken, else a new thread. Quick tasks, most channel calls, then run without waking any
// other thread. Spread then gives each task of the batch not yet started a
// worker of its own (idle ones woken, else new threads), so that from then
// on no task waits for one still running: a worker that is busy, or hung
// for good in a plugin, is simply not idle, and the pool grows. The caller
// decides when to spread, and with it how long a task may wait behind
// another (FanOut: at most 50 us). A task never runs on the calling thread.
// Idle workers are reused most recently idle first (so that after a burst
// the others idle, and retire); a worker idle for `idle_timeout` exits
// unless that would leave fewer than `idle_floor` idle workers, so a burst
// does not leave its threads behind forever.
//
// Waking: waking a thread on another CPU costs the waker an interrupt (on a
// VM, an exit to the hypervisor, and more when that CPU has gone idle), and
// the caller of Run is the one thread a deploy waits on. So a worker that
// has just gone idle spins (yielding its CPU) for up to `spin` for its next
// batch, when no other worker is spinning: deploys in a row then find it
// awake, and hand it their batch without a system call. When Spread hands
// a batch to several workers, the first wakes the others before starting a
// task (which may hang): a spinning first worker wakes them all at once; a
// sleeping one, woken by Spread, wakes the next, which wakes the next.
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
// Thread-safety: Run, Spread and stats may be called from several threads
// at once (Spread for different batches). The destructor must not race with
// Run or Spread.
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

  // Tasks handed out together by Run, shared with the workers that run them.
  class Batch;

  // Hands `tasks` to one worker, idle or new, never the caller's thread,
  // which starts them one after another (see above); Spread gives the ones
  // it has not started yet workers of their own. A task must not throw (the
  // process would terminate).
  // Returns the batch, for Spread; null when not even one thread could be
  // started: then no task runs, and `*error` says why.
  std::shared_ptr<Batch> Run(std::vector<std::function<void()>> tasks, std::string* error);

  // Gives each of `batch`'s tasks not yet started a worker of its own, so
  // that none of them waits for a task still running, now or later: once
  // is enough, and a batch whose tasks have all started needs no worker
  // (then Spread costs an atomic read). Must not race with itself, or
  // with Run, for one batch.
  // Returns the indices of the tasks dropped unrun because a thread could
  // not be started (`*error` says why): only as many as lack a worker.
  std::vector<size_t> Spread(const std::shared_ptr<Batch>& batch, std::string* error);

  Stats stats() const;

 private:
  struct State;  // shared with the workers
  struct Worker;

  // Hands `batch` to up to `count` more workers (see Waking); returns how
  // many it could, fewer when a thread could not be started (`*error`).
  size_t HandOut(const std::shared_ptr<Batch>& batch, size_t count, std::string* error);

  static void Work(std::shared_ptr<State> state, std::shared_ptr<Batch> batch);

  std::shared_ptr<State> state_;
};

}  // namespace herald::deploy

#endif  // HERALD_CORE_DEPLOY_CALL_POOL_H_
