// `herald agents create|list|show|set|remove|history` against the fake
// heraldd: the exact requests (and If-Match), the human output, --json, usage
// errors and exit statuses.
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

// An agent with every part set.
constexpr const char* kSupport = R"({"agent":{
  "id": "support", "name": "Support Bot", "description": "Answers customer questions",
  "model": "gpt-4o",
  "voice": {"voice": "alloy", "language": "en-US", "speaking_rate": 1.25},
  "instructions": "Be brief.\n\nCite the FAQ.\n",
  "behaviour": {"guidelines": "No legal advice.", "welcome_message": "Hi! How can I help?",
                "starter_prompts": ["Track my order", "Talk to a human"]},
  "knowledge": [
    {"name": "faq.md", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
     "size": 2048, "content_type": "text/markdown"},
    {"name": "returns.pdf", "sha256": "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
     "size": 181234, "content_type": "application/pdf"}],
  "tools": ["list_orders", "create_ticket"],
  "collaborators": [{"user": "alice", "role": "owner"}, {"user": "bob", "role": "viewer"}],
  "channels": [{"name": "chat", "plugin": "webchat", "settings": {"public": true, "title": "Support"}},
               {"name": "phone", "plugin": "sip", "settings": {}}],
  "revision": 12, "live_version": 3, "created_at": "2024-06-01T09:00:00Z",
  "updated_at": "2024-06-03T10:00:00Z", "updated_by": "alice"}})";

constexpr const char* kSupportShown =
    "ID:             support\n"
    "Name:           Support Bot\n"
    "Description:    Answers customer questions\n"
    "Model:          gpt-4o\n"
    "Voice:          alloy\n"
    "Language:       en-US\n"
    "Speaking rate:  1.25\n"
    "Revision:       12\n"
    "Live version:   3\n"
    "Created:        2024-06-01T09:00:00Z\n"
    "Updated:        2024-06-03T10:00:00Z by alice\n"
    "\n"
    "Instructions:\n"
    "  Be brief.\n"
    "\n"
    "  Cite the FAQ.\n"
    "\n"
    "Guidelines:\n"
    "  No legal advice.\n"
    "\n"
    "Welcome message:\n"
    "  Hi! How can I help?\n"
    "\n"
    "Starter prompts:\n"
    "  - Track my order\n"
    "  - Talk to a human\n"
    "\n"
    "Knowledge:\n"
    "  NAME           SIZE  TYPE             SHA256\n"
    "  faq.md         2048  text/markdown    9f86d081884c\n"
    "  returns.pdf  181234  application/pdf  60303ae22b99\n"
    "\n"
    "Tools: list_orders, create_ticket\n"
    "\n"
    "Collaborators:\n"
    "  USER   ROLE\n"
    "  alice  owner\n"
    "  bob    viewer\n"
    "\n"
    "Channels:\n"
    "  NAME   PLUGIN   SETTINGS\n"
    "  chat   webchat  {\"public\":true,\"title\":\"Support\"}\n"
    "  phone  sip      {}\n";

// A freshly created agent: nothing but its ID and name.
constexpr const char* kFresh = R"({"agent":{
  "id": "sales", "name": "Sales", "description": "", "model": "",
  "voice": {"voice": "", "language": "", "speaking_rate": 1},
  "instructions": "", "behaviour": {"guidelines": "", "welcome_message": "", "starter_prompts": []},
  "knowledge": [], "tools": [], "collaborators": [{"user": "alice", "role": "owner"}],
  "channels": [], "revision": 1, "live_version": null, "created_at": "2024-06-05T08:00:00Z",
  "updated_at": "2024-06-05T08:00:00Z", "updated_by": "alice"}})";

constexpr const char* kFreshShown =
    "ID:             sales\n"
    "Name:           Sales\n"
    "Description:    -\n"
    "Model:          -\n"
    "Voice:          -\n"
    "Language:       -\n"
    "Speaking rate:  1\n"
    "Revision:       1\n"
    "Live version:   not live\n"
    "Created:        2024-06-05T08:00:00Z\n"
    "Updated:        2024-06-05T08:00:00Z by alice\n"
    "\n"
    "Instructions: none\n"
    "\n"
    "Guidelines: none\n"
    "\n"
    "Welcome message: none\n"
    "\n"
    "Starter prompts: none\n"
    "\n"
    "Knowledge: none\n"
    "\n"
    "Tools: none\n"
    "\n"
    "Collaborators:\n"
    "  USER   ROLE\n"
    "  alice  owner\n"
    "\n"
    "Channels: none\n";

