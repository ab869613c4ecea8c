#include "api/connections_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "api/json_body.h"

namespace herald::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using Poco::JSON::Array;
using Poco::JSON::Object;

StatusOr<Environment> EnvParam(const std::string& value, std::string_view field) {
  std::optional<Environment> env = ParseEnvironment(value);
  if (!env) return Status::InvalidArgument(std::string(field) + ": must be draft or live");
  return *env;
}

// Reads an EnvConfig JSON object into a patch; `prefix` names its place.
StatusOr<EnvironmentPatch> ReadPatch(const Object& o, const std::string& prefix) {
  HERALD_RETURN_IF_ERROR(RejectUnknownFields(
      o, {"server_url", "auth_type", "credential_type", "sso", "probe", "sso_provider"}, prefix));
  EnvironmentPatch patch;
  StatusOr<std::optional<std::string>> server = GetString(o, "server_url", prefix);
  if (!server.ok()) return server.status();
  patch.server_url = *server;
  StatusOr<std::optional<std::string>> auth = GetString(o, "auth_type", prefix);
  if (!auth.ok()) return auth.status();
  patch.auth_type = *auth;
  StatusOr<std::optional<std::string>> type = GetString(o, "credential_type", prefix);
  if (!type.ok()) return type.status();
  if (*type) {
    patch.credential_type = ParseCredentialType(**type);
    if (!patch.credential_type) {
      return Status::InvalidArgument(prefix + "credential_type: must be team or member");
    }
  }
  StatusOr<std::optional<bool>> sso = GetBool(o, "sso", prefix);
  if (!sso.ok()) return sso.status();
  patch.sso = *sso;
  StatusOr<Object::Ptr> probe = GetObject(o, "probe", prefix);
  if (!probe.ok()) return probe.status();
  if (!probe->isNull()) {
    const std::string p = prefix + "probe.";
    HERALD_RETURN_IF_ERROR(RejectUnknownFields(**probe, {"method", "path", "timeout_ms"}, p));
    StatusOr<std::optional<std::string>> method = GetString(**probe, "method", p);
    if (!method.ok()) return method.status();
    if (*method) patch.probe_method = Poco::toUpper(**method);
    StatusOr<std::optional<std::string>> path = GetString(**probe, "path", p);
    if (!path.ok()) return path.status();
    patch.probe_path = *path;
    StatusOr<std::optional<int64_t>> timeout = GetInt(**probe, "timeout_ms", p);
    if (!timeout.ok()) return timeout.status();
    if (*timeout) patch.probe_timeout_ms = static_cast<int>(**timeout);
  }
  StatusOr<Object::Ptr> provider = GetObject(o, "sso_provider", prefix);
  if (!provider.ok()) return provider.status();
  if (!provider->isNull()) {
    const std::string p = prefix + "sso_provider.";
    // Per connection only what is not secret; an HS256 secret is global.
    HERALD_RETURN_IF_ERROR(RejectUnknownFields(
        **provider, {"issuer", "audience", "rs256_public_key_pem", "leeway_seconds"}, p));
    std::ostringstream text;
    Poco::JSON::Stringifier::condense(*provider, text);
    patch.sso_config_json = text.str();
  }
  return patch;
}

Object::Ptr StatusJson(const ConnectionStatus& s) {
  Object::Ptr o = new Object;
  o->set("status", s.status);
  o->set("detail", s.detail);
  o->set("http_status", s.http_status);
  o->set("tested_at", s.tested_at);
  return o;
}

Object::Ptr FieldsJson(const std::vector<CredentialFieldView>& fields) {
  Array::Ptr list = new Array;
  for (const auto& f : fields) {
    Object::Ptr o = new Object;
    o->set("name", f.name);
    o->set("set", f.set);
    o->set("secret", f.secret);
    o->set("updated_at", f.updated_at);
    if (f.value) o->set("value", *f.value);
    list->add(o);
  }
  Object::Ptr out = new Object;
  out->set("fields", list);
  return out;
}

