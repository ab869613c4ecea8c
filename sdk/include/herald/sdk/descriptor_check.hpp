// Host-side checks of a plugin's descriptor against this SDK's ABI: what
// heraldd (and FakeHost::StartLibrary) refuse to load. Header-only.
//
// A table is read only as far as its struct_size reaches: a plugin built for
// an older minor ABI has shorter tables and still loads; fields appended in a
// later minor are read only when struct_size covers them.
#ifndef HERALD_SDK_DESCRIPTOR_CHECK_HPP_
#define HERALD_SDK_DESCRIPTOR_CHECK_HPP_

#include <herald/sdk/abi.h>
#include <herald/sdk/types.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace herald::sdk {

// The sizes of the ABI 1.0 records: the smallest a plugin may hand over.
inline constexpr size_t kDescriptorSizeV1_0 =
    offsetof(herald_plugin_descriptor, auth_type) + sizeof(void*);
inline constexpr size_t kChannelTableSizeV1_0 =
    offsetof(herald_channel_vtable, status) + sizeof(void*);
inline constexpr size_t kAuthTypeTableSizeV1_0 =
    offsetof(herald_auth_type_vtable, satisfies) + sizeof(void*);

inline std::string AbiVersionString(uint32_t major, uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

inline bool IsValidPluginName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

namespace detail {

inline std::string TooSmall(const char* what, size_t got, size_t need) {
  return std::string(what) + " is too small (" + std::to_string(got) + " bytes, need " +
         std::to_string(need) + ")";
}

inline std::string CheckChannelTable(const herald_channel_vtable* vt) {
  if (vt == nullptr) return "channel plugin has no channel function table";
  if (vt->struct_size < kChannelTableSizeV1_0) {
    return TooSmall("channel function table", vt->struct_size, kChannelTableSizeV1_0);
  }
  if (vt->validate == nullptr || vt->publish == nullptr || vt->unpublish == nullptr ||
      vt->status == nullptr) {
    return "channel function table lacks validate, publish, unpublish or status";
  }
  if (vt->settings_count > 0 && vt->settings == nullptr) {
    return "channel declares settings but gives none";
  }
  if (!HasSecretSettingsList(*vt)) return {};
  if (vt->secret_settings_count > 0 && vt->secret_settings == nullptr) {
    return "channel declares secret settings but gives none";
  }
  // A secret the host could not seal as text, or one it does not know, would
  // be stored or shown in the clear: refuse the plugin instead.
  for (size_t i = 0; i < vt->secret_settings_count; ++i) {
    const std::string_view name = ToView(vt->secret_settings[i]);
    const herald_setting_spec* spec = nullptr;
    for (size_t j = 0; j < vt->settings_count; ++j) {
      if (ToView(vt->settings[j].name) == name) spec = &vt->settings[j];
    }
    const std::string quoted = "'" + std::string(name.substr(0, 64)) + "'";
    if (spec == nullptr) {
      return "channel names setting " + quoted + " secret but declares no setting of that name";
    }
    if (spec->type != HERALD_SETTING_STRING) {
      return "channel names setting " + quoted +
             " secret but it is not a string setting (only string settings can be secret)";
    }
  }
  return {};
}

inline std::string CheckAuthTypeTable(const herald_auth_type_vtable* vt) {
  if (vt == nullptr) return "auth-type plugin has no auth_type function table";
  if (vt->struct_size < kAuthTypeTableSizeV1_0) {
    return TooSmall("auth_type function table", vt->struct_size, kAuthTypeTableSizeV1_0);
  }
  if (vt->validate == nullptr || vt->apply == nullptr || vt->satisfies == nullptr) {
    return "auth_type function table lacks validate, apply or satisfies";
  }
  if (vt->fields_count > 0 && vt->fields == nullptr) {
    return "auth type declares fields but gives none";
  }
  if ((vt->credential_types & (HERALD_CREDENTIAL_TEAM | HERALD_CREDENTIAL_MEMBER)) == 0) {
    return "auth type allows neither team nor member credentials";
  }
  return {};
}

}  // namespace detail

// Why `d` cannot be loaded by this host, or "" when it can.
inline std::string CheckDescriptor(const herald_plugin_descriptor* d) {
  if (d == nullptr) return "entry point returned no descriptor";
  // struct_size, abi_major and abi_minor sit first in every ABI version.
  if (d->struct_size < offsetof(herald_plugin_descriptor, kind)) {
    return "descriptor is too small to carry an ABI version (" + std::to_string(d->struct_size) +
           " bytes)";
  }
  const std::string host_abi = AbiVersionString(HERALD_ABI_MAJOR, HERALD_ABI_MINOR);
  const std::string plugin_abi = AbiVersionString(d->abi_major, d->abi_minor);
  if (d->abi_major != HERALD_ABI_MAJOR) {
    return "ABI major version differs: plugin ABI " + plugin_abi + ", host ABI " + host_abi;
  }
  if (d->abi_minor > HERALD_ABI_MINOR) {
    return "plugin needs a newer ABI: plugin ABI " + plugin_abi + ", host ABI " + host_abi;
  }
  if (d->struct_size < kDescriptorSizeV1_0) {
    return detail::TooSmall("descriptor", d->struct_size, kDescriptorSizeV1_0);
  }
  std::string_view name = ToView(d->name);
  if (!IsValidPluginName(name)) {
    return "plugin name must be 1 to 64 characters of a-z, 0-9 and _ (got '" +
           std::string(name.substr(0, 64)) + "')";
  }
  if (ToView(d->version).empty()) return "plugin '" + std::string(name) + "' has no version";
  if (d->init == nullptr) return "plugin '" + std::string(name) + "' has no init function";
  switch (d->kind) {
    case HERALD_PLUGIN_CHANNEL:
      return detail::CheckChannelTable(d->channel);
    case HERALD_PLUGIN_AUTH_TYPE:
      return detail::CheckAuthTypeTable(d->auth_type);
  }
  return "unknown plugin kind " + std::to_string(static_cast<int>(d->kind));
}

}  // namespace herald::sdk

#endif  // HERALD_SDK_DESCRIPTOR_CHECK_HPP_
