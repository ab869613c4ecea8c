#include "herald/core/connection_service.h"

#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "api/json_body.h"
#include "herald/core/log.h"
#include "herald/core/probe/connection_prober.h"

namespace herald {
namespace {

std::string Field(std::string_view env_name, std::string_view field) {
  return std::string(env_name) + "." + std::string(field);
}

std::string LoadedAuthTypes(const PluginRegistry& plugins) {
  std::string out;
  for (const auto& p : plugins.loaded()) {
    if (p->kind() != PluginKind::kAuthType) continue;
    out += (out.empty() ? "" : ", ") + p->info().name;
  }
  return out.empty() ? "none" : out;
}

Status CheckServerUrl(const std::string& url, std::string_view env_name) {
  try {
    Poco::URI uri(url);
    if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty()) {
      return Status::InvalidArgument(Field(env_name, "server_url") +
                                     ": must be an http:// or https:// URL with a host");
    }
  } catch (const Poco::Exception&) {
    return Status::InvalidArgument(Field(env_name, "server_url") + ": not a valid URL");
  }
  return Status::Ok();
}

}  // namespace

ConnectionService::ConnectionService(Store& store, const PluginRegistry& plugins,
                                     const CredentialVault& vault,
                                     std::optional<sso::JwtConfig> global_sso)
    : store_(store), plugins_(plugins), vault_(vault), global_sso_(std::move(global_sso)) {}

StatusOr<const LoadedPlugin*> ConnectionService::AuthTypeOf(const EnvironmentConfig& config) const {
  const LoadedPlugin* plugin = plugins_.Find(config.auth_type, PluginKind::kAuthType);
  if (plugin == nullptr) {
    return Status::FailedPrecondition("auth type '" + config.auth_type +
                                      "' is not loaded (loaded: " + LoadedAuthTypes(plugins_) +
                                      ")");
  }
  return plugin;
}

StatusOr<sso::JwtConfig> ConnectionService::SsoConfigOf(const EnvironmentConfig& config) const {
  if (!config.sso_config_json.empty()) {
    try {
      auto json =
          Poco::JSON::Parser().parse(config.sso_config_json).extract<Poco::JSON::Object::Ptr>();
      sso::JwtConfig own_config;
      StatusOr<sso::JwtConfig> parsed = sso::JwtConfigFromJson(*json);
      if (!parsed.ok()) return parsed.status();
      own_config = std::move(parsed).value();
      // A connection's provider may leave the HS256 secret to the global one.
      if (own_config.hs256_secret.empty() && own_config.rs256_public_key_pem.empty() &&
          global_sso_) {
        own_config.hs256_secret = global_sso_->hs256_secret;
        own_config.rs256_public_key_pem = global_sso_->rs256_public_key_pem;
      }
      return own_config;
    } catch (const Poco::Exception& e) {
      return Status::InvalidArgument("sso_provider: malformed JSON");
    }
  }
  if (global_sso_) return *global_sso_;
  return Status::FailedPrecondition(
      "sso: no identity provider: give the connection an sso_provider or configure heraldd's "
      "sso.issuer, sso.audience and sso.hs256_secret_file or sso.rs256_public_key_file");
}

