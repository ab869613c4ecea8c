#include "herald/core/plugin_host.h"

#include <herald/sdk/types.hpp>

#include <chrono>

#include "herald/core/log.h"

namespace herald {

int64_t SystemClockUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

PluginHost::PluginHost(std::string plugin_name, PluginConfigLookup config, Clock clock)
    : plugin_name_(std::move(plugin_name)), config_(std::move(config)), clock_(std::move(clock)) {
  api_.struct_size = sizeof(herald_host_api);
  api_.abi_major = HERALD_ABI_MAJOR;
  api_.abi_minor = HERALD_ABI_MINOR;
  api_.ctx = this;
  api_.log = &PluginHost::Log;
  api_.config_get = &PluginHost::ConfigGet;
  api_.now_unix_ms = &PluginHost::NowUnixMs;
}

void PluginHost::Log(void* ctx, herald_log_level level, herald_str message) {
  auto* self = static_cast<PluginHost*>(ctx);
  spdlog::level::level_enum l = spdlog::level::info;
  switch (level) {
    case HERALD_LOG_TRACE:
      l = spdlog::level::trace;
      break;
    case HERALD_LOG_DEBUG:
      l = spdlog::level::debug;
      break;
    case HERALD_LOG_INFO:
      l = spdlog::level::info;
      break;
    case HERALD_LOG_WARN:
      l = spdlog::level::warn;
      break;
    case HERALD_LOG_ERROR:
      l = spdlog::level::err;
      break;
  }
  LogEvent(l, "plugin.log", {{"plugin", self->plugin_name_}, {"msg", sdk::ToView(message)}});
}

int PluginHost::ConfigGet(void* ctx, herald_str key, const herald_string_sink* out) {
  auto* self = static_cast<PluginHost*>(ctx);
  if (!self->config_) return 0;
  std::optional<std::string> value =
      self->config_(self->plugin_name_, std::string(sdk::ToView(key)));
  if (!value) return 0;
  out->set(out->ctx, sdk::ToStr(*value));
  return 1;
}

int64_t PluginHost::NowUnixMs(void* ctx) {
  auto* self = static_cast<PluginHost*>(ctx);
  return self->clock_ ? self->clock_() : SystemClockUnixMs();
}

}  // namespace herald
