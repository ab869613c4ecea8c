#include "herald/core/http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace herald::http {
namespace {

HttpRequest Request(std::string method, std::string path) {
  HttpRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

HttpResponse Text(std::string body) {
  HttpResponse r;
  r.content_type = "text/plain";
  r.body = std::move(body);
  return r;
}

TEST(RouterTest, MatchesLiteralAndParameterSegments) {
  Router router;
  router.Add("GET", "/v1/agents/{id}",
             [](HttpRequest& r) { return Text("agent " + r.Param("id")); });
  router.Add("GET", "/v1/agents/{id}/versions/{n}",
             [](HttpRequest& r) { return Text(r.Param("id") + "@" + r.Param("n")); });
  auto a = Request("GET", "/v1/agents/helper");
  EXPECT_EQ(router.Dispatch(a).body, "agent helper");
  auto b = Request("GET", "/v1/agents/helper/versions/3");
  EXPECT_EQ(router.Dispatch(b).body, "helper@3");
}

TEST(RouterTest, UnknownPathIsAJson404) {
  Router router;
  auto r = Request("GET", "/nope");
  HttpResponse response = router.Dispatch(r);
  EXPECT_EQ(response.status, 404);
  EXPECT_NE(response.body.find("\"code\":\"not_found\""), std::string::npos);
}

TEST(RouterTest, WrongMethodIs405WithAllow) {
  Router router;
  router.Add("GET", "/x", [](HttpRequest&) { return Text("x"); });
  router.Add("DELETE", "/x", [](HttpRequest&) { return Text("x"); });
  auto r = Request("POST", "/x");
  HttpResponse response = router.Dispatch(r);
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].second, "GET, DELETE");
  EXPECT_NE(response.body.find("method_not_allowed"), std::string::npos);
}

TEST(RouterTest, AThrowingHandlerIsA500ThatLeaksNothing) {
  Router router;
  router.Add("GET", "/boom",
             [](HttpRequest&) -> HttpResponse { throw std::runtime_error("password=hunter2"); });
  auto r = Request("GET", "/boom");
  HttpResponse response = router.Dispatch(r);
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("hunter2"), std::string::npos);
}

TEST(HttpResponseTest, ErrorsMapToStableCodesAndStatuses) {
  EXPECT_EQ(HttpResponse::Error(Status::InvalidArgument("name: required")).status, 400);
  EXPECT_EQ(HttpResponse::Error(Status::Unauthenticated("x")).status, 401);
  EXPECT_EQ(HttpResponse::Error(Status::PermissionDenied("x")).status, 403);
  EXPECT_EQ(HttpResponse::Error(Status::Conflict("x")).status, 409);
  EXPECT_EQ(HttpResponse::Error(Status::PayloadTooLarge("x")).status, 413);
  EXPECT_EQ(HttpResponse::Error(Status::InvalidArgument("name: required")).body,
            "{\"error\":{\"code\":\"invalid_argument\",\"message\":\"name: required\"}}\n");
}

}  // namespace
}  // namespace herald::http
