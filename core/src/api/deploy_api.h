// The pre-deployment summary, deploys, rollbacks, undeploys, versions, diffs
// and live search.
#ifndef HERALD_CORE_API_DEPLOY_API_H_
#define HERALD_CORE_API_DEPLOY_API_H_

#include "api/api_services.h"
#include "herald/core/http/router.h"

namespace herald::api {

void AddDeployRoutes(http::Router& router, const ApiServices& services);

}  // namespace herald::api

#endif  // HERALD_CORE_API_DEPLOY_API_H_