StatusOr<Object::Ptr> EnvJson(const ApiServices& services, const Connection& c, Environment env,
                              const User& viewer) {
  const auto& config = c.config(env);
  if (!config) return Object::Ptr();
  Object::Ptr o = new Object;
  o->set("server_url", config->server_url);
  o->set("auth_type", config->auth_type);
  o->set("credential_type", std::string(CredentialTypeName(config->credential_type)));
  o->set("sso", config->sso);
  Object::Ptr probe = new Object;
  probe->set("method", config->probe_method);
  probe->set("path", config->probe_path);
  probe->set("timeout_ms", config->probe_timeout_ms);
  o->set("probe", probe);
  if (!config->sso_config_json.empty()) {
    o->set("sso_provider", Poco::JSON::Parser().parse(config->sso_config_json));
  }
  o->set("status", StatusJson(c.status(env)));
  Object::Ptr credentials = new Object;
  if (config->credential_type == CredentialType::kTeam) {
    StatusOr<std::vector<CredentialFieldView>> team =
        services.connections.DescribeCredentials(c.id, env, CredentialOwner::Team());
    if (!team.ok()) return team.status();
    credentials->set("team", FieldsJson(*team));
  } else {
    StatusOr<std::vector<CredentialFieldView>> mine =
        services.connections.DescribeCredentials(c.id, env, CredentialOwner::Member(viewer.id));
    if (!mine.ok()) return mine.status();
    credentials->set("mine", FieldsJson(*mine));
    StatusOr<int> members = services.connections.MembersConfigured(c.id, env);
    if (!members.ok()) return members.status();
    credentials->set("members_configured", *members);
  }
  o->set("credentials", credentials);
  return o;
}

HttpResponse ConnectionResponse(const ApiServices& services, const std::string& id,
                                const User& viewer, int status = 200,
                                std::optional<bool> credentials_deleted = std::nullopt) {
  StatusOr<ConnectionRow> row = services.connections.Row(id);
  if (!row.ok()) return HttpResponse::Error(row.status());
  const Connection& c = row->connection;
  Object::Ptr o = new Object;
  o->set("id", c.id);
  o->set("display_name", c.display_name);
  o->set("created_at", c.created_at);
  o->set("updated_at", c.updated_at);
  Array::Ptr tools = new Array;
  for (const auto& t : row->tools) tools->add(t);
  o->set("tools", tools);
  o->set("live_complete", row->live_complete);
  for (Environment env : {Environment::kDraft, Environment::kLive}) {
    StatusOr<Object::Ptr> e = EnvJson(services, c, env, viewer);
    if (!e.ok()) return HttpResponse::Error(e.status());
    if (e->isNull()) {
      o->set(std::string(EnvironmentName(env)), Poco::Dynamic::Var());
    } else {
      o->set(std::string(EnvironmentName(env)), *e);
    }
  }
  Object::Ptr out = new Object;
  out->set("connection", o);
  if (credentials_deleted) out->set("credentials_deleted", *credentials_deleted);
  return HttpResponse::Json(status, out);
}

HttpResponse Create(const ApiServices& services, HttpRequest& request, const User& actor) {
  StatusOr<Object::Ptr> body = ParseObject(request);
  if (!body.ok()) return HttpResponse::Error(body.status());
  HERALD_RETURN_IF_ERROR_RESPONSE(
      RejectUnknownFields(**body, {"id", "display_name", "draft", "live"}));
  StatusOr<std::string> id = RequireString(**body, "id");
  if (!id.ok()) return HttpResponse::Error(id.status());
  StatusOr<std::string> name = RequireString(**body, "display_name");
  if (!name.ok()) return HttpResponse::Error(name.status());
  std::optional<EnvironmentPatch> envs[2];
  const char* keys[2] = {"draft", "live"};
  for (int i = 0; i < 2; ++i) {
    StatusOr<Object::Ptr> env = GetObject(**body, keys[i]);
    if (!env.ok()) return HttpResponse::Error(env.status());
    if (env->isNull()) continue;
    StatusOr<EnvironmentPatch> patch = ReadPatch(**env, std::string(keys[i]) + ".");
    if (!patch.ok()) return HttpResponse::Error(patch.status());
    envs[i] = *patch;
  }
  StatusOr<Connection> created = services.connections.Create(*id, *name, envs[0], envs[1]);
  if (!created.ok()) return HttpResponse::Error(created.status());
  return ConnectionResponse(services, *id, actor, 201);
}

