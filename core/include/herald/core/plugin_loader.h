// Loading one plugin shared library: open it, check its descriptor against the
// host's ABI, then start it.
//
// Loading is split in two so the registry can refuse a duplicate name before
// any of the plugin's own code (its init) runs: OpenPlugin only reads the
// descriptor; StartPlugin runs init.
//
// Libraries are opened with RTLD_NOW | RTLD_LOCAL from absolute paths and are
// never unloaded while the process runs, whatever happens to them: a plugin
// may have started threads or registered callbacks that outlive a failed init.
#ifndef HERALD_CORE_PLUGIN_LOADER_H_
#define HERALD_CORE_PLUGIN_LOADER_H_

#include <herald/sdk/abi.h>
#include <herald/sdk/client.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "herald/core/plugin_host.h"
#include "herald/core/status.h"

namespace herald {

enum class PluginKind { kChannel, kAuthType };

std::string_view PluginKindName(PluginKind kind);  // "channel" | "auth_type"

// What a plugin says of itself, as checked by OpenPlugin.
struct PluginInfo {
  std::string name;
  std::string version;
  std::string description;
  PluginKind kind = PluginKind::kChannel;
  uint32_t abi_major = 0;
  uint32_t abi_minor = 0;
  std::filesystem::path path;  // absolute
};

// An opened library whose descriptor passed every check; not yet started.
struct PluginCandidate {
  PluginInfo info;
  const herald_plugin_descriptor* descriptor = nullptr;
};

// Opens `path` and checks its descriptor. The error says why the file is not
// a usable plugin; the caller adds the file name.
StatusOr<PluginCandidate> OpenPlugin(const std::filesystem::path& path);

// A started plugin. Shuts its instance down when destroyed.
// Thread-safety: immutable after construction; the clients may be used from
// any thread.
class LoadedPlugin {
 public:
  ~LoadedPlugin();
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const PluginInfo& info() const { return info_; }
  PluginKind kind() const { return info_.kind; }
  // Only for a plugin of that kind.
  sdk::ChannelClient channel() const;
  sdk::AuthTypeClient auth_type() const;

 private:
  friend StatusOr<std::unique_ptr<LoadedPlugin>> StartPlugin(PluginCandidate, PluginConfigLookup,
                                                             Clock, PluginServices*);
  LoadedPlugin(PluginInfo info, const herald_plugin_descriptor* descriptor,
               std::unique_ptr<PluginHost> host)
      : info_(std::move(info)), descriptor_(descriptor), host_(std::move(host)) {}

  PluginInfo info_;
  const herald_plugin_descriptor* descriptor_;
  std::unique_ptr<PluginHost> host_;  // outlives instance_
  void* instance_ = nullptr;
};

// Runs the candidate's init with a PluginHost of its own. An init that fails
// or throws is an error carrying the plugin's message.
StatusOr<std::unique_ptr<LoadedPlugin>> StartPlugin(PluginCandidate candidate,
                                                    PluginConfigLookup config, Clock clock,
                                                    PluginServices* services = nullptr);

}  // namespace herald

#endif  // HERALD_CORE_PLUGIN_LOADER_H_
