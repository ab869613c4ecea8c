#include "api/agents_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/String.h>

#include <charconv>
#include <sstream>

#include "agent_yaml.h"
#include "api/json_body.h"
#include "herald/core/agent_json.h"
#include "herald/core/agent_service.h"
#include "herald/core/secret_settings.h"

namespace herald::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string ETag(int64_t revision) { return "\"" + std::to_string(revision) + "\""; }

HttpResponse WithETag(HttpResponse response, int64_t revision) {
  response.headers.emplace_back("ETag", ETag(revision));
  return response;
}

// An error; a conflict also carries the draft's current revision (in the
// error object and as the ETag).
HttpResponse ErrorResponse(const Status& status, int64_t current_revision = 0) {
  if (status.code() != StatusCode::kConflict || current_revision <= 0) {
    return HttpResponse::Error(status);
  }
  Object::Ptr error = new Object;
  error->set("code", std::string(StatusCodeName(status.code())));
  error->set("message", status.message());
  error->set("current_revision", current_revision);
  Object::Ptr body = new Object;
  body->set("error", error);
  return WithETag(HttpResponse::Json(409, body), current_revision);
}

// If-Match: `7`, `"7"` or `W/"7"`; `*` or no header: any revision.
StatusOr<std::optional<int64_t>> IfMatch(const HttpRequest& request) {
  std::optional<std::string> header = request.Header("if-match");
  if (!header) return std::optional<int64_t>();
  std::string v = Poco::trim(*header);
  if (v == "*") return std::optional<int64_t>();
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int64_t revision = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), revision);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || revision < 0) {
    return Status::InvalidArgument(
        "If-Match: expected the draft revision the change is based on, e.g. \"7\"");
  }
  return std::optional<int64_t>(revision);
}

Poco::Dynamic::Var Nullable(const std::optional<int64_t>& v) {
  return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var();
}

Object::Ptr AgentJson(const AgentDraft& d) {
  Object::Ptr o = AgentConfigJson(d);
  MaskChannelSettings(*o);
  o->set("revision", d.revision);
  o->set("live_version", Nullable(d.live_version));
  o->set("created_at", d.created_at);
  o->set("updated_at", d.updated_at);
  o->set("updated_by", d.updated_by);
  return o;
}

HttpResponse AgentResponse(const StatusOr<AgentDraft>& draft, const DraftWrite& write,
                           int status = 200) {
  if (!draft.ok()) return ErrorResponse(draft.status(), write.revision);
  Object::Ptr out = new Object;
  out->set("agent", AgentJson(*draft));
  return WithETag(HttpResponse::Json(status, out), draft->revision);
}

// ------------------------------------------------------------ body readers

StatusOr<std::optional<double>> GetNumber(const Object& o, const std::string& key,
                                          std::string_view prefix) {
  if (!o.has(key) || o.isNull(key)) return std::optional<double>();
  Poco::Dynamic::Var v = o.get(key);
  if (v.isString() || !v.isNumeric()) {
    return Status::InvalidArgument(std::string(prefix) + key + ": expected a number");
  }
  return std::optional<double>(v.convert<double>());
}

Status ReadString(const Object& o, const std::string& key, std::string_view prefix,
                  std::optional<std::string>* out) {
  StatusOr<std::optional<std::string>> v = GetString(o, key, prefix);
  if (!v.ok()) return v.status();
  *out = *v;
  return Status::Ok();
}

