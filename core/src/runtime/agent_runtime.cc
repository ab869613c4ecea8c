#include "herald/core/runtime/agent_runtime.h"

#include <openssl/rand.h>
#include <chrono>
#include <cstring>

#include <algorithm>
#include <chrono>

#include "herald/core/log.h"
#include "runtime/lru_cache.h"

namespace herald::runtime {
namespace {

constexpr char kPreviewOwner[] = "preview";

std::string SystemPrompt(const AgentSnapshot& s, const std::vector<Passage>& passages) {
  std::string prompt = s.instructions.empty() ? "You are " + s.name + "." : s.instructions;
  if (!s.guidelines.empty()) prompt += "\n\nGuidelines:\n" + s.guidelines;
  if (!passages.empty()) {
    prompt += "\n\nRelevant knowledge:";
    for (const Passage& p : passages) prompt += "\n[" + p.file + "] " + p.text;
  }
  return prompt;
}

}  // namespace

// 48 bits of milliseconds then 80 random bits, as 32 hex digits: new
// conversations sort after older ones, so the store appends them at the end of
// its indexes instead of dirtying a random page for each (five times the write
// rate), and 80 random bits leave nothing to guess.
std::string NewConversationId() {
  unsigned char bytes[16];
  const uint64_t ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count());
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  // The random part comes from a per-thread buffer refilled from OpenSSL's
  // CSPRNG 4 KiB at a time: one RAND_bytes call per ~400 ids instead of one
  // each (its locking showed in the chat benchmark's profile).
  thread_local unsigned char pool[4096];
  thread_local size_t used = sizeof pool;
  constexpr size_t kRandomBytes = sizeof bytes - 6;
  if (used + kRandomBytes > sizeof pool) {
    if (RAND_bytes(pool, sizeof pool) != 1) {
      // Out of entropy is not survivable for ids others must not guess.
      LogEvent(spdlog::level::critical, "runtime.random_failed");
      std::abort();
    }
    used = 0;
  }
  std::memcpy(bytes + 6, pool + used, kRandomBytes);
  // Used bytes are wiped so that the id of one conversation cannot be read
  // back from the pool later.
  std::memset(pool + used, 0, kRandomBytes);
  used += kRandomBytes;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(32);
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 0xf];
  }
  return id;
}

AgentRuntime::AgentRuntime(Store& store, ConnectionService& connections,
                           const ProviderRegistry& providers, DraftSnapshotter snapshotter,
                           RuntimeOptions options)
    : store_(store),
      providers_(providers),
      snapshotter_(std::move(snapshotter)),
      options_(options),
      tools_(store, connections, options.tool_timeout_ms),
      snapshots_(std::make_unique<LruCache<std::shared_ptr<const AgentSnapshot>>>(
          options.snapshot_cache_entries, options.snapshot_cache_bytes)),
      conversations_(std::make_unique<LruCache<std::shared_ptr<const Conversation>>>(
          options.conversation_cache_entries, SIZE_MAX)) {}

AgentRuntime::~AgentRuntime() = default;

void AgentRuntime::LiveStateChanged(const std::string& agent_id) {
  std::lock_guard<std::mutex> lock(live_mu_);
  live_epoch_.fetch_add(1);
  live_.erase(agent_id);
}

StatusOr<std::shared_ptr<const LiveState>> AgentRuntime::LiveStateOf(const std::string& agent_id) {
  {
    std::lock_guard<std::mutex> lock(live_mu_);
    auto it = live_.find(agent_id);
    if (it != live_.end()) return it->second;
  }
  const uint64_t epoch = live_epoch_.load();
  StatusOr<LiveState> read = store_.deployments().GetLiveState(agent_id);
  if (!read.ok()) return read.status();
  auto state = std::make_shared<const LiveState>(std::move(read).value());
  std::lock_guard<std::mutex> lock(live_mu_);
  // A change since the read began: this state may be stale, so not kept.
  if (live_epoch_.load() == epoch) {
    if (live_.size() >= options_.live_state_cache_entries) live_.clear();
    live_[agent_id] = state;
  }
  return std::shared_ptr<const LiveState>(state);
}

StatusOr<std::shared_ptr<const AgentSnapshot>> AgentRuntime::SnapshotOf(const std::string& key,
                                                                        const std::string& json) {
  StatusOr<std::shared_ptr<const AgentSnapshot>> parsed = ParseSnapshot(
      json, [this](const std::string& sha256) { return store_.agents().ReadBlob(sha256); });
  if (!parsed.ok()) return parsed.status();
  snapshots_->Put(key, *parsed, (*parsed)->bytes);
  return parsed;
}

