#include "herald/core/tool_service.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <set>

#include "herald/core/json_text.h"
#include "herald/core/log.h"

namespace herald {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string SchemeTypeName(herald_scheme_type type) {
  return type == HERALD_SCHEME_API_KEY ? "apiKey" : "http";
}

}  // namespace

std::string SecurityToJson(const std::vector<openapi::SecurityRequirement>& security) {
  Array::Ptr any = new Array;
  for (const auto& requirement : security) {
    Array::Ptr all = new Array;
    for (const auto& s : requirement) {
      Object::Ptr o = new Object;
      o->set("name", s.name);
      o->set("supported", s.supported);
      o->set("type", SchemeTypeName(s.scheme.type));
      o->set("in", s.scheme.in);
      o->set("param_name", s.scheme.name);
      o->set("scheme", s.scheme.scheme);
      o->set("description", s.description);
      all->add(o);
    }
    any->add(all);
  }
  return CompactJson(any);
}

std::vector<openapi::SecurityRequirement> SecurityFromJson(const std::string& json) {
  std::vector<openapi::SecurityRequirement> out;
  if (json.empty()) return out;
  Array::Ptr any = Poco::JSON::Parser().parse(json).extract<Array::Ptr>();
  for (size_t i = 0; i < any->size(); ++i) {
    Array::Ptr all = any->getArray(static_cast<unsigned>(i));
    openapi::SecurityRequirement requirement;
    for (size_t j = 0; j < all->size(); ++j) {
      Object::Ptr o = all->getObject(static_cast<unsigned>(j));
      openapi::NamedScheme s;
      s.name = o->getValue<std::string>("name");
      s.supported = o->getValue<bool>("supported");
      s.scheme.type =
          o->getValue<std::string>("type") == "apiKey" ? HERALD_SCHEME_API_KEY : HERALD_SCHEME_HTTP;
      s.scheme.in = o->getValue<std::string>("in");
      s.scheme.name = o->getValue<std::string>("param_name");
      s.scheme.scheme = o->getValue<std::string>("scheme");
      s.description = o->getValue<std::string>("description");
      requirement.push_back(std::move(s));
    }
    out.push_back(std::move(requirement));
  }
  return out;
}

std::string ParametersToJson(const std::vector<openapi::Parameter>& parameters) {
  Array::Ptr list = new Array;
  for (const auto& p : parameters) {
    Object::Ptr o = new Object;
    o->set("name", p.name);
    o->set("in", p.in);
    o->set("required", p.required);
    o->set("type", p.type);
    o->set("description", p.description);
    list->add(o);
  }
  return CompactJson(list);
}

std::shared_ptr<const std::vector<openapi::SecurityRequirement>> ToolService::ParsedSecurity(
    const std::string& json) {
  {
    std::lock_guard<std::mutex> lock(parsed_mu_);
    if (auto it = parsed_.find(json); it != parsed_.end()) return it->second;
  }
  // Parsed outside the lock; two threads may both parse a new text, and the
  // second keeps the first one's result.
  auto parsed =
      std::make_shared<const std::vector<openapi::SecurityRequirement>>(SecurityFromJson(json));
  std::lock_guard<std::mutex> lock(parsed_mu_);
  if (parsed_.size() >= kMaxParsedSecurity && !parsed_.count(json)) parsed_.clear();
  return parsed_.emplace(json, std::move(parsed)).first->second;
}

StatusOr<openapi::MatchResult> ToolService::Match(
    const std::vector<openapi::SecurityRequirement>& security, const std::string& connection_id) {
  StatusOr<ConnectionState> connection = connections_.State(connection_id);
  if (!connection.ok()) return connection.status();
  return Match(security, *connection);
}

StatusOr<openapi::MatchResult> ToolService::Match(
    const std::vector<openapi::SecurityRequirement>& security, const ConnectionState& state) const {
  const Connection& connection = state.connection;
  if (!connection.draft && !connection.live) {
    return openapi::MatchResult{false, "connection '" + connection.id + "' is not configured"};
  }
  openapi::MatchResult combined{true, ""};
  for (Environment env : {Environment::kDraft, Environment::kLive}) {
    const auto& config = connection.config(env);
    if (!config) continue;
    StatusOr<const LoadedPlugin*> plugin = connections_.AuthTypeOf(*config);
    if (!plugin.ok()) return openapi::MatchResult{false, plugin.status().message()};
    StatusOr<sdk::Values> fields = connections_.SchemeFields(state, env);
    if (!fields.ok()) return fields.status();
    const sdk::AuthTypeClient auth = (*plugin)->auth_type();
    openapi::MatchResult result =
        openapi::MatchSecurity(security, [&](const sdk::SecurityScheme& s) {
          bool satisfied = false;
          return auth.Satisfies(*fields, s, &satisfied).ok() && satisfied;
        });
    const std::string prefix = std::string(EnvironmentName(env)) + " (" + config->auth_type + "): ";
    combined.explanation +=
        (combined.explanation.empty() ? "" : "; ") + prefix + result.explanation;
    combined.satisfied = combined.satisfied && result.satisfied;
  }
  return combined;
}

