#include "herald/core/credential_vault.h"

#include <mutex>

#include "herald/core/log.h"
#include "herald/core/secrets/key_check.h"

namespace herald {
namespace {

std::string AssociatedData(const SealedCredential& c) {
  return secrets::CredentialAssociatedData(c.connection_id, EnvironmentName(c.environment), c.owner,
                                           c.field);
}

}  // namespace

CredentialVault::CredentialVault(Store& store, MasterKeySource source, secrets::Keyring keyring)
    : store_(store), source_(std::move(source)), keyring_(keyring), box_(keyring) {}

StatusOr<std::unique_ptr<CredentialVault>> CredentialVault::Open(Store& store,
                                                                 MasterKeySource source) {
  StatusOr<std::optional<std::string>> check = store.meta().GetMeta(kKeyCheckMetaKey);
  if (!check.ok()) return check.status();
  const bool has_secrets = check->has_value();

  std::optional<secrets::Keyring> keyring;
  if (source.environment_value) {
    StatusOr<secrets::Keyring> ring =
        secrets::Keyring::FromEnvironmentValue(*source.environment_value);
    if (!ring.ok()) return ring.status().WithContext("HERALD_MASTER_KEY");
    keyring = std::move(ring).value();
  } else {
    std::error_code ec;
    const bool file_exists = std::filesystem::exists(source.key_file, ec);
    if (!file_exists && !has_secrets) {
      StatusOr<secrets::Keyring> ring = secrets::Keyring::Generate();
      if (!ring.ok()) return ring.status();
      HERALD_RETURN_IF_ERROR(ring->SaveFile(source.key_file));
      LogEvent(spdlog::level::warn, "master_key.created",
               {{"key_file", source.key_file.string()},
                {"note", "back this file up: without it the stored credentials are lost"}});
      keyring = std::move(ring).value();
    } else if (!file_exists) {
      return Status::FailedPrecondition(
          "master key file " + source.key_file.string() +
          " is missing, and this data directory holds secrets sealed with a key; restore the "
          "file or set HERALD_MASTER_KEY (heraldd never makes a new key for existing secrets)");
    } else {
      StatusOr<secrets::Keyring> ring = secrets::Keyring::LoadFile(source.key_file);
      if (!ring.ok()) return ring.status();
      keyring = std::move(ring).value();
    }
  }

  std::unique_ptr<CredentialVault> vault(
      new CredentialVault(store, std::move(source), std::move(*keyring)));
  if (has_secrets) {
    HERALD_RETURN_IF_ERROR(secrets::VerifyKeyCheck(vault->box_, **check));
  } else {
    StatusOr<std::string> made = secrets::MakeKeyCheck(vault->box_);
    if (!made.ok()) return made.status();
    HERALD_RETURN_IF_ERROR(store.meta().PutMeta(kKeyCheckMetaKey, *made));
  }
  LogEvent(spdlog::level::info, "master_key.ready", {{"key_id", vault->box_.active_key_id()}});
  return vault;
}

StatusOr<SealedCredential> CredentialVault::Seal(SealedCredential where,
                                                 std::string_view value) const {
  std::shared_lock lock(mu_);
  StatusOr<std::string> sealed = box_.Seal(value, AssociatedData(where));
  if (!sealed.ok()) return sealed.status();
  where.sealed = std::move(sealed).value();
  return where;
}

StatusOr<std::string> CredentialVault::Open(const SealedCredential& credential) const {
  std::shared_lock lock(mu_);
  return OpenLocked(credential);
}

StatusOr<std::string> CredentialVault::OpenLocked(const SealedCredential& credential) const {
  StatusOr<std::string> value = box_.Open(credential.sealed, AssociatedData(credential));
  if (!value.ok()) {
    return Status(value.status().code(), "credential field '" + credential.field +
                                             "' of connection '" + credential.connection_id +
                                             "': " + value.status().message());
  }
  return value;
}

Status CredentialVault::Check(const SealedCredential& credential, bool* empty) const {
  // Held throughout, so that no verdict under the old key ring is
  // remembered after Rotate has emptied the set.
  std::shared_lock lock(mu_);
  std::string remembered_as = credential.sealed + '\0' + AssociatedData(credential);
  {
    std::lock_guard<std::mutex> opened_lock(opened_mu_);
    if (auto it = opened_.find(remembered_as); it != opened_.end()) {
      *empty = it->second;
      return Status::Ok();
    }
  }
  StatusOr<std::string> value = OpenLocked(credential);
  if (!value.ok()) return value.status();
  *empty = value->empty();
  std::lock_guard<std::mutex> opened_lock(opened_mu_);
  if (opened_.size() >= kMaxRemembered) opened_.clear();
  opened_.emplace(std::move(remembered_as), *empty);
  return Status::Ok();
}

StatusOr<RotationResult> CredentialVault::Rotate() {
  std::unique_lock lock(mu_);
  {
    // Verdicts under the old ring: Check holds mu_ shared, so none is added
    // until the new ring is in place.
    std::lock_guard<std::mutex> opened_lock(opened_mu_);
    opened_.clear();
  }
  if (source_.environment_value) {
    return Status::FailedPrecondition(
        "the master key comes from HERALD_MASTER_KEY; rotation needs a key file (unset "
        "HERALD_MASTER_KEY and keep the key in the data directory's key file)");
  }
  secrets::Keyring rotated = keyring_;
  const std::string old_id = rotated.active().id;
  const std::string new_id = rotated.Rotate().id;
  // 1. The file holds both keys before any secret is re-sealed.
  HERALD_RETURN_IF_ERROR(rotated.SaveFile(source_.key_file));
  secrets::SecretBox both(rotated);

  // 2. Every secret and the key check, re-sealed in one transaction.
  int count = 0;
  Status s = store_.Transaction([&]() -> Status {
    StatusOr<std::vector<SealedCredential>> all = store_.credentials().ListAllCredentials();
    if (!all.ok()) return all.status();
    for (SealedCredential& c : *all) {
      StatusOr<std::string> plain = both.Open(c.sealed, AssociatedData(c));
      if (!plain.ok()) return plain.status().WithContext("credential field '" + c.field + "'");
      StatusOr<std::string> sealed = both.Seal(*plain, AssociatedData(c));
      if (!sealed.ok()) return sealed.status();
      c.sealed = std::move(sealed).value();
      HERALD_RETURN_IF_ERROR(store_.credentials().PutCredential(c));
      ++count;
    }
    StatusOr<std::vector<PluginStateEntry>> plugin_secrets =
        store_.plugin_state().ListAllSealedPluginValues();
    if (!plugin_secrets.ok()) return plugin_secrets.status();
    for (const PluginStateEntry& e : *plugin_secrets) {
      const SealedCredential row = PluginSecretRow(e.plugin, e.key);
      StatusOr<std::string> plain = both.Open(e.value, AssociatedData(row));
      if (!plain.ok()) {
        return plain.status().WithContext("plugin '" + e.plugin + "' secret '" + e.key + "'");
      }
      StatusOr<std::string> sealed = both.Seal(*plain, AssociatedData(row));
      if (!sealed.ok()) return sealed.status();
      HERALD_RETURN_IF_ERROR(store_.plugin_state().PutPluginValue(e.plugin, true, e.key, *sealed));
      ++count;
    }
    StatusOr<std::vector<SealedChannelSecret>> settings =
        store_.channel_secrets().ListAllChannelSecrets();
    if (!settings.ok()) return settings.status();
    for (SealedChannelSecret& e : *settings) {
      const SealedCredential row = ChannelSecretRow(e.agent_id, e.channel, e.setting, e.id);
      StatusOr<std::string> plain = both.Open(e.sealed, AssociatedData(row));
      if (!plain.ok()) {
        return plain.status().WithContext("agent '" + e.agent_id + "' channel '" + e.channel +
                                          "' secret setting '" + e.setting + "'");
      }
      StatusOr<std::string> sealed = both.Seal(*plain, AssociatedData(row));
      if (!sealed.ok()) return sealed.status();
      e.sealed = std::move(sealed).value();
      HERALD_RETURN_IF_ERROR(store_.channel_secrets().PutChannelSecret(e));
      ++count;
    }
    StatusOr<std::string> check = secrets::MakeKeyCheck(both);
    if (!check.ok()) return check.status();
    return store_.meta().PutMeta(kKeyCheckMetaKey, *check);
  });
  if (!s.ok()) {
    // The file keeps both keys; the data still opens with the old one.
    LogEvent(spdlog::level::err, "master_key.rotation_failed", {{"reason", s.message()}});
    return s;
  }

  // 3. The old key is no longer needed.
  rotated.Retire(old_id);
  Status saved = rotated.SaveFile(source_.key_file);
  if (!saved.ok()) {
    LogEvent(spdlog::level::warn, "master_key.retire_failed",
             {{"key_id", old_id}, {"reason", saved.message()}});
  }
  keyring_ = rotated;
  box_ = secrets::SecretBox(keyring_);
  LogEvent(spdlog::level::info, "master_key.rotated",
           {{"key_id", new_id}, {"retired", old_id}, {"reencrypted", count}});
  return RotationResult{new_id, count};
}

SealedCredential PluginSecretRow(const std::string& plugin, const std::string& key) {
  SealedCredential row;
  row.connection_id = "plugin:" + plugin;
  row.environment = Environment::kLive;
  row.owner = "plugin";
  row.field = key;
  return row;
}

SealedCredential ChannelSecretRow(const std::string& agent_id, const std::string& channel,
                                  const std::string& setting, const std::string& id) {
  SealedCredential row;
  row.connection_id = "agent:" + agent_id;
  row.environment = Environment::kLive;
  row.owner = "channel:" + channel;
  row.field = setting + "$" + id;
  return row;
}

}  // namespace herald
