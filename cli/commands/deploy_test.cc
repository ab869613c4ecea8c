// `herald summary|deploy|undeploy|rollback|deployments` against the fake
// heraldd: the exact requests, the human output, --json, and the exit status
// that says whether the agent is deployable / the deployment succeeded; the
// event stream of a deploy, shown as it arrives.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/app.h"
#include "cli/commands/builtin.h"
#include "cli/testing/canonical_json.h"
#include "cli/testing/fake_heraldd.h"
#include "cli/testing/run_herald.h"

namespace herald::cli {
namespace {

using testing::CanonicalJson;
using testing::FakeHeraldd;
using testing::HeraldRun;
using testing::RunHerald;

HeraldRun RunAt(const FakeHeraldd& server, std::vector<std::string> tokens) {
  tokens.push_back("--server");
  tokens.push_back(server.url());
  return RunHerald(tokens);
}

// ---- summary ----

constexpr const char* kBlockedSummary = R"({"agent":"support","draft_revision":12,
 "deployable":false,
 "sections":[
  {"name":"profile","lines":[{"label":"Name","ok":true,"detail":"Support Bot"},
                             {"label":"Description","ok":false,"detail":"missing"},
                             {"label":"Model","ok":true,"detail":"gpt-4o"}]},
  {"name":"knowledge","lines":[{"label":"faq.md","ok":true,"detail":"2 KiB"}]},
  {"name":"tools","lines":[{"label":"list_orders","ok":true,"detail":"via orders-api"},
                           {"label":"create_ticket","ok":false,"detail":"no connection"}]},
  {"name":"collaborators","lines":[{"label":"alice","ok":true,"detail":"owner"}]},
  {"name":"behaviour","lines":[{"label":"Welcome message","ok":true,"detail":""}]},
  {"name":"connections","lines":[{"label":"orders-api","ok":true,"detail":"live, tested ok"}]},
  {"name":"channels","lines":[{"label":"chat","ok":true,"detail":"webchat"}]}],
 "blockers":[
  {"code":"profile.description_missing","section":"profile",
   "message":"the agent has no description","fix":"herald agents set support --description TEXT"},
  {"code":"tools.no_connection","section":"tools","message":"tool create_ticket has no connection",
   "fix":"herald tools bind create_ticket CONNECTION"}],
 "live":{"version":3,"deployed_at":"2024-06-01T10:00:00Z","channels":[
  {"channel":"chat","plugin":"webchat","version":3,"status":"published","status_detail":""},
  {"channel":"phone","plugin":"sip","version":3,"status":"degraded",
   "status_detail":"1 of 2 trunks down"}]},
 "last_deployment":{"id":7,"kind":"deploy","version":3,"previous_version":2,"state":"succeeded",
  "partial":false,"author":"alice","comment":"FAQ","started_at":"2024-06-01T09:59:58Z",
  "finished_at":"2024-06-01T10:00:00Z","channels":[
   {"channel":"chat","plugin":"webchat","outcome":"published","message":"","latency_ms":120},
   {"channel":"phone","plugin":"sip","outcome":"published","message":"trunk 2 skipped",
    "latency_ms":1530}]}})";

constexpr const char* kBlockedShown =
    "Agent support (draft revision 12): not deployable\n"
    "\n"
    "Profile:\n"
    "  ✓ Name             Support Bot\n"
    "  ✗ Description      missing\n"
    "  ✓ Model            gpt-4o\n"
    "Knowledge:\n"
    "  ✓ faq.md           2 KiB\n"
    "Tools:\n"
    "  ✓ list_orders      via orders-api\n"
    "  ✗ create_ticket    no connection\n"
    "Collaborators:\n"
    "  ✓ alice            owner\n"
    "Behaviour:\n"
    "  ✓ Welcome message\n"
    "Connections:\n"
    "  ✓ orders-api       live, tested ok\n"
    "Channels:\n"
    "  ✓ chat             webchat\n"
    "\n"
    "Blockers:\n"
    "  profile.description_missing: the agent has no description\n"
    "    fix: herald agents set support --description TEXT\n"
    "  tools.no_connection: tool create_ticket has no connection\n"
    "    fix: herald tools bind create_ticket CONNECTION\n"
    "\n"
    "Live: version 3, deployed at 2024-06-01T10:00:00Z\n"
    "  CHANNEL  PLUGIN   VERSION  STATUS\n"
    "  chat     webchat  3        published\n"
    "  phone    sip      3        degraded: 1 of 2 trunks down\n"
    "\n"
    "Last deployment: 7 (deploy of version 3) succeeded, by alice at 2024-06-01T09:59:58Z\n"
    "  CHANNEL  PLUGIN   OUTCOME    MESSAGE          LATENCY\n"
    "  chat     webchat  published  -                 120 ms\n"
    "  phone    sip      published  trunk 2 skipped  1530 ms\n";