StatusOr<TurnOutput> AgentRuntime::RunLive(const TurnInput& input, const TurnCallbacks& callbacks) {
  StatusOr<std::shared_ptr<const LiveState>> state = LiveStateOf(input.agent_id);
  if (!state.ok()) {
    if (state.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("agent is not live");
    }
    return state.status();
  }
  const LiveState& live = **state;
  const ChannelLiveState* serving = nullptr;
  for (const auto& c : live.channels) {
    if (c.plugin == input.channel) {
      serving = &c;
      break;
    }
  }
  if (!live.live_version || serving == nullptr) return Status::NotFound("agent is not live");

  Turn turn;
  turn.version = serving->version;
  turn.env = Environment::kLive;
  turn.owner = input.channel;
  // deployed_at tells an agent deleted and created again from the old one.
  const std::string key =
      input.agent_id + "\n" + std::to_string(turn.version) + "\n" + live.deployed_at;
  if (auto cached = snapshots_->Get(key)) {
    turn.snapshot = *cached;
  } else {
    StatusOr<AgentVersion> version = store_.deployments().GetVersion(input.agent_id, turn.version);
    if (!version.ok()) return version.status();
    StatusOr<std::shared_ptr<const AgentSnapshot>> parsed = SnapshotOf(key, version->snapshot_json);
    if (!parsed.ok()) return parsed.status();
    turn.snapshot = *parsed;
  }
  return Run(turn, input, callbacks);
}

StatusOr<TurnOutput> AgentRuntime::RunPreview(const TurnInput& input,
                                              const TurnCallbacks& callbacks) {
  StatusOr<AgentDraft> draft = store_.agents().GetAgent(input.agent_id);
  if (!draft.ok()) return draft.status();
  StatusOr<std::pair<std::string, std::string>> snapshot = snapshotter_(*draft);
  if (!snapshot.ok()) return snapshot.status();
  Turn turn;
  turn.version = 0;
  turn.draft_revision = draft->revision;
  turn.env = Environment::kDraft;
  turn.owner = kPreviewOwner;
  const std::string key = input.agent_id + "\ndraft\n" + snapshot->second;
  if (auto cached = snapshots_->Get(key)) {
    turn.snapshot = *cached;
  } else {
    StatusOr<std::shared_ptr<const AgentSnapshot>> parsed = SnapshotOf(key, snapshot->first);
    if (!parsed.ok()) return parsed.status();
    turn.snapshot = *parsed;
  }
  return Run(turn, input, callbacks);
}

StatusOr<std::shared_ptr<const Conversation>> AgentRuntime::OpenConversation(
    const Turn& turn, const TurnInput& input) {
  if (input.conversation_id.empty()) {
    auto fresh = std::make_shared<Conversation>();
    fresh->id = NewConversationId();
    fresh->owner = turn.owner;
    fresh->agent_id = input.agent_id;
    fresh->user_id = input.user_id;
    return std::shared_ptr<const Conversation>(std::move(fresh));
  }
  const Status not_found =
      Status::NotFound("conversation '" + input.conversation_id + "' not found");
  if (input.conversation_id.size() != 32) return not_found;
  std::shared_ptr<const Conversation> conversation;
  if (auto cached = conversations_->Get(input.conversation_id)) {
    conversation = *cached;
  } else {
    StatusOr<Conversation> stored =
        store_.conversations().GetConversation(input.conversation_id, options_.history_turns);
    if (!stored.ok())
      return stored.status().code() == StatusCode::kNotFound ? not_found : stored.status();
    conversation = std::make_shared<const Conversation>(std::move(stored).value());
    conversations_->Put(conversation->id, conversation);
  }
  if (conversation->owner != turn.owner || conversation->agent_id != input.agent_id ||
      conversation->user_id != input.user_id) {
    return not_found;
  }
  return conversation;
}