HttpResponse Table(const ApiServices& services) {
  StatusOr<std::vector<ConnectionRow>> rows = services.connections.Table();
  if (!rows.ok()) return HttpResponse::Error(rows.status());
  Array::Ptr list = new Array;
  for (const auto& row : *rows) {
    const Connection& c = row.connection;
    Object::Ptr o = new Object;
    o->set("id", c.id);
    o->set("display_name", c.display_name);
    const auto& shown = c.live ? c.live : c.draft;
    o->set("server", shown ? shown->server_url : std::string());
    Array::Ptr tools = new Array;
    for (const auto& t : row.tools) tools->add(t);
    o->set("associated_tools", tools);
    o->set("live", row.live_complete);
    o->set("live_reason", row.live_reason);
    o->set("status", c.live ? c.live_status.status : std::string("not_configured"));
    o->set("status_detail", c.live ? c.live_status.detail : std::string());
    o->set("tested_at", c.live ? c.live_status.tested_at : std::string());
    list->add(o);
  }
  Object::Ptr out = new Object;
  out->set("connections", list);
  return HttpResponse::Json(200, out);
}

HttpResponse Configure(const ApiServices& services, HttpRequest& request, const User& actor) {
  StatusOr<Environment> env = EnvParam(request.Param("env"), "environment");
  if (!env.ok()) return HttpResponse::Error(env.status());
  StatusOr<Object::Ptr> body = ParseObject(request);
  if (!body.ok()) return HttpResponse::Error(body.status());
  StatusOr<EnvironmentPatch> patch = ReadPatch(**body, "");
  if (!patch.ok()) return HttpResponse::Error(patch.status());
  bool deleted = false;
  StatusOr<Connection> c =
      services.connections.Configure(request.Param("id"), *env, *patch, &deleted);
  if (!c.ok()) return HttpResponse::Error(c.status());
  return ConnectionResponse(services, c->id, actor, 200, deleted);
}

HttpResponse Rename(const ApiServices& services, HttpRequest& request, const User& actor) {
  StatusOr<Object::Ptr> body = ParseObject(request);
  if (!body.ok()) return HttpResponse::Error(body.status());
  HERALD_RETURN_IF_ERROR_RESPONSE(RejectUnknownFields(**body, {"display_name"}));
  StatusOr<std::string> name = RequireString(**body, "display_name");
  if (!name.ok()) return HttpResponse::Error(name.status());
  StatusOr<Connection> c = services.connections.Rename(request.Param("id"), *name);
  if (!c.ok()) return HttpResponse::Error(c.status());
  return ConnectionResponse(services, c->id, actor);
}

// Which owner a credentials call acts on: "team" needs an operator, "me" is
// the caller. No call reaches another member's credentials.
StatusOr<CredentialOwner> OwnerParam(const std::string& who, const User& actor) {
  if (who == "team") {
    if (!actor.Has(Role::kOperator)) {
      return Status::PermissionDenied("team credentials need the operator role");
    }
    return CredentialOwner::Team();
  }
  if (who == "me") return CredentialOwner::Member(actor.id);
  return Status::NotFound("credentials owner must be 'team' or 'me'");
}

