// `herald users add|list|remove` against the fake heraldd.
#include <gtest/gtest.h>

#include "cli/testing/canonical_json.h"
#include "cli/testing/fake_heraldd.h"
#include "cli/testing/run_herald.h"

namespace herald::cli {
namespace {

using testing::CanonicalJson;
using testing::FakeHeraldd;
using testing::RunHerald;

constexpr const char* kAdded =
    R"({"user":{"name":"bob","role":"operator","created_at":"2024-05-02T10:00:00Z"},)"
    R"("token":"hrd_s3cr3tT0ken"})";

TEST(UsersCommandTest, AddPostsNameAndRoleAndShowsTheTokenOnce) {
  FakeHeraldd server;
  server.On("POST", "/v1/users", {.status = 201, .body = kAdded});
  auto run = RunHerald({"users", "add", "bob", "--role", "operator", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out,
            "NAME  ROLE      CREATED\n"
            "bob   operator  2024-05-02T10:00:00Z\n"
            "\n"
            "Token: hrd_s3cr3tT0ken\n"
            "This token will not be shown again: store it now (e.g. in $HERALD_TOKEN_FILE).\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "POST");
  EXPECT_EQ(server.requests()[0].uri, "/v1/users");
  EXPECT_EQ(server.requests()[0].content_type, "application/json");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"name":"bob","role":"operator"})"));
}

TEST(UsersCommandTest, AddJsonPrintsTheServerBody) {
  FakeHeraldd server;
  server.On("POST", "/v1/users", {.status = 201, .body = kAdded});
  auto run =
      RunHerald({"users", "add", "bob", "--role=member", "--json", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, std::string(kAdded) + "\n");
}

TEST(UsersCommandTest, AddWithoutRoleIsAUsageError) {
  auto run = RunHerald({"users", "add", "bob"});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, "herald: missing option --role\nRun 'herald help users add' for usage.\n");
}

TEST(UsersCommandTest, AddWithUnknownRoleIsAUsageError) {
  FakeHeraldd server;
  auto run = RunHerald({"users", "add", "bob", "--role", "root", "--server", server.url()});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err,
            "herald: --role must be one of admin, operator, member (got 'root')\n"
            "Run 'herald help users add' for usage.\n");
  EXPECT_TRUE(server.requests().empty());
}

TEST(UsersCommandTest, AddConflictExitsOne) {
  FakeHeraldd server;
  server.On("POST", "/v1/users",
            {.status = 409,
             .body = R"({"error":{"code":"conflict","message":"user bob already exists"}})"});
  auto run = RunHerald({"users", "add", "bob", "--role", "admin", "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "error: user bob already exists (conflict)\n");
}

TEST(UsersCommandTest, ListPrintsNameRoleCreated) {
  FakeHeraldd server;
  const std::string body =
      R"({"users":[{"name":"alice","role":"admin","created_at":"2024-05-01T09:00:00Z"},)"
      R"({"name":"bob","role":"member","created_at":"2024-05-02T10:00:00Z"}]})";
  server.On("GET", "/v1/users", {.status = 200, .body = body});
  auto run = RunHerald({"users", "list", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "NAME   ROLE    CREATED\n"
            "alice  admin   2024-05-01T09:00:00Z\n"
            "bob    member  2024-05-02T10:00:00Z\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/users");

  auto json = RunHerald({"users", "list", "--json", "--server", server.url()});
  EXPECT_EQ(json.out, body + "\n");
}

TEST(UsersCommandTest, ListEmpty) {
  FakeHeraldd server;
  server.On("GET", "/v1/users", {.status = 200, .body = R"({"users":[]})"});
  auto run = RunHerald({"users", "list", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "No users.\n");
}

TEST(UsersCommandTest, RemoveDeletesTheEscapedName) {
  FakeHeraldd server;
  server.On("DELETE", "/v1/users/bob%20smith",
            {.status = 200, .body = R"({"removed":"bob smith"})"});
  auto run = RunHerald({"users", "remove", "bob smith", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "Removed user bob smith.\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "DELETE");
  EXPECT_EQ(server.requests()[0].uri, "/v1/users/bob%20smith");
}

TEST(UsersCommandTest, RemoveLastAdminExitsOne) {
  FakeHeraldd server;
  server.On(
      "DELETE", "/v1/users/alice",
      {.status = 409,
       .body = R"({"error":{"code":"conflict","message":"the last admin cannot be removed"}})"});
  auto run = RunHerald({"users", "remove", "alice", "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "error: the last admin cannot be removed (conflict)\n");
}

TEST(UsersCommandTest, RemoveJsonPrintsTheServerBody) {
  FakeHeraldd server;
  server.On("DELETE", "/v1/users/bob", {.status = 200, .body = R"({"removed":"bob"})"});
  auto run = RunHerald({"users", "remove", "bob", "--json", "--server", server.url()});
  EXPECT_EQ(run.out, "{\"removed\":\"bob\"}\n");
}

}  // namespace
}  // namespace herald::cli
