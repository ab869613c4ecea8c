#include "herald/core/plugin_services.h"

#include <chrono>

#include "herald/core/credential_vault.h"

namespace herald {
namespace {

Status CheckKey(const std::string& key) {
  if (key.empty()) return Status::InvalidArgument("key: must not be empty");
  if (key.size() > kPluginKeyMaxBytes) {
    return Status::InvalidArgument("key: longer than " + std::to_string(kPluginKeyMaxBytes) +
                                   " bytes");
  }
  return Status::Ok();
}

}  // namespace

PluginServices::PluginServices(PluginRoutes& routes, Store& store, const CredentialVault& vault,
                               OutboundClient& outbound, std::optional<sso::JwtVerifier> sso)
    : routes_(routes), store_(store), vault_(vault), outbound_(outbound), sso_(std::move(sso)) {}

StatusOr<runtime::TurnOutput> PluginServices::RunTurn(const std::string& plugin,
                                                      runtime::TurnInput input,
                                                      const runtime::TurnCallbacks& callbacks) {
  runtime::Runtime* runtime = runtime_.load();
  if (runtime == nullptr) return Status::Unavailable("heraldd is starting; try again");
  input.channel = plugin;
  return runtime->RunLive(input, callbacks);
}

StatusOr<std::string> PluginServices::Get(const std::string& plugin, bool sealed,
                                          const std::string& key) {
  HERALD_RETURN_IF_ERROR(CheckKey(key));
  StatusOr<std::string> stored = store_.plugin_state().GetPluginValue(plugin, sealed, key);
  if (!stored.ok() || !sealed) return stored;
  SealedCredential row = PluginSecretRow(plugin, key);
  row.sealed = std::move(stored).value();
  return vault_.Open(row);
}

Status PluginServices::Put(const std::string& plugin, bool sealed, const std::string& key,
                           const std::string& value) {
  HERALD_RETURN_IF_ERROR(CheckKey(key));
  if (value.size() > kPluginValueMaxBytes) {
    return Status::InvalidArgument("value: larger than " + std::to_string(kPluginValueMaxBytes) +
                                   " bytes");
  }
  if (!sealed) return store_.plugin_state().PutPluginValue(plugin, false, key, value);
  StatusOr<SealedCredential> row = vault_.Seal(PluginSecretRow(plugin, key), value);
  if (!row.ok()) return row.status();
  return store_.plugin_state().PutPluginValue(plugin, true, key, row->sealed);
}

Status PluginServices::Delete(const std::string& plugin, bool sealed, const std::string& key) {
  HERALD_RETURN_IF_ERROR(CheckKey(key));
  return store_.plugin_state().DeletePluginValue(plugin, sealed, key);
}

StatusOr<std::vector<PluginStateEntry>> PluginServices::List(const std::string& plugin,
                                                             const std::string& prefix) {
  if (prefix.size() > kPluginKeyMaxBytes) {
    return Status::InvalidArgument("prefix: longer than " + std::to_string(kPluginKeyMaxBytes) +
                                   " bytes");
  }
  return store_.plugin_state().ListPluginValues(plugin, false, prefix);
}

Status PluginServices::Apply(const std::string& plugin, const std::vector<KvChange>& changes) {
  for (const KvChange& c : changes) {
    HERALD_RETURN_IF_ERROR(CheckKey(c.key));
    if (!c.is_delete && c.value.size() > kPluginValueMaxBytes) {
      return Status::InvalidArgument("value of '" + c.key + "': larger than " +
                                     std::to_string(kPluginValueMaxBytes) + " bytes");
    }
  }
  return store_.Transaction([&]() -> Status {
    for (const KvChange& c : changes) {
      HERALD_RETURN_IF_ERROR(
          c.is_delete ? store_.plugin_state().DeletePluginValue(plugin, false, c.key)
                      : store_.plugin_state().PutPluginValue(plugin, false, c.key, c.value));
    }
    return Status::Ok();
  });
}

StatusOr<std::string> PluginServices::VerifyIdentity(const std::string& token) {
  if (!sso_) {
    return Status::PermissionDenied(
        "no identity provider is configured (sso.* in heraldd's configuration)");
  }
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  StatusOr<sso::Identity> identity = sso_->Verify(token, now);
  if (!identity.ok()) return Status::PermissionDenied(identity.status().message());
  StatusOr<User> user = store_.users().FindUserByName(identity->subject);
  if (!user.ok()) {
    return Status::PermissionDenied("the identity's subject '" + identity->subject +
                                    "' is not a heraldd user");
  }
  return user->name;
}

}  // namespace herald