// The agent's own fields of a create or PATCH body (`extra`: other allowed
// top-level keys).
StatusOr<AgentFieldsPatch> ReadFields(const Object& body, bool with_id) {
  if (with_id) {
    HERALD_RETURN_IF_ERROR(RejectUnknownFields(
        body, {"id", "name", "description", "model", "voice", "instructions", "behaviour"}));
  } else {
    HERALD_RETURN_IF_ERROR(RejectUnknownFields(
        body, {"name", "description", "model", "voice", "instructions", "behaviour"}));
  }
  AgentFieldsPatch f;
  HERALD_RETURN_IF_ERROR(ReadString(body, "name", "", &f.name));
  HERALD_RETURN_IF_ERROR(ReadString(body, "description", "", &f.description));
  HERALD_RETURN_IF_ERROR(ReadString(body, "model", "", &f.model));
  HERALD_RETURN_IF_ERROR(ReadString(body, "instructions", "", &f.instructions));
  StatusOr<Object::Ptr> voice = GetObject(body, "voice");
  if (!voice.ok()) return voice.status();
  if (!voice->isNull()) {
    const Object& v = **voice;
    HERALD_RETURN_IF_ERROR(
        RejectUnknownFields(v, {"voice", "language", "speaking_rate"}, "voice."));
    HERALD_RETURN_IF_ERROR(ReadString(v, "voice", "voice.", &f.voice));
    HERALD_RETURN_IF_ERROR(ReadString(v, "language", "voice.", &f.language));
    StatusOr<std::optional<double>> rate = GetNumber(v, "speaking_rate", "voice.");
    if (!rate.ok()) return rate.status();
    f.speaking_rate = *rate;
  }
  StatusOr<Object::Ptr> behaviour = GetObject(body, "behaviour");
  if (!behaviour.ok()) return behaviour.status();
  if (!behaviour->isNull()) {
    const Object& b = **behaviour;
    HERALD_RETURN_IF_ERROR(
        RejectUnknownFields(b, {"guidelines", "welcome_message", "starter_prompts"}, "behaviour."));
    HERALD_RETURN_IF_ERROR(ReadString(b, "guidelines", "behaviour.", &f.guidelines));
    HERALD_RETURN_IF_ERROR(ReadString(b, "welcome_message", "behaviour.", &f.welcome_message));
    if (b.has("starter_prompts") && !b.isNull("starter_prompts")) {
      Array::Ptr list = b.getArray("starter_prompts");
      if (list.isNull()) {
        return Status::InvalidArgument("behaviour.starter_prompts: expected a list of strings");
      }
      std::vector<std::string> prompts;
      for (size_t i = 0; i < list->size(); ++i) {
        Poco::Dynamic::Var p = list->get(static_cast<unsigned>(i));
        if (!p.isString()) {
          return Status::InvalidArgument("behaviour.starter_prompts[" + std::to_string(i) +
                                         "]: expected a string");
        }
        prompts.push_back(p.extract<std::string>());
      }
      f.starter_prompts = std::move(prompts);
    }
  }
  return f;
}

// A body that must be empty or `{}`.
Status NoBody(const HttpRequest& request) {
  StatusOr<Object::Ptr> body = ParseObject(request);
  if (!body.ok()) return body.status();
  return RejectUnknownFields(**body, {});
}

// ---------------------------------------------------------------- handlers

// Runs `fn` with a DraftWrite of `user` and the request's If-Match, after
// checking the agent id in the path.
template <typename Fn>
HttpResponse Write(HttpRequest& request, const User& user, Fn fn) {
  HERALD_RETURN_IF_ERROR_RESPONSE(CheckSlug(request.Param("id"), "id"));
  StatusOr<std::optional<int64_t>> if_match = IfMatch(request);
  if (!if_match.ok()) return HttpResponse::Error(if_match.status());
  DraftWrite write{user, *if_match};
  return fn(write);
}

HttpResponse Create(const ApiServices& services, HttpRequest& request, const User& user) {
  StatusOr<Object::Ptr> body = ParseObject(request);
  if (!body.ok()) return HttpResponse::Error(body.status());
  StatusOr<AgentFieldsPatch> fields = ReadFields(**body, true);
  if (!fields.ok()) return HttpResponse::Error(fields.status());
  StatusOr<std::string> id = RequireString(**body, "id");
  if (!id.ok()) return HttpResponse::Error(id.status());
  if (Status s = CheckSlug(*id, "id"); !s.ok()) return HttpResponse::Error(s);
  StatusOr<AgentDraft> draft = services.agents.Create(*id, *fields, user);
  DraftWrite write{user, std::nullopt};
  return AgentResponse(draft, write, 201);
}

HttpResponse List(const ApiServices& services, const User& user) {
  StatusOr<std::vector<AgentDraft>> agents = services.agents.List(user);
  if (!agents.ok()) return HttpResponse::Error(agents.status());
  Array::Ptr list = new Array;
  for (const auto& d : *agents) {
    Object::Ptr o = new Object;
    o->set("id", d.id);
    o->set("name", d.name);
    o->set("description", d.description);
    o->set("model", d.model);
    o->set("revision", d.revision);
    o->set("live_version", Nullable(d.live_version));
    o->set("updated_at", d.updated_at);
    o->set("updated_by", d.updated_by);
    const Collaborator* mine = d.FindCollaborator(user.name);
    o->set("role", mine != nullptr
                       ? Poco::Dynamic::Var(std::string(CollaboratorRoleName(mine->role)))
                       : Poco::Dynamic::Var());
    list->add(o);
  }
  Object::Ptr out = new Object;
  out->set("agents", list);
  return HttpResponse::Json(200, out);
}

