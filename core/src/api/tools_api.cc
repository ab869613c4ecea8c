#include "api/tools_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "api/json_body.h"

namespace herald::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr ToolJson(const ToolView& view) {
  const Tool& t = view.tool;
  Object::Ptr o = new Object;
  o->set("name", t.name);
  o->set("description", t.description);
  o->set("method", t.method);
  o->set("server_url", t.server_url);
  o->set("path", t.path);
  o->set("parameters",
         Poco::JSON::Parser().parse(t.parameters_json.empty() ? "[]" : t.parameters_json));
  o->set("security", Poco::JSON::Parser().parse(t.security_json.empty() ? "[]" : t.security_json));
  if (t.connection_id.empty()) {
    o->set("connection", Poco::Dynamic::Var());
  } else {
    o->set("connection", t.connection_id);
  }
  o->set("source", t.source);
  o->set("created_at", t.created_at);
  o->set("updated_at", t.updated_at);
  if (view.match) {
    Object::Ptr m = new Object;
    m->set("satisfied", view.match->satisfied);
    m->set("explanation", view.match->explanation);
    o->set("match", m);
  }
  return o;
}

HttpResponse ToolsResponse(const std::vector<ToolView>& views, int status) {
  Array::Ptr list = new Array;
  for (const auto& v : views) list->add(ToolJson(v));
  Object::Ptr out = new Object;
  out->set("tools", list);
  return HttpResponse::Json(status, out);
}

HttpResponse ToolResponse(const StatusOr<ToolView>& view) {
  if (!view.ok()) return HttpResponse::Error(view.status());
  Object::Ptr out = new Object;
  out->set("tool", ToolJson(*view));
  return HttpResponse::Json(200, out);
}

HttpResponse Import(const ApiServices& services, HttpRequest& request) {
  StatusOr<Object::Ptr> body = ParseObject(request);
  if (!body.ok()) return HttpResponse::Error(body.status());
  if (Status s = RejectUnknownFields(**body, {"file_name", "document", "connection", "replace"});
      !s.ok()) {
    return HttpResponse::Error(s);
  }
  StatusOr<std::string> file_name = RequireString(**body, "file_name");
  if (!file_name.ok()) return HttpResponse::Error(file_name.status());
  StatusOr<std::string> document = RequireString(**body, "document");
  if (!document.ok()) return HttpResponse::Error(document.status());
  StatusOr<std::optional<std::string>> connection = GetString(**body, "connection");
  if (!connection.ok()) return HttpResponse::Error(connection.status());
  StatusOr<std::optional<bool>> replace = GetBool(**body, "replace");
  if (!replace.ok()) return HttpResponse::Error(replace.status());
  StatusOr<std::vector<ToolView>> tools = services.tools.Import(
      *file_name, *document, connection->value_or(""), replace->value_or(false));
  if (!tools.ok()) return HttpResponse::Error(tools.status());
  return ToolsResponse(*tools, 201);
}

HttpResponse Bind(const ApiServices& services, HttpRequest& request) {
  StatusOr<Object::Ptr> body = ParseObject(request);
  if (!body.ok()) return HttpResponse::Error(body.status());
  if (Status s = RejectUnknownFields(**body, {"connection"}); !s.ok()) {
    return HttpResponse::Error(s);
  }
  if (!(*body)->has("connection")) {
    return HttpResponse::Error(
        Status::InvalidArgument("connection: required (a connection id, or null to unbind)"));
  }
  StatusOr<std::optional<std::string>> connection = GetString(**body, "connection");
  if (!connection.ok()) return HttpResponse::Error(connection.status());
  return ToolResponse(services.tools.Bind(request.Param("name"), connection->value_or("")));
}

}  // namespace

void AddToolRoutes(http::Router& router, const ApiServices& services) {
  const auth::Authenticator& auth = services.authenticator;
  router.Add("GET", "/v1/tools",
             auth.Require(Role::kMember, [&services](HttpRequest&, const User&) {
               StatusOr<std::vector<ToolView>> tools = services.tools.List();
               if (!tools.ok()) return HttpResponse::Error(tools.status());
               return ToolsResponse(*tools, 200);
             }));
  router.Add("POST", "/v1/tools/import",
             auth.Require(Role::kOperator, [&services](HttpRequest& r, const User&) {
               return Import(services, r);
             }));
  router.Add("GET", "/v1/tools/{name}",
             auth.Require(Role::kMember, [&services](HttpRequest& r, const User&) {
               return ToolResponse(services.tools.Get(r.Param("name")));
             }));
  router.Add("PUT", "/v1/tools/{name}/connection",
             auth.Require(Role::kOperator,
                          [&services](HttpRequest& r, const User&) { return Bind(services, r); }));
  router.Add("DELETE", "/v1/tools/{name}",
             auth.Require(Role::kOperator, [&services](HttpRequest& r, const User&) {
               Status s = services.tools.Remove(r.Param("name"));
               if (!s.ok()) return HttpResponse::Error(s);
               Object::Ptr out = new Object;
               out->set("removed", r.Param("name"));
               return HttpResponse::Json(200, out);
             }));
}

void AddAdminRoutes(http::Router& router, const ApiServices& services) {
  router.Add("POST", "/v1/admin/rotate-key",
             services.authenticator.Require(Role::kAdmin, [&services](HttpRequest&, const User&) {
               StatusOr<RotationResult> rotated = services.vault.Rotate();
               if (!rotated.ok()) return HttpResponse::Error(rotated.status());
               Object::Ptr out = new Object;
               out->set("key_id", rotated->key_id);
               out->set("reencrypted", rotated->reencrypted);
               return HttpResponse::Json(200, out);
             }));
}

}  // namespace herald::api
