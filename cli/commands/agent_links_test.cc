// `herald agents add-tool|remove-tool|share|unshare|set-channel|remove-channel`
// against the fake heraldd: the exact requests, setting values typed as JSON,
// the human output, --json, usage errors.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/testing/canonical_json.h"
#include "cli/testing/fake_heraldd.h"
#include "cli/testing/run_herald.h"

namespace herald::cli {
namespace {

using testing::CanonicalJson;
using testing::FakeHeraldd;
using testing::HeraldRun;
using testing::RunHerald;

constexpr const char* kAgent = R"({"agent":{"id":"support","revision":14,
  "tools":["list_orders","create_ticket"],
  "collaborators":[{"user":"alice","role":"owner"},{"user":"bob","role":"editor"}],
  "channels":[{"name":"chat","plugin":"webchat",
               "settings":{"max_turns":20,"public":true,"title":"Support"}}]}})";

HeraldRun RunAt(const FakeHeraldd& server, std::vector<std::string> tokens) {
  tokens.push_back("--server");
  tokens.push_back(server.url());
  return RunHerald(tokens);
}

std::string UsageHint(const std::string& command) {
  return "\nRun 'herald help agents " + command + "' for usage.\n";
}

// ---- tools ----

TEST(AgentToolsTest, AddToolPutsWithoutABody) {
  FakeHeraldd server;
  server.On("PUT", "/v1/agents/support/tools/create_ticket", {.status = 200, .body = kAgent});
  auto run = RunAt(server, {"agents", "add-tool", "support", "create_ticket"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "Added tool create_ticket to agent support (revision 14).\n"
            "\n"
            "Tools: list_orders, create_ticket\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "PUT");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/tools/create_ticket");
  EXPECT_EQ(server.requests()[0].body, "");
}

TEST(AgentToolsTest, RemoveToolDeletesAndJsonPrintsTheBody) {
  FakeHeraldd server;
  server.On("DELETE", "/v1/agents/support/tools/old_tool", {.status = 200, .body = kAgent});
  auto run = RunAt(server, {"agents", "remove-tool", "support", "old_tool", "--if-match", "13"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "Removed tool old_tool from agent support (revision 14).\n"
            "\n"
            "Tools: list_orders, create_ticket\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "DELETE");
  EXPECT_EQ(server.requests()[0].Header("If-Match"), "13");

  auto json = RunAt(server, {"--json", "agents", "remove-tool", "support", "old_tool"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, std::string(kAgent) + "\n");
}

TEST(AgentToolsTest, UnknownToolExitsOneAndMissingArgumentIsUsage) {
  FakeHeraldd server;
  server.On(
      "PUT", "/v1/agents/support/tools/nope",
      {.status = 400,
       .body = R"({"error":{"code":"invalid_argument","message":"tool 'nope' does not exist"}})"});
  auto run = RunAt(server, {"agents", "add-tool", "support", "nope"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "error: tool 'nope' does not exist (invalid_argument)\n");
  auto usage = RunAt(server, {"agents", "add-tool", "support"});
  EXPECT_EQ(usage.status, 2);
  EXPECT_EQ(usage.err, "herald: missing argument TOOL" + UsageHint("add-tool"));
}

// ---- collaborators ----

TEST(AgentShareTest, PutsTheRole) {
  FakeHeraldd server;
  server.On("PUT", "/v1/agents/support/collaborators/bob", {.status = 200, .body = kAgent});
  auto run = RunAt(server, {"agents", "share", "support", "bob", "--role", "editor"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "Shared agent support with bob as editor (revision 14).\n"
            "\n"
            "Collaborators:\n"
            "  USER   ROLE\n"
            "  alice  owner\n"
            "  bob    editor\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "PUT");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/collaborators/bob");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body), CanonicalJson(R"({"role":"editor"})"));
}

TEST(AgentShareTest, UsageErrors) {
  FakeHeraldd server;
  auto no_role = RunAt(server, {"agents", "share", "support", "bob"});
  EXPECT_EQ(no_role.status, 2);
  EXPECT_EQ(no_role.err, "herald: missing option --role" + UsageHint("share"));
  auto bad_role = RunAt(server, {"agents", "share", "support", "bob", "--role", "admin"});
  EXPECT_EQ(bad_role.status, 2);
  EXPECT_EQ(bad_role.err, "herald: --role must be one of owner, editor, viewer (got 'admin')" +
                              UsageHint("share"));
  EXPECT_TRUE(server.requests().empty());
}

TEST(AgentUnshareTest, DeletesTheCollaborator) {
  FakeHeraldd server;
  server.On("DELETE", "/v1/agents/support/collaborators/carol", {.status = 200, .body = kAgent});
  auto run = RunAt(server, {"agents", "unshare", "support", "carol"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "Stopped sharing agent support with carol (revision 14).\n"
            "\n"
            "Collaborators:\n"
            "  USER   ROLE\n"
            "  alice  owner\n"
            "  bob    editor\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "DELETE");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/collaborators/carol");

  server.On("DELETE", "/v1/agents/support/collaborators/alice",
            {.status = 422,
             .body = R"({"error":{"code":"failed_precondition","message":"an agent keeps at )"
                     R"(least one owner"}})"});
  auto last_owner = RunAt(server, {"agents", "unshare", "support", "alice"});
  EXPECT_EQ(last_owner.status, 1);
  EXPECT_EQ(last_owner.err, "error: an agent keeps at least one owner (failed_precondition)\n");
}

// ---- channels ----

const char* const kChannelsShown =
    "Channels:\n"
    "  NAME  PLUGIN   SETTINGS\n"
    "  chat  webchat  {\"max_turns\":20,\"public\":true,\"title\":\"Support\"}\n";

TEST(AgentSetChannelTest, SettingsAreTypedBooleansNumbersOrStrings) {
  FakeHeraldd server;
  server.On("PUT", "/v1/agents/support/channels/chat", {.status = 200, .body = kAgent});
  auto run = RunAt(server, {"agents",    "set-channel",
                            "support",   "chat",
                            "--plugin",  "webchat",
                            "--setting", "public=true",
                            "--setting", "max_turns=20",
                            "--setting", "title=Support",
                            "--setting", "code=007",
                            "--setting", "ratio=1.5",
                            "--setting", "offset=-3",
                            "--setting", "debug=false",
                            "--setting", "greeting=a=b",
                            "--setting", "empty=",
                            "--setting", "huge=99999999999999999999"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "Set channel chat of agent support (revision 14).\n\n" + std::string(kChannelsShown));
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "PUT");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/channels/chat");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"plugin":"webchat","settings":{"public":true,"max_turns":20,)"
                          R"("title":"Support","code":"007","ratio":"1.5","offset":-3,)"
                          R"("debug":false,"greeting":"a=b","empty":"",)"
                          R"("huge":"99999999999999999999"}})"));
}

TEST(AgentSetChannelTest, SettingsJsonGivesTheWholeObject) {
  FakeHeraldd server;
  server.On("PUT", "/v1/agents/support/channels/chat", {.status = 200, .body = kAgent});
  auto run = RunAt(
      server, {"agents", "set-channel", "support", "chat", "--plugin", "webchat", "--settings-json",
               R"({"ratio":1.5,"tags":["a","b"],"code":"007"})", "--if-match", "13"});
  EXPECT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"plugin":"webchat","settings":{"ratio":1.5,"tags":["a","b"],)"
                          R"("code":"007"}})"));
  EXPECT_EQ(server.requests()[0].Header("If-Match"), "13");
}