HttpResponse PutCredentials(const ApiServices& services, HttpRequest& request, const User& actor) {
  StatusOr<Environment> env = EnvParam(request.Param("env"), "environment");
  if (!env.ok()) return HttpResponse::Error(env.status());
  StatusOr<CredentialOwner> owner = OwnerParam(request.Param("owner"), actor);
  if (!owner.ok()) return HttpResponse::Error(owner.status());
  StatusOr<Object::Ptr> body = ParseObject(request);
  if (!body.ok()) return HttpResponse::Error(body.status());
  HERALD_RETURN_IF_ERROR_RESPONSE(RejectUnknownFields(**body, {"fields"}));
  StatusOr<Object::Ptr> fields = GetObject(**body, "fields");
  if (!fields.ok()) return HttpResponse::Error(fields.status());
  if (fields->isNull()) return HttpResponse::Error(Status::InvalidArgument("fields: required"));
  std::map<std::string, std::string> values;
  for (const auto& [name, value] : **fields) {
    if (!value.isString()) {
      return HttpResponse::Error(Status::InvalidArgument("fields." + name + ": expected a string"));
    }
    values[name] = value.extract<std::string>();
  }
  StatusOr<std::vector<CredentialFieldView>> described =
      services.connections.SetCredentials(request.Param("id"), *env, *owner, values);
  if (!described.ok()) return HttpResponse::Error(described.status());
  Object::Ptr out = new Object;
  out->set("credentials", FieldsJson(*described));
  return HttpResponse::Json(200, out);
}

HttpResponse GetCredentials(const ApiServices& services, HttpRequest& request, const User& actor) {
  StatusOr<Environment> env = EnvParam(request.Param("env"), "environment");
  if (!env.ok()) return HttpResponse::Error(env.status());
  StatusOr<CredentialOwner> owner = OwnerParam(request.Param("owner"), actor);
  if (!owner.ok()) return HttpResponse::Error(owner.status());
  StatusOr<std::vector<CredentialFieldView>> described =
      services.connections.DescribeCredentials(request.Param("id"), *env, *owner);
  if (!described.ok()) return HttpResponse::Error(described.status());
  Object::Ptr out = new Object;
  out->set("credentials", FieldsJson(*described));
  return HttpResponse::Json(200, out);
}

HttpResponse DeleteCredentials(const ApiServices& services, HttpRequest& request,
                               const User& actor) {
  StatusOr<Environment> env = EnvParam(request.Param("env"), "environment");
  if (!env.ok()) return HttpResponse::Error(env.status());
  StatusOr<CredentialOwner> owner = OwnerParam(request.Param("owner"), actor);
  if (!owner.ok()) return HttpResponse::Error(owner.status());
  StatusOr<int> deleted = services.connections.ClearCredentials(request.Param("id"), *env, *owner);
  if (!deleted.ok()) return HttpResponse::Error(deleted.status());
  Object::Ptr out = new Object;
  out->set("deleted", *deleted);
  return HttpResponse::Json(200, out);
}

