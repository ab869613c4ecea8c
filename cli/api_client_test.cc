#include "cli/api_client.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <gtest/gtest.h>

#include "cli/json_fields.h"
#include "cli/testing/fake_heraldd.h"

namespace herald::cli {
namespace {

using testing::FakeHeraldd;

class ApiClientTest : public ::testing::Test {
 protected:
  ApiClient Client(std::optional<std::string> token = std::nullopt) {
    return ApiClient(ClientSettings{.server_url = server_.url(), .token = std::move(token)});
  }

  FakeHeraldd server_;
};

TEST_F(ApiClientTest, GetParsesJson) {
  server_.On("GET", "/healthz", {.status = 200, .body = R"({"status":"ok","version":"0.1.0"})"});
  ApiResponse response = Client().Get("/healthz");
  ASSERT_TRUE(response.ok()) << response.error->message;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"status":"ok","version":"0.1.0"})");
  EXPECT_EQ(StringField(AsObject(response.json), "version"), "0.1.0");
}

TEST_F(ApiClientTest, SendsBearerTokenOnlyWhenSet) {
  server_.On("GET", "/v1/plugins", {.status = 200, .body = "{}"});
  ASSERT_TRUE(Client("s3cret").Get("/v1/plugins").ok());
  ASSERT_TRUE(Client().Get("/v1/plugins").ok());
  std::vector<FakeHeraldd::Request> requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].authorization, "Bearer s3cret");
  EXPECT_EQ(requests[1].authorization, "");
}

TEST_F(ApiClientTest, SendsJsonBodiesWithEveryMethod) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("name", "X");
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    server_.On(method, "/v1/things/a%2Fb", {.status = 200, .body = R"({"done":true})"});
  }
  ApiClient client = Client();
  std::string path = "/v1/things/" + ApiClient::EscapeSegment("a/b");
  EXPECT_TRUE(client.Post(path, body).ok());
  EXPECT_TRUE(client.Put(path, body).ok());
  EXPECT_TRUE(client.Patch(path, body).ok());
  EXPECT_TRUE(client.Delete(path).ok());
  std::vector<FakeHeraldd::Request> requests = server_.requests();
  ASSERT_EQ(requests.size(), 4u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(requests[i].body, R"({"name":"X"})");
    EXPECT_EQ(requests[i].content_type, "application/json");
  }
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[1].method, "PUT");
  EXPECT_EQ(requests[2].method, "PATCH");
  EXPECT_EQ(requests[3].method, "DELETE");
  EXPECT_EQ(requests[3].body, "");
  EXPECT_EQ(requests[3].uri, "/v1/things/a%2Fb");
}

TEST_F(ApiClientTest, EmptySuccessBodyIsFine) {
  server_.On("DELETE", "/v1/users/u1", {.status = 204, .body = "", .content_type = "text/plain"});
  ApiResponse response = Client().Delete("/v1/users/u1");
  EXPECT_TRUE(response.ok());
  EXPECT_EQ(response.status, 204);
  EXPECT_TRUE(response.json.isEmpty());
}

TEST_F(ApiClientTest, ErrorBodyBecomesServerError) {
  server_.On("GET", "/v1/plugins",
             {.status = 401,
              .body = R"({"error":{"code":"unauthorized","message":"missing bearer token"}})"});
  ApiResponse response = Client().Get("/v1/plugins");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.error->kind, ApiErrorKind::kServer);
  EXPECT_EQ(response.error->code, "unauthorized");
  EXPECT_EQ(response.error->message, "missing bearer token");
}

TEST_F(ApiClientTest, ErrorWithoutHeraldBodyUsesTheHttpStatus) {
  server_.On("GET", "/v1/plugins",
             {.status = 502, .body = "<html>bad gateway</html>", .content_type = "text/html"});
  ApiResponse response = Client().Get("/v1/plugins");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->kind, ApiErrorKind::kServer);
  EXPECT_EQ(response.error->code, "http_502");
  EXPECT_EQ(response.error->message, "HTTP 502 Bad Gateway");
  EXPECT_EQ(response.body, "<html>bad gateway</html>");
}

TEST_F(ApiClientTest, InvalidJsonOnSuccessIsABadResponse) {
  server_.On("GET", "/v1/plugins",
             {.status = 200, .body = "{not json", .content_type = "text/plain"});
  ApiResponse response = Client().Get("/v1/plugins");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->kind, ApiErrorKind::kBadResponse);
  EXPECT_EQ(response.error->code, "bad_response");
  EXPECT_NE(response.error->message.find("GET /v1/plugins"), std::string::npos);
}

