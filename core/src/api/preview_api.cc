#include "api/preview_api.h"

#include <Poco/JSON/Array.h>

#include "api/json_body.h"
#include "herald/core/agent_service.h"

namespace herald::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using Poco::JSON::Array;
using Poco::JSON::Object;

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
  StatusOr<runtime::TurnOutput> out = runtime.RunPreview(input, {});
  if (!out.ok()) return HttpResponse::Error(out.status());

  Object::Ptr json = new Object;
  json->set("conversation_id", out->conversation_id);
  json->set("version", out->version);
  json->set("draft_revision", out->draft_revision);
  json->set("reply", out->reply);
  Array::Ptr calls = new Array;
  for (const auto& call : out->tool_calls) {
    Object::Ptr c = new Object;
    c->set("tool", call.tool);
    c->set("outcome", call.outcome);
    calls->add(c);
  }
  json->set("tool_calls", calls);
  return HttpResponse::Json(200, json);
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
