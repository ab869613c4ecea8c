// Makes a tool's HTTP request for the runtime, with the credentials the
// tool's connection prescribes, applied by the connection's auth-type plugin.
//
//  - Whose credentials: a member-type environment uses the speaking user's
//    own (the turn's user_id: a Herald user id, or a user name); a
//    team-type one the team's. Environment: draft for previews, live for
//    live turns. A member-type connection with an anonymous user, or a user
//    without their own credentials there, is PERMISSION_DENIED naming the
//    connection: never a fall back to the team's credentials.
//  - The request: the connection environment's server URL (the tool's own
//    from its OpenAPI document when the environment has none) joined with
//    the operation's path; `{name}` path parameters, query and header
//    parameters are taken from the call's arguments (strings as they are,
//    other JSON values as their JSON text; percent-encoded in the URL);
//    arguments the operation does not declare are ignored. A required
//    parameter missing is an error outcome, and nothing is sent.
//  - Every HTTP answer is an outcome ("200", "404", ...) whose result (the
//    body, at most 8 KB, prefixed "HTTP <status>: " when not 2xx) goes back
//    to the model; so is a failure to reach the API ("error: timed out after
//    10000 ms") or a tool without a connection.
//  - Secrets: credentials go only into the request; outcomes, results and
//    the log line per call (agent, tool, status, latency) never hold one.
//
// Thread-safety: Call from any thread.
#ifndef HERALD_CORE_RUNTIME_TOOL_INVOKER_H_
#define HERALD_CORE_RUNTIME_TOOL_INVOKER_H_

#include <string>

#include "herald/core/connection_service.h"
#include "herald/core/model/connection.h"
#include "herald/core/runtime/agent_snapshot.h"
#include "herald/core/store.h"

namespace herald::runtime {

struct ToolCallOutcome {
  std::string outcome;  // "200", "error: ..."
  std::string result;   // what the model is told
};

class ToolInvoker {
 public:
  static constexpr size_t kMaxResultBytes = 8192;

  ToolInvoker(Store& store, ConnectionService& connections, int timeout_ms)
      : store_(store), connections_(connections), timeout_ms_(timeout_ms) {}

  // PERMISSION_DENIED as above; any other problem is an outcome.
  StatusOr<ToolCallOutcome> Call(const std::string& agent_id, const SnapshotTool& tool,
                                 const std::string& arguments_json, Environment env,
                                 const std::string& user_id);

 private:
  StatusOr<CredentialOwner> MemberOf(const std::string& connection_id, const std::string& user_id);

  Store& store_;
  ConnectionService& connections_;
  int timeout_ms_;
};

}  // namespace herald::runtime

#endif  // HERALD_CORE_RUNTIME_TOOL_INVOKER_H_