TEST_F(ApiClientTest, ServerUrlPathIsAPrefix) {
  server_.On("GET", "/herald/v1/plugins", {.status = 200, .body = "{}"});
  ApiClient client(ClientSettings{.server_url = server_.url() + "/herald/"});
  EXPECT_TRUE(client.Get("/v1/plugins").ok());
}

TEST_F(ApiClientTest, SendsARawBodyWithItsContentTypeAndExtraHeaders) {
  server_.On("POST", "/v1/agents/apply", {.status = 200, .body = R"({"created":true})"});
  ApiResponse response = Client().Send(ApiRequest{.method = "POST",
                                                  .path = "/v1/agents/apply",
                                                  .raw_body = std::string("id: a\n\0x", 8),
                                                  .content_type = "application/yaml",
                                                  .headers = {{"If-Match", "7"}}});
  ASSERT_TRUE(response.ok()) << response.error->message;
  EXPECT_EQ(BoolField(AsObject(response.json), "created"), true);
  std::vector<FakeHeraldd::Request> requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].body, std::string("id: a\n\0x", 8));
  EXPECT_EQ(requests[0].content_type, "application/yaml");
  EXPECT_EQ(requests[0].Header("if-match"), "7");
  EXPECT_EQ(requests[0].Header("Accept"), "application/json");
}

TEST_F(ApiClientTest, RawAnswerKeepsTheBytesUnparsed) {
  static constexpr char kPng[] = "\x89PNG\r\n\0{not json";
  const std::string bytes(kPng, sizeof(kPng) - 1);
  server_.On("GET", "/v1/agents/a/knowledge/logo.png",
             {.status = 200, .body = bytes, .content_type = "image/png"});
  ApiResponse response = Client().Send(
      ApiRequest{.method = "GET", .path = "/v1/agents/a/knowledge/logo.png", .raw_answer = true});
  ASSERT_TRUE(response.ok()) << response.error->message;
  EXPECT_EQ(response.body, bytes);
  EXPECT_TRUE(response.json.isEmpty());
  EXPECT_EQ(server_.requests().at(0).Header("Accept"), "*/*");
}

TEST_F(ApiClientTest, RawAnswerStillReadsTheErrorObject) {
  ApiResponse response =
      Client().Send(ApiRequest{.method = "GET", .path = "/v1/agents/a/export", .raw_answer = true});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, "not_found");
  EXPECT_EQ(response.error->message, "no route for GET /v1/agents/a/export");
}

TEST(ApiClientUnreachableTest, ClosedPortIsUnreachableWithUrlAndReason) {
  std::string url = FakeHeraldd::ClosedPortUrl();
  ApiResponse response = ApiClient(ClientSettings{.server_url = url}).Get("/healthz");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(response.error->kind, ApiErrorKind::kUnreachable);
  EXPECT_EQ(response.error->message, "cannot reach heraldd at " + url + ": Connection refused");
}

TEST(ApiClientUnreachableTest, SilentServerTimesOut) {
  // Listens (the kernel accepts connections) but never answers.
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  std::string url = "http://127.0.0.1:" + std::to_string(silent.address().port());
  ApiClient client(ClientSettings{.server_url = url, .timeout = std::chrono::milliseconds(200)});
  ApiResponse response = client.Get("/healthz");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->kind, ApiErrorKind::kUnreachable);
  EXPECT_EQ(response.error->message, "cannot reach heraldd at " + url + ": Timeout");
}

TEST(ApiClientConfigTest, RejectsUnsupportedUrls) {
  for (const char* url : {"https://example.com", "127.0.0.1:8480", "http://", "ftp://host",
                          "http://host:8480/?x=1"}) {
    EXPECT_THROW(ApiClient(ClientSettings{.server_url = url}), std::invalid_argument) << url;
  }
  EXPECT_NO_THROW(ApiClient(ClientSettings{.server_url = "http://localhost:8480"}));
}

TEST(ApiClientEscapeTest, EscapesEverythingButUnreservedCharacters) {
  EXPECT_EQ(ApiClient::EscapeSegment("abc-XYZ_0.9~"), "abc-XYZ_0.9~");
  EXPECT_EQ(ApiClient::EscapeSegment("a b/c?d#é"), "a%20b%2Fc%3Fd%23%C3%A9");
}

}  // namespace
}  // namespace herald::cli
