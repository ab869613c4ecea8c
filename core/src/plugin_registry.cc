#include "herald/core/plugin_registry.h"

#include <algorithm>
#include <system_error>

#include "herald/core/log.h"

namespace herald {
namespace {

bool LooksLikeSharedLibrary(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  return path.extension() == ".so" || name.find(".so.") != std::string::npos;
}

}  // namespace

PluginRegistry::PluginRegistry(PluginConfigLookup config, Clock clock, PluginServices* services)
    : config_(std::move(config)), clock_(std::move(clock)), services_(services) {}

PluginRegistry::~PluginRegistry() {
  // Shut down in reverse load order, so a plugin started later goes first.
  while (!loaded_.empty()) loaded_.pop_back();
}

void PluginRegistry::LoadDirectories(const std::vector<std::filesystem::path>& dirs) {
  for (const auto& dir : dirs) {
    std::error_code ec;
    std::filesystem::path abs_dir = std::filesystem::absolute(dir, ec);
    if (ec || !std::filesystem::is_directory(abs_dir, ec)) {
      Refuse(abs_dir, "plugin directory does not exist or is not a directory");
      continue;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(abs_dir, ec)) {
      if (entry.is_regular_file(ec) && LooksLikeSharedLibrary(entry.path())) {
        files.push_back(entry.path());
      }
    }
    if (ec) {
      Refuse(abs_dir, "cannot read plugin directory: " + ec.message());
      continue;
    }
    std::sort(files.begin(), files.end());
    LogEvent(spdlog::level::debug, "plugin.scan",
             {{"dir", abs_dir.string()}, {"candidates", files.size()}});
    for (const auto& file : files) LoadFile(file);
  }
}

bool PluginRegistry::LoadFile(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  if (ec) abs = path;

  StatusOr<PluginCandidate> candidate = OpenPlugin(abs);
  if (!candidate.ok()) {
    Refuse(abs, candidate.status().message());
    return false;
  }
  const std::string name = candidate->info.name;
  if (auto it = by_name_.find(name); it != by_name_.end()) {
    Refuse(abs, "a plugin named '" + name + "' is already loaded from " +
                    it->second->info().path.string());
    return false;
  }
  StatusOr<std::unique_ptr<LoadedPlugin>> started =
      StartPlugin(std::move(candidate).value(), config_, clock_, services_);
  if (!started.ok()) {
    Refuse(abs, "plugin '" + name + "': " + started.status().message());
    return false;
  }
  LoadedPlugin* plugin = started->get();
  const PluginInfo& info = plugin->info();
  by_name_.emplace(name, plugin);
  loaded_.push_back(std::move(started).value());
  LogEvent(spdlog::level::info, "plugin.loaded",
           {{"name", info.name},
            {"kind", PluginKindName(info.kind)},
            {"version", info.version},
            {"abi", std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor)},
            {"path", info.path.string()}});
  return true;
}

const LoadedPlugin* PluginRegistry::Find(std::string_view name, PluginKind kind) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end() || it->second->kind() != kind) return nullptr;
  return it->second;
}

void PluginRegistry::Refuse(const std::filesystem::path& path, const std::string& reason) {
  refused_.push_back(RefusedPlugin{path.string(), reason});
  LogEvent(spdlog::level::warn, "plugin.refused", {{"path", path.string()}, {"reason", reason}});
}

}  // namespace herald
