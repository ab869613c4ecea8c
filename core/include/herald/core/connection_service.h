// Connections, their credentials and their tests: the rules of the seed's
// "Add connection" form, enforced in one place for the API.
//
// Rules (each refusal names the field):
//  - the auth type must be a loaded auth-type plugin, and must allow the
//    credential type (key_value is team-only);
//  - SSO needs member credentials, and an identity provider (the
//    connection's or heraldd's global one);
//  - changing an environment's auth type, credential type or SSO deletes
//    that environment's stored credentials, and says so;
//  - team credentials are set by operators, member credentials by each user
//    for themselves only; fields are checked against the auth type's
//    declaration and then by the plugin;
//  - a connection that a tool uses cannot be removed.
//
// Thread-safety: every method may be called from any thread.
#ifndef HERALD_CORE_CONNECTION_SERVICE_H_
#define HERALD_CORE_CONNECTION_SERVICE_H_

#include <herald/sdk/types.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "herald/core/credential_vault.h"
#include "herald/core/model/connection.h"
#include "herald/core/model/user.h"
#include "herald/core/plugin_registry.h"
#include "herald/core/sso/jwt_verifier.h"
#include "herald/core/store.h"

namespace herald {

// A partial EnvironmentConfig: what a configure call changes.
struct EnvironmentPatch {
  std::optional<std::string> server_url;
  std::optional<std::string> auth_type;
  std::optional<CredentialType> credential_type;
  std::optional<bool> sso;
  std::optional<std::string> probe_method;
  std::optional<std::string> probe_path;
  std::optional<int> probe_timeout_ms;
  std::optional<std::string> sso_config_json;
};

// One credential field as the API shows it: never a secret's value.
struct CredentialFieldView {
  std::string name;
  bool set = false;
  bool secret = true;
  std::string updated_at;
  std::optional<std::string> value;  // only for fields that are not secret
};

// The seed's connection table row.
struct ConnectionRow {
  Connection connection;
  std::vector<std::string> tools;
  bool live_complete = false;
  std::string live_reason;  // why not complete
};

// A connection with its team's stored credentials, still sealed, of the
// environments it configures (credentials of an environment it does not
// configure mean nothing): what matching tools against the connection and
// judging its live environment need, read together so that one read serves
// both.
struct ConnectionState {
  Connection connection;
  std::vector<SealedCredential> team_credentials;  // draft's first, each by field
};

// Whether a connection's live environment is complete, as the connection
// table and the pre-deployment summary show it.
struct LiveReadiness {
  bool complete = false;
  std::string reason;  // why not complete
};

class ConnectionService {
 public:
  ConnectionService(Store& store, const PluginRegistry& plugins, const CredentialVault& vault,
                    std::optional<sso::JwtConfig> global_sso);

  StatusOr<Connection> Create(const std::string& id, const std::string& display_name,
                              const std::optional<EnvironmentPatch>& draft,
                              const std::optional<EnvironmentPatch>& live);
  StatusOr<Connection> Rename(const std::string& id, const std::string& display_name);
  // `credentials_deleted` says whether the change removed stored credentials.
  StatusOr<Connection> Configure(const std::string& id, Environment env,
                                 const EnvironmentPatch& patch, bool* credentials_deleted);
  StatusOr<Connection> CopyDraftToLive(const std::string& id, bool* credentials_deleted);
  Status Remove(const std::string& id);

  StatusOr<Connection> Get(const std::string& id);
  StatusOr<std::vector<ConnectionRow>> Table();
  StatusOr<ConnectionRow> Row(const std::string& id);
  // The connection and its team credentials, in one read.
  StatusOr<ConnectionState> State(const std::string& id);
  // What Row says of the live environment (Row uses it): none configured;
  // member credentials (each member brings their own) are complete; team
  // credentials are complete when LoadCredentials would open them, which
  // opens every stored field (a field that does not open, or a required one
  // that is empty, makes them incomplete).
  LiveReadiness Readiness(const ConnectionState& state) const;

  // Credentials of `owner`; the caller checked who may touch which owner.
  StatusOr<std::vector<CredentialFieldView>> SetCredentials(
      const std::string& id, Environment env, const CredentialOwner& owner,
      const std::map<std::string, std::string>& fields);
  StatusOr<std::vector<CredentialFieldView>> DescribeCredentials(const std::string& id,
                                                                 Environment env,
                                                                 const CredentialOwner& owner);
  StatusOr<int> ClearCredentials(const std::string& id, Environment env,
                                 const CredentialOwner& owner);
  // How many members have set credentials for this environment.
  StatusOr<int> MembersConfigured(const std::string& id, Environment env);

  // The decrypted fields of `owner`, with declared defaults filled in; for
  // applying to an outbound request. Missing required fields are an error
  // (FailedPrecondition) naming them.
  StatusOr<sdk::Values> LoadCredentials(const Connection& connection, Environment env,
                                        const CredentialOwner& owner);

  // The non-secret fields that decide which security schemes the
  // environment satisfies (e.g. api_key's name and location): the team's
  // stored values (those `state` holds), else the declared defaults. Never
  // opens a secret field.
  StatusOr<sdk::Values> SchemeFields(const ConnectionState& state, Environment env) const;

  // Who a member-type SSO environment acts for: verifies `sso_token` with the
  // environment's identity provider and maps its subject to a user.
  StatusOr<User> ResolveSsoMember(const Connection& connection, Environment env,
                                  const std::string& sso_token);

  // Tests `env` as `owner` and records the status.
  StatusOr<ConnectionStatus> Test(const std::string& id, Environment env,
                                  const CredentialOwner& owner, const std::string& owner_label);

  // The loaded auth-type plugin of an environment.
  StatusOr<const LoadedPlugin*> AuthTypeOf(const EnvironmentConfig& config) const;

 private:
  Status Validate(const EnvironmentConfig& config, std::string_view env_name) const;
  StatusOr<EnvironmentConfig> Apply(const std::optional<EnvironmentConfig>& current,
                                    const EnvironmentPatch& patch, std::string_view env_name) const;
  StatusOr<sso::JwtConfig> SsoConfigOf(const EnvironmentConfig& config) const;
  StatusOr<std::vector<std::string>> ToolsUsing(const std::string& id);
  // LoadCredentials' work once the owner's fields of `env` are read: the
  // fields of `stored` in environment `env` (it may hold others), opened.
  StatusOr<sdk::Values> OpenCredentials(const EnvironmentConfig& config, Environment env,
                                        const CredentialOwner& owner,
                                        const std::vector<SealedCredential>& stored) const;
  // What OpenCredentials would refuse, found without opening any value
  // (CredentialVault::Check).
  Status CheckCredentials(const EnvironmentConfig& config, Environment env,
                          const CredentialOwner& owner,
                          const std::vector<SealedCredential>& stored) const;
  // The rule both apply: some field of `env` is stored, and every required
  // field of the auth type is filled. `filled` maps each stored field to
  // whether its value is non-empty.
  static Status RequireFields(const LoadedPlugin& plugin, Environment env,
                              const CredentialOwner& owner,
                              const std::map<std::string, bool>& filled);

  Store& store_;
  const PluginRegistry& plugins_;
  const CredentialVault& vault_;
  std::optional<sso::JwtConfig> global_sso_;
};

}  // namespace herald

#endif  // HERALD_CORE_CONNECTION_SERVICE_H_