Status ConnectionService::Validate(const EnvironmentConfig& config,
                                   std::string_view env_name) const {
  HERALD_RETURN_IF_ERROR(CheckServerUrl(config.server_url, env_name));
  const LoadedPlugin* plugin = plugins_.Find(config.auth_type, PluginKind::kAuthType);
  if (plugin == nullptr) {
    return Status::InvalidArgument(Field(env_name, "auth_type") + ": no auth-type plugin '" +
                                   config.auth_type +
                                   "' is loaded (loaded: " + LoadedAuthTypes(plugins_) + ")");
  }
  const uint32_t allowed = plugin->auth_type().vtable().credential_types;
  if (config.credential_type == CredentialType::kMember && !(allowed & HERALD_CREDENTIAL_MEMBER)) {
    return Status::InvalidArgument(Field(env_name, "credential_type") + ": auth type '" +
                                   config.auth_type + "' allows only team credentials");
  }
  if (config.credential_type == CredentialType::kTeam && !(allowed & HERALD_CREDENTIAL_TEAM)) {
    return Status::InvalidArgument(Field(env_name, "credential_type") + ": auth type '" +
                                   config.auth_type + "' allows only member credentials");
  }
  if (config.sso && config.credential_type != CredentialType::kMember) {
    return Status::InvalidArgument(Field(env_name, "sso") +
                                   ": single sign-on needs member credentials");
  }
  static const std::set<std::string> kMethods = {"GET", "HEAD", "POST", "OPTIONS"};
  if (!kMethods.count(config.probe_method)) {
    return Status::InvalidArgument(Field(env_name, "probe.method") +
                                   ": must be GET, HEAD, POST or OPTIONS");
  }
  if (config.probe_path.empty() || config.probe_path.front() != '/') {
    return Status::InvalidArgument(Field(env_name, "probe.path") + ": must start with '/'");
  }
  if (config.probe_timeout_ms < 100 || config.probe_timeout_ms > 120000) {
    return Status::InvalidArgument(Field(env_name, "probe.timeout_ms") +
                                   ": must be from 100 to 120000");
  }
  if (config.sso) {
    StatusOr<sso::JwtConfig> sso_config = SsoConfigOf(config);
    if (!sso_config.ok()) return sso_config.status().WithContext(Field(env_name, "sso_provider"));
    StatusOr<sso::JwtVerifier> verifier = sso::JwtVerifier::Create(*sso_config);
    if (!verifier.ok()) return verifier.status().WithContext(Field(env_name, "sso_provider"));
  }
  return Status::Ok();
}

StatusOr<EnvironmentConfig> ConnectionService::Apply(
    const std::optional<EnvironmentConfig>& current, const EnvironmentPatch& patch,
    std::string_view env_name) const {
  EnvironmentConfig config = current.value_or(EnvironmentConfig{});
  if (!current) {
    if (!patch.server_url) {
      return Status::InvalidArgument(Field(env_name, "server_url") + ": required");
    }
    if (!patch.auth_type) {
      return Status::InvalidArgument(Field(env_name, "auth_type") + ": required");
    }
  }
  if (patch.server_url) config.server_url = *patch.server_url;
  if (patch.auth_type) config.auth_type = *patch.auth_type;
  if (patch.credential_type) config.credential_type = *patch.credential_type;
  if (patch.sso) config.sso = *patch.sso;
  if (patch.probe_method) config.probe_method = *patch.probe_method;
  if (patch.probe_path) config.probe_path = *patch.probe_path;
  if (patch.probe_timeout_ms) config.probe_timeout_ms = *patch.probe_timeout_ms;
  if (patch.sso_config_json) config.sso_config_json = *patch.sso_config_json;
  HERALD_RETURN_IF_ERROR(Validate(config, env_name));
  return config;
}

StatusOr<Connection> ConnectionService::Create(const std::string& id,
                                               const std::string& display_name,
                                               const std::optional<EnvironmentPatch>& draft,
                                               const std::optional<EnvironmentPatch>& live) {
  HERALD_RETURN_IF_ERROR(api::CheckSlug(id, "id"));
  if (display_name.empty()) return Status::InvalidArgument("display_name: required");
  Connection c;
  c.id = id;
  c.display_name = display_name;
  if (draft) {
    StatusOr<EnvironmentConfig> config = Apply(std::nullopt, *draft, "draft");
    if (!config.ok()) return config.status();
    c.draft = std::move(config).value();
  }
  if (live) {
    StatusOr<EnvironmentConfig> config = Apply(std::nullopt, *live, "live");
    if (!config.ok()) return config.status();
    c.live = std::move(config).value();
  }
  HERALD_RETURN_IF_ERROR(store_.connections().CreateConnection(c));
  LogEvent(spdlog::level::info, "connection.created", {{"id", id}});
  return store_.connections().GetConnection(id);
}