constexpr const char* kReadySummary = R"({"agent":"sales","draft_revision":4,"deployable":true,
 "sections":[{"name":"profile","lines":[{"label":"Name","ok":true,"detail":"Sales"}]}],
 "blockers":[],"live":{"version":null,"deployed_at":"","channels":[]}})";

TEST(SummaryTest, PrintsSectionsBlockersLiveStateAndLastDeploymentAndExitsOne) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/summary", {.status = 200, .body = kBlockedSummary});
  auto run = RunAt(server, {"summary", "support"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, kBlockedShown);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/summary");
}

TEST(SummaryTest, DeployableAgentExitsZero) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/sales/summary", {.status = 200, .body = kReadySummary});
  auto run = RunAt(server, {"summary", "sales"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "Agent sales (draft revision 4): deployable\n"
            "\n"
            "Profile:\n"
            "  ✓ Name  Sales\n"
            "\n"
            "Blockers: none\n"
            "\n"
            "Live: not deployed\n"
            "\n"
            "Last deployment: none\n");
}

TEST(SummaryTest, JsonPrintsTheBodyWithTheSameExitStatus) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/summary", {.status = 200, .body = kBlockedSummary});
  server.On("GET", "/v1/agents/sales/summary", {.status = 200, .body = kReadySummary});
  auto blocked = RunAt(server, {"summary", "support", "--json"});
  EXPECT_EQ(blocked.status, 1);
  EXPECT_EQ(blocked.out, std::string(kBlockedSummary) + "\n");
  auto ready = RunAt(server, {"--json", "summary", "sales"});
  EXPECT_EQ(ready.status, 0);
  EXPECT_EQ(ready.out, std::string(kReadySummary) + "\n");
}

TEST(SummaryTest, ErrorsAndUsage) {
  FakeHeraldd server;
  auto missing = RunAt(server, {"summary", "nope"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.err, "error: no route for GET /v1/agents/nope/summary (not_found)\n");
  server.On("GET", "/v1/agents/odd/summary", {.status = 200, .body = R"({"agent":"odd"})"});
  auto odd = RunAt(server, {"summary", "odd"});
  EXPECT_EQ(odd.status, 1);
  EXPECT_EQ(odd.err,
            "error: unexpected response from heraldd: no \"deployable\" in the summary "
            "(bad_response)\n");
  auto usage = RunAt(server, {"summary"});
  EXPECT_EQ(usage.status, 2);
  EXPECT_EQ(usage.err, "herald: missing argument AGENT\nRun 'herald help summary' for usage.\n");
  auto unreachable = RunHerald({"summary", "support", "--server", FakeHeraldd::ClosedPortUrl()});
  EXPECT_EQ(unreachable.status, 3);
}

// ---- deploy ----

constexpr const char* kSucceeded = R"({"deployment":{"id":8,"kind":"deploy","version":4,
 "previous_version":3,"state":"succeeded","partial":false,"author":"alice","comment":"new FAQ",
 "started_at":"2024-06-02T08:00:00Z","finished_at":"2024-06-02T08:00:02Z","channels":[
  {"channel":"chat","plugin":"webchat","outcome":"published","message":"","latency_ms":120},
  {"channel":"phone","plugin":"sip","outcome":"published","message":"trunk 2 skipped",
   "latency_ms":1530}]}})";

