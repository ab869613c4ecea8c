// What the REST handlers reach: the daemon's long-lived services. Owned by
// Daemon; outlives every request.
#ifndef HERALD_CORE_API_API_SERVICES_H_
#define HERALD_CORE_API_API_SERVICES_H_

#include <string>

#include "herald/core/plugin_registry.h"
#include "herald/core/store.h"

namespace herald::api {

struct ApiServices {
  Store& store;
  const PluginRegistry& plugins;
  std::string version;
};

}  // namespace herald::api

#endif  // HERALD_CORE_API_API_SERVICES_H_