bool IsYamlContentType(const HttpRequest& request) {
  std::string type = Poco::toLower(request.Header("content-type").value_or(""));
  type = Poco::trim(type.substr(0, type.find(';')));
  return type == "application/yaml" || type == "text/yaml" || type == "application/x-yaml" ||
         type == "text/x-yaml";
}

HttpResponse Apply(const ApiServices& services, HttpRequest& request, const User& user) {
  if (!IsYamlContentType(request)) {
    return HttpResponse::Error(Status::InvalidArgument(
        "Content-Type: send the agent as YAML (application/yaml or text/yaml)"));
  }
  StatusOr<std::optional<int64_t>> if_match = IfMatch(request);
  if (!if_match.ok()) return HttpResponse::Error(if_match.status());
  const PluginRegistry& plugins = services.plugins;
  StatusOr<AgentDocument> doc = ParseAgentYaml(
      request.body,
      [&plugins](const std::string& name) -> std::optional<std::vector<sdk::SettingSpec>> {
        const LoadedPlugin* plugin = plugins.Find(name, PluginKind::kChannel);
        if (plugin == nullptr) return std::nullopt;
        return sdk::SettingSpecs(plugin->channel().vtable());
      });
  if (!doc.ok()) return HttpResponse::Error(doc.status());
  DraftWrite write{user, *if_match};
  StatusOr<ApplyResult> applied = services.agents.Apply(*doc, write);
  if (!applied.ok()) return ErrorResponse(applied.status(), write.revision);
  Object::Ptr out = new Object;
  out->set("agent", AgentJson(applied->agent));
  out->set("created", applied->created);
  out->set("changed", applied->changed);
  return WithETag(HttpResponse::Json(applied->created ? 201 : 200, out), applied->agent.revision);
}

HttpResponse Export(const ApiServices& services, HttpRequest& request, const User& user) {
  std::vector<std::pair<KnowledgeFile, std::string>> files;
  StatusOr<AgentDraft> draft = services.agents.ReadForExport(request.Param("id"), user, &files);
  if (!draft.ok()) return HttpResponse::Error(draft.status());
  HttpResponse r;
  r.status = 200;
  r.content_type = "application/yaml";
  r.body = EmitAgentYaml(*draft, files);
  return WithETag(std::move(r), draft->revision);
}

HttpResponse History(const ApiServices& services, HttpRequest& request, const User& user) {
  int64_t revision = 0;
  StatusOr<std::vector<DraftChange>> changes =
      services.agents.History(request.Param("id"), user, &revision);
  if (!changes.ok()) return HttpResponse::Error(changes.status());
  Array::Ptr list = new Array;
  for (const auto& c : *changes) {
    Object::Ptr o = new Object;
    o->set("revision", c.revision);
    o->set("user", c.user);
    o->set("at", c.at);
    o->set("summary", c.summary);
    list->add(o);
  }
  Object::Ptr out = new Object;
  out->set("revision", revision);
  out->set("history", list);
  return WithETag(HttpResponse::Json(200, out), revision);
}

HttpResponse ListKnowledge(const ApiServices& services, HttpRequest& request, const User& user) {
  StatusOr<AgentDraft> draft = services.agents.Get(request.Param("id"), user);
  if (!draft.ok()) return HttpResponse::Error(draft.status());
  Array::Ptr list = new Array;
  for (const auto& k : draft->knowledge) list->add(KnowledgeFileJson(k));
  Object::Ptr out = new Object;
  out->set("revision", draft->revision);
  out->set("knowledge", list);
  return WithETag(HttpResponse::Json(200, out), draft->revision);
}