StatusOr<Connection> ConnectionService::Rename(const std::string& id,
                                               const std::string& display_name) {
  if (display_name.empty()) return Status::InvalidArgument("display_name: required");
  StatusOr<Connection> c = store_.connections().GetConnection(id);
  if (!c.ok()) return c.status();
  c->display_name = display_name;
  HERALD_RETURN_IF_ERROR(store_.connections().UpdateConnection(*c));
  return store_.connections().GetConnection(id);
}

StatusOr<Connection> ConnectionService::Configure(const std::string& id, Environment env,
                                                  const EnvironmentPatch& patch,
                                                  bool* credentials_deleted) {
  *credentials_deleted = false;
  Status s = store_.Transaction([&]() -> Status {
    StatusOr<Connection> c = store_.connections().GetConnection(id);
    if (!c.ok()) return c.status();
    const std::optional<EnvironmentConfig> before = c->config(env);
    StatusOr<EnvironmentConfig> after = Apply(before, patch, EnvironmentName(env));
    if (!after.ok()) return after.status();
    if (before && after->InvalidatesCredentialsOf(*before)) {
      StatusOr<int> deleted = store_.credentials().DeleteCredentials(id, env, "");
      if (!deleted.ok()) return deleted.status();
      *credentials_deleted = *deleted > 0;
    }
    // A changed server or auth makes the last test meaningless.
    if (!before || before->server_url != after->server_url ||
        after->InvalidatesCredentialsOf(*before)) {
      (env == Environment::kDraft ? c->draft_status : c->live_status) = ConnectionStatus{};
    }
    c->config(env) = std::move(after).value();
    return store_.connections().UpdateConnection(*c);
  });
  if (!s.ok()) return s;
  LogEvent(spdlog::level::info, "connection.configured",
           {{"id", id},
            {"env", EnvironmentName(env)},
            {"credentials_deleted", *credentials_deleted ? "true" : "false"}});
  return store_.connections().GetConnection(id);
}

StatusOr<Connection> ConnectionService::CopyDraftToLive(const std::string& id,
                                                        bool* credentials_deleted) {
  StatusOr<Connection> c = store_.connections().GetConnection(id);
  if (!c.ok()) return c.status();
  if (!c->draft) {
    return Status::FailedPrecondition("connection '" + id + "' has no draft configuration to copy");
  }
  const EnvironmentConfig& d = *c->draft;
  EnvironmentPatch patch{d.server_url,   d.auth_type,  d.credential_type,  d.sso,
                         d.probe_method, d.probe_path, d.probe_timeout_ms, d.sso_config_json};
  return Configure(id, Environment::kLive, patch, credentials_deleted);
}

StatusOr<std::vector<std::string>> ConnectionService::ToolsUsing(const std::string& id) {
  return store_.tools().ToolNamesUsing(id);
}

Status ConnectionService::Remove(const std::string& id) {
  StatusOr<std::vector<std::string>> tools = ToolsUsing(id);
  if (!tools.ok()) return tools.status();
  if (!tools->empty()) {
    std::string list;
    for (const auto& t : *tools) list += (list.empty() ? "" : ", ") + t;
    return Status::Conflict("connection '" + id + "' is used by tools: " + list +
                            "; unbind or remove them first");
  }
  HERALD_RETURN_IF_ERROR(store_.connections().DeleteConnection(id));
  LogEvent(spdlog::level::info, "connection.removed", {{"id", id}});
  return Status::Ok();
}

StatusOr<Connection> ConnectionService::Get(const std::string& id) {
  return store_.connections().GetConnection(id);
}