constexpr const char* kConflict =
    R"({"error":{"code":"conflict","message":"the draft is at revision 13, not the expected 12 )"
    R"((If-Match): someone changed it first; read it again and retry","current_revision":13}})";

HeraldRun RunAt(const FakeHeraldd& server, std::vector<std::string> tokens) {
  tokens.push_back("--server");
  tokens.push_back(server.url());
  return RunHerald(tokens);
}

std::string UsageHint(const std::string& command) {
  return "\nRun 'herald help agents " + command + "' for usage.\n";
}

// ---- create ----

TEST(AgentsCreateTest, PostsTheIdAndTheGivenFields) {
  FakeHeraldd server;
  server.On("POST", "/v1/agents", {.status = 201, .body = kFresh});
  auto run = RunAt(server, {"agents", "create", "sales", "--name", "Sales", "--description",
                            "Sells things", "--model", "gpt-4o-mini"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, std::string("Created agent sales (revision 1).\n\n") + kFreshShown);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "POST");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents");
  EXPECT_EQ(server.requests()[0].content_type, "application/json");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"id":"sales","name":"Sales","description":"Sells things",)"
                          R"("model":"gpt-4o-mini"})"));
}

TEST(AgentsCreateTest, IdAloneAndJson) {
  FakeHeraldd server;
  server.On("POST", "/v1/agents", {.status = 201, .body = kFresh});
  auto run = RunAt(server, {"--json", "agents", "create", "sales"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, std::string(kFresh) + "\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(CanonicalJson(server.requests()[0].body), CanonicalJson(R"({"id":"sales"})"));
}

TEST(AgentsCreateTest, UsageAndServerErrors) {
  FakeHeraldd server;
  auto missing = RunAt(server, {"agents", "create"});
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.err, "herald: missing argument ID" + UsageHint("create"));
  EXPECT_TRUE(server.requests().empty());

  server.On("POST", "/v1/agents",
            {.status = 409,
             .body = R"({"error":{"code":"already_exists","message":"agent 'sales' exists"}})"});
  auto exists = RunAt(server, {"agents", "create", "sales"});
  EXPECT_EQ(exists.status, 1);
  EXPECT_EQ(exists.out, "");
  EXPECT_EQ(exists.err, "error: agent 'sales' exists (already_exists)\n");

  auto unreachable =
      RunHerald({"agents", "create", "sales", "--server", FakeHeraldd::ClosedPortUrl()});
  EXPECT_EQ(unreachable.status, 3);
}

// ---- list ----

constexpr const char* kList = R"({"agents":[
  {"id":"sales","name":"Sales","description":"","model":"","revision":1,"live_version":null,
   "updated_at":"2024-06-05T08:00:00Z","updated_by":"alice","role":"owner"},
  {"id":"support","name":"Support Bot","description":"Answers","model":"gpt-4o","revision":12,
   "live_version":3,"updated_at":"2024-06-03T10:00:00Z","updated_by":"alice","role":null}]})";

TEST(AgentsListTest, PrintsTheTable) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents", {.status = 200, .body = kList});
  auto run = RunAt(server, {"agents", "list"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "ID       NAME         MODEL   REVISION  LIVE  ROLE   UPDATED\n"
            "sales    Sales        -              1     -  owner  2024-06-05T08:00:00Z\n"
            "support  Support Bot  gpt-4o        12     3  -      2024-06-03T10:00:00Z\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents");
}

TEST(AgentsListTest, JsonAndEmpty) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents", {.status = 200, .body = kList});
  auto json = RunAt(server, {"agents", "list", "--json"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, std::string(kList) + "\n");

  FakeHeraldd empty;
  empty.On("GET", "/v1/agents", {.status = 200, .body = R"({"agents":[]})"});
  auto run = RunAt(empty, {"agents", "list"});
  EXPECT_EQ(run.status, 0);
  EXPECT_EQ(run.out, "No agents. Create one with 'herald agents create ID --name NAME'.\n");
}

// ---- show ----

TEST(AgentsShowTest, PrintsEveryFieldAndPart) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support", {.status = 200, .body = kSupport});
  auto run = RunAt(server, {"agents", "show", "support"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, kSupportShown);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support");
}

