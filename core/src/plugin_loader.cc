#include "herald/core/plugin_loader.h"

#include <boost/dll/shared_library.hpp>
#include <cstddef>
#include <mutex>
#include <vector>

namespace herald {
namespace {

// Libraries are kept open until the process exits, never closed: see the
// header. Deliberately leaked so no static destructor closes them either.
void RetainForever(boost::dll::shared_library library) {
  static std::mutex* mu = new std::mutex;
  static auto* retained = new std::vector<boost::dll::shared_library>;
  std::lock_guard<std::mutex> lock(*mu);
  retained->push_back(std::move(library));
}

std::string AbiString(uint32_t major, uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

bool ValidPluginName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// Descriptor fields every ABI version has at the same offsets.
constexpr size_t kVersionPrefixSize = offsetof(herald_plugin_descriptor, kind);

Status CheckChannelTable(const herald_channel_vtable* vt) {
  if (vt == nullptr) return Status::InvalidArgument("channel plugin has no channel function table");
  if (vt->struct_size < sizeof(herald_channel_vtable)) {
    return Status::InvalidArgument("channel function table is too small (" +
                                   std::to_string(vt->struct_size) + " bytes, need " +
                                   std::to_string(sizeof(herald_channel_vtable)) + ")");
  }
  if (vt->validate == nullptr || vt->publish == nullptr || vt->unpublish == nullptr ||
      vt->status == nullptr) {
    return Status::InvalidArgument(
        "channel function table lacks validate, publish, unpublish or status");
  }
  if (vt->settings_count > 0 && vt->settings == nullptr) {
    return Status::InvalidArgument("channel declares settings but gives none");
  }
  return Status::Ok();
}

Status CheckAuthTypeTable(const herald_auth_type_vtable* vt) {
  if (vt == nullptr) {
    return Status::InvalidArgument("auth-type plugin has no auth_type function table");
  }
  if (vt->struct_size < sizeof(herald_auth_type_vtable)) {
    return Status::InvalidArgument("auth_type function table is too small (" +
                                   std::to_string(vt->struct_size) + " bytes, need " +
                                   std::to_string(sizeof(herald_auth_type_vtable)) + ")");
  }
  if (vt->validate == nullptr || vt->apply == nullptr || vt->satisfies == nullptr) {
    return Status::InvalidArgument("auth_type function table lacks validate, apply or satisfies");
  }
  if (vt->fields_count > 0 && vt->fields == nullptr) {
    return Status::InvalidArgument("auth type declares fields but gives none");
  }
  if ((vt->credential_types & (HERALD_CREDENTIAL_TEAM | HERALD_CREDENTIAL_MEMBER)) == 0) {
    return Status::InvalidArgument("auth type allows neither team nor member credentials");
  }
  return Status::Ok();
}

Status CheckDescriptor(const herald_plugin_descriptor* d) {
  if (d == nullptr) return Status::InvalidArgument("entry point returned no descriptor");
  if (d->struct_size < kVersionPrefixSize) {
    return Status::InvalidArgument("descriptor is too small to carry an ABI version (" +
                                   std::to_string(d->struct_size) + " bytes)");
  }
  const std::string host_abi = AbiString(HERALD_ABI_MAJOR, HERALD_ABI_MINOR);
  const std::string plugin_abi = AbiString(d->abi_major, d->abi_minor);
  if (d->abi_major != HERALD_ABI_MAJOR) {
    return Status::InvalidArgument("ABI major version differs: plugin ABI " + plugin_abi +
                                   ", host ABI " + host_abi);
  }
  if (d->abi_minor > HERALD_ABI_MINOR) {
    return Status::InvalidArgument("plugin needs a newer ABI: plugin ABI " + plugin_abi +
                                   ", host ABI " + host_abi);
  }
  if (d->struct_size < sizeof(herald_plugin_descriptor)) {
    return Status::InvalidArgument("descriptor is too small (" + std::to_string(d->struct_size) +
                                   " bytes, need " +
                                   std::to_string(sizeof(herald_plugin_descriptor)) + ")");
  }
  std::string_view name = sdk::ToView(d->name);
  if (!ValidPluginName(name)) {
    return Status::InvalidArgument(
        "plugin name must be 1 to 64 characters of a-z, 0-9 and _ (got '" +
        std::string(name.substr(0, 64)) + "')");
  }
  if (sdk::ToView(d->version).empty()) {
    return Status::InvalidArgument("plugin '" + std::string(name) + "' has no version");
  }
  if (d->init == nullptr) {
    return Status::InvalidArgument("plugin '" + std::string(name) + "' has no init function");
  }
  switch (d->kind) {
    case HERALD_PLUGIN_CHANNEL:
      return CheckChannelTable(d->channel);
    case HERALD_PLUGIN_AUTH_TYPE:
      return CheckAuthTypeTable(d->auth_type);
  }
  return Status::InvalidArgument("unknown plugin kind " +
                                 std::to_string(static_cast<int>(d->kind)));
}

}  // namespace

std::string_view PluginKindName(PluginKind kind) {
  return kind == PluginKind::kChannel ? "channel" : "auth_type";
}

StatusOr<PluginCandidate> OpenPlugin(const std::filesystem::path& path) {
  boost::dll::shared_library library;
  try {
    library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("not a loadable shared library: ") + e.what());
  }
  const herald_plugin_descriptor* descriptor = nullptr;
  std::string entry_error;
  if (!library.has(HERALD_PLUGIN_ENTRY_SYMBOL)) {
    entry_error =
        std::string("no Herald entry point (exported symbol '") + HERALD_PLUGIN_ENTRY_SYMBOL + "')";
  } else {
    try {
      descriptor =
          library.get_alias<const herald_plugin_descriptor*()>(HERALD_PLUGIN_ENTRY_SYMBOL)();
    } catch (const std::exception& e) {
      entry_error = std::string("entry point threw: ") + e.what();
    } catch (...) {
      entry_error = "entry point threw";
    }
  }
  RetainForever(std::move(library));
  if (!entry_error.empty()) return Status::InvalidArgument(entry_error);
  HERALD_RETURN_IF_ERROR(CheckDescriptor(descriptor));

