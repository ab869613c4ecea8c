// GET /healthz and GET /v1/plugins.
#ifndef HERALD_CORE_API_SYSTEM_API_H_
#define HERALD_CORE_API_SYSTEM_API_H_

#include "api/api_services.h"
#include "herald/core/http/router.h"

namespace herald::api {

void AddSystemRoutes(http::Router& router, const ApiServices& services);

}  // namespace herald::api

#endif  // HERALD_CORE_API_SYSTEM_API_H_
