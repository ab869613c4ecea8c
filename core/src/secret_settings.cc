#include "herald/core/secret_settings.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <openssl/rand.h>

#include "herald/core/json_text.h"

namespace herald {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr char kSecretKey[] = "$secret";
constexpr char kKeepMarker[] = "set";

Object::Ptr KeptMarker() {
  Object::Ptr o = new Object;
  o->set(kSecretKey, std::string(kKeepMarker));
  return o;
}

// Nothing to mask unless the text names the key at all: most agents have no
// secret setting, and their JSON is passed on untouched. The search starts
// from the '$', which a JSON text seldom holds (a search led by the quote
// stops at every string of a 13 KB snapshot).
bool MayHoldSecret(std::string_view json) {
  constexpr std::string_view kKeyTail = "$secret\"";
  for (size_t at = json.find(kKeyTail); at != json.npos; at = json.find(kKeyTail, at + 1)) {
    if (at > 0 && json[at - 1] == '"') return true;
  }
  return false;
}

Object::Ptr ParseObject(const std::string& json) {
  Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(json.empty() ? "{}" : json);
  if (parsed.type() != typeid(Object::Ptr)) return nullptr;
  return parsed.extract<Object::Ptr>();
}

void MaskSettingsObject(Object& settings) {
  for (const std::string& name : settings.getNames()) {
    if (SecretReferenceOf(settings.get(name))) settings.set(name, KeptMarker());
  }
}

std::string Field(std::string_view prefix, const std::string& name) {
  return std::string(prefix) + "settings." + name;
}

std::string NewSecretId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

}  // namespace

std::optional<std::string> SecretReferenceOf(const Poco::Dynamic::Var& value) {
  if (value.type() != typeid(Object::Ptr)) return std::nullopt;
  Object::Ptr o = value.extract<Object::Ptr>();
  if (o.isNull() || o->size() != 1 || !o->has(kSecretKey)) return std::nullopt;
  Poco::Dynamic::Var ref = o->get(kSecretKey);
  if (!ref.isString()) return std::nullopt;
  return ref.extract<std::string>();
}

std::string MaskSettingsJson(const std::string& settings_json) {
  if (!MayHoldSecret(settings_json)) return settings_json;
  Object::Ptr settings = ParseObject(settings_json);
  if (settings.isNull()) return settings_json;
  MaskSettingsObject(*settings);
  return CompactJson(settings);
}

void MaskChannelSettings(Object& agent) {
  Array::Ptr channels = agent.getArray("channels");
  if (channels.isNull()) return;
  for (unsigned i = 0; i < channels->size(); ++i) {
    Object::Ptr channel = channels->getObject(i);
    if (channel.isNull()) continue;
    Object::Ptr settings = channel->getObject("settings");
    if (!settings.isNull()) MaskSettingsObject(*settings);
  }
}

bool MayHoldSecretSettings(std::string_view json) { return MayHoldSecret(json); }

std::string MaskSnapshotJson(const std::string& snapshot_json) {
  if (!MayHoldSecret(snapshot_json)) return snapshot_json;
  Object::Ptr snapshot = ParseObject(snapshot_json);
  if (snapshot.isNull()) return snapshot_json;
  MaskChannelSettings(*snapshot);
  return CompactJson(snapshot);
}

bool DeclaresSecretSettings(const LoadedPlugin& plugin) {
  for (const auto& spec : sdk::SettingSpecs(plugin.channel().vtable())) {
    if (spec.secret) return true;
  }
  return false;
}

Status KeepStoredSecrets(const LoadedPlugin& plugin, const ChannelBinding* current,
                         std::string* settings_json, std::string_view field_prefix) {
  if (!MayHoldSecret(*settings_json)) return Status::Ok();
  Object::Ptr given = ParseObject(*settings_json);
  if (given.isNull()) return Status::Ok();  // the settings check names it
  Object::Ptr stored = current != nullptr ? ParseObject(current->settings_json) : nullptr;
  for (const auto& spec : sdk::SettingSpecs(plugin.channel().vtable())) {
    if (!spec.secret || !given->has(spec.name)) continue;
    std::optional<std::string> marker = SecretReferenceOf(given->get(spec.name));
    if (!marker) continue;
    if (*marker != kKeepMarker) {
      return Status::InvalidArgument(Field(field_prefix, spec.name) +
                                     ": give the secret value as a string, or " + kSecretKeptJson +
                                     " to keep the stored one");
    }
    std::optional<std::string> id;
    if (!stored.isNull() && stored->has(spec.name)) id = SecretReferenceOf(stored->get(spec.name));
    if (!id) {
      return Status::InvalidArgument(Field(field_prefix, spec.name) +
                                     ": no value is stored to keep; give the secret value");
    }
    Object::Ptr reference = new Object;
    reference->set(kSecretKey, *id);
    given->set(spec.name, reference);
  }
  *settings_json = CompactJson(given);
  return Status::Ok();
}

