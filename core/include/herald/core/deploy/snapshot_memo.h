// SnapshotMemo: the last snapshot rendered for each agent, kept with what it
// was rendered from, so that rendering an unchanged draft again costs a
// comparison rather than canonical JSON and a sha256 of its text (some 13 KB
// and 20 us for a draft of 20 tools). A preview renders the draft at every
// turn, and a redeploy after a failed or interrupted one, or after the
// pre-deployment summary's round trip, renders what it rendered before.
//
// RenderSnapshotInDraftOrder is a pure function of the draft and the tools'
// definitions. An entry is used only when both equal the ones it was
// rendered from, compared by value: every field of every tool, and every
// field of the draft except its bookkeeping (revision, live version,
// created_at, updated_at, updated_by), which the snapshot does not contain.
// A field added to AgentDraft or Tool later is compared too, by their
// defaulted operator==, until it is declared bookkeeping here.
//
// A rendering is handed out shared and immutable, so that a hit copies
// neither its 13 KB of JSON nor its facts: the caller copies only what it
// keeps.
//
// Bounded: kMaxAgents entries; a render for another agent when full empties
// the memo first, rather than tracking use.
//
// Thread-safety: every method may be called from any thread.
#ifndef HERALD_CORE_DEPLOY_SNAPSHOT_MEMO_H_
#define HERALD_CORE_DEPLOY_SNAPSHOT_MEMO_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "herald/core/deploy/snapshot.h"
#include "herald/core/model/agent.h"
#include "herald/core/model/tool.h"
#include "herald/core/status.h"

namespace herald::deploy {

class SnapshotMemo {
 public:
  static constexpr size_t kMaxAgents = 128;

  // What RenderSnapshotInDraftOrder(draft, definitions) returns, remembered
  // or rendered now (and then remembered, when it succeeds); never null.
  StatusOr<std::shared_ptr<const RenderedSnapshot>> Render(
      const AgentDraft& draft, const std::vector<const Tool*>& definitions);

  // Renders answered from the memo, and those that rendered, since start.
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    // The draft rendered from, but with the bookkeeping of the last draft
    // compared with it: a comparison sets that, rather than copying the
    // whole draft to make the bookkeeping agree. Guarded by mu.
    std::mutex mu;
    AgentDraft draft;
    // Set before the entry is shared, and not changed after.
    std::vector<Tool> tools;  // in the draft's order
    std::shared_ptr<const RenderedSnapshot> rendered;
  };

  static bool RenderedFromThese(Entry& entry, const AgentDraft& draft,
                                const std::vector<const Tool*>& definitions);

  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Entry>> entries_;  // guarded by mu_
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace herald::deploy

#endif  // HERALD_CORE_DEPLOY_SNAPSHOT_MEMO_H_
