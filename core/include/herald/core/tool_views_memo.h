// ToolViewsMemo: the views of each agent's draft tools (ToolService::ViewsOf:
// each tool matched against its connection's security schemes) and the
// connections they are bound to, kept with the store's content generation
// they were read at (AgentStore::GetSharedAgentWithTools), so that a deploy
// of a draft whose tools and connections are unchanged matches them once
// rather than at every deploy (some 50,000 instructions for 20 tools).
//
// Exact, not a guess: the store moves the generation on with every committed
// write to a draft's rows, a tool, a connection, its environments or its
// credentials, by any connection or node, so views kept at the generation a
// read returns are the views of that read. What a view is made of beyond
// those rows does not change while heraldd runs: the auth-type plugins
// (loaded at start-up) and the credentials' key (rotate-key rewrites the
// credentials, which moves the generation). What can change without a write,
// such as a connection's readiness, is not in a view: SummaryBuilder checks
// it afresh at every Summarize.
//
// Views are handed out shared and immutable. Bounded: kMaxAgents agents, the
// least recently used going first. Generation 0 (a read inside a transaction
// that may have written) is never kept.
//
// Thread-safety: every method may be called from any thread; two callers
// that miss at once both compute, and the later one's views are kept.
#ifndef HERALD_CORE_TOOL_VIEWS_MEMO_H_
#define HERALD_CORE_TOOL_VIEWS_MEMO_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "herald/core/connection_service.h"
#include "herald/core/status.h"
#include "herald/core/store.h"
#include "herald/core/tool_service.h"

namespace herald {

namespace store {
template <typename Value>
class GenerationCache;
}  // namespace store

// The views of a draft's tools, by name (a tool that no longer exists is
// absent), and the connections they are bound to, by id.
struct ToolViews {
  std::map<std::string, ToolView> tools;
  std::map<std::string, ConnectionState> connections;
};

class ToolViewsMemo {
 public:
  static constexpr size_t kMaxAgents = 128;

  explicit ToolViewsMemo(ToolService& tools);
  ~ToolViewsMemo();
  ToolViewsMemo(const ToolViewsMemo&) = delete;
  ToolViewsMemo& operator=(const ToolViewsMemo&) = delete;

  // The views of `read`'s tools, which the store read at `generation`: kept
  // from an earlier call for the same agent at the same generation, or made
  // now from `read.tools` (and kept, unless `generation` is 0). Never null.
  StatusOr<std::shared_ptr<const ToolViews>> Views(const DraftWithTools& read, int64_t generation);

  // Calls answered from the memo, and those that made views, since start.
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  ToolService& tools_;
  std::mutex mu_;
  std::unique_ptr<store::GenerationCache<ToolViews>> kept_;  // by agent id; guarded by mu_
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace herald

#endif  // HERALD_CORE_TOOL_VIEWS_MEMO_H_