TEST(AgentsShowTest, EmptyPartsSayNone) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/sales", {.status = 200, .body = kFresh});
  auto run = RunAt(server, {"agents", "show", "sales"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, kFreshShown);
}

TEST(AgentsShowTest, JsonNotFoundAndUnexpectedAnswer) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support", {.status = 200, .body = kSupport});
  server.On("GET", "/v1/agents/odd", {.status = 200, .body = R"({"agents":[]})"});
  auto json = RunAt(server, {"agents", "show", "support", "--json"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, std::string(kSupport) + "\n");

  auto missing = RunAt(server, {"agents", "show", "nope"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.err, "error: no route for GET /v1/agents/nope (not_found)\n");

  auto odd = RunAt(server, {"agents", "show", "odd"});
  EXPECT_EQ(odd.status, 1);
  EXPECT_EQ(odd.err,
            "error: unexpected response from heraldd: no \"agent\" in the answer (bad_response)\n");
}

TEST(AgentsShowTest, EscapesTheIdInThePath) {
  FakeHeraldd server;
  auto run = RunAt(server, {"agents", "show", "a b/c"});
  EXPECT_EQ(run.status, 1);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/a%20b%2Fc");
}

// ---- set ----

TEST(AgentsSetTest, PatchesOnlyTheGivenFields) {
  FakeHeraldd server;
  server.On("PATCH", "/v1/agents/support", {.status = 200, .body = kSupport});
  auto run =
      RunAt(server, {"agents", "set", "support", "--description", "Answers customer questions"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, std::string("Updated agent support (revision 12).\n\n") + kSupportShown);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "PATCH");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"description":"Answers customer questions"})"));
  EXPECT_EQ(server.requests()[0].Header("If-Match"), "");
}

TEST(AgentsSetTest, EveryFieldNestsVoiceAndBehaviour) {
  FakeHeraldd server;
  server.On("PATCH", "/v1/agents/support", {.status = 200, .body = kSupport});
  auto run = RunAt(server, {"agents",
                            "set",
                            "support",
                            "--name",
                            "Support Bot",
                            "--description",
                            "Answers",
                            "--model",
                            "gpt-4o",
                            "--voice",
                            "alloy",
                            "--language",
                            "en-US",
                            "--speaking-rate",
                            "1.25",
                            "--instructions",
                            "Be brief.",
                            "--guidelines",
                            "No legal advice.",
                            "--welcome-message",
                            "Hi!",
                            "--starter-prompt",
                            "Track my order",
                            "--starter-prompt",
                            "Talk to a human"});
  EXPECT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"name":"Support Bot","description":"Answers","model":"gpt-4o",)"
                          R"("voice":{"voice":"alloy","language":"en-US","speaking_rate":1.25},)"
                          R"("instructions":"Be brief.","behaviour":{"guidelines":)"
                          R"("No legal advice.","welcome_message":"Hi!","starter_prompts":)"
                          R"(["Track my order","Talk to a human"]}})"));
}

TEST(AgentsSetTest, NoStarterPromptsSendsAnEmptyListAndEmptyValuesAreSent) {
  FakeHeraldd server;
  server.On("PATCH", "/v1/agents/support", {.status = 200, .body = kSupport});
  auto run = RunAt(server, {"agents", "set", "support", "--no-starter-prompts", "--voice", ""});
  EXPECT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"voice":{"voice":""},"behaviour":{"starter_prompts":[]}})"));
}

TEST(AgentsSetTest, IfMatchSendsTheHeader) {
  FakeHeraldd server;
  server.On("PATCH", "/v1/agents/support", {.status = 200, .body = kSupport});
  auto run = RunAt(server, {"agents", "set", "support", "--model", "gpt-4o", "--if-match", "11"});
  EXPECT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].Header("If-Match"), "11");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body), CanonicalJson(R"({"model":"gpt-4o"})"));
}

