#include "api/users_api.h"

#include <Poco/JSON/Array.h>

#include "api/json_body.h"
#include "herald/core/auth/tokens.h"
#include "herald/core/log.h"

namespace herald::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using Poco::JSON::Array;
using Poco::JSON::Object;

HttpResponse CreateUser(const ApiServices& services, HttpRequest& request, const User& actor) {
  StatusOr<Object::Ptr> body = ParseObject(request);
  if (!body.ok()) return HttpResponse::Error(body.status());
  if (Status s = RejectUnknownFields(**body, {"name", "role"}); !s.ok()) {
    return HttpResponse::Error(s);
  }
  StatusOr<std::string> name = RequireString(**body, "name");
  if (!name.ok()) return HttpResponse::Error(name.status());
  if (Status s = CheckSlug(*name, "name"); !s.ok()) return HttpResponse::Error(s);
  StatusOr<std::string> role_name = RequireString(**body, "role");
  if (!role_name.ok()) return HttpResponse::Error(role_name.status());
  std::optional<Role> role = ParseRole(*role_name);
  if (!role) {
    return HttpResponse::Error(Status::InvalidArgument("role: must be admin, operator or member"));
  }
  const std::string token = auth::NewToken();
  StatusOr<User> user = services.store.users().CreateUser(*name, *role, auth::HashToken(token));
  if (!user.ok()) return HttpResponse::Error(user.status());
  LogEvent(spdlog::level::info, "user.created",
           {{"name", user->name}, {"role", RoleName(user->role)}, {"by", actor.name}});
  Object::Ptr out = new Object;
  out->set("user", UserJson(*user));
  out->set("token", token);
  return HttpResponse::Json(201, out);
}

HttpResponse ListUsers(const ApiServices& services) {
  StatusOr<std::vector<User>> users = services.store.users().ListUsers();
  if (!users.ok()) return HttpResponse::Error(users.status());
  Array::Ptr list = new Array;
  for (const User& u : *users) list->add(UserJson(u));
  Object::Ptr out = new Object;
  out->set("users", list);
  return HttpResponse::Json(200, out);
}

HttpResponse RemoveUser(const ApiServices& services, const std::string& name, const User& actor) {
  StatusOr<User> user = services.store.users().FindUserByName(name);
  if (!user.ok()) return HttpResponse::Error(user.status());
  if (user->role == Role::kAdmin) {
    StatusOr<std::vector<User>> all = services.store.users().ListUsers();
    if (!all.ok()) return HttpResponse::Error(all.status());
    int admins = 0;
    for (const User& u : *all) admins += u.role == Role::kAdmin ? 1 : 0;
    if (admins <= 1) {
      return HttpResponse::Error(
          Status::FailedPrecondition("'" + name + "' is the last admin and cannot be removed"));
    }
  }
  if (Status s = services.store.users().DeleteUser(user->id); !s.ok()) {
    return HttpResponse::Error(s);
  }
  LogEvent(spdlog::level::info, "user.removed", {{"name", name}, {"by", actor.name}});
  Object::Ptr out = new Object;
  out->set("removed", name);
  return HttpResponse::Json(200, out);
}

}  // namespace

Object::Ptr UserJson(const User& user) {
  Object::Ptr o = new Object;
  o->set("name", user.name);
  o->set("role", std::string(RoleName(user.role)));
  o->set("created_at", user.created_at);
  return o;
}

void AddUserRoutes(http::Router& router, const ApiServices& services) {
  const auth::Authenticator& auth = services.authenticator;
  router.Add("GET", "/v1/me", auth.Require(Role::kMember, [](HttpRequest&, const User& me) {
    Object::Ptr out = new Object;
    out->set("user", UserJson(me));
    return HttpResponse::Json(200, out);
  }));
  router.Add("GET", "/v1/users", auth.Require(Role::kAdmin, [&services](HttpRequest&, const User&) {
    return ListUsers(services);
  }));
  router.Add("POST", "/v1/users",
             auth.Require(Role::kAdmin, [&services](HttpRequest& r, const User& actor) {
               return CreateUser(services, r, actor);
             }));
  router.Add("DELETE", "/v1/users/{name}",
             auth.Require(Role::kAdmin, [&services](HttpRequest& r, const User& actor) {
               return RemoveUser(services, r.Param("name"), actor);
             }));
}

}  // namespace herald::api
