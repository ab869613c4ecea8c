// GET /v1/openapi.yaml: the REST API's OpenAPI 3 document (docs/openapi.yaml),
// built into heraldd at build time. Needs no token, like /healthz.
#ifndef HERALD_CORE_API_OPENAPI_API_H_
#define HERALD_CORE_API_OPENAPI_API_H_

#include <string_view>

#include "herald/core/http/router.h"

namespace herald::api {

// The document's text, byte for byte as docs/openapi.yaml was when built.
std::string_view OpenApiDocument();

void AddOpenApiRoutes(http::Router& router);

}  // namespace herald::api

#endif  // HERALD_CORE_API_OPENAPI_API_H_
