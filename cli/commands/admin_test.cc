// `herald admin rotate-key` against the fake heraldd.
#include <gtest/gtest.h>

#include "cli/testing/fake_heraldd.h"
#include "cli/testing/run_herald.h"

namespace herald::cli {
namespace {

using testing::FakeHeraldd;
using testing::RunHerald;

TEST(AdminCommandTest, RotateKeyPostsAndPrintsTheNewKey) {
  FakeHeraldd server;
  server.On("POST", "/v1/admin/rotate-key",
            {.status = 200, .body = R"({"key_id":"k-2024-06","reencrypted":7})"});
  auto run = RunHerald({"admin", "rotate-key", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, "New key id: k-2024-06\nRe-encrypted 7 secrets with it.\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "POST");
  EXPECT_EQ(server.requests()[0].uri, "/v1/admin/rotate-key");
  EXPECT_EQ(server.requests()[0].body, "");
}

TEST(AdminCommandTest, RotateKeySingularSecret) {
  FakeHeraldd server;
  server.On("POST", "/v1/admin/rotate-key",
            {.status = 200, .body = R"({"key_id":"k2","reencrypted":1})"});
  auto run = RunHerald({"admin", "rotate-key", "--server", server.url()});
  EXPECT_EQ(run.out, "New key id: k2\nRe-encrypted 1 secret with it.\n");
}

TEST(AdminCommandTest, RotateKeyJsonPrintsTheServerBody) {
  FakeHeraldd server;
  const std::string body = R"({"key_id":"k2","reencrypted":0})";
  server.On("POST", "/v1/admin/rotate-key", {.status = 200, .body = body});
  auto run = RunHerald({"--json", "admin", "rotate-key", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, body + "\n");
}

TEST(AdminCommandTest, RotateKeyForbiddenExitsOne) {
  FakeHeraldd server;
  server.On("POST", "/v1/admin/rotate-key",
            {.status = 403, .body = R"({"error":{"code":"forbidden","message":"admin only"}})"});
  auto run = RunHerald({"admin", "rotate-key", "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "error: admin only (forbidden)\n");
}

TEST(AdminCommandTest, AdminWithoutSubcommandIsAUsageError) {
  auto run = RunHerald({"admin"});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("missing subcommand for 'admin' (one of: rotate-key)"), std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace herald::cli