std::string PercentEncode(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

HttpResponse Download(const ApiServices& services, HttpRequest& request, const User& user) {
  int64_t revision = 0;
  StatusOr<std::pair<KnowledgeFile, std::string>> file =
      services.agents.ReadKnowledge(request.Param("id"), request.Param("name"), user, &revision);
  if (!file.ok()) return HttpResponse::Error(file.status());
  HttpResponse r;
  r.status = 200;
  r.content_type = file->first.content_type;
  r.body = std::move(file->second);
  r.headers.emplace_back("X-Content-SHA256", file->first.sha256);
  // Stored bytes of any type: a download, never something to render or sniff.
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename*=UTF-8''" + PercentEncode(file->first.name));
  return WithETag(std::move(r), revision);
}

HttpResponse Upload(const ApiServices& services, HttpRequest& request, const User& user) {
  return Write(request, user, [&](DraftWrite& write) {
    KnowledgeUpload file;
    file.name = request.Param("name");
    file.content_type = Poco::trim(request.Header("content-type").value_or(""));
    file.bytes = std::move(request.body);
    return AgentResponse(services.agents.PutKnowledge(request.Param("id"), file, write), write);
  });
}

HttpResponse PutCollaborator(const ApiServices& services, HttpRequest& request, const User& user) {
  return Write(request, user, [&](DraftWrite& write) {
    HERALD_RETURN_IF_ERROR_RESPONSE(CheckSlug(request.Param("user"), "user"));
    StatusOr<Object::Ptr> body = ParseObject(request);
    if (!body.ok()) return HttpResponse::Error(body.status());
    HERALD_RETURN_IF_ERROR_RESPONSE(RejectUnknownFields(**body, {"role"}));
    StatusOr<std::string> role_name = RequireString(**body, "role");
    if (!role_name.ok()) return HttpResponse::Error(role_name.status());
    std::optional<CollaboratorRole> role = ParseCollaboratorRole(*role_name);
    if (!role) {
      return HttpResponse::Error(Status::InvalidArgument("role: must be owner, editor or viewer"));
    }
    return AgentResponse(
        services.agents.PutCollaborator(request.Param("id"),
                                        Collaborator{request.Param("user"), *role}, write),
        write);
  });
}

HttpResponse PutChannel(const ApiServices& services, HttpRequest& request, const User& user) {
  return Write(request, user, [&](DraftWrite& write) {
    HERALD_RETURN_IF_ERROR_RESPONSE(CheckSlug(request.Param("name"), "name"));
    StatusOr<Object::Ptr> body = ParseObject(request);
    if (!body.ok()) return HttpResponse::Error(body.status());
    HERALD_RETURN_IF_ERROR_RESPONSE(RejectUnknownFields(**body, {"plugin", "settings"}));
    StatusOr<std::string> plugin = RequireString(**body, "plugin");
    if (!plugin.ok()) return HttpResponse::Error(plugin.status());
    StatusOr<Object::Ptr> settings = GetObject(**body, "settings");
    if (!settings.ok()) return HttpResponse::Error(settings.status());
    ChannelBinding channel{request.Param("name"), *plugin, "{}"};
    if (!settings->isNull()) {
      std::ostringstream text;
      Poco::JSON::Stringifier::condense(*settings, text);
      channel.settings_json = text.str();
    }
    return AgentResponse(services.agents.PutChannel(request.Param("id"), channel, write), write);
  });
}

// A knowledge path with more segments than a name (a '/' sent as is) lands
// here: refused like any other name with path parts. (An encoded '/', %2F,
// stays inside its segment and reaches AgentService's own name check.)
HttpResponse NameWithPathParts(HttpRequest&, const User&) {
  return HttpResponse::Error(
      Status::InvalidArgument("name: must be a plain file name (no '/' or '\\')"));
}

}  // namespace

