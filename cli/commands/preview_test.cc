// `herald preview AGENT MESSAGE [--conversation ID]` against the fake heraldd:
// the request, the printed reply and tool calls, --json, and errors.
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

constexpr const char* kReply =
    R"({"conversation_id":"00112233445566778899aabbccddeeff","version":0,"draft_revision":7,)"
    R"("reply":"From faq.md: Refunds take 30 days.","tool_calls":[{"tool":"getpet","outcome":"200"}]})";

TEST(PreviewTest, SendsTheMessageAndPrintsTheReply) {
  FakeHeraldd server;
  server.On("POST", "/v1/agents/support/preview/messages", {.status = 200, .body = kReply});
  auto run = RunAt(server, {"preview", "support", "refunds?", "--conversation", "abc"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "From faq.md: Refunds take 30 days.\n"
            "  tool getpet: 200\n"
            "(draft revision 7; continue with --conversation 00112233445566778899aabbccddeeff)\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].body, R"({"conversation_id":"abc","message":"refunds?"})");

  auto json = RunAt(server, {"--json", "preview", "support", "refunds?"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, std::string(kReply) + "\n");
  EXPECT_EQ(server.requests()[1].body, R"({"message":"refunds?"})");
}

TEST(PreviewTest, ErrorsAndUsage) {
  FakeHeraldd server;
  server.On("POST", "/v1/agents/support/preview/messages",
            {.status = 403,
             .body = R"({"error":{"code":"permission_denied","message":"connection 'crm' needs )"
                     R"(your own credentials for draft"}})"});
  auto denied = RunAt(server, {"preview", "support", "crm"});
  EXPECT_EQ(denied.status, 1);
  EXPECT_NE(denied.err.find("connection 'crm' needs your own credentials"), std::string::npos);
  auto usage = RunAt(server, {"preview", "support"});
  EXPECT_EQ(usage.status, 2);
}

}  // namespace
}  // namespace herald::cli
