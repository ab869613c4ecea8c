#include "herald/core/runtime/connection_auth.h"

#include "herald/core/plugin_registry.h"

namespace herald::runtime {

ProviderAuth ConnectionAuth(ConnectionService& connections, std::string connection_id) {
  return [&connections, id = std::move(connection_id)](
             const std::string& method, const std::string& url) -> StatusOr<sdk::AppliedAuth> {
    const std::string name = "connection '" + id + "'";
    StatusOr<Connection> connection = connections.Get(id);
    if (!connection.ok()) return Status::FailedPrecondition(name + " does not exist");
    const auto& config = connection->config(Environment::kLive);
    if (!config) return Status::FailedPrecondition(name + " has no live configuration");
    StatusOr<sdk::Values> fields =
        connections.LoadCredentials(*connection, Environment::kLive, CredentialOwner::Team());
    if (!fields.ok()) return Status::FailedPrecondition(name + ": " + fields.status().message());
    StatusOr<const LoadedPlugin*> plugin = connections.AuthTypeOf(*config);
    if (!plugin.ok()) return Status::FailedPrecondition(name + ": " + plugin.status().message());
    sdk::AppliedAuth applied;
    applied.method = method;
    applied.url = url;
    sdk::CallResult result = (*plugin)->auth_type().Apply(*fields, method, url, &applied);
    if (!result.ok()) {
      return Status::FailedPrecondition(name + ": the auth type refused the credentials");
    }
    return applied;
  };
}

}  // namespace herald::runtime
