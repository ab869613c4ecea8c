#include "herald/core/deploy/snapshot_memo.h"

#include <bit>

namespace herald::deploy {

bool SnapshotMemo::RenderedFromThese(Entry& entry, const AgentDraft& draft,
                                     const std::vector<const Tool*>& definitions) {
  if (entry.tools.size() != definitions.size()) return false;
  for (size_t i = 0; i < definitions.size(); ++i) {
    if (!(entry.tools[i] == *definitions[i])) return false;
  }
  std::lock_guard<std::mutex> lock(entry.mu);
  AgentDraft& rendered_from = entry.draft;
  // By its bits: 0.0 and -0.0 compare equal but are written differently.
  if (std::bit_cast<uint64_t>(rendered_from.voice.speaking_rate) !=
      std::bit_cast<uint64_t>(draft.voice.speaking_rate)) {
    return false;
  }
  // Every other field by operator==, once the bookkeeping agrees, so that a
  // field added to AgentDraft is compared without being listed.
  rendered_from.revision = draft.revision;
  rendered_from.live_version = draft.live_version;
  rendered_from.created_at = draft.created_at;
  rendered_from.updated_at = draft.updated_at;
  rendered_from.updated_by = draft.updated_by;
  return rendered_from == draft;
}

StatusOr<std::shared_ptr<const RenderedSnapshot>> SnapshotMemo::Render(
    const AgentDraft& draft, const std::vector<const Tool*>& definitions) {
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = entries_.find(draft.id); it != entries_.end()) entry = it->second;
  }
  if (entry != nullptr && RenderedFromThese(*entry, draft, definitions)) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    return entry->rendered;
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  StatusOr<RenderedSnapshot> rendered = RenderSnapshotInDraftOrder(draft, definitions);
  if (!rendered.ok()) return rendered.status();
  auto fresh = std::make_shared<Entry>();
  fresh->draft = draft;
  fresh->tools.reserve(definitions.size());
  for (const Tool* t : definitions) fresh->tools.push_back(*t);
  fresh->rendered = std::make_shared<const RenderedSnapshot>(std::move(rendered).value());
  std::shared_ptr<const RenderedSnapshot> out = fresh->rendered;
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() >= kMaxAgents && !entries_.count(draft.id)) entries_.clear();
  entries_[draft.id] = std::move(fresh);
  return out;
}

}  // namespace herald::deploy
