#include "api/preview_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "api/json_body.h"
#include "herald/core/agent_service.h"

namespace herald::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr OutputJson(const runtime::TurnOutput& out) {
  Object::Ptr json = new Object;
  json->set("conversation_id", out.conversation_id);
  json->set("version", out.version);
  json->set("draft_revision", out.draft_revision);
  json->set("reply", out.reply);
  Array::Ptr calls = new Array;
  for (const auto& call : out.tool_calls) {
    Object::Ptr c = new Object;
    c->set("tool", call.tool);
    c->set("outcome", call.outcome);
    calls->add(c);
  }
  json->set("tool_calls", calls);
  return json;
}

std::string Text(const Object::Ptr& o) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(o, out);
  return out.str();
}

Object::Ptr ErrorJson(const Status& status) {
  Object::Ptr error = new Object;
  error->set("code", std::string(StatusCodeName(status.code())));
  error->set("message", status.message());
  Object::Ptr body = new Object;
  body->set("error", error);
  return body;
}

void Event(http::ResponseWriter& w, std::string_view name, const Object::Ptr& data) {
  w.Write("event: ");
  w.Write(name);
  w.Write("\ndata: ");
  w.Write(Text(data));
  w.Write("\n\n");
}

// The turn as server-sent events: `begin` (conversation_id, version), a
// `delta` per piece of the reply (text), a `tool_call` per call (tool,
// outcome), then `done` with the whole answer as the JSON form gives it, or
// `error` ({"error":{code,message}}). An error before `begin` is an ordinary
// JSON error response.
HttpResponse StreamTurn(runtime::Runtime& runtime, runtime::TurnInput input) {
  return HttpResponse::Stream([&runtime, input = std::move(input)](http::ResponseWriter& w) {
    bool gone = false;
    runtime::TurnCallbacks callbacks;
    callbacks.on_begin = [&](const std::string& id, int64_t version) {
      w.AddHeader("Content-Type", "text/event-stream");
      w.AddHeader("Cache-Control", "no-cache");
      Object::Ptr begin = new Object;
      begin->set("conversation_id", id);
      begin->set("version", version);
      Event(w, "begin", begin);
      gone = !w.Flush();
    };
    callbacks.on_delta = [&](std::string_view text) {
      if (gone) return false;
      Object::Ptr delta = new Object;
      delta->set("text", std::string(text));
      Event(w, "delta", delta);
      gone = !w.Flush();
      return !gone;
    };
    callbacks.on_tool_call = [&](std::string_view tool, std::string_view outcome) {
      Object::Ptr call = new Object;
      call->set("tool", std::string(tool));
      call->set("outcome", std::string(outcome));
      Event(w, "tool_call", call);
      gone = gone || !w.Flush();
    };
    StatusOr<runtime::TurnOutput> out = runtime.RunPreview(input, callbacks);
    if (gone) return;
    if (!w.committed()) {
      // Nothing sent yet: an ordinary error response.
      const Status status = out.ok() ? Status::Internal("the turn did not begin") : out.status();
      w.SetStatus(http::HttpStatusFor(status.code()));
      w.AddHeader("Content-Type", "application/json");
      w.Write(Text(ErrorJson(status)));
      return;
    }
    if (out.ok()) {
      Event(w, "done", OutputJson(*out));
    } else {
      Event(w, "error", ErrorJson(out.status()));
    }
    w.Flush();
  });
}

HttpResponse Preview(const ApiServices& services, runtime::Runtime& runtime,
                     const HttpRequest& request, const User& user) {
  const std::string& id = request.Param("id");
  HERALD_RETURN_IF_ERROR_RESPONSE(CheckSlug(id, "id"));
  // Reading needs a collaborator (or an operator); previewing, an editor.
  StatusOr<AgentDraft> draft = services.agents.Get(id, user);
  if (!draft.ok()) return HttpResponse::Error(draft.status());
  HERALD_RETURN_IF_ERROR_RESPONSE(AgentService::CheckAccess(*draft, user, AgentAccess::kEdit));

  StatusOr<Object::Ptr> body = ParseObject(request);
  if (!body.ok()) return HttpResponse::Error(body.status());
  HERALD_RETURN_IF_ERROR_RESPONSE(RejectUnknownFields(**body, {"message", "conversation_id"}));
  StatusOr<std::string> message = RequireString(**body, "message");
  if (!message.ok()) return HttpResponse::Error(message.status());
  StatusOr<std::optional<std::string>> conversation = GetString(**body, "conversation_id");
  if (!conversation.ok()) return HttpResponse::Error(conversation.status());

  runtime::TurnInput input;
  input.agent_id = id;
  input.conversation_id = conversation->value_or("");
  input.message = *message;
  input.user_id = std::to_string(user.id);
  std::optional<std::string> accept = request.Header("accept");
  if (accept && accept->find("text/event-stream") != std::string::npos) {
    return StreamTurn(runtime, std::move(input));
  }
  StatusOr<runtime::TurnOutput> out = runtime.RunPreview(input, {});
  if (!out.ok()) return HttpResponse::Error(out.status());
  return HttpResponse::Json(200, OutputJson(*out));
}

}  // namespace

void AddPreviewRoutes(http::Router& router, const ApiServices& services,
                      runtime::Runtime& runtime) {
  const auth::Authenticator& auth = services.authenticator;
  router.Add("POST", "/v1/agents/{id}/preview/messages",
             auth.Require(Role::kMember, [&services, &runtime](HttpRequest& r, const User& u) {
               return Preview(services, runtime, r, u);
             }));
}

}  // namespace herald::api
