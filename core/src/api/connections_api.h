// Connections, their credentials and their tests (docs/api-connections.md).
#ifndef HERALD_CORE_API_CONNECTIONS_API_H_
#define HERALD_CORE_API_CONNECTIONS_API_H_

#include "api/api_services.h"
#include "herald/core/http/router.h"

namespace herald::api {

void AddConnectionRoutes(http::Router& router, const ApiServices& services);

}  // namespace herald::api

#endif  // HERALD_CORE_API_CONNECTIONS_API_H_
