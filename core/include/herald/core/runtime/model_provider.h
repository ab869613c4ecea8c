// A model provider: something that lists the models it offers and completes
// a chat (OpenAI's chat-completions shape: messages, function tools) into
// either text or tool calls, streaming the text as it is produced.
//
// Built in: ScriptedProvider (offline, deterministic; scripted_provider.h)
// and OpenAiProvider (any OpenAI-compatible server; openai_provider.h).
// ProviderRegistry (provider_registry.h) holds the configured ones.
//
// Thread-safety: implementations must allow ListModels and Complete from many
// threads at once.
#ifndef HERALD_CORE_RUNTIME_MODEL_PROVIDER_H_
#define HERALD_CORE_RUNTIME_MODEL_PROVIDER_H_

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "herald/core/status.h"

namespace herald::runtime {

// A tool call the model asks for.
struct ToolCall {
  std::string id;              // the provider's call id, echoed in the tool message
  std::string name;            // the function (tool) name
  std::string arguments_json;  // a JSON object, as the model wrote it
};

// One chat message, in OpenAI's roles.
struct ChatMessage {
  std::string role;  // "system" | "user" | "assistant" | "tool"
  std::string content;
  std::vector<ToolCall> tool_calls;  // assistant messages that asked for tools
  std::string tool_call_id;          // tool messages: the call answered
  std::string name;                  // tool messages: the tool's name

  static ChatMessage Of(std::string role, std::string content) {
    ChatMessage m;
    m.role = std::move(role);
    m.content = std::move(content);
    return m;
  }
};

// A function tool offered to the model (OpenAI's tools format).
struct ToolDefinition {
  std::string name;
  std::string description;
  std::string parameters_json;  // a JSON Schema object
};

// A knowledge passage chosen for the turn, best first.
struct Passage {
  std::string file;
  std::string text;
  double score = 0;
};

// What the agent says about itself, for providers that cannot read prose
// (the scripted one). A model server reads the same in the system message.
struct AgentContext {
  std::string instructions;
  std::string guidelines;
  std::string welcome_message;
  std::vector<Passage> passages;  // for the latest user message
};

struct ChatRequest {
  std::string model;
  // The system message first (empty when the provider does not read it:
  // ModelProvider::reads_system_prompt), then the conversation.
  std::vector<ChatMessage> messages;
  std::vector<ToolDefinition> tools;
  AgentContext context;
};

// Either text (tool_calls empty) or tool calls (text may be empty).
struct ChatResult {
  std::string text;
  std::vector<ToolCall> tool_calls;
};

// Receives the reply's text in pieces as they arrive; returns false to stop.
using DeltaCallback = std::function<bool(std::string_view text)>;

class ModelProvider {
 public:
  virtual ~ModelProvider() = default;
  // "scripted", "openai".
  virtual const std::string& name() const = 0;
  // The models this provider offers now. UNAVAILABLE when it cannot say.
  virtual StatusOr<std::vector<std::string>> ListModels() = 0;
  // Whether Complete reads the system message's text (the agent's
  // instructions, guidelines and knowledge passages written out as prose).
  // A provider that answers from ChatRequest::context alone says false, and
  // the runtime then spares each turn writing that text.
  virtual bool reads_system_prompt() const { return true; }
  // Completes `request`. Text is passed to `on_delta` (may be empty) as it
  // is produced and is also the result's `text`. UNAVAILABLE when the model
  // cannot be reached or answers nonsense; DEADLINE_EXCEEDED when it is too
  // slow; CANCELLED turns (on_delta returned false) are UNAVAILABLE with
  // the message "cancelled". Messages never contain a credential.
  virtual StatusOr<ChatResult> Complete(const ChatRequest& request,
                                        const DeltaCallback& on_delta) = 0;
};

// The message a cancelled completion returns (with kUnavailable).
inline constexpr std::string_view kCancelledMessage = "cancelled";

}  // namespace herald::runtime

#endif  // HERALD_CORE_RUNTIME_MODEL_PROVIDER_H_
