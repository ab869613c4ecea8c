#include "herald/core/tool_views_memo.h"

#include "store/generation_cache.h"

namespace herald {

ToolViewsMemo::ToolViewsMemo(ToolService& tools)
    : tools_(tools), kept_(std::make_unique<store::GenerationCache<ToolViews>>(kMaxAgents)) {}

ToolViewsMemo::~ToolViewsMemo() = default;

StatusOr<std::shared_ptr<const ToolViews>> ToolViewsMemo::Views(const DraftWithTools& read,
                                                                int64_t generation) {
  const std::string& agent_id = read.draft.id;
  if (generation != 0) {
    std::lock_guard<std::mutex> lock(mu_);
    if (std::shared_ptr<const ToolViews> kept = kept_->Find(agent_id, generation)) {
      hits_.fetch_add(1, std::memory_order_relaxed);
      return kept;
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  auto views = std::make_shared<ToolViews>();
  StatusOr<std::map<std::string, ToolView>> made = tools_.ViewsOf(read.tools, &views->connections);
  if (!made.ok()) return made.status();
  views->tools = std::move(made).value();
  std::shared_ptr<const ToolViews> shared = std::move(views);
  if (generation != 0) {
    std::lock_guard<std::mutex> lock(mu_);
    kept_->Put(agent_id, generation, shared);
  }
  return shared;
}

}  // namespace herald
