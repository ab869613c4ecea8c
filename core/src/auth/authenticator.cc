#include "herald/core/auth/authenticator.h"

#include "herald/core/auth/tokens.h"

namespace herald::auth {

StatusOr<User> Authenticator::Authenticate(const http::HttpRequest& request) const {
  std::optional<std::string> header = request.Header("authorization");
  if (!header) {
    return Status::Unauthenticated(
        "missing Authorization header; send 'Authorization: Bearer <token>'");
  }
  constexpr std::string_view kPrefix = "Bearer ";
  if (header->size() <= kPrefix.size() || header->compare(0, kPrefix.size(), kPrefix) != 0) {
    return Status::Unauthenticated("Authorization header must be 'Bearer <token>'");
  }
  StatusOr<User> user = users_.FindUserByTokenHash(HashToken(header->substr(kPrefix.size())));
  if (!user.ok()) {
    if (user.status().code() == StatusCode::kNotFound) {
      return Status::Unauthenticated("invalid token");
    }
    return user.status();
  }
  return user;
}

http::Handler Authenticator::Require(Role role, UserHandler handler) const {
  return [this, role, handler = std::move(handler)](http::HttpRequest& request) {
    StatusOr<User> user = Authenticate(request);
    if (!user.ok()) return http::HttpResponse::Error(user.status());
    if (!user->Has(role)) {
      return http::HttpResponse::Error(
          Status::PermissionDenied("this needs the " + std::string(RoleName(role)) + " role; '" +
                                   user->name + "' is " + std::string(RoleName(user->role))));
    }
    return handler(request, *user);
  };
}

}  // namespace herald::auth
