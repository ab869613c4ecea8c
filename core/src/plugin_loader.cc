#include "herald/core/plugin_loader.h"

#include <herald/sdk/descriptor_check.hpp>

#include <boost/dll/shared_library.hpp>
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
  if (std::string problem = sdk::CheckDescriptor(descriptor); !problem.empty()) {
    return Status::InvalidArgument(problem);
  }

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
                                                    PluginConfigLookup config, Clock clock,
                                                    PluginServices* services) {
  auto host = std::make_unique<PluginHost>(candidate.info.name, std::move(config),
                                           std::move(clock), services);
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
