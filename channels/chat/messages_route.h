// MessagesRoute: POST /v1/channels/chat/{agent}/messages, one conversation
// turn with the agent's live version.
//
// Request: {"message": "...", "conversation_id": "optional"}. The answer is
// JSON, {"conversation_id","version","reply","tool_calls":[{"tool","outcome"}]},
// or, when the request accepts text/event-stream, server-sent events flushed
// as the turn runs:
//
//   begin      {"conversation_id","version"}        first, once
//   tool_call  {"tool","outcome"}                    per tool call
//   delta      {"text"}                              per piece of the reply
//   end        {"reply","version","conversation_id"} last, on success
//   error      {"code","message"}                    last, on failure
//
// A turn that fails before `begin` is answered with a plain JSON error and its
// status instead of a stream. Errors: 400 for a bad body, 401 without a valid
// identity token on an sso agent, 404 "agent is not live" for an agent this
// channel does not serve, and the host's turn errors as host_errors.h maps
// them. When the client goes away mid-stream the turn is cancelled.
//
// Thread-safe: Handle runs on many server threads at once.
#ifndef HERALD_CHANNELS_CHAT_MESSAGES_ROUTE_H_
#define HERALD_CHANNELS_CHAT_MESSAGES_ROUTE_H_

#include <herald/sdk/host.hpp>

#include <optional>
#include <string>

#include "channels/chat/chat_json.h"
#include "channels/chat/live_agents.h"

namespace herald::chat {

inline constexpr char kNotLive[] = "agent is not live";

class MessagesRoute {
 public:
  // `agents` must outlive the route.
  MessagesRoute(sdk::Host host, const LiveAgents* agents) : host_(host), agents_(agents) {}

  void Handle(const sdk::HttpRequest& request, const sdk::HttpResponse& response) const;

 private:
  // The member an sso agent's caller is, from "Authorization: Bearer <JWT>";
  // nullopt after answering 401 (or the host's error).
  std::optional<std::string> Identify(const sdk::HttpRequest& request,
                                      const sdk::HttpResponse& response) const;
  void AnswerJson(const sdk::TurnRequest& turn, const sdk::HttpResponse& response) const;
  void AnswerStream(const sdk::TurnRequest& turn, const sdk::HttpResponse& response) const;

  sdk::Host host_;
  const LiveAgents* agents_;
};

// Whether the request's Accept header asks for text/event-stream.
bool WantsEventStream(const sdk::HttpRequest& request);

}  // namespace herald::chat

#endif  // HERALD_CHANNELS_CHAT_MESSAGES_ROUTE_H_
