// Fan-out: one call per channel, all at once, each with its own deadline.
//
// The host, not the plugin, owns deadlines: every call runs on a worker
// thread, never on the caller's (see CallPool), and a call still running
// when its deadline passes is reported as timed out and abandoned — its
// worker is left to finish (or hang) in the background, holding only what
// it shares with the abandoned call, and is not reused until the plugin
// returns; so a plugin that hangs or throws never blocks the caller or a
// later fan-out. Abandoned calls are counted (see abandoned_calls()) and
// logged.
//
// Order: one worker starts the calls one after another, so quick calls cost
// no wake-up of other threads; a call waits for one still running at most
// 50 us (as the caller's thread is scheduled), since by then the caller has
// given every call not yet started a worker of its own (CallPool::Spread).
// So a hung or slow call delays another by at most those 50 us, never by
// its own length.
//
// Progress: an optional OnCallResult hears each call's result as it arrives
// (a fast call before a slow one), on the thread that called FanOut — never
// on a call's thread — so it may use whatever that thread owns without
// locking. The deadline stays the host's: a slow reporter delays only the
// reporting, never a call's result (a call that answered before its deadline
// is not reported as timed out because the reporter was busy).
//
// Waiting: the caller polls for the results for up to 200 us, yielding its
// CPU, before it sleeps until they arrive (see fan_out.cc for why). Results
// that arrive within the first 50 us are reported together at its end.
//
// Thread-safety: FanOut may be called from several threads at once.
#ifndef HERALD_CORE_DEPLOY_FAN_OUT_H_
#define HERALD_CORE_DEPLOY_FAN_OUT_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::deploy {

class CallPool;

enum class CallOutcome { kOk, kError, kTimedOut };
std::string_view CallOutcomeName(CallOutcome outcome);  // "ok" | "error" | "timed_out"

struct CallResult {
  CallOutcome outcome = CallOutcome::kError;
  std::string message;  // the error, or "no answer within N ms"
  int64_t latency_ms = 0;
};

// What one channel's call returns: empty for success, else the error message.
using ChannelCall = std::function<std::string()>;

struct NamedCall {
  std::string name;  // for the log and the results
  ChannelCall call;
};

// Hears one call's result: `index` into the calls given to FanOut. Called
// exactly once per call, in order of arrival; calls still running at the
// deadline are reported (timed out) together, in index order. Should not
// throw: an exception is logged and dropped, and the fan-out goes on.
using OnCallResult = std::function<void(size_t index, const CallResult& result)>;

// Runs every call on `pool`'s workers (see Order above); returns one result per
// call, in order, once each has finished or its deadline has passed. An
// exception from a call is its error, and so is a call no thread could be
// started for. `on_result`, when set, hears each result as it arrives (see
// above); FanOut returns only after the last report.
std::vector<CallResult> FanOut(CallPool& pool, std::vector<NamedCall> calls,
                               std::chrono::milliseconds deadline,
                               const OnCallResult& on_result = {});

// The same, on the process-wide pool (CallPool::Default()).
std::vector<CallResult> FanOut(std::vector<NamedCall> calls, std::chrono::milliseconds deadline,
                               const OnCallResult& on_result = {});

// Calls abandoned at their deadline since the process started.
int64_t abandoned_calls();

}  // namespace herald::deploy

#endif  // HERALD_CORE_DEPLOY_FAN_OUT_H_
