// `herald whoami` against the fake heraldd.
#include <gtest/gtest.h>

#include "cli/testing/fake_heraldd.h"
#include "cli/testing/run_herald.h"

namespace herald::cli {
namespace {

using testing::FakeHeraldd;
using testing::RunHerald;

constexpr const char* kMe =
    R"({"user":{"name":"alice","role":"operator","created_at":"2024-05-01T09:00:00Z"}})";

TEST(WhoamiCommandTest, GetsMeAndPrintsTheUser) {
  FakeHeraldd server;
  server.On("GET", "/v1/me", {.status = 200, .body = kMe});
  auto run = RunHerald({"whoami", "--server", server.url(), "--token", "t0k"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out,
            "Name:     alice\n"
            "Role:     operator\n"
            "Created:  2024-05-01T09:00:00Z\n"
            "Server:   " +
                server.url() + "\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/me");
  EXPECT_EQ(server.requests()[0].body, "");
  EXPECT_EQ(server.requests()[0].authorization, "Bearer t0k");
}

TEST(WhoamiCommandTest, JsonPrintsTheServerBodyAsIs) {
  FakeHeraldd server;
  server.On("GET", "/v1/me", {.status = 200, .body = kMe});
  auto run = RunHerald({"whoami", "--json", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, std::string(kMe) + "\n");
}

TEST(WhoamiCommandTest, UnauthorizedExitsOne) {
  FakeHeraldd server;
  server.On(
      "GET", "/v1/me",
      {.status = 401, .body = R"({"error":{"code":"unauthorized","message":"invalid token"}})"});
  auto run = RunHerald({"whoami", "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "error: invalid token (unauthorized)\n");
}

TEST(WhoamiCommandTest, AnswerWithoutUserExitsOne) {
  FakeHeraldd server;
  server.On("GET", "/v1/me", {.status = 200, .body = R"({"name":"alice"})"});
  auto run = RunHerald({"whoami", "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("(bad_response)"), std::string::npos) << run.err;
}

TEST(WhoamiCommandTest, UnreachableServerExitsThree) {
  auto run = RunHerald({"whoami", "--server", FakeHeraldd::ClosedPortUrl()});
  EXPECT_EQ(run.status, 3);
}

}  // namespace
}  // namespace herald::cli
