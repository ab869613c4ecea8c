// What the REST handlers reach: the daemon's long-lived services. Owned by
// Daemon; outlives every request.
#ifndef HERALD_CORE_API_API_SERVICES_H_
#define HERALD_CORE_API_API_SERVICES_H_

#include <string>

#include "herald/core/agent_service.h"
#include "herald/core/auth/authenticator.h"
#include "herald/core/connection_service.h"
#include "herald/core/credential_vault.h"
#include "herald/core/deploy_service.h"
#include "herald/core/summary.h"
#include "herald/core/plugin_registry.h"
#include "herald/core/store.h"
#include "herald/core/tool_service.h"

namespace herald::api {

struct ApiServices {
  Store& store;
  const PluginRegistry& plugins;
  const auth::Authenticator& authenticator;
  CredentialVault& vault;
  ConnectionService& connections;
  ToolService& tools;
  std::string version;
  AgentService& agents;
  SummaryBuilder& summaries;
  DeployService& deploys;
};

}  // namespace herald::api

#endif  // HERALD_CORE_API_API_SERVICES_H_
