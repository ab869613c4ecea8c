// Agents as drafts: fields, knowledge files, tools, collaborators, channels,
// the audit trail, and apply/export of agent.yaml (docs/api-agents.md).
#ifndef HERALD_CORE_API_AGENTS_API_H_
#define HERALD_CORE_API_AGENTS_API_H_

#include "api/api_services.h"
#include "herald/core/http/router.h"

namespace herald::api {

void AddAgentRoutes(http::Router& router, const ApiServices& services);

}  // namespace herald::api

#endif  // HERALD_CORE_API_AGENTS_API_H_
