// `herald plugins` end to end: command line in, fake heraldd answering, output out.
#include <gtest/gtest.h>

#include "cli/testing/fake_heraldd.h"
#include "cli/testing/run_herald.h"

namespace herald::cli {
namespace {

using testing::FakeHeraldd;
using testing::RunHerald;

constexpr const char* kPlugins = R"json({
  "loaded": [
    {"name": "bearer", "kind": "auth_type", "version": "1.0.0", "description": "Bearer tokens",
     "abi": "1.0", "path": "/usr/lib/herald/plugins/libbearer.so"},
    {"name": "slack", "kind": "channel", "version": "0.2.10", "description": "Slack",
     "abi": "1.0", "path": "/usr/lib/herald/plugins/libslack.so"}
  ],
  "refused": [
    {"path": "/opt/x.so", "reason": "ABI 2.0 is newer than this heraldd (1.0)"}
  ]
})json";

TEST(PluginsCommandTest, PrintsLoadedAndRefusedTables) {
  FakeHeraldd server;
  server.On("GET", "/v1/plugins", {.status = 200, .body = kPlugins});
  auto run = RunHerald({"plugins", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out,
            "NAME    KIND       VERSION  ABI  PATH\n"
            "bearer  auth_type  1.0.0    1.0  /usr/lib/herald/plugins/libbearer.so\n"
            "slack   channel    0.2.10   1.0  /usr/lib/herald/plugins/libslack.so\n"
            "\n"
            "Refused:\n"
            "PATH       REASON\n"
            "/opt/x.so  ABI 2.0 is newer than this heraldd (1.0)\n");
}

TEST(PluginsCommandTest, NoRefusedSectionWhenNoneRefused) {
  FakeHeraldd server;
  server.On("GET", "/v1/plugins",
            {.status = 200,
             .body = R"({"loaded":[{"name":"a","kind":"tool","version":"1","abi":"1.0",)"
                     R"("path":"/a.so"}],"refused":[]})"});
  auto run = RunHerald({"--server", server.url(), "plugins"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "NAME  KIND  VERSION  ABI  PATH\n"
            "a     tool  1        1.0  /a.so\n");
}

TEST(PluginsCommandTest, SaysSoWhenNothingIsLoaded) {
  FakeHeraldd server;
  server.On("GET", "/v1/plugins", {.status = 200, .body = R"({"loaded":[],"refused":[]})"});
  auto run = RunHerald({"plugins"}, {{"HERALD_URL", server.url()}});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "No plugins loaded.\n");
}

TEST(PluginsCommandTest, JsonPrintsTheServerBodyAsIs) {
  FakeHeraldd server;
  server.On("GET", "/v1/plugins", {.status = 200, .body = kPlugins});
  auto run = RunHerald({"--json", "plugins", "--server=" + server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, std::string(kPlugins) + "\n");
}

TEST(PluginsCommandTest, SendsTheTokenFromTheEnvironment) {
  FakeHeraldd server;
  server.On("GET", "/v1/plugins", {.status = 200, .body = R"({"loaded":[],"refused":[]})"});
  auto run = RunHerald({"plugins", "--server", server.url()}, {{"HERALD_TOKEN", "t0k"}});
  EXPECT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].authorization, "Bearer t0k");
}

TEST(PluginsCommandTest, ServerErrorExitsOne) {
  FakeHeraldd server;
  server.On("GET", "/v1/plugins",
            {.status = 401,
             .body = R"({"error":{"code":"unauthorized","message":"missing bearer token"}})"});
  auto run = RunHerald({"plugins", "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "error: missing bearer token (unauthorized)\n");
}

TEST(PluginsCommandTest, AnswerWithoutLoadedListExitsOne) {
  FakeHeraldd server;
  server.On("GET", "/v1/plugins", {.status = 200, .body = R"({"plugins":[]})"});
  auto run = RunHerald({"plugins", "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("(bad_response)"), std::string::npos) << run.err;
}

TEST(PluginsCommandTest, UnreachableServerExitsThree) {
  std::string url = FakeHeraldd::ClosedPortUrl();
  auto run = RunHerald({"plugins", "--server", url});
  EXPECT_EQ(run.status, 3);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "error: cannot reach heraldd at " + url + ": Connection refused\n");
}

TEST(PluginsCommandTest, ExtraArgumentIsAUsageError) {
  auto run = RunHerald({"plugins", "extra"});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, "herald: unexpected argument 'extra'\nRun 'herald help plugins' for usage.\n");
}

}  // namespace
}  // namespace herald::cli
