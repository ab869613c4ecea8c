// Connections: how tools reach an API, per environment, and with whose
// credentials.
#ifndef HERALD_CORE_MODEL_CONNECTION_H_
#define HERALD_CORE_MODEL_CONNECTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herald {

enum class Environment { kDraft, kLive };
std::string_view EnvironmentName(Environment env);
std::optional<Environment> ParseEnvironment(std::string_view name);

enum class CredentialType { kTeam, kMember };
std::string_view CredentialTypeName(CredentialType type);
std::optional<CredentialType> ParseCredentialType(std::string_view name);

// One environment's configuration of a connection (the "Add connection"
// form). Holds no secret.
struct EnvironmentConfig {
  std::string server_url;
  std::string auth_type;  // a loaded auth-type plugin's name
  CredentialType credential_type = CredentialType::kTeam;
  bool sso = false;
  // How `connections test` probes the server.
  std::string probe_method = "GET";
  std::string probe_path = "/";
  int probe_timeout_ms = 10000;
  // The identity provider for SSO (JSON: issuer, audience, hs256_secret or
  // rs256_public_key_pem); empty to use the daemon-wide one.
  std::string sso_config_json;

  // Whether changing from `other` to this must delete stored credentials.
  bool InvalidatesCredentialsOf(const EnvironmentConfig& other) const {
    return auth_type != other.auth_type || credential_type != other.credential_type ||
           sso != other.sso;
  }
};

// The last `connections test` of one environment.
struct ConnectionStatus {
  std::string status = "untested";  // ok | auth_failed | http_error | unreachable | incomplete
  std::string detail;
  std::string tested_at;  // RFC 3339, empty when never tested
  int http_status = 0;
};

struct Connection {
  std::string id;  // slug
  std::string display_name;
  std::optional<EnvironmentConfig> draft;
  std::optional<EnvironmentConfig> live;
  ConnectionStatus draft_status;
  ConnectionStatus live_status;
  std::string created_at;
  std::string updated_at;

  const std::optional<EnvironmentConfig>& config(Environment env) const {
    return env == Environment::kDraft ? draft : live;
  }
  std::optional<EnvironmentConfig>& config(Environment env) {
    return env == Environment::kDraft ? draft : live;
  }
  const ConnectionStatus& status(Environment env) const {
    return env == Environment::kDraft ? draft_status : live_status;
  }
};

// Who a credential belongs to: the team, or one user.
struct CredentialOwner {
  std::optional<int64_t> user_id;  // empty: team
  static CredentialOwner Team() { return {}; }
  static CredentialOwner Member(int64_t id) { return {id}; }
  bool is_team() const { return !user_id.has_value(); }
  // "team" or "user:<id>": the stored form, bound into each ciphertext.
  std::string Key() const { return user_id ? "user:" + std::to_string(*user_id) : "team"; }
};

// A stored credential field, still sealed.
struct SealedCredential {
  std::string connection_id;
  Environment environment = Environment::kDraft;
  std::string owner;  // CredentialOwner::Key()
  std::string field;
  std::string sealed;
  std::string updated_at;
};

}  // namespace herald

#endif  // HERALD_CORE_MODEL_CONNECTION_H_
