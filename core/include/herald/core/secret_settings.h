// Channel settings a plugin declares secret (ABI 1.2; a bot token, say).
//
//  - Given: a string sets a new value; {"$secret":"set"} keeps the value
//    stored for that setting of that channel (none stored: InvalidArgument
//    naming settings.<name>). Leaving the setting out removes it.
//  - Stored: the value is sealed by the CredentialVault into the
//    ChannelSecretStore, bound to agent, channel, setting and a random id;
//    the draft and every version hold only {"$secret":"<id>"}. A new value
//    gets a new id (so a version's content hash changes with it); giving the
//    value already stored keeps the id.
//  - Shown: API answers, exports, diffs and logs show {"$secret":"set"}
//    (the Mask functions), never the value nor the id.
//  - Handed over: only the plugin's validate, publish and deployment_event
//    receive the value, opened by Resolve into their name/value settings;
//    the snapshot_json publish receives is masked.
//
// Thread-safety: SecretSettings is as thread-safe as the store and vault it
// uses (both are); the free functions are pure.
#ifndef HERALD_CORE_SECRET_SETTINGS_H_
#define HERALD_CORE_SECRET_SETTINGS_H_

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <herald/sdk/types.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "herald/core/channel_settings.h"
#include "herald/core/credential_vault.h"
#include "herald/core/model/agent.h"
#include "herald/core/plugin_loader.h"
#include "herald/core/status.h"
#include "herald/core/store.h"

namespace herald {

// What every output shows for a secret setting that has a value, and what
// input gives to keep that value.
inline constexpr char kSecretKeptJson[] = R"({"$secret":"set"})";

// The string of `value` when it is an object {"$secret": "<string>"} (a
// stored reference, or the "set" marker), else nothing.
std::optional<std::string> SecretReferenceOf(const Poco::Dynamic::Var& value);

// A channel's settings (JSON object text) with every {"$secret": ...} value
// shown as {"$secret":"set"}.
std::string MaskSettingsJson(const std::string& settings_json);
// The same for each channels[].settings of an agent's or snapshot's JSON.
void MaskChannelSettings(Poco::JSON::Object& agent);
std::string MaskSnapshotJson(const std::string& snapshot_json);
// False when `json` holds no secret reference, so that masking it would
// return it unchanged: a caller that keeps the text can skip the copy.
bool MayHoldSecretSettings(std::string_view json);

// Whether `plugin` declares any setting secret.
bool DeclaresSecretSettings(const LoadedPlugin& plugin);

// Input: replaces each {"$secret":"set"} of a secret setting in
// `settings_json` (canonical JSON object text) by the reference `current`
// (the channel as stored, or null when new) holds for it. InvalidArgument
// naming `field_prefix` + "settings.<name>" when it holds none, or when the
// input gives a {"$secret": ...} other than "set".
Status KeepStoredSecrets(const LoadedPlugin& plugin, const ChannelBinding* current,
                         std::string* settings_json, std::string_view field_prefix);

class SecretSettings {
 public:
  SecretSettings(Store& store, const CredentialVault& vault) : store_(store), vault_(vault) {}

  // Replaces each secret setting's plain value in `settings_json` (after
  // KeepStoredSecrets) by a reference: the one `current` holds when its
  // value is the same, else a new sealed row. Call inside the transaction
  // that stores the channel, so a failure leaves no row behind.
  Status SealGiven(const LoadedPlugin& plugin, const std::string& agent_id,
                   const std::string& channel, const ChannelBinding* current,
                   std::string* settings_json) const;

  // Opens the references of the settings of `channel` of `agent_id`.
  SecretOpener OpenerFor(const std::string& agent_id, const std::string& channel) const;

 private:
  // The value of reference `id`, which must belong to agent, channel and
  // setting. Errors never carry the value.
  StatusOr<std::string> Open(const std::string& agent_id, const std::string& channel,
                             const std::string& setting, const std::string& id) const;

  Store& store_;
  const CredentialVault& vault_;
};

// The settings as a plugin's publish or deployment_event receives them:
// ResolveChannelSettings with secret references opened by `secrets` (when
// null, e.g. a host without a vault, they are left out).
sdk::Values ResolveForPlugin(const SecretSettings* secrets, const LoadedPlugin& plugin,
                             const std::string& agent_id, const std::string& channel,
                             const std::string& settings_json, std::vector<sdk::Problem>* problems);

}  // namespace herald

#endif  // HERALD_CORE_SECRET_SETTINGS_H_
