#include "channels/chat/messages_route.h"

#include <cctype>
#include <string_view>
#include <vector>

#include "channels/chat/event_stream.h"
#include "channels/chat/host_errors.h"

namespace herald::chat {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void AnswerError(const sdk::HttpResponse& response, const HttpError& error) {
  if (error.status == 401) response.AddHeader("WWW-Authenticate", "Bearer");
  response.Json(error.status, ErrorJson(error.code, error.message));
}

// The token of "Authorization: Bearer <token>"; empty when there is none.
std::string BearerToken(const sdk::HttpRequest& request) {
  std::optional<std::string> header = request.Header("authorization");
  if (!header) return {};
  std::string_view value = *header;
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size() || Lower(value.substr(0, kScheme.size())) != kScheme) {
    return {};
  }
  value.remove_prefix(kScheme.size());
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return std::string(value);
}

}  // namespace

bool WantsEventStream(const sdk::HttpRequest& request) {
  std::optional<std::string> accept = request.Header("accept");
  return accept && Lower(*accept).find("text/event-stream") != std::string::npos;
}

void MessagesRoute::Handle(const sdk::HttpRequest& request,
                           const sdk::HttpResponse& response) const {
  const std::string agent_id = request.Param("agent");
  std::optional<LiveAgent> live = agents_->Find(agent_id);
  if (!live) return AnswerError(response, {404, "not_found", kNotLive});

  sdk::TurnRequest turn;
  turn.agent_id = agent_id;
  // Public agents answer anonymously, even when the request carries a Herald
  // API token: a member's own credentials are only used on sso agents.
  if (live->access == Access::kSso) {
    std::optional<std::string> member = Identify(request, response);
    if (!member) return;
    turn.user_id = std::move(*member);
  }

  MessageRequest body;
  std::string problem;
  if (!ParseMessageRequest(request.body, &body, &problem)) {
    return AnswerError(response, {400, "invalid_argument", problem});
  }
  turn.conversation_id = std::move(body.conversation_id);
  turn.message = std::move(body.message);

  if (WantsEventStream(request)) {
    AnswerStream(turn, response);
  } else {
    AnswerJson(turn, response);
  }
}

std::optional<std::string> MessagesRoute::Identify(const sdk::HttpRequest& request,
                                                   const sdk::HttpResponse& response) const {
  const std::string token = BearerToken(request);
  if (token.empty()) {
    AnswerError(response, {401, "unauthenticated",
                           "this agent needs an identity token: Authorization: Bearer <JWT>"});
    return std::nullopt;
  }
  std::string member;
  sdk::HostResult verified = host_.VerifyIdentity(token, &member);
  if (verified.ok() && !member.empty()) return member;
  switch (verified.status) {
    case HERALD_STATUS_OK:  // no member named: as good as invalid
    case HERALD_STATUS_PERMISSION_DENIED:
    case HERALD_STATUS_INVALID_ARGUMENT:
    case HERALD_STATUS_NOT_FOUND: {
      // The host's reason, unless it quotes the token (it should not).
      std::string reason = verified.message;
      if (reason.empty() || reason.find(token) != std::string::npos) {
        reason = "the identity token is not valid";
      }
      AnswerError(response, {401, "unauthenticated", reason});
      break;
    }
    default: {
      HttpError error = HttpErrorFor(verified);
      host_.Warn("identity check failed: " + error.message);
      if (error.message.find(token) != std::string::npos) error.message = "identity check failed";
      AnswerError(response, error);
      break;
    }
  }
  return std::nullopt;
}

void MessagesRoute::AnswerJson(const sdk::TurnRequest& turn,
                               const sdk::HttpResponse& response) const {
  std::vector<ToolCall> tool_calls;
  sdk::TurnEvents events;
  events.on_tool_call = [&](std::string_view tool, std::string_view outcome) {
    tool_calls.push_back({std::string(tool), std::string(outcome)});
  };
  sdk::TurnResult result = host_.RunTurn(turn, events);
  if (!result.ok()) {
    HttpError error = HttpErrorFor(result.result);
    if (error.status >= 500) host_.Warn("turn for agent " + turn.agent_id + ": " + error.message);
    return AnswerError(response, error);
  }
  response.Json(200, TurnJson(result.conversation_id, result.version, result.reply, tool_calls));
}

void MessagesRoute::AnswerStream(const sdk::TurnRequest& turn,
                                 const sdk::HttpResponse& response) const {
  EventStream stream(response);
  uint64_t version = 0;
  std::string conversation_id;
  sdk::TurnEvents events;
  events.on_begin = [&](const std::string& conversation, uint64_t v) {
    conversation_id = conversation;
    version = v;
    stream.Send("begin", BeginEventJson(conversation, v));
  };
  events.on_tool_call = [&](std::string_view tool, std::string_view outcome) {
    stream.Send("tool_call", ToolCallEventJson(tool, outcome));
  };
  // Returning false cancels the turn: nobody is listening any more.
  events.on_delta = [&](std::string_view text) {
    return stream.Send("delta", DeltaEventJson(text));
  };
  events.on_end = [&](std::string_view reply) {
    stream.Send("end", EndEventJson(reply, version, conversation_id));
  };
  sdk::TurnResult result = host_.RunTurn(turn, events);
  if (result.ok()) return;
  if (stream.gone()) {
    host_.Debug("client left during a turn for agent " + turn.agent_id);
    return;
  }
  HttpError error = HttpErrorFor(result.result);
  if (error.status >= 500) host_.Warn("turn for agent " + turn.agent_id + ": " + error.message);
  if (!stream.started()) return AnswerError(response, error);
  stream.Send("error", ErrorEventJson(error.code, error.message));
}

}  // namespace herald::chat
