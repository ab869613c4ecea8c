// `herald versions [--show N]` and `herald diff` against the fake heraldd:
// the exact requests, tables, the pretty-printed snapshot, diff lines,
// --json, usage errors.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/testing/fake_heraldd.h"
#include "cli/testing/run_herald.h"

namespace herald::cli {
namespace {

using testing::FakeHeraldd;
using testing::HeraldRun;
using testing::RunHerald;

HeraldRun RunAt(const FakeHeraldd& server, std::vector<std::string> tokens) {
  tokens.push_back("--server");
  tokens.push_back(server.url());
  return RunHerald(tokens);
}

// ---- versions ----

constexpr const char* kVersions = R"({"versions":[
 {"version":4,"draft_revision":12,
  "content_hash":"5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
  "author":"alice","comment":"new FAQ","created_at":"2024-06-02T08:00:00Z","live":true},
 {"version":3,"draft_revision":9,
  "content_hash":"a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3",
  "author":"bob","comment":"","created_at":"2024-06-01T10:00:00Z","live":false}]})";

TEST(VersionsTest, ListsTheVersions) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/versions", {.status = 200, .body = kVersions});
  auto run = RunAt(server, {"versions", "support"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out,
            "VERSION  LIVE  CREATED               AUTHOR  HASH          COMMENT\n"
            "      4  ✓     2024-06-02T08:00:00Z  alice   5e884898da28  new FAQ\n"
            "      3  -     2024-06-01T10:00:00Z  bob     a665a4592042  -\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/versions");
}

TEST(VersionsTest, JsonAndEmpty) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/versions", {.status = 200, .body = kVersions});
  server.On("GET", "/v1/agents/sales/versions", {.status = 200, .body = R"({"versions":[]})"});
  auto json = RunAt(server, {"versions", "support", "--json"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, std::string(kVersions) + "\n");
  auto empty = RunAt(server, {"versions", "sales"});
  EXPECT_EQ(empty.status, 0);
  EXPECT_EQ(empty.out, "No versions of sales yet: 'herald deploy sales' makes the first.\n");
}

constexpr const char* kVersion = R"({"version":{"version":3,"draft_revision":9,
  "content_hash":"a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3",
  "author":"bob","comment":"","created_at":"2024-06-01T10:00:00Z",
  "snapshot":{"id":"support","name":"Support Bot","tools":[{"name":"list_orders",
  "connection":"orders-api"}],"channels":[],"voice":{"speaking_rate":1.25},"behaviour":{},
  "live_version":null,"starter_prompts":["a/b \"quoted\""]}}})";

TEST(VersionsTest, ShowPrintsTheWholeSnapshotPrettyPrinted) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/versions/3", {.status = 200, .body = kVersion});
  auto run = RunAt(server, {"versions", "support", "--show", "3"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "{\n"
            "  \"behaviour\": {},\n"
            "  \"channels\": [],\n"
            "  \"id\": \"support\",\n"
            "  \"live_version\": null,\n"
            "  \"name\": \"Support Bot\",\n"
            "  \"starter_prompts\": [\n"
            "    \"a/b \\\"quoted\\\"\"\n"
            "  ],\n"
            "  \"tools\": [\n"
            "    {\n"
            "      \"connection\": \"orders-api\",\n"
            "      \"name\": \"list_orders\"\n"
            "    }\n"
            "  ],\n"
            "  \"voice\": {\n"
            "    \"speaking_rate\": 1.25\n"
            "  }\n"
            "}\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/versions/3");

  auto json = RunAt(server, {"versions", "support", "--show", "3", "--json"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, std::string(kVersion) + "\n");
}

TEST(VersionsTest, ShowErrorsAndUsage) {
  FakeHeraldd server;
  server.On(
      "GET", "/v1/agents/support/versions/9",
      {.status = 404,
       .body = R"({"error":{"code":"not_found","message":"agent 'support' has no version 9"}})"});
  auto missing = RunAt(server, {"versions", "support", "--show", "9"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.err, "error: agent 'support' has no version 9 (not_found)\n");
  auto bad = RunAt(server, {"versions", "support", "--show", "last"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.err,
            "herald: --show expects a positive whole number (got 'last')\n"
            "Run 'herald help versions' for usage.\n");
  auto usage = RunAt(server, {"versions"});
  EXPECT_EQ(usage.status, 2);
  EXPECT_EQ(server.requests().size(), 1u);
}

// ---- diff ----

constexpr const char* kDiff = R"({"from":"live","to":"draft","changes":[
  {"path":"description","from":"\"Answers\"","to":"\"Answers customer questions\""},
  {"path":"tools[create_ticket]","from":null,"to":"{\"connection\":\"tickets\",\"name\":\"create_ticket\"}"},
  {"path":"behaviour.starter_prompts[1]","from":"\"Talk to a human\"","to":null},
  {"path":"voice.speaking_rate","from":"1","to":"1.25"}]})";

TEST(DiffTest, PrintsOneLinePerChangeLiveToDraftByDefault) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/diff", {.status = 200, .body = kDiff});
  auto run = RunAt(server, {"diff", "support"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(
      run.out,
      "description: \"Answers\" → \"Answers customer questions\"\n"
      "tools[create_ticket]: (none) → {\"connection\":\"tickets\",\"name\":\"create_ticket\"}\n"
      "behaviour.starter_prompts[1]: \"Talk to a human\" → (none)\n"
      "voice.speaking_rate: 1 → 1.25\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/diff");
}

TEST(DiffTest, FromAndToGoInTheQuery) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/diff?from=2&to=live",
            {.status = 200, .body = R"({"from":"2","to":"live","changes":[]})"});
  server.On("GET", "/v1/agents/support/diff?to=3",
            {.status = 200, .body = R"({"from":"live","to":"3","changes":[]})"});
  auto run = RunAt(server, {"diff", "support", "--from", "2", "--to", "live"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "no differences\n");
  auto to_only = RunAt(server, {"diff", "support", "--to", "3"});
  EXPECT_EQ(to_only.status, 0) << to_only.err;
  EXPECT_EQ(to_only.out, "no differences\n");
  ASSERT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/diff?from=2&to=live");
  EXPECT_EQ(server.requests()[1].uri, "/v1/agents/support/diff?to=3");
}

TEST(DiffTest, JsonErrorsAndUsage) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/diff", {.status = 200, .body = kDiff});
  auto json = RunAt(server, {"diff", "support", "--json"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, std::string(kDiff) + "\n");

  server.On("GET", "/v1/agents/sales/diff",
            {.status = 422,
             .body = R"({"error":{"code":"failed_precondition","message":"from: agent 'sales' )"
                     R"(is not live"}})"});
  auto not_live = RunAt(server, {"diff", "sales"});
  EXPECT_EQ(not_live.status, 1);
  EXPECT_EQ(not_live.err, "error: from: agent 'sales' is not live (failed_precondition)\n");

  auto bad = RunAt(server, {"diff", "support", "--from", "yesterday"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.err,
            "herald: --from expects draft, live or a version number (got 'yesterday')\n"
            "Run 'herald help diff' for usage.\n");
  auto zero = RunAt(server, {"diff", "support", "--to", "0"});
  EXPECT_EQ(zero.status, 2);
  EXPECT_EQ(server.requests().size(), 2u);
}

}  // namespace
}  // namespace herald::cli