Status SecretSettings::SealGiven(const LoadedPlugin& plugin, const std::string& agent_id,
                                 const std::string& channel, const ChannelBinding* current,
                                 std::string* settings_json) const {
  Object::Ptr given = ParseObject(*settings_json);
  if (given.isNull()) return Status::Ok();
  Object::Ptr stored = current != nullptr ? ParseObject(current->settings_json) : nullptr;
  bool changed = false;
  for (const auto& spec : sdk::SettingSpecs(plugin.channel().vtable())) {
    if (!spec.secret || !given->has(spec.name)) continue;
    Poco::Dynamic::Var value = given->get(spec.name);
    if (!value.isString()) continue;  // a reference already
    const std::string plain = value.extract<std::string>();
    std::string id;
    if (!stored.isNull() && stored->has(spec.name)) {
      std::optional<std::string> old = SecretReferenceOf(stored->get(spec.name));
      if (old) {
        StatusOr<std::string> old_value = Open(agent_id, channel, spec.name, *old);
        if (old_value.ok() && *old_value == plain) id = *old;
      }
    }
    if (id.empty()) {
      id = NewSecretId();
      if (id.empty()) return Status::Internal("the system's random source failed");
      SealedCredential row = ChannelSecretRow(agent_id, channel, spec.name, id);
      StatusOr<SealedCredential> sealed = vault_.Seal(row, plain);
      if (!sealed.ok()) return sealed.status();
      HERALD_RETURN_IF_ERROR(store_.channel_secrets().PutChannelSecret(
          SealedChannelSecret{id, agent_id, channel, spec.name, sealed->sealed}));
    }
    Object::Ptr reference = new Object;
    reference->set(kSecretKey, id);
    given->set(spec.name, reference);
    changed = true;
  }
  if (changed) *settings_json = CompactJson(given);
  return Status::Ok();
}

StatusOr<std::string> SecretSettings::Open(const std::string& agent_id, const std::string& channel,
                                           const std::string& setting,
                                           const std::string& id) const {
  StatusOr<SealedChannelSecret> row = store_.channel_secrets().GetChannelSecret(id);
  if (!row.ok() && row.status().code() != StatusCode::kNotFound) return row.status();
  if (!row.ok() || row->agent_id != agent_id || row->channel != channel ||
      row->setting != setting) {
    return Status::NotFound("the stored secret value is missing");
  }
  SealedCredential sealed = ChannelSecretRow(agent_id, channel, setting, id);
  sealed.sealed = row->sealed;
  StatusOr<std::string> value = vault_.Open(sealed);
  if (!value.ok()) {
    // The vault's message names the row; the caller names the setting.
    return Status(value.status().code(), "the stored secret value cannot be opened");
  }
  return value;
}

SecretOpener SecretSettings::OpenerFor(const std::string& agent_id,
                                       const std::string& channel) const {
  return [this, agent_id, channel](const std::string& setting, const std::string& id) {
    return Open(agent_id, channel, setting, id);
  };
}

sdk::Values ResolveForPlugin(const SecretSettings* secrets, const LoadedPlugin& plugin,
                             const std::string& agent_id, const std::string& channel,
                             const std::string& settings_json,
                             std::vector<sdk::Problem>* problems) {
  if (secrets == nullptr || !MayHoldSecret(settings_json)) {
    return ResolveChannelSettings(plugin, settings_json, problems);
  }
  return ResolveChannelSettings(plugin, settings_json, problems,
                                secrets->OpenerFor(agent_id, channel));
}

}  // namespace herald
