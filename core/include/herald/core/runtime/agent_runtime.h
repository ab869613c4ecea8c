// The agent runtime (Runtime, runtime.h): answers a turn with one version of
// an agent.
//
// A turn:
//  1. The version: a live turn takes the version the calling channel plugin
//     serves (the agent's live state: the channel whose plugin is
//     TurnInput::channel), once, at the start; a preview takes the latest
//     draft, snapshotted the way a deploy would (version 0).
//  2. The conversation: a new one gets a random 128-bit id (32 hex digits);
//     an existing one must belong to the same (channel or "preview", agent,
//     user), else NOT_FOUND.
//  3. The model's input: a system message from the version's instructions,
//     guidelines and the best knowledge passages for the message; the
//     conversation's last `history_turns` turns; the message. The version's
//     tools are offered in OpenAI's tools format.
//  4. The model (the provider serving the version's model) answers with text,
//     streamed to on_delta, or tool calls, which ToolInvoker makes (draft
//     environment for previews, live for live turns); their results go back
//     to the model, for at most `max_tool_steps` rounds.
//  5. The turn is stored; the conversation keeps its last `history_turns`.
//
// Caches, all bounded (memory target: 1,000 live agents and 10,000 stored
// conversations within 300 MB for the whole daemon): each agent's live state
// (dropped by LiveStateChanged; a read racing a change is not kept), parsed
// snapshots by (agent, version) or (agent, draft content hash), with their
// knowledge indexes, by count and bytes; and the history of recent
// conversations that have two turns or more (a second turn reads the first
// from the store).
//
// Thread-safety: every method from any thread.
#ifndef HERALD_CORE_RUNTIME_AGENT_RUNTIME_H_
#define HERALD_CORE_RUNTIME_AGENT_RUNTIME_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "herald/core/connection_service.h"
#include "herald/core/model/agent.h"
#include "herald/core/model/deployment.h"
#include "herald/core/runtime/agent_snapshot.h"
#include "herald/core/runtime/provider_registry.h"
#include "herald/core/runtime/runtime.h"
#include "herald/core/runtime/tool_invoker.h"
#include "herald/core/store.h"

namespace herald::runtime {

template <typename V>
class LruCache;

struct RuntimeOptions {
  size_t max_message_bytes = 32 * 1024;
  size_t history_turns = 20;  // kept per conversation, and given to the model
  size_t max_tool_steps = 5;
  size_t passages = 3;  // knowledge passages per turn
  size_t snapshot_cache_entries = 512;
  size_t snapshot_cache_bytes = 64 << 20;
  size_t conversation_cache_entries = 2048;
  size_t live_state_cache_entries = 4096;
  int tool_timeout_ms = 10000;
};

class AgentRuntime final : public Runtime {
 public:
  // The canonical snapshot JSON of a draft and its sha256
  // (DeployService::Snapshot).
  using DraftSnapshotter =
      std::function<StatusOr<std::pair<std::string, std::string>>(const AgentDraft& draft)>;

  AgentRuntime(Store& store, ConnectionService& connections, const ProviderRegistry& providers,
               DraftSnapshotter snapshotter, RuntimeOptions options = {});
  ~AgentRuntime() override;

  StatusOr<TurnOutput> RunLive(const TurnInput& input, const TurnCallbacks& callbacks) override;
  StatusOr<TurnOutput> RunPreview(const TurnInput& input, const TurnCallbacks& callbacks) override;
  void LiveStateChanged(const std::string& agent_id) override;

 private:
  struct Turn {
    std::shared_ptr<const AgentSnapshot> snapshot;
    int64_t version = 0;
    int64_t draft_revision = 0;
    Environment env = Environment::kLive;
    std::string owner;  // channel or "preview"
  };

  StatusOr<std::shared_ptr<const LiveState>> LiveStateOf(const std::string& agent_id);
  StatusOr<std::shared_ptr<const AgentSnapshot>> SnapshotOf(const std::string& key,
                                                            const std::string& json);
  StatusOr<TurnOutput> Run(const Turn& turn, const TurnInput& input,
                           const TurnCallbacks& callbacks);
  StatusOr<std::shared_ptr<const Conversation>> OpenConversation(const Turn& turn,
                                                                 const TurnInput& input);

  Store& store_;
  const ProviderRegistry& providers_;
  DraftSnapshotter snapshotter_;
  RuntimeOptions options_;
  ToolInvoker tools_;

  std::mutex live_mu_;
  std::unordered_map<std::string, std::shared_ptr<const LiveState>> live_;  // guarded by live_mu_
  std::atomic<uint64_t> live_epoch_{0};
  std::unique_ptr<LruCache<std::shared_ptr<const AgentSnapshot>>> snapshots_;
  std::unique_ptr<LruCache<std::shared_ptr<const Conversation>>> conversations_;
};

// A new conversation id: 48 bits of milliseconds then 80 random bits, as 32
// lower-case hex digits (see agent_runtime.cc for why time first).
std::string NewConversationId();

}  // namespace herald::runtime

#endif  // HERALD_CORE_RUNTIME_AGENT_RUNTIME_H_
