// `herald search TEXT...` against the fake heraldd: the URL-encoded query,
// the table, --json, no match, no words.
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

constexpr const char* kHits = R"({"agents":[
  {"id":"support","name":"Support Bot","description":"Answers customer questions","version":4,
   "deployed_at":"2024-06-02T08:00:02Z"},
  {"id":"returns","name":"Returns & Refunds","description":"","version":12,
   "deployed_at":"2024-05-30T12:00:00Z"}]})";

TEST(SearchTest, SendsTheWordsUrlEncodedAndPrintsTheTable) {
  FakeHeraldd server;
  server.On("GET", "/v1/live/agents?q=customer%20r%C3%A9ponse%20%26%3D%3F",
            {.status = 200, .body = kHits});
  auto run = RunAt(server, {"search", "customer", "réponse &=?"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(
      run.out,
      "ID       NAME               VERSION  DEPLOYED              DESCRIPTION\n"
      "support  Support Bot              4  2024-06-02T08:00:02Z  Answers customer questions\n"
      "returns  Returns & Refunds       12  2024-05-30T12:00:00Z  -\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/live/agents?q=customer%20r%C3%A9ponse%20%26%3D%3F");
}

TEST(SearchTest, JsonNoMatchAndNoWords) {
  FakeHeraldd server;
  server.On("GET", "/v1/live/agents?q=support", {.status = 200, .body = kHits});
  server.On("GET", "/v1/live/agents?q=zebra", {.status = 200, .body = R"({"agents":[]})"});
  server.On("GET", "/v1/live/agents", {.status = 200, .body = R"({"agents":[]})"});
  auto json = RunAt(server, {"--json", "search", "support"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, std::string(kHits) + "\n");
  auto none = RunAt(server, {"search", "zebra"});
  EXPECT_EQ(none.status, 0);
  EXPECT_EQ(none.out, "No live agents match 'zebra'.\n");
  auto all = RunAt(server, {"search"});
  EXPECT_EQ(all.status, 0);
  EXPECT_EQ(all.out, "No live agents.\n");
  ASSERT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(server.requests()[2].uri, "/v1/live/agents");
}

TEST(SearchTest, ServerErrorExitsOneAndUnreachableThree) {
  FakeHeraldd server;
  server.On("GET", "/v1/live/agents?q=x",
            {.status = 401,
             .body = R"({"error":{"code":"unauthenticated","message":"missing bearer token"}})"});
  auto run = RunAt(server, {"search", "x"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "error: missing bearer token (unauthenticated)\n");
  auto unreachable = RunHerald({"search", "x", "--server", FakeHeraldd::ClosedPortUrl()});
  EXPECT_EQ(unreachable.status, 3);
}

}  // namespace
}  // namespace herald::cli