Status ToolService::Complete(ToolView& view, ViewContext& context) {
  const Tool& tool = view.tool;
  SharedSecurity security = ParsedSecurity(tool.security_json);
  view.security = security;
  if (tool.connection_id.empty()) return Status::Ok();
  std::map<SharedSecurity, openapi::MatchResult>& matches = context.matches[tool.connection_id];
  auto match = matches.find(security);
  if (match == matches.end()) {
    auto state = context.connections.find(tool.connection_id);
    if (state == context.connections.end()) {
      StatusOr<ConnectionState> read = connections_.State(tool.connection_id);
      if (!read.ok()) return read.status();
      state = context.connections.emplace(tool.connection_id, std::move(read).value()).first;
    }
    StatusOr<openapi::MatchResult> result = Match(*security, state->second);
    if (!result.ok()) return result.status();
    match = matches.emplace(std::move(security), std::move(result).value()).first;
  }
  view.match = match->second;
  return Status::Ok();
}

StatusOr<std::vector<ToolView>> ToolService::Import(const std::string& file_name,
                                                    const std::string& document,
                                                    const std::string& connection, bool replace) {
  if (file_name.empty()) return Status::InvalidArgument("file_name: required");
  StatusOr<std::vector<openapi::Operation>> operations =
      openapi::ParseDocument(document, file_name);
  if (!operations.ok()) return operations.status();
  if (operations->empty()) {
    return Status::InvalidArgument(file_name + ": the document has no operations");
  }
  std::vector<std::string> names;
  Status s = store_.Transaction([&]() -> Status {
    for (const auto& op : *operations) {
      if (!replace) {
        StatusOr<Tool> existing = store_.tools().GetTool(op.tool_name);
        if (existing.ok()) {
          return Status::AlreadyExists(file_name + ": a tool named '" + op.tool_name +
                                       "' already exists (import with replace to update it)");
        }
      }
      if (!connection.empty()) {
        StatusOr<openapi::MatchResult> match = Match(op.security, connection);
        if (!match.ok()) return match.status();
        if (!match->satisfied) {
          return Status::FailedPrecondition("tool '" + op.tool_name + "' cannot use connection '" +
                                            connection + "': " + match->explanation);
        }
      }
      Tool tool;
      tool.name = op.tool_name;
      tool.description = op.description;
      tool.method = op.method;
      tool.server_url = op.server_url;
      tool.path = op.path;
      tool.parameters_json = ParametersToJson(op.parameters);
      tool.security_json = SecurityToJson(op.security);
      tool.connection_id = connection;
      tool.source = file_name;
      HERALD_RETURN_IF_ERROR(store_.tools().PutTool(tool));
      names.push_back(tool.name);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  LogEvent(spdlog::level::info, "tools.imported", {{"file", file_name}, {"count", names.size()}});
  std::vector<ToolView> out;
  for (const auto& name : names) {
    StatusOr<ToolView> view = Get(name);
    if (!view.ok()) return view.status();
    out.push_back(std::move(view).value());
  }
  return out;
}

StatusOr<std::vector<ToolView>> ToolService::List() {
  StatusOr<std::vector<Tool>> tools = store_.tools().ListTools();
  if (!tools.ok()) return tools.status();
  std::vector<ToolView> out(tools->size());
  ViewContext context;
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].tool = std::move((*tools)[i]);
    HERALD_RETURN_IF_ERROR(Complete(out[i], context));
  }
  return out;
}

StatusOr<ToolView> ToolService::Get(const std::string& name) {
  StatusOr<Tool> tool = store_.tools().GetTool(name);
  if (!tool.ok()) return tool.status();
  ToolView view;
  view.tool = std::move(tool).value();
  ViewContext context;
  HERALD_RETURN_IF_ERROR(Complete(view, context));
  return view;
}

StatusOr<std::map<std::string, ToolView>> ToolService::GetMany(
    const std::vector<std::string>& names, std::map<std::string, ConnectionState>* connections) {
  StatusOr<std::vector<Tool>> tools = store_.tools().GetTools(names);
  if (!tools.ok()) return tools.status();
  return ViewsOf(std::move(tools).value(), connections);
}

StatusOr<std::map<std::string, ToolView>> ToolService::ViewsOf(
    std::vector<Tool> tools, std::map<std::string, ConnectionState>* connections) {
  std::map<std::string, ToolView> out;
  ViewContext context;
  for (Tool& t : tools) {
    // The store hands them back in name order; each view is made in place
    // and the tool moved into it once (only its name is copied, for the key).
    ToolView& view = out.emplace_hint(out.end(), std::piecewise_construct,
                                      std::forward_as_tuple(t.name), std::forward_as_tuple())
                         ->second;
    view.tool = std::move(t);
    HERALD_RETURN_IF_ERROR(Complete(view, context));
  }
  if (connections != nullptr) *connections = std::move(context.connections);
  return out;
}

StatusOr<ToolView> ToolService::Bind(const std::string& name, const std::string& connection) {
  StatusOr<Tool> tool = store_.tools().GetTool(name);
  if (!tool.ok()) return tool.status();
  if (!connection.empty()) {
    StatusOr<openapi::MatchResult> match = Match(*ParsedSecurity(tool->security_json), connection);
    if (!match.ok()) return match.status();
    if (!match->satisfied) {
      return Status::FailedPrecondition("tool '" + name + "' cannot use connection '" + connection +
                                        "': " + match->explanation);
    }
  }
  tool->connection_id = connection;
  HERALD_RETURN_IF_ERROR(store_.tools().PutTool(*tool));
  LogEvent(spdlog::level::info, "tool.bound", {{"tool", name}, {"connection", connection}});
  return Get(name);
}

Status ToolService::Remove(const std::string& name) {
  HERALD_RETURN_IF_ERROR(store_.tools().DeleteTool(name));
  LogEvent(spdlog::level::info, "tool.removed", {{"tool", name}});
  return Status::Ok();
}

}  // namespace herald