constexpr const char* kSucceededShown =
    "CHANNEL  PLUGIN   OUTCOME    MESSAGE          LATENCY\n"
    "chat     webchat  published  -                 120 ms\n"
    "phone    sip      published  trunk 2 skipped  1530 ms\n"
    "\n"
    "Deployment:  8 (deploy)\n"
    "State:       succeeded\n"
    "Version:     4 (previously 3)\n"
    "Comment:     new FAQ\n";

constexpr const char* kFailed =
    R"({"error":{"code":"deploy_failed","message":"a channel failed; the live version is )"
    R"(unchanged"},"deployment":{"id":9,"kind":"deploy","version":5,"previous_version":4,)"
    R"("state":"failed","partial":false,"author":"alice","comment":"","started_at":"T1",)"
    R"("finished_at":"T2","channels":[{"channel":"chat","plugin":"webchat",)"
    R"("outcome":"rolled_back","message":"put back to version 4","latency_ms":95},)"
    R"({"channel":"phone","plugin":"sip","outcome":"timed_out","message":"no answer in 30 s",)"
    R"("latency_ms":30000}]}})";

constexpr const char* kRefused =
    R"({"error":{"code":"failed_precondition","message":"agent 'support' is not deployable: )"
    R"(2 blockers"},"blockers":[{"code":"profile.description_missing","section":"profile",)"
    R"("message":"the agent has no description","fix":"herald agents set support )"
    R"(--description TEXT"},{"code":"channels.none","section":"channels","message":"the agent )"
    R"(has no channel","fix":"herald agents set-channel support NAME --plugin P"}]})";

TEST(DeployTest, PostsTheCommentAndPrintsEachChannelsOutcome) {
  FakeHeraldd server;
  server.On("POST", "/v1/agents/support/deployments", {.status = 201, .body = kSucceeded});
  auto run = RunAt(server, {"deploy", "support", "--comment", "new FAQ"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, kSucceededShown);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "POST");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/deployments");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body), CanonicalJson(R"({"comment":"new FAQ"})"));
}