  PluginCandidate candidate;
  candidate.descriptor = descriptor;
  candidate.info.name = std::string(sdk::ToView(descriptor->name));
  candidate.info.version = std::string(sdk::ToView(descriptor->version));
  candidate.info.description = std::string(sdk::ToView(descriptor->description));
  candidate.info.kind =
      descriptor->kind == HERALD_PLUGIN_CHANNEL ? PluginKind::kChannel : PluginKind::kAuthType;
  candidate.info.abi_major = descriptor->abi_major;
  candidate.info.abi_minor = descriptor->abi_minor;
  candidate.info.path = path;
  return candidate;
}

StatusOr<std::unique_ptr<LoadedPlugin>> StartPlugin(PluginCandidate candidate,
                                                    PluginConfigLookup config, Clock clock) {
  auto host =
      std::make_unique<PluginHost>(candidate.info.name, std::move(config), std::move(clock));
  std::unique_ptr<LoadedPlugin> plugin(
      new LoadedPlugin(std::move(candidate.info), candidate.descriptor, std::move(host)));
  void* instance = nullptr;
  const herald_host_api* api = plugin->host_->api();
  sdk::CallResult result = sdk::detail::Call(
      [&](herald_string_sink error) { return plugin->descriptor_->init(api, &instance, &error); });
  if (!result.ok()) {
    // The instance never came to be: nothing to shut down.
    plugin->descriptor_ = nullptr;
    std::string reason = result.error.empty() ? "no reason given" : result.error;
    return Status::FailedPrecondition("init failed: " + reason);
  }
  plugin->instance_ = instance;
  return plugin;
}

LoadedPlugin::~LoadedPlugin() {
  if (descriptor_ != nullptr && descriptor_->shutdown != nullptr) {
    try {
      descriptor_->shutdown(instance_);
    } catch (...) {
      // A plugin's shutdown failing must not stop the host's.
    }
  }
}

sdk::ChannelClient LoadedPlugin::channel() const {
  return sdk::ChannelClient(descriptor_->channel, instance_);
}

sdk::AuthTypeClient LoadedPlugin::auth_type() const {
  return sdk::AuthTypeClient(descriptor_->auth_type, instance_);
}

}  // namespace herald
