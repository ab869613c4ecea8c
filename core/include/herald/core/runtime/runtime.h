// The agent runtime: answers one conversation turn with one version of an
// agent. Channels (through the plugin host's run_turn) get the version the
// calling channel serves; the preview gets the latest draft.
//
// A turn is answered wholly by the version it started with, whatever deploy
// happens meanwhile: the runtime reads the channel's live version once, at
// the start of the turn.
//
// Thread-safety: every method may be called from many threads at once.
#ifndef HERALD_CORE_RUNTIME_RUNTIME_H_
#define HERALD_CORE_RUNTIME_RUNTIME_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "herald/core/status.h"

namespace herald::runtime {

struct TurnInput {
  std::string agent_id;
  // The channel plugin asking ("chat", "voice", ...): a live turn uses the
  // version this plugin serves for the agent. Ignored by previews.
  std::string channel;
  // Empty: a new conversation. A conversation belongs to the channel (or the
  // preview), agent and user that started it; anyone else gets NOT_FOUND.
  std::string conversation_id;
  std::string message;
  // The Herald member speaking (whose own credentials member-type connections
  // use): the user's id in decimal (or, failing that, the user's name);
  // empty for an anonymous user.
  std::string user_id;
};

// Any may be empty. Called on the caller's thread.
struct TurnCallbacks {
  // Once, before any text: the conversation and the version answering
  // (0 for a preview, which answers with the draft).
  std::function<void(const std::string& conversation_id, int64_t version)> on_begin;
  // A piece of the reply as it is produced; false cancels the turn.
  std::function<bool(std::string_view text)> on_delta;
  // A tool call made, and its outcome ("200", "error: ...").
  std::function<void(std::string_view tool, std::string_view outcome)> on_tool_call;
};

// One tool call a turn made, as on_tool_call reported it.
struct ToolCallReport {
  std::string tool;
  std::string outcome;
};

struct TurnOutput {
  std::string conversation_id;
  int64_t version = 0;         // 0 for a preview
  int64_t draft_revision = 0;  // the draft revision a preview answered with
  std::string reply;
  std::vector<ToolCallReport> tool_calls;  // in the order made
};

class Runtime {
 public:
  virtual ~Runtime() = default;
  // NOT_FOUND "agent is not live" when the channel serves no version of the
  // agent; INVALID_ARGUMENT for an empty or oversized message;
  // PERMISSION_DENIED when a tool needs the user's own credentials and there
  // are none; UNAVAILABLE when the model provider fails.
  virtual StatusOr<TurnOutput> RunLive(const TurnInput& input, const TurnCallbacks& callbacks) = 0;
  // The latest draft, with the draft environment's connections.
  virtual StatusOr<TurnOutput> RunPreview(const TurnInput& input,
                                          const TurnCallbacks& callbacks) = 0;
  // The deploy service calls this after it changes an agent's live state, so
  // that the next turn sees the new version.
  virtual void LiveStateChanged(const std::string& agent_id) = 0;
};

}  // namespace herald::runtime

#endif  // HERALD_CORE_RUNTIME_RUNTIME_H_
