// The host side of herald_host_api: what heraldd offers each plugin (its log,
// its configuration section, the clock and, from ABI 1.1, the PluginServices:
// routes, turns, state, secrets, outbound HTTP, identity).
//
// One PluginHost per loaded plugin, so every log line is tagged with the
// plugin's name and every service call is made in the plugin's name. Without
// PluginServices (tests of the loader) the 1.1 services answer UNAVAILABLE.
// The routes a plugin added go with its PluginHost. The herald_host_api it hands out points into the object, so a
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

class PluginServices;

// Answers a plugin's configuration lookups: (plugin name, key) -> value.
using PluginConfigLookup =
    std::function<std::optional<std::string>(const std::string& plugin, const std::string& key)>;

// Milliseconds since the Unix epoch; injectable so tests control time.
using Clock = std::function<int64_t()>;

int64_t SystemClockUnixMs();

class PluginHost {
 public:
  PluginHost(std::string plugin_name, PluginConfigLookup config, Clock clock,
             PluginServices* services = nullptr);
  ~PluginHost();
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  const herald_host_api* api() const { return &api_; }

 private:
  static void Log(void* ctx, herald_log_level level, herald_str message);
  static int ConfigGet(void* ctx, herald_str key, const herald_string_sink* out);
  static int64_t NowUnixMs(void* ctx);
  static herald_status RouteAdd(void* ctx, herald_str method, herald_str pattern,
                                herald_http_handler_fn handler, void* handler_ctx,
                                const herald_string_sink* error);
  static herald_status RunTurn(void* ctx, const herald_turn_request* request,
                               const herald_turn_events* events, const herald_string_sink* error);
  static herald_status KvGet(void* ctx, herald_str key, const herald_string_sink* value,
                             const herald_string_sink* error);
  static herald_status KvPut(void* ctx, herald_str key, herald_str value,
                             const herald_string_sink* error);
  static herald_status KvDelete(void* ctx, herald_str key, const herald_string_sink* error);
  static herald_status KvApply(void* ctx, const herald_kv_op* ops, size_t count,
                               const herald_string_sink* error);
  static herald_status KvList(void* ctx, herald_str prefix, const herald_kv_sink* out,
                              const herald_string_sink* error);
  static herald_status SecretGet(void* ctx, herald_str key, const herald_string_sink* value,
                                 const herald_string_sink* error);
  static herald_status SecretPut(void* ctx, herald_str key, herald_str value,
                                 const herald_string_sink* error);
  static herald_status SecretDelete(void* ctx, herald_str key, const herald_string_sink* error);
  static herald_status Fetch(void* ctx, const herald_fetch_request* request,
                             const herald_fetch_response_sink* response,
                             const herald_string_sink* error);
  static herald_status VerifyIdentity(void* ctx, herald_str token, const herald_string_sink* user,
                                      const herald_string_sink* error);

  std::string plugin_name_;
  PluginConfigLookup config_;
  Clock clock_;
  PluginServices* services_;
  herald_host_api api_{};
};

}  // namespace herald

#endif  // HERALD_CORE_PLUGIN_HOST_H_