TEST(AgentsSetTest, ConflictPrintsTheServersMessageAndExitsOne) {
  FakeHeraldd server;
  server.On("PATCH", "/v1/agents/support", {.status = 409, .body = kConflict});
  auto run = RunAt(server, {"agents", "set", "support", "--model", "gpt-4o", "--if-match", "12"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "error: the draft is at revision 13, not the expected 12 (If-Match): someone changed "
            "it first; read it again and retry (conflict)\n");

  auto json =
      RunAt(server, {"agents", "set", "support", "--model", "x", "--if-match", "12", "--json"});
  EXPECT_EQ(json.status, 1);
}

TEST(AgentsSetTest, UsageErrors) {
  FakeHeraldd server;
  auto nothing = RunAt(server, {"agents", "set", "support"});
  EXPECT_EQ(nothing.status, 2);
  EXPECT_EQ(nothing.err,
            "herald: nothing to change: give at least one field option" + UsageHint("set"));

  auto rate = RunAt(server, {"agents", "set", "support", "--speaking-rate", "fast"});
  EXPECT_EQ(rate.status, 2);
  EXPECT_EQ(rate.err,
            "herald: --speaking-rate expects a number such as 1.0 (got 'fast')" + UsageHint("set"));

  auto rev = RunAt(server, {"agents", "set", "support", "--model", "m", "--if-match", "latest"});
  EXPECT_EQ(rev.status, 2);
  EXPECT_EQ(rev.err,
            "herald: --if-match expects a revision number (got 'latest')" + UsageHint("set"));

  auto prompts =
      RunAt(server, {"agents", "set", "support", "--starter-prompt", "Hi", "--no-starter-prompts"});
  EXPECT_EQ(prompts.status, 2);
  EXPECT_EQ(prompts.err,
            "herald: give --starter-prompt or --no-starter-prompts, not both" + UsageHint("set"));

  auto twice = RunAt(server, {"agents", "set", "support", "--model", "a", "--model", "b"});
  EXPECT_EQ(twice.status, 2);
  EXPECT_TRUE(server.requests().empty());
}

// ---- remove ----

TEST(AgentsRemoveTest, DeletesTheAgent) {
  FakeHeraldd server;
  server.On("DELETE", "/v1/agents/sales", {.status = 200, .body = R"({"removed":"sales"})"});
  auto run = RunAt(server, {"agents", "remove", "sales"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "Removed agent sales.\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "DELETE");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/sales");

  auto json = RunAt(server, {"agents", "remove", "sales", "--json", "--if-match", "4"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, "{\"removed\":\"sales\"}\n");
  EXPECT_EQ(server.requests()[1].Header("If-Match"), "4");
}

TEST(AgentsRemoveTest, LiveAgentIsRefused) {
  FakeHeraldd server;
  server.On("DELETE", "/v1/agents/support",
            {.status = 422,
             .body = R"({"error":{"code":"failed_precondition","message":"agent 'support' is )"
                     R"(live; undeploy it first"}})"});
  auto run = RunAt(server, {"agents", "remove", "support"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "error: agent 'support' is live; undeploy it first (failed_precondition)\n");
}

// ---- history ----

constexpr const char* kHistory = R"({"revision":12,"history":[
  {"revision":1,"user":"alice","at":"2024-06-01T09:00:00Z","summary":"created agent"},
  {"revision":11,"user":"bob","at":"2024-06-02T16:30:00Z",
   "summary":"added tool create_ticket; set behaviour.starter_prompts"},
  {"revision":12,"user":"alice","at":"2024-06-03T10:00:00Z","summary":"set description"}]})";

TEST(AgentsHistoryTest, PrintsTheRevisionAndTheChanges) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/history", {.status = 200, .body = kHistory});
  auto run = RunAt(server, {"agents", "history", "support"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "Agent support is at revision 12.\n"
            "\n"
            "REVISION  AT                    USER   CHANGE\n"
            "       1  2024-06-01T09:00:00Z  alice  created agent\n"
            "      11  2024-06-02T16:30:00Z  bob    added tool create_ticket; set "
            "behaviour.starter_prompts\n"
            "      12  2024-06-03T10:00:00Z  alice  set description\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/history");
}

TEST(AgentsHistoryTest, JsonAndEmpty) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/history", {.status = 200, .body = kHistory});
  server.On("GET", "/v1/agents/new/history",
            {.status = 200, .body = R"({"revision":0,"history":[]})"});
  auto json = RunAt(server, {"agents", "history", "support", "--json"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, std::string(kHistory) + "\n");
  auto empty = RunAt(server, {"agents", "history", "new"});
  EXPECT_EQ(empty.status, 0);
  EXPECT_EQ(empty.out, "Agent new is at revision 0.\nNo changes recorded.\n");
}

}  // namespace
}  // namespace herald::cli