TEST(AgentSetChannelTest, NoSettingsSendsThePluginOnlyAndJsonPrintsTheBody) {
  FakeHeraldd server;
  server.On("PUT", "/v1/agents/support/channels/chat", {.status = 200, .body = kAgent});
  auto run =
      RunAt(server, {"agents", "set-channel", "support", "chat", "--plugin", "webchat", "--json"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, std::string(kAgent) + "\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(CanonicalJson(server.requests()[0].body), CanonicalJson(R"({"plugin":"webchat"})"));
}

TEST(AgentSetChannelTest, InvalidSettingsExitOne) {
  FakeHeraldd server;
  server.On("PUT", "/v1/agents/support/channels/chat",
            {.status = 400,
             .body = R"({"error":{"code":"invalid_argument","message":"settings.max_turns: )"
                     R"(must be at most 100"}})"});
  auto run = RunAt(server, {"agents", "set-channel", "support", "chat", "--plugin", "webchat",
                            "--setting", "max_turns=1000"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "error: settings.max_turns: must be at most 100 (invalid_argument)\n");
}

TEST(AgentSetChannelTest, UsageErrors) {
  FakeHeraldd server;
  auto no_plugin = RunAt(server, {"agents", "set-channel", "support", "chat"});
  EXPECT_EQ(no_plugin.status, 2);
  EXPECT_EQ(no_plugin.err, "herald: missing option --plugin" + UsageHint("set-channel"));

  auto no_eq = RunAt(
      server, {"agents", "set-channel", "support", "chat", "--plugin", "p", "--setting", "public"});
  EXPECT_EQ(no_eq.status, 2);
  EXPECT_EQ(no_eq.err,
            "herald: --setting expects KEY=VALUE (got 'public')" + UsageHint("set-channel"));

  auto twice = RunAt(server, {"agents", "set-channel", "support", "chat", "--plugin", "p",
                              "--setting", "a=1", "--setting", "a=2"});
  EXPECT_EQ(twice.status, 2);
  EXPECT_EQ(twice.err, "herald: --setting 'a' is given twice" + UsageHint("set-channel"));

  auto both = RunAt(server, {"agents", "set-channel", "support", "chat", "--plugin", "p",
                             "--setting", "a=1", "--settings-json", "{}"});
  EXPECT_EQ(both.status, 2);
  EXPECT_EQ(both.err,
            "herald: give --setting or --settings-json, not both" + UsageHint("set-channel"));

  for (const char* bad : {"[1,2]", "{oops", "\"text\""}) {
    auto json = RunAt(server, {"agents", "set-channel", "support", "chat", "--plugin", "p",
                               "--settings-json", bad});
    EXPECT_EQ(json.status, 2) << bad;
    EXPECT_EQ(json.err, "herald: --settings-json expects a JSON object, e.g. '{\"public\":true}'" +
                            UsageHint("set-channel"))
        << bad;
  }
  EXPECT_TRUE(server.requests().empty());
}

TEST(AgentRemoveChannelTest, DeletesTheChannel) {
  FakeHeraldd server;
  server.On("DELETE", "/v1/agents/support/channels/phone", {.status = 200, .body = kAgent});
  auto run = RunAt(server, {"agents", "remove-channel", "support", "phone"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "Removed channel phone from agent support (revision 14).\n\n" +
                         std::string(kChannelsShown));
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "DELETE");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/channels/phone");
}

}  // namespace
}  // namespace herald::cli
