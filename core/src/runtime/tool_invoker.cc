#include "herald/core/runtime/tool_invoker.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <chrono>
#include <sstream>

#include "herald/core/log.h"
#include "herald/core/plugin_registry.h"
#include "herald/core/runtime/http_client.h"

namespace herald::runtime {
namespace {

using Poco::JSON::Object;

ToolCallOutcome Error(const std::string& why) { return {"error: " + why, "error: " + why}; }

std::string ValueText(const Poco::Dynamic::Var& v) {
  if (v.isString()) return v.extract<std::string>();
  if (v.isEmpty()) return "";
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(v, out);
  return out.str();
}

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

StatusOr<CredentialOwner> ToolInvoker::MemberOf(const std::string& connection_id,
                                                const std::string& user_id) {
  if (user_id.empty()) {
    return Status::PermissionDenied("connection '" + connection_id +
                                    "' uses each member's own credentials, and an anonymous "
                                    "user has none");
  }
  if (AllDigits(user_id)) return CredentialOwner::Member(std::stoll(user_id));
  StatusOr<User> user = store_.users().FindUserByName(user_id);
  if (!user.ok()) {
    return Status::PermissionDenied("connection '" + connection_id +
                                    "' uses each member's own credentials, and user '" + user_id +
                                    "' is not a Herald user");
  }
  return CredentialOwner::Member(user->id);
}

StatusOr<ToolCallOutcome> ToolInvoker::Call(const std::string& agent_id, const SnapshotTool& tool,
                                            const std::string& arguments_json, Environment env,
                                            const std::string& user_id) {
  const std::string env_name(EnvironmentName(env));
  if (tool.connection.empty()) return Error("tool '" + tool.name + "' is bound to no connection");
  StatusOr<Connection> connection = store_.connections().GetConnection(tool.connection);
  if (!connection.ok()) return Error("connection '" + tool.connection + "' does not exist");
  const auto& config = connection->config(env);
  if (!config) {
    return Error("connection '" + tool.connection + "' has no " + env_name + " configuration");
  }

  CredentialOwner owner = CredentialOwner::Team();
  if (config->credential_type == CredentialType::kMember) {
    StatusOr<CredentialOwner> member = MemberOf(tool.connection, user_id);
    if (!member.ok()) return member.status();
    owner = *member;
  }
  StatusOr<sdk::Values> fields = connections_.LoadCredentials(*connection, env, owner);
  if (!fields.ok()) {
    if (!owner.is_team() && fields.status().code() == StatusCode::kFailedPrecondition) {
      return Status::PermissionDenied(
          "connection '" + tool.connection + "' needs your own credentials for " + env_name +
          " and you have none set: herald connections set-credentials " + tool.connection +
          " --env " + env_name + " --me --field NAME=VALUE");
    }
    return Error("connection '" + tool.connection + "': " + fields.status().message());
  }
  StatusOr<const LoadedPlugin*> plugin = connections_.AuthTypeOf(*config);
  if (!plugin.ok()) return Error(plugin.status().message());

  Object::Ptr args;
  try {
    Poco::Dynamic::Var parsed =
        Poco::JSON::Parser().parse(arguments_json.empty() ? "{}" : arguments_json);
    args = parsed.extract<Object::Ptr>();
  } catch (...) {
    return Error("the arguments are not a JSON object");
  }

  std::string path = tool.path;
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  for (const ToolParameter& p : tool.parameters) {
    const bool given = args->has(p.name) && !args->isNull(p.name);
    if (!given) {
      if (p.required && p.in != "cookie")
        return Error("missing required parameter '" + p.name + "'");
      continue;
    }
    const std::string value = ValueText(args->get(p.name));
    if (p.in == "path") {
      const std::string placeholder = "{" + p.name + "}";
      for (size_t at; (at = path.find(placeholder)) != std::string::npos;) {
        path.replace(at, placeholder.size(), PercentEncode(value));
      }
    } else if (p.in == "query") {
      query += (query.empty() ? "" : "&") + PercentEncode(p.name) + "=" + PercentEncode(value);
    } else if (p.in == "header") {
      headers.emplace_back(p.name, value);
    }
  }
  std::string base = !config->server_url.empty() ? config->server_url : tool.server_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (path.empty() || path.front() != '/') path = "/" + path;

  OutboundRequest request;
  request.method = tool.method.empty() ? "GET" : tool.method;
  request.url = base + path + (query.empty() ? "" : "?" + query);
  request.timeout_ms = timeout_ms_;
  request.max_response_bytes = kMaxResultBytes;
  request.headers = headers;
  sdk::AppliedAuth applied;
  applied.method = request.method;
  applied.url = request.url;
  sdk::CallResult auth =
      (*plugin)->auth_type().Apply(*fields, request.method, request.url, &applied);
  if (!auth.ok()) return Error("the auth type refused the credentials");
  for (const auto& h : applied.headers) request.headers.push_back(h);
  for (const auto& [name, value] : applied.query) {
    request.url += (request.url.find('?') == std::string::npos ? "?" : "&") + PercentEncode(name) +
                   "=" + PercentEncode(value);
  }

  const auto start = std::chrono::steady_clock::now();
  StatusOr<OutboundResponse> response = SendHttp(request);
  const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - start)
                           .count();
  if (!response.ok()) {
    LogEvent(spdlog::level::warn, "runtime.tool_call",
             {{"agent", agent_id},
              {"tool", tool.name},
              {"error", response.status().message()},
              {"latency_ms", latency}});
    return Error(response.status().message());
  }
  LogEvent(spdlog::level::info, "runtime.tool_call",
           {{"agent", agent_id},
            {"tool", tool.name},
            {"status", response->status},
            {"latency_ms", latency}});
  ToolCallOutcome outcome;
  outcome.outcome = std::to_string(response->status);
  const bool ok = response->status >= 200 && response->status < 300;
  outcome.result = (ok ? "" : "HTTP " + outcome.outcome + ": ") + response->body;
  if (response->truncated) outcome.result += "...";
  return outcome;
}

}  // namespace herald::runtime