void AddAgentRoutes(http::Router& router, const ApiServices& services) {
  const auth::Authenticator& auth = services.authenticator;
  // Every agent call needs a user; what each may do is the agent's rule
  // (AgentService): operators anything, else the agent's collaborators.
  auto user = [&auth, &services](auto fn) {
    return auth.Require(Role::kMember, [&services, fn](HttpRequest& r, const User& u) {
      return fn(services, r, u);
    });
  };
  auto agent_id = [](auto fn) {
    return [fn](const ApiServices& services, HttpRequest& r, const User& u) {
      if (Status s = CheckSlug(r.Param("id"), "id"); !s.ok()) return HttpResponse::Error(s);
      return fn(services, r, u);
    };
  };

  router.Add("GET", "/v1/agents",
             user([](const ApiServices& s, HttpRequest&, const User& u) { return List(s, u); }));
  router.Add("POST", "/v1/agents", user(Create));
  router.Add("POST", "/v1/agents/apply", user(Apply));
  router.Add("GET", "/v1/agents/{id}",
             user(agent_id([](const ApiServices& s, HttpRequest& r, const User& u) {
               DraftWrite read{u, std::nullopt};
               return AgentResponse(s.agents.Get(r.Param("id"), u), read);
             })));
  router.Add("PATCH", "/v1/agents/{id}",
             user([](const ApiServices& s, HttpRequest& r, const User& u) {
               return Write(r, u, [&](DraftWrite& write) {
                 StatusOr<Object::Ptr> body = ParseObject(r);
                 if (!body.ok()) return HttpResponse::Error(body.status());
                 StatusOr<AgentFieldsPatch> fields = ReadFields(**body, false);
                 if (!fields.ok()) return HttpResponse::Error(fields.status());
                 return AgentResponse(s.agents.Update(r.Param("id"), *fields, write), write);
               });
             }));
  router.Add("DELETE", "/v1/agents/{id}",
             user([](const ApiServices& s, HttpRequest& r, const User& u) {
               return Write(r, u, [&](DraftWrite& write) {
                 Status removed = s.agents.Remove(r.Param("id"), write);
                 if (!removed.ok()) return ErrorResponse(removed, write.revision);
                 Object::Ptr out = new Object;
                 out->set("removed", r.Param("id"));
                 return HttpResponse::Json(200, out);
               });
             }));
  router.Add("GET", "/v1/agents/{id}/history", user(agent_id(History)));
  router.Add("GET", "/v1/agents/{id}/export", user(agent_id(Export)));

  router.Add("GET", "/v1/agents/{id}/knowledge", user(agent_id(ListKnowledge)));
  router.Add("GET", "/v1/agents/{id}/knowledge/{name}", user(agent_id(Download)));
  router.Add("PUT", "/v1/agents/{id}/knowledge/{name}", user(Upload));
  router.Add("DELETE", "/v1/agents/{id}/knowledge/{name}",
             user([](const ApiServices& s, HttpRequest& r, const User& u) {
               return Write(r, u, [&](DraftWrite& write) {
                 return AgentResponse(
                     s.agents.RemoveKnowledge(r.Param("id"), r.Param("name"), write), write);
               });
             }));
  for (const char* method : {"GET", "PUT", "DELETE"}) {
    std::string pattern = "/v1/agents/{id}/knowledge/{name}";
    for (int depth = 1; depth <= 4; ++depth) {
      pattern += "/{part" + std::to_string(depth) + "}";
      router.Add(method, pattern, auth.Require(Role::kMember, NameWithPathParts));
    }
  }

  router.Add("PUT", "/v1/agents/{id}/tools/{tool}",
             user([](const ApiServices& s, HttpRequest& r, const User& u) {
               return Write(r, u, [&](DraftWrite& write) {
                 HERALD_RETURN_IF_ERROR_RESPONSE(CheckSlug(r.Param("tool"), "tool"));
                 HERALD_RETURN_IF_ERROR_RESPONSE(NoBody(r));
                 return AgentResponse(s.agents.AddTool(r.Param("id"), r.Param("tool"), write),
                                      write);
               });
             }));
  router.Add("DELETE", "/v1/agents/{id}/tools/{tool}",
             user([](const ApiServices& s, HttpRequest& r, const User& u) {
               return Write(r, u, [&](DraftWrite& write) {
                 HERALD_RETURN_IF_ERROR_RESPONSE(CheckSlug(r.Param("tool"), "tool"));
                 return AgentResponse(s.agents.RemoveTool(r.Param("id"), r.Param("tool"), write),
                                      write);
               });
             }));
  router.Add("PUT", "/v1/agents/{id}/collaborators/{user}", user(PutCollaborator));
  router.Add("DELETE", "/v1/agents/{id}/collaborators/{user}",
             user([](const ApiServices& s, HttpRequest& r, const User& u) {
               return Write(r, u, [&](DraftWrite& write) {
                 HERALD_RETURN_IF_ERROR_RESPONSE(CheckSlug(r.Param("user"), "user"));
                 return AgentResponse(
                     s.agents.RemoveCollaborator(r.Param("id"), r.Param("user"), write), write);
               });
             }));
  router.Add("PUT", "/v1/agents/{id}/channels/{name}", user(PutChannel));
  router.Add("DELETE", "/v1/agents/{id}/channels/{name}",
             user([](const ApiServices& s, HttpRequest& r, const User& u) {
               return Write(r, u, [&](DraftWrite& write) {
                 HERALD_RETURN_IF_ERROR_RESPONSE(CheckSlug(r.Param("name"), "name"));
                 return AgentResponse(s.agents.RemoveChannel(r.Param("id"), r.Param("name"), write),
                                      write);
               });
             }));
}

}  // namespace herald::api