HttpResponse Test(const ApiServices& services, HttpRequest& request, const User& actor) {
  StatusOr<Object::Ptr> body = ParseObject(request);
  if (!body.ok()) return HttpResponse::Error(body.status());
  HERALD_RETURN_IF_ERROR_RESPONSE(RejectUnknownFields(**body, {"environment", "as", "sso_token"}));
  StatusOr<std::string> env_name = RequireString(**body, "environment");
  if (!env_name.ok()) return HttpResponse::Error(env_name.status());
  StatusOr<Environment> env = EnvParam(*env_name, "environment");
  if (!env.ok()) return HttpResponse::Error(env.status());
  StatusOr<std::optional<std::string>> as = GetString(**body, "as");
  if (!as.ok()) return HttpResponse::Error(as.status());
  StatusOr<std::optional<std::string>> sso_token = GetString(**body, "sso_token");
  if (!sso_token.ok()) return HttpResponse::Error(sso_token.status());

  const std::string& id = request.Param("id");
  StatusOr<Connection> c = services.connections.Get(id);
  if (!c.ok()) return HttpResponse::Error(c.status());
  const auto& config = c->config(*env);
  if (!config) {
    return HttpResponse::Error(Status::FailedPrecondition("connection '" + id + "' has no " +
                                                          *env_name + " configuration"));
  }
  CredentialOwner owner = CredentialOwner::Team();
  std::string label = "team credentials";
  if (config->credential_type == CredentialType::kTeam) {
    if (!actor.Has(Role::kOperator)) {
      return HttpResponse::Error(
          Status::PermissionDenied("testing with team credentials needs the operator role"));
    }
  } else if (config->sso) {
    if (!*sso_token) {
      return HttpResponse::Error(Status::InvalidArgument(
          "sso_token: required: this environment takes the member's identity from SSO"));
    }
    StatusOr<User> member = services.connections.ResolveSsoMember(*c, *env, **sso_token);
    if (!member.ok()) return HttpResponse::Error(member.status());
    if (member->id != actor.id && !actor.Has(Role::kOperator)) {
      return HttpResponse::Error(
          Status::PermissionDenied("the SSO identity is '" + member->name + "', not you"));
    }
    owner = CredentialOwner::Member(member->id);
    label = "member credentials of '" + member->name + "' (SSO)";
  } else if (*as && **as != actor.name) {
    if (!actor.Has(Role::kAdmin)) {
      return HttpResponse::Error(Status::PermissionDenied(
          "testing as another user needs the admin role; members' credentials are their own"));
    }
    StatusOr<User> member = services.store.users().FindUserByName(**as);
    if (!member.ok()) return HttpResponse::Error(member.status().WithContext("as"));
    owner = CredentialOwner::Member(member->id);
    label = "member credentials of '" + member->name + "'";
  } else {
    owner = CredentialOwner::Member(actor.id);
    label = "member credentials of '" + actor.name + "'";
  }
  StatusOr<ConnectionStatus> status = services.connections.Test(id, *env, owner, label);
  if (!status.ok()) return HttpResponse::Error(status.status());
  Object::Ptr out = new Object;
  out->set("environment", *env_name);
  out->set("status", StatusJson(*status));
  return HttpResponse::Json(200, out);
}

}  // namespace

void AddConnectionRoutes(http::Router& router, const ApiServices& services) {
  const auth::Authenticator& auth = services.authenticator;
  auto member = [&](auto fn) {
    return auth.Require(Role::kMember, [&services, fn](HttpRequest& r, const User& u) {
      return fn(services, r, u);
    });
  };
  auto operator_ = [&](auto fn) {
    return auth.Require(Role::kOperator, [&services, fn](HttpRequest& r, const User& u) {
      return fn(services, r, u);
    });
  };
  router.Add("GET", "/v1/connections",
             member([](const ApiServices& s, HttpRequest&, const User&) { return Table(s); }));
  router.Add("POST", "/v1/connections", operator_(Create));
  router.Add("GET", "/v1/connections/{id}",
             member([](const ApiServices& s, HttpRequest& r, const User& u) {
               return ConnectionResponse(s, r.Param("id"), u);
             }));
  router.Add("PATCH", "/v1/connections/{id}", operator_(Rename));
  router.Add("DELETE", "/v1/connections/{id}",
             operator_([](const ApiServices& s, HttpRequest& r, const User&) {
               Status removed = s.connections.Remove(r.Param("id"));
               if (!removed.ok()) return HttpResponse::Error(removed);
               Object::Ptr out = new Object;
               out->set("removed", r.Param("id"));
               return HttpResponse::Json(200, out);
             }));
  router.Add("PUT", "/v1/connections/{id}/environments/{env}", operator_(Configure));
  router.Add("POST", "/v1/connections/{id}/copy-to-live",
             operator_([](const ApiServices& s, HttpRequest& r, const User& u) {
               bool deleted = false;
               StatusOr<Connection> c = s.connections.CopyDraftToLive(r.Param("id"), &deleted);
               if (!c.ok()) return HttpResponse::Error(c.status());
               return ConnectionResponse(s, c->id, u, 200, deleted);
             }));
  router.Add("PUT", "/v1/connections/{id}/environments/{env}/credentials/{owner}",
             member(PutCredentials));
  router.Add("GET", "/v1/connections/{id}/environments/{env}/credentials/{owner}",
             member(GetCredentials));
  router.Add("DELETE", "/v1/connections/{id}/environments/{env}/credentials/{owner}",
             member(DeleteCredentials));
  router.Add("POST", "/v1/connections/{id}/test", member(Test));
}

}  // namespace herald::api
