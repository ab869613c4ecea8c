// The host side of herald_host_api: what heraldd offers each plugin (its log,
// its configuration section, the clock).
//
// One PluginHost per loaded plugin, so every log line is tagged with the
// plugin's name. The herald_host_api it hands out points into the object, so a
// PluginHost must outlive its plugin's instance; LoadedPlugin guarantees it.
//
// Thread-safety: the api functions may be called from any thread.
#ifndef HERALD_CORE_PLUGIN_HOST_H_
#define HERALD_CORE_PLUGIN_HOST_H_

#include <herald/sdk/abi.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace herald {

// Answers a plugin's configuration lookups: (plugin name, key) -> value.
using PluginConfigLookup =
    std::function<std::optional<std::string>(const std::string& plugin, const std::string& key)>;

// Milliseconds since the Unix epoch; injectable so tests control time.
using Clock = std::function<int64_t()>;

int64_t SystemClockUnixMs();

class PluginHost {
 public:
  PluginHost(std::string plugin_name, PluginConfigLookup config, Clock clock);
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  const herald_host_api* api() const { return &api_; }

 private:
  static void Log(void* ctx, herald_log_level level, herald_str message);
  static int ConfigGet(void* ctx, herald_str key, const herald_string_sink* out);
  static int64_t NowUnixMs(void* ctx);

  std::string plugin_name_;
  PluginConfigLookup config_;
  Clock clock_;
  herald_host_api api_{};
};

}  // namespace herald

#endif  // HERALD_CORE_PLUGIN_HOST_H_
