// The set of plugins heraldd runs with: every loaded plugin by name, and every
// refused candidate with the reason.
//
// Loading never fails as a whole: each bad candidate is refused with a reason
// naming the file and the host goes on with the rest. Among plugins with the
// same name the first loaded wins (directories in the order given, files in
// name order).
//
// Thread-safety: load on one thread at start-up; afterwards the registry is
// read-only and may be read from any thread.
#ifndef HERALD_CORE_PLUGIN_REGISTRY_H_
#define HERALD_CORE_PLUGIN_REGISTRY_H_

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "herald/core/plugin_host.h"
#include "herald/core/plugin_loader.h"

namespace herald {

struct RefusedPlugin {
  std::string path;
  std::string reason;
};

class PluginRegistry {
 public:
  // `services` (may be null) is what the plugins' host API offers beyond
  // ABI 1.0; it must outlive the registry.
  PluginRegistry(PluginConfigLookup config, Clock clock, PluginServices* services = nullptr);
  ~PluginRegistry();
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // Loads every candidate in each directory (not recursive): regular files
  // (or links to them) named *.so or *.so.N. A directory that does not exist
  // is refused like a bad file.
  void LoadDirectories(const std::vector<std::filesystem::path>& dirs);
  // Loads one file; returns whether it was loaded.
  bool LoadFile(const std::filesystem::path& path);

  // In load order.
  const std::vector<std::unique_ptr<LoadedPlugin>>& loaded() const { return loaded_; }
  const std::vector<RefusedPlugin>& refused() const { return refused_; }

  // nullptr when no plugin of that name and kind is loaded.
  const LoadedPlugin* Find(std::string_view name, PluginKind kind) const;

 private:
  void Refuse(const std::filesystem::path& path, const std::string& reason);

  PluginConfigLookup config_;
  Clock clock_;
  PluginServices* services_;
  std::vector<std::unique_ptr<LoadedPlugin>> loaded_;
  std::map<std::string, LoadedPlugin*, std::less<>> by_name_;
  std::vector<RefusedPlugin> refused_;
};

}  // namespace herald

#endif  // HERALD_CORE_PLUGIN_REGISTRY_H_
