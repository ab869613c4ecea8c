// Tools and their import from OpenAPI documents; the admin's key rotation.
#ifndef HERALD_CORE_API_TOOLS_API_H_
#define HERALD_CORE_API_TOOLS_API_H_

#include "api/api_services.h"
#include "herald/core/http/router.h"

namespace herald::api {

void AddToolRoutes(http::Router& router, const ApiServices& services);
void AddAdminRoutes(http::Router& router, const ApiServices& services);

}  // namespace herald::api

#endif  // HERALD_CORE_API_TOOLS_API_H_
