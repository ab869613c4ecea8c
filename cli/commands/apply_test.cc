// `herald apply` and `herald export` against the fake heraldd: YAML sent and
// received as is, created / updated / unchanged, -f -, -o, errors.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/commands/common.h"
#include "cli/testing/fake_heraldd.h"
#include "cli/testing/run_herald.h"
#include "cli/testing/temp_file.h"

namespace herald::cli {
namespace {

using testing::FakeHeraldd;
using testing::HeraldRun;
using testing::RunHerald;
using testing::TempFile;

constexpr const char* kYaml =
    "id: support\n"
    "name: Support Bot\n"
    "description: Answers customer questions  # kept verbatim\n"
    "tools: [list_orders, create_ticket]\n"
    "channels:\n"
    "  - name: chat\n"
    "    plugin: webchat\n"
    "    settings: {public: true}\n";

std::string Answer(bool created, bool changed, int revision) {
  return R"({"agent":{"id":"support","name":"Support Bot","revision":)" + std::to_string(revision) +
         R"(},"created":)" + (created ? "true" : "false") + R"(,"changed":)" +
         (changed ? "true" : "false") + "}";
}

HeraldRun RunAt(const FakeHeraldd& server, std::vector<std::string> tokens,
                const std::string& stdin_text = "") {
  tokens.push_back("--server");
  tokens.push_back(server.url());
  return RunHerald(tokens, {}, stdin_text);
}

// ---- apply ----

TEST(ApplyTest, PostsTheYamlAsIsAndSaysCreated) {
  TempFile file("agent.yaml", kYaml);
  FakeHeraldd server;
  server.On("POST", "/v1/agents/apply", {.status = 201, .body = Answer(true, true, 1)});
  auto run = RunAt(server, {"apply", "-f", file.path()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, "Agent support: created (revision 1).\n");
  std::vector<FakeHeraldd::Request> requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].uri, "/v1/agents/apply");
  EXPECT_EQ(requests[0].content_type, "application/yaml");
  EXPECT_EQ(requests[0].body, kYaml);
  EXPECT_EQ(requests[0].Header("If-Match"), "");
}

TEST(ApplyTest, UpdatedAndUnchanged) {
  TempFile file("agent.yaml", kYaml);
  FakeHeraldd server;
  server.On("POST", "/v1/agents/apply", {.status = 200, .body = Answer(false, true, 13)});
  auto updated = RunAt(server, {"apply", "--file", file.path(), "--if-match", "12"});
  EXPECT_EQ(updated.status, 0) << updated.err;
  EXPECT_EQ(updated.out, "Agent support: updated (revision 13).\n");
  EXPECT_EQ(server.requests().at(0).Header("If-Match"), "12");

  server.On("POST", "/v1/agents/apply", {.status = 200, .body = Answer(false, false, 13)});
  auto unchanged = RunAt(server, {"apply", "-f", file.path()});
  EXPECT_EQ(unchanged.status, 0) << unchanged.err;
  EXPECT_EQ(unchanged.out, "Agent support: unchanged (revision 13).\n");
}

TEST(ApplyTest, ReadsStandardInputAndJsonPrintsTheBody) {
  FakeHeraldd server;
  server.On("POST", "/v1/agents/apply", {.status = 200, .body = Answer(false, true, 13)});
  auto run = RunAt(server, {"apply", "-f", "-", "--json"}, kYaml);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, Answer(false, true, 13) + "\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].body, kYaml);
}

TEST(ApplyTest, RefusedDocumentAndConflictExitOne) {
  TempFile file("agent.yaml", "id: [oops\n");
  FakeHeraldd server;
  server.On("POST", "/v1/agents/apply",
            {.status = 400,
             .body = R"({"error":{"code":"invalid_argument","message":"line 1: id: expected a )"
                     R"(string"}})"});
  auto run = RunAt(server, {"apply", "-f", file.path()});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "error: line 1: id: expected a string (invalid_argument)\n");

  server.On("POST", "/v1/agents/apply",
            {.status = 409,
             .body = R"({"error":{"code":"conflict","message":"the draft is at revision 14",)"
                     R"("current_revision":14}})"});
  auto conflict = RunAt(server, {"apply", "-f", file.path(), "--if-match", "12"});
  EXPECT_EQ(conflict.status, 1);
  EXPECT_EQ(conflict.err, "error: the draft is at revision 14 (conflict)\n");
}

TEST(ApplyTest, UsageErrors) {
  FakeHeraldd server;
  auto missing = RunAt(server, {"apply"});
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.err, "herald: missing option --file\nRun 'herald help apply' for usage.\n");
  auto unreadable = RunAt(server, {"apply", "-f", "/nonexistent/agent.yaml"});
  EXPECT_EQ(unreadable.status, 2);
  EXPECT_EQ(unreadable.err,
            "herald: cannot read file '/nonexistent/agent.yaml': No such file or directory\n"
            "Run 'herald help apply' for usage.\n");
  auto extra = RunAt(server, {"apply", "agent.yaml"});
  EXPECT_EQ(extra.status, 2);
  EXPECT_TRUE(server.requests().empty());
}

// ---- export ----

TEST(ExportTest, PrintsTheYamlAsIs) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/export",
            {.status = 200, .body = kYaml, .content_type = "application/yaml"});
  auto run = RunAt(server, {"export", "support"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, kYaml);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/export");

  auto json = RunAt(server, {"export", "support", "--json"});  // YAML either way
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, kYaml);
}

TEST(ExportTest, OutputOptionWritesTheFile) {
  TempFile dir("placeholder", "");
  const std::string path = dir.dir() + "/support.yaml";
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/export",
            {.status = 200, .body = kYaml, .content_type = "application/yaml"});
  auto run = RunAt(server, {"export", "support", "-o", path});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "Exported agent support to " + path + ".\n");
  EXPECT_EQ(ReadFileOrThrow(path, "file"), kYaml);
}

TEST(ExportTest, ErrorsExitOneOrThree) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/secret/export",
            {.status = 403,
             .body = R"({"error":{"code":"permission_denied","message":"'bob' is not a )"
                     R"(collaborator of agent 'secret'"}})"});
  auto denied = RunAt(server, {"export", "secret"});
  EXPECT_EQ(denied.status, 1);
  EXPECT_EQ(denied.out, "");
  EXPECT_EQ(denied.err,
            "error: 'bob' is not a collaborator of agent 'secret' (permission_denied)\n");
  auto unreachable = RunHerald({"export", "support", "--server", FakeHeraldd::ClosedPortUrl()});
  EXPECT_EQ(unreachable.status, 3);
  auto usage = RunAt(server, {"export"});
  EXPECT_EQ(usage.status, 2);
  EXPECT_EQ(usage.err, "herald: missing argument AGENT\nRun 'herald help export' for usage.\n");
}

}  // namespace
}  // namespace herald::cli
