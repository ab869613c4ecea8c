// The preview: POST /v1/agents/{id}/preview/messages answers a message with
// the agent's latest draft and the draft environment's connections, for the
// agent's owners and editors (and operators), whatever is live
// (docs/api-agents.md).
#ifndef HERALD_CORE_API_PREVIEW_API_H_
#define HERALD_CORE_API_PREVIEW_API_H_

#include "api/api_services.h"
#include "herald/core/http/router.h"
#include "herald/core/runtime/runtime.h"

namespace herald::api {

void AddPreviewRoutes(http::Router& router, const ApiServices& services, runtime::Runtime& runtime);

}  // namespace herald::api

#endif  // HERALD_CORE_API_PREVIEW_API_H_
