// Who is calling: turns a request's `Authorization: Bearer <token>` into a
// User, and guards handlers by role.
//
// Failures say nothing about why a token was not accepted beyond "missing" or
// "invalid", and never echo the token.
//
// Thread-safety: stateless beyond the store; safe from any thread.
#ifndef HERALD_CORE_AUTH_AUTHENTICATOR_H_
#define HERALD_CORE_AUTH_AUTHENTICATOR_H_

#include <functional>

#include "herald/core/http/router.h"
#include "herald/core/model/user.h"
#include "herald/core/store.h"

namespace herald::auth {

class Authenticator {
 public:
  explicit Authenticator(UserStore& users) : users_(users) {}

  // Unauthenticated (401) when the header is missing, malformed or unknown.
  StatusOr<User> Authenticate(const http::HttpRequest& request) const;

  // A handler that runs `handler` only for users with at least `role`;
  // 401 without a valid token, 403 with too small a role.
  using UserHandler = std::function<http::HttpResponse(http::HttpRequest&, const User&)>;
  http::Handler Require(Role role, UserHandler handler) const;

 private:
  UserStore& users_;
};

}  // namespace herald::auth

#endif  // HERALD_CORE_AUTH_AUTHENTICATOR_H_