StatusOr<ConnectionRow> ConnectionService::Row(const std::string& id) {
  StatusOr<ConnectionState> state = State(id);
  if (!state.ok()) return state.status();
  StatusOr<std::vector<std::string>> tools = ToolsUsing(id);
  if (!tools.ok()) return tools.status();
  LiveReadiness live = Readiness(*state);
  ConnectionRow row;
  row.connection = std::move(state->connection);
  row.tools = std::move(tools).value();
  row.live_complete = live.complete;
  row.live_reason = std::move(live.reason);
  return row;
}

StatusOr<ConnectionState> ConnectionService::State(const std::string& id) {
  ConnectionState state;
  StatusOr<Connection> c = store_.connections().GetConnectionWithCredentials(
      id, CredentialOwner::Team().Key(), &state.team_credentials);
  if (!c.ok()) return c.status();
  state.connection = std::move(c).value();
  return state;
}

LiveReadiness ConnectionService::Readiness(const ConnectionState& state) const {
  const auto& live = state.connection.live;
  if (!live) return {false, "no live configuration"};
  if (live->credential_type == CredentialType::kMember) {
    return {true, ""};  // configured; each member brings their own
  }
  // Checked, not opened: readiness needs no value in memory.
  Status checked =
      CheckCredentials(*live, Environment::kLive, CredentialOwner::Team(), state.team_credentials);
  if (!checked.ok()) return {false, checked.message()};
  return {true, ""};
}

StatusOr<std::vector<ConnectionRow>> ConnectionService::Table() {
  StatusOr<std::vector<Connection>> all = store_.connections().ListConnections();
  if (!all.ok()) return all.status();
  std::vector<ConnectionRow> rows;
  for (const Connection& c : *all) {
    StatusOr<ConnectionRow> row = Row(c.id);
    if (!row.ok()) return row.status();
    rows.push_back(std::move(row).value());
  }
  return rows;
}

