// `herald health` end to end against a fake heraldd.
#include <gtest/gtest.h>

#include "cli/testing/fake_heraldd.h"
#include "cli/testing/run_herald.h"

namespace herald::cli {
namespace {

using testing::FakeHeraldd;
using testing::RunHerald;

TEST(HealthCommandTest, PrintsVersionUrlAndStatus) {
  FakeHeraldd server;
  server.On("GET", "/healthz", {.status = 200, .body = R"({"status":"ok","version":"0.1.0"})"});
  auto run = RunHerald({"health", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "heraldd 0.1.0 at " + server.url() + ": ok\n");
}

TEST(HealthCommandTest, DegradedDaemonIsDescribedAndExitsOne) {
  FakeHeraldd server;
  server.On("GET", "/healthz",
            {.status = 503, .body = R"({"status":"degraded","version":"0.1.0"})"});
  auto run = RunHerald({"health", "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "heraldd 0.1.0 at " + server.url() + ": degraded\n");
}

TEST(HealthCommandTest, JsonPrintsTheBody) {
  FakeHeraldd server;
  server.On("GET", "/healthz", {.status = 200, .body = "{\n  \"status\": \"ok\"\n}\n"});
  auto run = RunHerald({"health", "--json", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "{\n  \"status\": \"ok\"\n}\n");
}

TEST(HealthCommandTest, ErrorBodyIsReported) {
  FakeHeraldd server;  // no /healthz route: 404 with an error body
  auto run = RunHerald({"health", "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "error: no route for GET /healthz (not_found)\n");
}

TEST(HealthCommandTest, UnreachableExitsThree) {
  std::string url = FakeHeraldd::ClosedPortUrl();
  auto run = RunHerald({"health"}, {{"HERALD_URL", url}});
  EXPECT_EQ(run.status, 3);
  EXPECT_EQ(run.err, "error: cannot reach heraldd at " + url + ": Connection refused\n");
}

}  // namespace
}  // namespace herald::cli
