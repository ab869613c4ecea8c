// The credential vault: seals and opens credential values with the master
// key, and owns that key's life cycle.
//
// Key policy at start-up (Open):
//  - HERALD_MASTER_KEY set: that key (base64 of 32 bytes) is used.
//  - otherwise the key file (mode 0600). On first start, when the data
//    directory holds no secrets yet and the file does not exist, a new key is
//    generated and saved, and its location logged.
//  - In every other case a missing, malformed or wrong key refuses start-up:
//    the store keeps a key check, a known value sealed with the key, and a
//    key that does not open it is the wrong key. A new key is never made
//    silently for a data directory that has one.
//
// Rotation (file keys only) is crash-safe: the new key is added to the key
// file first (old one kept), every secret and the key check are re-sealed in
// one transaction, then the old key is retired from the file.
//
// Thread-safety: every method may be called from any thread; Rotate excludes
// the others for its duration.
#ifndef HERALD_CORE_CREDENTIAL_VAULT_H_
#define HERALD_CORE_CREDENTIAL_VAULT_H_

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "herald/core/secrets/keyring.h"
#include "herald/core/secrets/secret_box.h"
#include "herald/core/store.h"

namespace herald {

struct MasterKeySource {
  std::filesystem::path key_file;
  std::optional<std::string> environment_value;  // HERALD_MASTER_KEY
};

struct RotationResult {
  std::string key_id;
  int reencrypted = 0;
};

class CredentialVault {
 public:
  static StatusOr<std::unique_ptr<CredentialVault>> Open(Store& store, MasterKeySource source);

  // Seals `value` for the row `where` (its connection, environment, owner and
  // field are bound into the ciphertext); returns the credential to store.
  StatusOr<SealedCredential> Seal(SealedCredential where, std::string_view value) const;
  StatusOr<std::string> Open(const SealedCredential& credential) const;
  // Whether `credential` opens, without handing out its value: Ok, with
  // `*empty` telling whether the value is the empty string, or Open's error.
  // A credential that opened is remembered by its exact sealed text and row
  // (a bounded set, emptied when full and at rotation): AES-GCM gives the
  // same verdict for the same key, ciphertext and associated data, so a
  // readiness check of an unchanged credential does no cryptography again.
  // One that failed is checked afresh every time.
  Status Check(const SealedCredential& credential, bool* empty) const;

  StatusOr<RotationResult> Rotate();

 private:
  // Enough for every credential of a large installation; beyond it the set
  // starts again rather than evicting one by one.
  static constexpr size_t kMaxRemembered = 4096;

  CredentialVault(Store& store, MasterKeySource source, secrets::Keyring keyring);
  StatusOr<std::string> OpenLocked(const SealedCredential& credential) const;  // mu_ held

  Store& store_;
  MasterKeySource source_;
  mutable std::shared_mutex mu_;
  secrets::Keyring keyring_;  // guarded by mu_
  secrets::SecretBox box_;    // guarded by mu_
  // Sealed text and associated data of credentials that opened, each with
  // whether its value is empty. Never a plaintext.
  mutable std::mutex opened_mu_;
  mutable std::unordered_map<std::string, bool> opened_;  // guarded by opened_mu_
};

// The row a channel plugin's secret (host API secret_*) is sealed for: the
// plugin and the key are bound into the ciphertext like a credential's
// connection and field.
SealedCredential PluginSecretRow(const std::string& plugin, const std::string& key);

// The row a secret channel setting's value (secret_settings.h) is sealed
// for: agent, channel, setting and the value's random id are bound into the
// ciphertext, so a value moved to another row does not open.
SealedCredential ChannelSecretRow(const std::string& agent_id, const std::string& channel,
                                  const std::string& setting, const std::string& id);

// The meta key under which the key check is stored.
inline constexpr char kKeyCheckMetaKey[] = "master_key_check";

}  // namespace herald

#endif  // HERALD_CORE_CREDENTIAL_VAULT_H_