StatusOr<std::vector<CredentialFieldView>> ConnectionService::SetCredentials(
    const std::string& id, Environment env, const CredentialOwner& owner,
    const std::map<std::string, std::string>& fields) {
  StatusOr<Connection> c = store_.connections().GetConnection(id);
  if (!c.ok()) return c.status();
  const auto& config = c->config(env);
  const std::string env_name(EnvironmentName(env));
  if (!config) {
    return Status::FailedPrecondition("connection '" + id + "' has no " + env_name +
                                      " configuration; configure it first");
  }
  if (owner.is_team() && config->credential_type != CredentialType::kTeam) {
    return Status::FailedPrecondition("connection '" + id + "' uses member credentials in " +
                                      env_name + "; each member sets their own");
  }
  if (!owner.is_team() && config->credential_type != CredentialType::kMember) {
    return Status::FailedPrecondition("connection '" + id + "' uses team credentials in " +
                                      env_name + "; an operator sets them");
  }
  StatusOr<const LoadedPlugin*> plugin = AuthTypeOf(*config);
  if (!plugin.ok()) return plugin.status();
  const sdk::AuthTypeClient auth = (*plugin)->auth_type();
  const bool arbitrary = auth.vtable().flags & HERALD_AUTH_ARBITRARY_FIELDS;
  const std::vector<sdk::FieldSpec> specs = sdk::FieldSpecs(auth.vtable());

  std::map<std::string, std::string> complete = fields;
  if (!arbitrary) {
    for (const auto& [name, value] : fields) {
      bool known = std::any_of(specs.begin(), specs.end(),
                               [&](const sdk::FieldSpec& s) { return s.name == name; });
      if (!known) {
        std::string names;
        for (const auto& s : specs) names += (names.empty() ? "" : ", ") + s.name;
        return Status::InvalidArgument("fields." + name + ": auth type '" + config->auth_type +
                                       "' has no such field (fields: " + names + ")");
      }
    }
    for (const auto& s : specs) {
      if (!complete.count(s.name) && !s.default_value.empty()) complete[s.name] = s.default_value;
      if (s.required && (!complete.count(s.name) || complete[s.name].empty())) {
        return Status::InvalidArgument("fields." + s.name + ": required");
      }
    }
  }
  std::vector<sdk::Problem> problems;
  sdk::CallResult checked = auth.Validate(sdk::Values(complete), &problems);
  if (!checked.ok()) {
    return Status::InvalidArgument("fields: the auth type could not check them: " + checked.error);
  }
  if (!problems.empty()) {
    std::string message;
    for (const auto& p : problems) {
      message += (message.empty() ? "" : "; ") +
                 (p.field.empty() ? std::string("fields") : "fields." + p.field) + ": " + p.message;
    }
    return Status::InvalidArgument(message);
  }
  Status s = store_.Transaction([&]() -> Status {
    StatusOr<int> cleared = store_.credentials().DeleteCredentials(id, env, owner.Key());
    if (!cleared.ok()) return cleared.status();
    for (const auto& [name, value] : complete) {
      SealedCredential where;
      where.connection_id = id;
      where.environment = env;
      where.owner = owner.Key();
      where.field = name;
      StatusOr<SealedCredential> sealed = vault_.Seal(where, value);
      if (!sealed.ok()) return sealed.status();
      HERALD_RETURN_IF_ERROR(store_.credentials().PutCredential(*sealed));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  LogEvent(
      spdlog::level::info, "credentials.set",
      {{"connection", id}, {"env", env_name}, {"owner", owner.Key()}, {"fields", complete.size()}});
  return DescribeCredentials(id, env, owner);
}

StatusOr<std::vector<CredentialFieldView>> ConnectionService::DescribeCredentials(
    const std::string& id, Environment env, const CredentialOwner& owner) {
  StatusOr<Connection> c = store_.connections().GetConnection(id);
  if (!c.ok()) return c.status();
  const auto& config = c->config(env);
  if (!config) {
    return Status::FailedPrecondition("connection '" + id + "' has no " +
                                      std::string(EnvironmentName(env)) + " configuration");
  }
  StatusOr<std::vector<SealedCredential>> stored =
      store_.credentials().ListCredentials(id, env, owner.Key());
  if (!stored.ok()) return stored.status();
  std::vector<sdk::FieldSpec> specs;
  if (StatusOr<const LoadedPlugin*> plugin = AuthTypeOf(*config); plugin.ok()) {
    specs = sdk::FieldSpecs((*plugin)->auth_type().vtable());
  }
  std::vector<CredentialFieldView> out;
  auto find_stored = [&](const std::string& name) -> const SealedCredential* {
    for (const auto& s : *stored) {
      if (s.field == name) return &s;
    }
    return nullptr;
  };
  for (const auto& spec : specs) {
    CredentialFieldView v;
    v.name = spec.name;
    v.secret = spec.secret;
    if (const SealedCredential* s = find_stored(spec.name)) {
      v.set = true;
      v.updated_at = s->updated_at;
      if (!spec.secret) {
        StatusOr<std::string> value = vault_.Open(*s);
        if (value.ok()) v.value = *value;
      }
    }
    out.push_back(std::move(v));
  }
  // Fields of an auth type with free field names (key_value): all secret.
  for (const auto& s : *stored) {
    bool declared = std::any_of(specs.begin(), specs.end(),
                                [&](const sdk::FieldSpec& f) { return f.name == s.field; });
    if (declared) continue;
    out.push_back(CredentialFieldView{s.field, true, true, s.updated_at, std::nullopt});
  }
  return out;
}

StatusOr<int> ConnectionService::ClearCredentials(const std::string& id, Environment env,
                                                  const CredentialOwner& owner) {
  StatusOr<Connection> c = store_.connections().GetConnection(id);
  if (!c.ok()) return c.status();
  return store_.credentials().DeleteCredentials(id, env, owner.Key());
}

StatusOr<int> ConnectionService::MembersConfigured(const std::string& id, Environment env) {
  StatusOr<std::vector<SealedCredential>> all =
      store_.credentials().ListEnvironmentCredentials(id, env);
  if (!all.ok()) return all.status();
  std::set<std::string> owners;
  for (const auto& c : *all) {
    if (c.owner != "team") owners.insert(c.owner);
  }
  return static_cast<int>(owners.size());
}

StatusOr<sdk::Values> ConnectionService::LoadCredentials(const Connection& connection,
                                                         Environment env,
                                                         const CredentialOwner& owner) {
  const auto& config = connection.config(env);
  if (!config) {
    return Status::FailedPrecondition("no " + std::string(EnvironmentName(env)) + " configuration");
  }
  // The auth type is checked before the read, as it always was: its error
  // wins over a store error.
  StatusOr<const LoadedPlugin*> plugin = AuthTypeOf(*config);
  if (!plugin.ok()) return plugin.status();
  StatusOr<std::vector<SealedCredential>> stored =
      store_.credentials().ListCredentials(connection.id, env, owner.Key());
  if (!stored.ok()) return stored.status();
  return OpenCredentials(*config, env, owner, *stored);
}

StatusOr<sdk::Values> ConnectionService::OpenCredentials(
    const EnvironmentConfig& config, Environment env, const CredentialOwner& owner,
    const std::vector<SealedCredential>& stored) const {
  StatusOr<const LoadedPlugin*> plugin = AuthTypeOf(config);
  if (!plugin.ok()) return plugin.status();
  std::map<std::string, std::string> values;
  std::map<std::string, bool> filled;
  for (const auto& s : stored) {
    if (s.environment != env) continue;
    StatusOr<std::string> value = vault_.Open(s);
    if (!value.ok()) return value.status();
    filled[s.field] = !value->empty();
    values[s.field] = std::move(value).value();
  }
  HERALD_RETURN_IF_ERROR(RequireFields(**plugin, env, owner, filled));
  for (const auto& spec : sdk::FieldSpecs((*plugin)->auth_type().vtable())) {
    if (!values.count(spec.name) && !spec.default_value.empty()) {
      values[spec.name] = spec.default_value;
    }
  }
  return sdk::Values(std::move(values));
}

Status ConnectionService::CheckCredentials(const EnvironmentConfig& config, Environment env,
                                           const CredentialOwner& owner,
                                           const std::vector<SealedCredential>& stored) const {
  StatusOr<const LoadedPlugin*> plugin = AuthTypeOf(config);
  if (!plugin.ok()) return plugin.status();
  std::map<std::string, bool> filled;
  for (const auto& s : stored) {
    if (s.environment != env) continue;
    bool empty = true;
    HERALD_RETURN_IF_ERROR(vault_.Check(s, &empty));
    filled[s.field] = !empty;
  }
  return RequireFields(**plugin, env, owner, filled);
}

Status ConnectionService::RequireFields(const LoadedPlugin& plugin, Environment env,
                                        const CredentialOwner& owner,
                                        const std::map<std::string, bool>& filled) {
  const std::string env_name(EnvironmentName(env));
  const std::string whose = owner.is_team() ? "team" : "member";
  if (filled.empty()) {
    return Status::FailedPrecondition("no " + whose + " credentials set for " + env_name);
  }
  for (const auto& spec : sdk::FieldSpecs(plugin.auth_type().vtable())) {
    if (!spec.required) continue;
    // A field not stored takes its default; a stored one, even empty, does not.
    auto stored = filled.find(spec.name);
    if (stored != filled.end() ? stored->second : !spec.default_value.empty()) continue;
    return Status::FailedPrecondition(whose + " credentials for " + env_name +
                                      " lack the required field '" + spec.name + "'");
  }
  return Status::Ok();
}

StatusOr<sdk::Values> ConnectionService::SchemeFields(const ConnectionState& state,
                                                      Environment env) const {
  const auto& config = state.connection.config(env);
  if (!config)
    return Status::FailedPrecondition("no " + std::string(EnvironmentName(env)) + " configuration");
  StatusOr<const LoadedPlugin*> plugin = AuthTypeOf(*config);
  if (!plugin.ok()) return plugin.status();
  std::map<std::string, std::string> values;
  for (const auto& spec : sdk::FieldSpecs((*plugin)->auth_type().vtable())) {
    if (spec.secret) continue;
    for (const auto& s : state.team_credentials) {
      if (s.environment != env || s.field != spec.name) continue;
      StatusOr<std::string> value = vault_.Open(s);
      if (value.ok()) values[spec.name] = *value;
    }
    if (!values.count(spec.name) && !spec.default_value.empty()) {
      values[spec.name] = spec.default_value;
    }
  }
  return sdk::Values(std::move(values));
}

StatusOr<User> ConnectionService::ResolveSsoMember(const Connection& connection, Environment env,
                                                   const std::string& sso_token) {
  const auto& config = connection.config(env);
  if (!config || !config->sso) {
    return Status::FailedPrecondition("SSO is not on for this environment");
  }
  StatusOr<sso::JwtConfig> sso_config = SsoConfigOf(*config);
  if (!sso_config.ok()) return sso_config.status();
  StatusOr<sso::JwtVerifier> verifier = sso::JwtVerifier::Create(*sso_config);
  if (!verifier.ok()) return verifier.status();
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  StatusOr<sso::Identity> identity = verifier->Verify(sso_token, now);
  if (!identity.ok()) return identity.status();
  StatusOr<User> user = store_.users().FindUserByName(identity->subject);
  if (!user.ok()) {
    return Status::PermissionDenied("the SSO subject '" + identity->subject +
                                    "' is not a heraldd user");
  }
  return user;
}

StatusOr<ConnectionStatus> ConnectionService::Test(const std::string& id, Environment env,
                                                   const CredentialOwner& owner,
                                                   const std::string& owner_label) {
  StatusOr<Connection> c = store_.connections().GetConnection(id);
  if (!c.ok()) return c.status();
  const auto& config = c->config(env);
  const std::string env_name(EnvironmentName(env));
  if (!config) {
    return Status::FailedPrecondition("connection '" + id + "' has no " + env_name +
                                      " configuration");
  }
  ConnectionStatus status;
  status.tested_at = api::NowRfc3339();
  StatusOr<sdk::Values> fields = LoadCredentials(*c, env, owner);
  if (!fields.ok()) {
    status.status = "incomplete";
    status.detail = fields.status().message() + " (" + owner_label + ")";
  } else {
    StatusOr<const LoadedPlugin*> plugin = AuthTypeOf(*config);
    if (!plugin.ok()) return plugin.status();
    probe::ProbeRequest request;
    request.server_url = config->server_url;
    request.method = config->probe_method;
    request.path = config->probe_path;
    request.timeout_ms = config->probe_timeout_ms;
    request.auth.method = config->probe_method;
    request.auth.url = config->server_url + config->probe_path;
    sdk::CallResult applied =
        (*plugin)->auth_type().Apply(*fields, request.auth.method, request.auth.url, &request.auth);
    if (!applied.ok()) {
      status.status = "incomplete";
      status.detail = "the auth type refused the credentials: " + applied.error;
    } else {
      StatusOr<probe::ProbeResult> result = probe::Probe(request);
      if (!result.ok()) return result.status();
      status.status = std::string(probe::ProbeOutcomeName(result->outcome));
      status.detail = result->detail;
      status.http_status = result->http_status;
    }
  }
  HERALD_RETURN_IF_ERROR(store_.connections().SetConnectionStatus(id, env, status));
  LogEvent(spdlog::level::info, "connection.tested",
           {{"id", id},
            {"env", env_name},
            {"as", owner_label},
            {"status", status.status},
            {"http_status", status.http_status}});
  return status;
}

}  // namespace herald
