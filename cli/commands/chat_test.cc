// `herald chat` against the fake heraldd.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "cli/testing/fake_heraldd.h"
#include "cli/testing/run_herald.h"

namespace herald::cli {
namespace {

using testing::FakeHeraldd;
using testing::RunHerald;

constexpr char kPath[] = "/v1/channels/chat/a1/messages";
constexpr char kTurn[] =
    R"({"conversation_id":"c-1","version":3,"reply":"Your order ships tomorrow.",)"
    R"("tool_calls":[{"tool":"crm.lookup","outcome":"200"}]})";
constexpr char kStream[] =
    "event: begin\ndata: {\"conversation_id\":\"c-1\",\"version\":3}\n\n"
    "event: tool_call\ndata: {\"tool\":\"crm.lookup\",\"outcome\":\"200\"}\n\n"
    "event: delta\ndata: {\"text\":\"Your order \"}\n\n"
    "event: delta\ndata: {\"text\":\"ships tomorrow.\"}\n\n"
    "event: end\ndata: {\"reply\":\"Your order ships tomorrow.\",\"version\":3,"
    "\"conversation_id\":\"c-1\"}\n\n";

TEST(ChatCommandTest, PostsTheMessageAndPrintsTheReplyAndVersion) {
  FakeHeraldd server;
  server.On("POST", kPath, {.status = 200, .body = kTurn});
  auto run =
      RunHerald({"chat", "a1", "Where is my order?", "--server", server.url(), "--token", "t0k"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out,
            "[tool crm.lookup: 200]\n"
            "Your order ships tomorrow.\n"
            "(version 3, conversation c-1)\n");
  ASSERT_EQ(server.requests().size(), 1u);
  const auto request = server.requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.uri, kPath);
  EXPECT_EQ(request.body, R"({"message":"Where is my order?"})");
  EXPECT_EQ(request.Header("Accept"), "application/json");
}

TEST(ChatCommandTest, ContinuesAConversation) {
  FakeHeraldd server;
  server.On("POST", kPath, {.status = 200, .body = kTurn});
  auto run =
      RunHerald({"chat", "a1", "and then?", "--conversation", "c-1", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].body, R"({"conversation_id":"c-1","message":"and then?"})");
}

TEST(ChatCommandTest, EscapesTheAgentInThePath) {
  FakeHeraldd server;
  server.On("POST", "/v1/channels/chat/a%2F1/messages", {.status = 200, .body = kTurn});
  auto run = RunHerald({"chat", "a/1", "hi", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
}

TEST(ChatCommandTest, JsonPrintsTheAnswerAsIs) {
  FakeHeraldd server;
  server.On("POST", kPath, {.status = 200, .body = kTurn});
  auto run = RunHerald({"chat", "a1", "hi", "--json", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, std::string(kTurn) + "\n");
}

TEST(ChatCommandTest, NotLiveExitsOne) {
  FakeHeraldd server;
  server.On(
      "POST", kPath,
      {.status = 404, .body = R"({"error":{"code":"not_found","message":"agent is not live"}})"});
  auto run = RunHerald({"chat", "a1", "hi", "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "error: agent is not live (not_found)\n");
}

TEST(ChatCommandTest, StreamPrintsDeltasThenTheVersion) {
  FakeHeraldd server;
  server.On("POST", kPath, {.status = 200, .body = kStream, .content_type = "text/event-stream"});
  auto run = RunHerald({"chat", "a1", "hi", "--stream", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out,
            "[tool crm.lookup: 200]\n"
            "Your order ships tomorrow.\n"
            "(version 3, conversation c-1)\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].Header("Accept"), "text/event-stream");
}

TEST(ChatCommandTest, StreamWithJsonPrintsOneLinePerEvent) {
  FakeHeraldd server;
  server.On("POST", kPath, {.status = 200, .body = kStream, .content_type = "text/event-stream"});
  auto run = RunHerald({"chat", "a1", "hi", "--stream", "--json", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out.rfind(R"({"event":"begin","data":{"conversation_id":"c-1","version":3}})"
                          "\n",
                          0),
            0u)
      << run.out;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 5);
}

TEST(ChatCommandTest, StreamErrorEventExitsOne) {
  FakeHeraldd server;
  server.On("POST", kPath,
            {.status = 200,
             .body = "event: begin\ndata: {\"conversation_id\":\"c-1\",\"version\":3}\n\n"
                     "event: delta\ndata: {\"text\":\"Your or\"}\n\n"
                     "event: error\ndata: {\"code\":\"unavailable\",\"message\":\"the model "
                     "provider failed\"}\n\n",
             .content_type = "text/event-stream"});
  auto run = RunHerald({"chat", "a1", "hi", "--stream", "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "Your or\n");
  EXPECT_EQ(run.err, "error: the model provider failed (unavailable)\n");
}

TEST(ChatCommandTest, StreamCutShortExitsOne) {
  FakeHeraldd server;
  server.On("POST", kPath,
            {.status = 200,
             .body = "event: begin\ndata: {\"conversation_id\":\"c-1\",\"version\":3}\n\n",
             .content_type = "text/event-stream"});
  auto run = RunHerald({"chat", "a1", "hi", "--stream", "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("ended before its end event"), std::string::npos) << run.err;
}

TEST(ChatCommandTest, StreamRefusedBeforeItStartsIsAPlainError) {
  FakeHeraldd server;
  server.On(
      "POST", kPath,
      {.status = 401, .body = R"({"error":{"code":"unauthenticated","message":"needs a token"}})"});
  auto run = RunHerald({"chat", "a1", "hi", "--stream", "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "error: needs a token (unauthenticated)\n");
}

TEST(ChatCommandTest, SsoTokenFileReplacesTheApiToken) {
  FakeHeraldd server;
  server.On("POST", kPath, {.status = 200, .body = kTurn});
  auto run = RunHerald(
      {"chat", "a1", "hi", "--sso-token-file", "-", "--server", server.url(), "--token", "hrd_api"},
      {}, "eyJ.jwt.sig\n");
  EXPECT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].authorization, "Bearer eyJ.jwt.sig");
}

TEST(ChatCommandTest, NeedsAgentAndMessage) {
  auto run = RunHerald({"chat", "a1", "--server", "http://127.0.0.1:1"});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("MESSAGE"), std::string::npos) << run.err;
}

TEST(ChatCommandTest, UnreachableServerExitsThree) {
  auto run = RunHerald({"chat", "a1", "hi", "--server", FakeHeraldd::ClosedPortUrl()});
  EXPECT_EQ(run.status, 3);
  auto streamed =
      RunHerald({"chat", "a1", "hi", "--stream", "--server", FakeHeraldd::ClosedPortUrl()});
  EXPECT_EQ(streamed.status, 3);
}

}  // namespace
}  // namespace herald::cli