TEST(DeployTest, WithoutOptionsSendsAnEmptyObjectAndJsonPrintsTheBody) {
  FakeHeraldd server;
  server.On("POST", "/v1/agents/support/deployments", {.status = 201, .body = kSucceeded});
  auto run = RunAt(server, {"deploy", "support", "--json"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, std::string(kSucceeded) + "\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(CanonicalJson(server.requests()[0].body), "{}");
  // --json asks for the plain answer, not the event stream.
  EXPECT_EQ(server.requests()[0].Header("Accept"), "application/json");
}

TEST(DeployTest, PartialSucceedsOnlyWhenAskedFor) {
  const std::string partial =
      R"({"deployment":{"id":10,"kind":"deploy","version":5,"previous_version":4,)"
      R"("state":"partial","partial":true,"author":"alice","comment":"","channels":[)"
      R"({"channel":"chat","plugin":"webchat","outcome":"published","message":"","latency_ms":80},)"
      R"({"channel":"phone","plugin":"sip","outcome":"error","message":"bad trunk",)"
      R"("latency_ms":12}]}})";
  FakeHeraldd server;
  server.On("POST", "/v1/agents/support/deployments", {.status = 201, .body = partial});
  auto run = RunAt(server, {"deploy", "support", "--partial"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out,
            "CHANNEL  PLUGIN   OUTCOME    MESSAGE    LATENCY\n"
            "chat     webchat  published  -            80 ms\n"
            "phone    sip      error      bad trunk    12 ms\n"
            "\n"
            "Deployment:  10 (deploy)\n"
            "State:       partial\n"
            "Version:     5 (previously 4)\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(CanonicalJson(server.requests()[0].body), CanonicalJson(R"({"partial":true})"));

  // The same answer without --partial is no success.
  auto unasked = RunAt(server, {"deploy", "support"});
  EXPECT_EQ(unasked.status, 1);
  EXPECT_EQ(unasked.err, "error: deployment 10 ended partial (some channels were not published)\n");
}

TEST(DeployTest, FailedDeployPrintsTheOutcomesAndExitsOne) {
  FakeHeraldd server;
  server.On("POST", "/v1/agents/support/deployments", {.status = 502, .body = kFailed});
  auto run = RunAt(server, {"deploy", "support"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out,
            "CHANNEL  PLUGIN   OUTCOME      MESSAGE                 LATENCY\n"
            "chat     webchat  rolled_back  put back to version 4     95 ms\n"
            "phone    sip      timed_out    no answer in 30 s      30000 ms\n"
            "\n"
            "Deployment:  9 (deploy)\n"
            "State:       failed\n"
            "Version:     5 (previously 4)\n");
  EXPECT_EQ(run.err, "error: a channel failed; the live version is unchanged (deploy_failed)\n");

  auto json = RunAt(server, {"deploy", "support", "--json"});
  EXPECT_EQ(json.status, 1);
  EXPECT_EQ(json.out, std::string(kFailed) + "\n");
  EXPECT_EQ(json.err, "error: a channel failed; the live version is unchanged (deploy_failed)\n");
}

TEST(DeployTest, RefusedDeployPrintsTheBlockersWithTheirFixes) {
  FakeHeraldd server;
  server.On("POST", "/v1/agents/support/deployments", {.status = 422, .body = kRefused});
  auto run = RunAt(server, {"deploy", "support"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "error: agent 'support' is not deployable: 2 blockers (failed_precondition)\n"
            "Blockers:\n"
            "  profile.description_missing: the agent has no description\n"
            "    fix: herald agents set support --description TEXT\n"
            "  channels.none: the agent has no channel\n"
            "    fix: herald agents set-channel support NAME --plugin P\n");

  auto json = RunAt(server, {"deploy", "support", "--json"});
  EXPECT_EQ(json.status, 1);
  EXPECT_EQ(json.out, std::string(kRefused) + "\n");
}

TEST(DeployTest, ForbiddenAndUnreachable) {
  FakeHeraldd server;
  server.On("POST", "/v1/agents/support/deployments",
            {.status = 403,
             .body = R"({"error":{"code":"permission_denied","message":"'bob' is a viewer of )"
                     R"(agent 'support'; owners and editors deploy"}})"});
  auto run = RunAt(server, {"deploy", "support"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "error: 'bob' is a viewer of agent 'support'; owners and editors deploy "
            "(permission_denied)\n");
  auto unreachable = RunHerald({"deploy", "support", "--server", FakeHeraldd::ClosedPortUrl()});
  EXPECT_EQ(unreachable.status, 3);
  auto usage = RunAt(server, {"deploy"});
  EXPECT_EQ(usage.status, 2);
}

// ---- deploy, as server-sent events ----

std::string Event(const std::string& name, const std::string& data) {
  return "event: " + name + "\ndata: " + data + "\n\n";
}

constexpr const char* kChatPublished =
    R"({"channel":"chat","plugin":"webchat","outcome":"published","message":"","latency_ms":120})";
constexpr const char* kPhonePublished =
    R"({"channel":"phone","plugin":"sip","outcome":"published","message":"trunk 2 skipped",)"
    R"("latency_ms":1530})";

// The deployment event of kSucceeded: its body, on one line, with the
// status it stands for.
std::string SucceededEvent() {
  std::string body = kSucceeded;
  std::erase(body, '\n');
  return Event("deployment", R"({"status":201,)" + body.substr(1));
}

// An ostream whose lines a test can wait for while the CLI is still running.
class WatchedOutput : public std::streambuf {
 public:
  // Whether a line containing `text` was written within `timeout`.
  bool WaitForLine(const std::string& text, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return lines_.find(text) != std::string::npos; });
  }
  std::string text() {
    std::lock_guard lock(mu_);
    return lines_ + partial_;
  }

 protected:
  int_type overflow(int_type ch) override {
    if (ch == traits_type::eof()) return traits_type::not_eof(ch);
    std::lock_guard lock(mu_);
    partial_ += static_cast<char>(ch);
    if (ch == '\n') {
      lines_ += partial_;
      partial_.clear();
      cv_.notify_all();
    }
    return ch;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::string lines_;    // complete lines
  std::string partial_;  // the line being written
};

TEST(DeployStreamTest, PrintsEachChannelsLineAsItArrivesThenTheResult) {
  WatchedOutput watched;
  bool shown_before_the_rest = false;
  FakeHeraldd server;
  server.On("POST", "/v1/agents/support/deployments",
            {.status = 200,
             .content_type = "text/event-stream",
             .chunks = {{Event("channel", kChatPublished)},
                        // Held until the CLI has printed the first channel's line.
                        {Event("channel", kPhonePublished) + SucceededEvent(), [&] {
                           shown_before_the_rest =
                               watched.WaitForLine("chat  webchat", std::chrono::seconds(10));
                         }}}});
  CommandRegistry registry;
  RegisterBuiltinCommands(registry);
  std::istringstream in;
  std::ostream out(&watched);
  std::ostringstream err;
  int status = RunCli(
      {"deploy", "support", "--comment", "new FAQ", "--server", server.url()}, registry,
      [](const std::string&) { return std::nullopt; }, in, out, err);
  EXPECT_EQ(status, 0) << err.str();
  EXPECT_TRUE(shown_before_the_rest);
  EXPECT_EQ(err.str(), "");
  EXPECT_EQ(watched.text(),
            "chat  webchat  published  -  120 ms\n"
            "phone  sip  published  trunk 2 skipped  1530 ms\n"
            "\n"
            "Deployment:  8 (deploy)\n"
            "State:       succeeded\n"
            "Version:     4 (previously 3)\n"
            "Comment:     new FAQ\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].Header("Accept"), "text/event-stream");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body), CanonicalJson(R"({"comment":"new FAQ"})"));
}

TEST(DeployStreamTest, AFailedDeployShowsThePutBackAndExitsOne) {
  std::string failed = kFailed;
  FakeHeraldd server;
  server.On(
      "POST", "/v1/agents/support/deployments",
      {.status = 200,
       .content_type = "text/event-stream",
       .chunks = {
           {Event("channel", kChatPublished)},
           {Event("channel", R"({"channel":"phone","plugin":"sip","outcome":"timed_out",)"
                             R"("message":"no answer in 30 s","latency_ms":30000})")},
           {Event("channel", R"({"channel":"chat","plugin":"webchat","outcome":"rolled_back",)"
                             R"("message":"put back to version 4","latency_ms":95})")},
           {Event("deployment", R"({"status":502,)" + failed.substr(1))}}});
  auto run = RunAt(server, {"deploy", "support"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out,
            "chat  webchat  published  -  120 ms\n"
            "phone  sip  timed_out  no answer in 30 s  30000 ms\n"
            "chat  webchat  rolled_back  put back to version 4  95 ms\n"
            "\n"
            "Deployment:  9 (deploy)\n"
            "State:       failed\n"
            "Version:     5 (previously 4)\n");
  EXPECT_EQ(run.err, "error: a channel failed; the live version is unchanged (deploy_failed)\n");
}

TEST(DeployStreamTest, PartialOnlySucceedsWhenAskedFor) {
  FakeHeraldd server;
  server.On(
      "POST", "/v1/agents/support/deployments",
      {.status = 200,
       .content_type = "text/event-stream",
       .chunks = {{Event("channel", kChatPublished) +
                   Event("deployment", R"({"status":201,"deployment":{"id":10,"kind":"deploy",)"
                                       R"("version":5,"previous_version":4,"state":"partial",)"
                                       R"("channels":[]}})")}}});
  auto asked = RunAt(server, {"deploy", "support", "--partial"});
  EXPECT_EQ(asked.status, 0) << asked.err;
  auto unasked = RunAt(server, {"deploy", "support"});
  EXPECT_EQ(unasked.status, 1);
  EXPECT_EQ(unasked.err, "error: deployment 10 ended partial (some channels were not published)\n");
}

TEST(DeployStreamTest, AStreamCutShortExitsOne) {
  FakeHeraldd server;
  server.On("POST", "/v1/agents/support/deployments",
            {.status = 200,
             .content_type = "text/event-stream",
             .chunks = {{Event("channel", kChatPublished)}}});
  auto run = RunAt(server, {"deploy", "support"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "chat  webchat  published  -  120 ms\n");
  EXPECT_EQ(run.err,
            "error: unexpected response from heraldd: the event stream ended before the "
            "deployment event; see 'herald deployments support' (bad_response)\n");
}

TEST(DeployStreamTest, UndeployAndRollbackStreamToo) {
  FakeHeraldd server;
  server.On(
      "POST", "/v1/agents/support/undeploy",
      {.status = 200,
       .content_type = "text/event-stream",
       .chunks = {
           {Event("channel", R"({"channel":"chat","plugin":"webchat","outcome":"unpublished",)"
                             R"("message":"","latency_ms":40})")},
           {Event("deployment", R"({"status":200,"deployment":{"id":11,"kind":"undeploy",)"
                                R"("version":null,"previous_version":4,"state":"succeeded",)"
                                R"("channels":[]}})")}}});
  server.On(
      "POST", "/v1/agents/support/rollback",
      {.status = 200,
       .content_type = "text/event-stream",
       .chunks = {{Event("channel", kChatPublished)},
                  {Event("deployment", R"({"status":201,"deployment":{"id":12,"kind":"rollback",)"
                                       R"("version":3,"previous_version":4,"state":"succeeded",)"
                                       R"("channels":[]}})")}}});
  auto undeploy = RunAt(server, {"undeploy", "support"});
  EXPECT_EQ(undeploy.status, 0) << undeploy.err;
  EXPECT_EQ(undeploy.out,
            "chat  webchat  unpublished  -  40 ms\n"
            "\n"
            "Deployment:  11 (undeploy)\n"
            "State:       succeeded\n"
            "Version:     none (previously 4)\n");
  auto rollback = RunAt(server, {"rollback", "support", "--to", "3"});
  EXPECT_EQ(rollback.status, 0) << rollback.err;
  EXPECT_EQ(rollback.out,
            "chat  webchat  published  -  120 ms\n"
            "\n"
            "Deployment:  12 (rollback)\n"
            "State:       succeeded\n"
            "Version:     3 (previously 4)\n");
  ASSERT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(server.requests()[0].Header("Accept"), "text/event-stream");
  EXPECT_EQ(server.requests()[1].Header("Accept"), "text/event-stream");
}

// ---- undeploy ----

TEST(UndeployTest, PostsAndPrintsTheOutcomes) {
  FakeHeraldd server;
  server.On("POST", "/v1/agents/support/undeploy",
            {.status = 200,
             .body = R"({"deployment":{"id":11,"kind":"undeploy","version":null,)"
                     R"("previous_version":4,"state":"succeeded","partial":false,"author":"alice",)"
                     R"("comment":"","channels":[{"channel":"chat","plugin":"webchat",)"
                     R"("outcome":"unpublished","message":"","latency_ms":40}]}})"});
  auto run = RunAt(server, {"undeploy", "support"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "CHANNEL  PLUGIN   OUTCOME      MESSAGE  LATENCY\n"
            "chat     webchat  unpublished  -          40 ms\n"
            "\n"
            "Deployment:  11 (undeploy)\n"
            "State:       succeeded\n"
            "Version:     none (previously 4)\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "POST");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/undeploy");
  EXPECT_EQ(server.requests()[0].body, "");
}

TEST(UndeployTest, NotLiveExitsOne) {
  FakeHeraldd server;
  server.On("POST", "/v1/agents/sales/undeploy",
            {.status = 422,
             .body = R"({"error":{"code":"failed_precondition","message":"agent 'sales' is not )"
                     R"(live"}})"});
  auto run = RunAt(server, {"undeploy", "sales"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "error: agent 'sales' is not live (failed_precondition)\n");
}

// ---- rollback ----

TEST(RollbackTest, PostsTheVersionAndComment) {
  const std::string answer =
      R"({"deployment":{"id":12,"kind":"rollback","version":3,"previous_version":4,)"
      R"("state":"succeeded","partial":false,"author":"alice","comment":"bad answers",)"
      R"("channels":[{"channel":"chat","plugin":"webchat","outcome":"published","message":"",)"
      R"("latency_ms":70}]}})";
  FakeHeraldd server;
  server.On("POST", "/v1/agents/support/rollback", {.status = 201, .body = answer});
  auto run = RunAt(server, {"rollback", "support", "--to", "3", "--comment", "bad answers"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "CHANNEL  PLUGIN   OUTCOME    MESSAGE  LATENCY\n"
            "chat     webchat  published  -          70 ms\n"
            "\n"
            "Deployment:  12 (rollback)\n"
            "State:       succeeded\n"
            "Version:     3 (previously 4)\n"
            "Comment:     bad answers\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "POST");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/rollback");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"version":3,"comment":"bad answers"})"));

  auto json = RunAt(server, {"rollback", "support", "--to", "3", "--json"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, answer + "\n");
  EXPECT_EQ(CanonicalJson(server.requests()[1].body), CanonicalJson(R"({"version":3})"));
}

TEST(RollbackTest, FailedRollbackExitsOneAndUsageErrors) {
  FakeHeraldd server;
  server.On("POST", "/v1/agents/support/rollback", {.status = 502, .body = kFailed});
  auto failed = RunAt(server, {"rollback", "support", "--to", "2"});
  EXPECT_EQ(failed.status, 1);
  EXPECT_NE(failed.out.find("phone    sip      timed_out"), std::string::npos) << failed.out;

  auto no_to = RunAt(server, {"rollback", "support"});
  EXPECT_EQ(no_to.status, 2);
  EXPECT_EQ(no_to.err, "herald: missing option --to\nRun 'herald help rollback' for usage.\n");
  auto bad_to = RunAt(server, {"rollback", "support", "--to", "latest"});
  EXPECT_EQ(bad_to.status, 2);
  EXPECT_EQ(bad_to.err,
            "herald: --to expects a positive whole number (got 'latest')\n"
            "Run 'herald help rollback' for usage.\n");
  EXPECT_EQ(server.requests().size(), 1u);
}

// ---- deployments ----

constexpr const char* kHistory = R"({"deployments":[
 {"id":9,"kind":"deploy","version":5,"previous_version":4,"state":"failed","partial":false,
  "author":"alice","comment":"","started_at":"2024-06-03T08:00:00Z","finished_at":"",
  "channels":[
   {"channel":"chat","plugin":"webchat","outcome":"rolled_back","message":"put back",
    "latency_ms":95},
   {"channel":"phone","plugin":"sip","outcome":"timed_out","message":"no answer in 30 s",
    "latency_ms":30000}]},
 {"id":8,"kind":"deploy","version":4,"previous_version":3,"state":"succeeded","partial":false,
  "author":"bob","comment":"new FAQ","started_at":"2024-06-02T08:00:00Z","finished_at":"",
  "channels":[
   {"channel":"chat","plugin":"webchat","outcome":"published","message":"","latency_ms":120}]},
 {"id":2,"kind":"undeploy","version":null,"previous_version":1,"state":"succeeded",
  "partial":false,"author":"alice","comment":"","started_at":"2024-05-20T08:00:00Z",
  "finished_at":"","channels":[]}]})";

TEST(DeploymentsTest, PrintsTheHistoryWithChannelOutcomesIndented) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/deployments", {.status = 200, .body = kHistory});
  auto run = RunAt(server, {"deployments", "support"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "ID  KIND      VERSION  STATE      AUTHOR  STARTED               COMMENT\n"
            " 9  deploy          5  failed     alice   2024-06-03T08:00:00Z  -\n"
            "    chat   webchat  rolled_back  put back              95 ms\n"
            "    phone  sip      timed_out    no answer in 30 s  30000 ms\n"
            " 8  deploy          4  succeeded  bob     2024-06-02T08:00:00Z  new FAQ\n"
            "    chat   webchat  published    -                    120 ms\n"
            " 2  undeploy        -  succeeded  alice   2024-05-20T08:00:00Z  -\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/deployments");
}

TEST(DeploymentsTest, JsonAndEmpty) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/deployments", {.status = 200, .body = kHistory});
  server.On("GET", "/v1/agents/sales/deployments",
            {.status = 200, .body = R"({"deployments":[]})"});
  auto json = RunAt(server, {"deployments", "support", "--json"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, std::string(kHistory) + "\n");
  auto empty = RunAt(server, {"deployments", "sales"});
  EXPECT_EQ(empty.status, 0);
  EXPECT_EQ(empty.out, "No deployments of sales yet. Deploy with 'herald deploy sales'.\n");
}

}  // namespace
}  // namespace herald::cli
