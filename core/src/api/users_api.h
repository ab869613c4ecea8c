// Users and who-am-I: GET /v1/me, GET/POST /v1/users, DELETE /v1/users/{name}.
#ifndef HERALD_CORE_API_USERS_API_H_
#define HERALD_CORE_API_USERS_API_H_

#include "api/api_services.h"
#include "herald/core/http/router.h"

namespace herald::api {

void AddUserRoutes(http::Router& router, const ApiServices& services);

Poco::JSON::Object::Ptr UserJson(const User& user);

}  // namespace herald::api

#endif  // HERALD_CORE_API_USERS_API_H_