StatusOr<TurnOutput> AgentRuntime::Run(const Turn& turn, const TurnInput& input,
                                       const TurnCallbacks& callbacks) {
  if (input.message.empty()) return Status::InvalidArgument("message: must not be empty");
  if (input.message.size() > options_.max_message_bytes) {
    return Status::InvalidArgument("message: longer than " +
                                   std::to_string(options_.max_message_bytes) + " bytes");
  }
  const AgentSnapshot& snapshot = *turn.snapshot;
  StatusOr<ModelProvider*> provider = providers_.ForModel(snapshot.model);
  if (!provider.ok()) return Status::Unavailable(provider.status().message());
  StatusOr<std::shared_ptr<const Conversation>> conversation = OpenConversation(turn, input);
  if (!conversation.ok()) return conversation.status();
  const Conversation& history = **conversation;

  TurnOutput output;
  output.conversation_id = history.id;
  output.version = turn.version;
  output.draft_revision = turn.draft_revision;
  if (callbacks.on_begin) callbacks.on_begin(history.id, turn.version);

  ChatRequest request;
  request.model = snapshot.model;
  request.tools = snapshot.tool_definitions;
  request.context.instructions = snapshot.instructions;
  request.context.guidelines = snapshot.guidelines;
  request.context.welcome_message = snapshot.welcome_message;
  request.context.passages = snapshot.knowledge.Search(input.message, options_.passages);
  request.messages.reserve(2 + 2 * history.turns.size());
  request.messages.push_back(
      ChatMessage::Of("system", (*provider)->reads_system_prompt()
                                    ? SystemPrompt(snapshot, request.context.passages)
                                    : std::string()));
  for (const ConversationTurn& t : history.turns) {
    request.messages.push_back(ChatMessage::Of("user", t.user_message));
    request.messages.push_back(ChatMessage::Of("assistant", t.reply));
  }
  request.messages.push_back(ChatMessage::Of("user", input.message));

  DeltaCallback on_delta = [&callbacks](std::string_view text) {
    return !callbacks.on_delta || callbacks.on_delta(text);
  };
  bool answered = false;
  for (size_t step = 0; step < options_.max_tool_steps + 1 && !answered; ++step) {
    StatusOr<ChatResult> result = (*provider)->Complete(request, on_delta);
    if (!result.ok()) return result.status();
    output.reply += result->text;
    if (result->tool_calls.empty()) {
      answered = true;
      break;
    }
    if (step == options_.max_tool_steps) break;
    ChatMessage asked = ChatMessage::Of("assistant", result->text);
    asked.tool_calls = result->tool_calls;
    request.messages.push_back(std::move(asked));
    for (const ToolCall& call : result->tool_calls) {
      ToolCallOutcome outcome;
      if (const SnapshotTool* tool = snapshot.FindTool(call.name)) {
        StatusOr<ToolCallOutcome> made =
            tools_.Call(input.agent_id, *tool, call.arguments_json, turn.env, input.user_id);
        if (!made.ok()) return made.status();
        outcome = std::move(made).value();
      } else {
        outcome = {"error: no such tool", "error: the agent has no tool '" + call.name + "'"};
      }
      if (callbacks.on_tool_call) callbacks.on_tool_call(call.name, outcome.outcome);
      output.tool_calls.push_back({call.name, outcome.outcome});
      ChatMessage result_message = ChatMessage::Of("tool", outcome.result);
      result_message.tool_call_id = call.id;
      result_message.name = call.name;
      request.messages.push_back(std::move(result_message));
    }
  }
  if (!answered) {
    const std::string gave_up = "I could not finish: answering needed more than " +
                                std::to_string(options_.max_tool_steps) + " rounds of tool calls.";
    if (!on_delta(gave_up)) return Status::Unavailable(std::string(kCancelledMessage));
    output.reply += gave_up;
  }

  ConversationTurn stored;
  stored.version = turn.version;
  stored.user_message = input.message;
  stored.reply = output.reply;
  // A conversation enters the cache with its second turn. Most conversations
  // have one turn only, and caching each would cost a copy in and, on
  // eviction, a destruction for nothing (6% of a loaded daemon's time). A
  // second turn reads the first from the store instead, which writes what is
  // queued before it reads, so it always sees it.
  const bool cached = !history.turns.empty();
  ConversationStore& store = store_.conversations();
  Status saved = cached ? store.AppendTurn(history, stored, options_.history_turns)
                        : store.AppendTurn(history, std::move(stored), options_.history_turns);
  if (!saved.ok()) {
    LogEvent(spdlog::level::warn, "runtime.turn_not_stored",
             {{"agent", input.agent_id}, {"error", saved.message()}});
    return output;
  }
  if (!cached) return output;
  auto next = std::make_shared<Conversation>(history);
  next->turns.push_back(std::move(stored));
  if (next->turns.size() > options_.history_turns) {
    next->turns.erase(next->turns.begin(),
                      next->turns.end() - static_cast<std::ptrdiff_t>(options_.history_turns));
  }
  const std::string id = next->id;
  conversations_->Put(id, std::shared_ptr<const Conversation>(std::move(next)));
  return output;
}

}  // namespace herald::runtime
