// The chat API's JSON: the request body it reads and every body and
// server-sent event payload it writes. Errors have the shape of the rest of
// the Herald API: {"error":{"code":"not_found","message":"agent is not live"}}.
//
// Writers produce compact JSON (one line: a server-sent event's data fits on
// one "data:" line) with keys in the documented order. Pure functions;
// thread-safe.
#ifndef HERALD_CHANNELS_CHAT_CHAT_JSON_H_
#define HERALD_CHANNELS_CHAT_CHAT_JSON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "channels/chat/live_agents.h"

namespace herald::chat {

// {"message": "...", "conversation_id": "optional"}
struct MessageRequest {
  std::string message;
  std::string conversation_id;  // empty: a new conversation
};

// Reads a POST body. On failure returns false and sets `problem` to
// "FIELD: what is wrong" (FIELD is "body" for malformed JSON or a body that is
// not an object).
bool ParseMessageRequest(std::string_view body, MessageRequest* out, std::string* problem);

struct ToolCall {
  std::string tool;
  std::string outcome;
};

// {"error":{"code":..,"message":..}}
std::string ErrorJson(std::string_view code, std::string_view message);

// A whole turn: {"conversation_id","version","reply","tool_calls":[{"tool","outcome"}]}
std::string TurnJson(std::string_view conversation_id, uint64_t version, std::string_view reply,
                     const std::vector<ToolCall>& tool_calls);

// Server-sent event payloads.
std::string BeginEventJson(std::string_view conversation_id, uint64_t version);  // begin
std::string DeltaEventJson(std::string_view text);                               // delta
std::string ToolCallEventJson(std::string_view tool, std::string_view outcome);  // tool_call
std::string EndEventJson(std::string_view reply, uint64_t version,
                         std::string_view conversation_id);                   // end
std::string ErrorEventJson(std::string_view code, std::string_view message);  // error

// GET /{agent} of a live agent: {"agent","live":true,"version","access"}.
std::string AgentJson(std::string_view agent_id, const LiveAgent& live);

}  // namespace herald::chat

#endif  // HERALD_CHANNELS_CHAT_CHAT_JSON_H_
