// The chat channel through the real heraldd: the built-in libherald_chat.so
// publishes a deployed agent (model "scripted") at
// /v1/channels/chat/{agent}/messages, over JSON and server-sent events; a
// redeploy answers with the new version; after undeploy the endpoint is 404;
// access sso takes a verified identity token; and the `herald chat` CLI.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/String.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "daemon_harness.h"

namespace herald::testing {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;

constexpr char kNotLive[] = R"({"error":{"code":"not_found","message":"agent is not live"}})";
constexpr char kSecret[] = "an-hs256-secret-that-is-long-enough-123";

Object::Ptr Json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

std::string Hs256Token(const std::string& subject) {
  Poco::JWT::Token token;
  token.setType("JWT");
  token.setIssuer("https://idp.test");
  token.setSubject(subject);
  token.setAudience("herald");
  token.setIssuedAt(Poco::Timestamp());
  token.setExpiration(Poco::Timestamp() + 300 * Poco::Timespan::SECONDS);
  Poco::JWT::Signer signer(kSecret);
  return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

// One server-sent event.
struct Event {
  std::string name;
  Object::Ptr data;
};

std::vector<Event> Events(const std::string& body) {
  std::vector<Event> out;
  std::string name;
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("event: ", 0) == 0) name = line.substr(7);
    if (line.rfind("data: ", 0) == 0) out.push_back({name, Json(line.substr(6))});
  }
  return out;
}

class ChatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path secret_file = dir_.path() / "idp.secret";
    std::ofstream(secret_file) << kSecret << "\n";
    const fs::path config = dir_.path() / "heraldd.properties";
    std::ofstream(config) << "sso.issuer = https://idp.test\nsso.audience = herald\n"
                          << "sso.hs256_secret_file = " << secret_file.string() << "\n";
    daemon_ = std::make_unique<RunningDaemon>(
        dir_.path() / "data", std::vector<std::string>{"--config", config.string()});
    ASSERT_TRUE(daemon_->ok()) << daemon_->error();
    ASSERT_EQ(Call("POST", "/v1/agents", R"({"id":"helper","name":"Helper"})").status, 201);
    ASSERT_EQ(Call("PATCH", "/v1/agents/helper",
                   R"({"description":"answers billing questions","model":"scripted",)"
                   R"("behaviour":{"welcome_message":"Hello from Helper."}})")
                  .status,
              200);
    SetAccess("public");
  }

  HttpResult Call(const std::string& method, const std::string& path,
                  const std::string& body = "") {
    return daemon_->Call(method, path, body);
  }

  void SetAccess(const std::string& access) {
    HttpResult r = Call("PUT", "/v1/agents/helper/channels/web",
                        R"({"plugin":"chat","settings":{"access":")" + access + R"("}})");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  void Deploy() {
    HttpResult r = Call("POST", "/v1/agents/helper/deployments", R"({"comment":"test"})");
    ASSERT_EQ(r.status, 201) << r.body;
  }

  // A chat request as a user sends it: no Herald API token.
  HttpResult Chat(const std::string& body, std::map<std::string, std::string> headers = {}) {
    headers.emplace("Content-Type", "application/json");
    return HttpRequest(daemon_->url(), "POST", "/v1/channels/chat/helper/messages", body, headers);
  }

  TempDir dir_;
  std::unique_ptr<RunningDaemon> daemon_;
};

TEST_F(ChatTest, AnswersWithTheLiveVersionOverJson) {
  EXPECT_EQ(Chat(R"({"message":"hello"})").body, kNotLive);  // not deployed yet
  Deploy();

  HttpResult r = Chat(R"({"message":"hello"})");
  ASSERT_EQ(r.status, 200) << r.body;
  Object::Ptr turn = Json(r.body);
  EXPECT_EQ(turn->getValue<uint64_t>("version"), 1u);
  EXPECT_FALSE(turn->getValue<std::string>("reply").empty());
  const std::string conversation = turn->getValue<std::string>("conversation_id");
  EXPECT_FALSE(conversation.empty());
  EXPECT_TRUE(turn->getArray("tool_calls").get() != nullptr);

  HttpResult again = Chat(R"({"message":"and again","conversation_id":")" + conversation + "\"}");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Json(again.body)->getValue<std::string>("conversation_id"), conversation);

  HttpResult live = HttpRequest(daemon_->url(), "GET", "/v1/channels/chat/helper");
  ASSERT_EQ(live.status, 200) << live.body;
  EXPECT_EQ(live.body, R"({"agent":"helper","live":true,"version":1,"access":"public"})");

  EXPECT_EQ(Chat(R"({"message":""})").status, 400);
  EXPECT_EQ(Chat("{").status, 400);
}

TEST_F(ChatTest, StreamsServerSentEvents) {
  Deploy();
  HttpResult r = Chat(R"({"message":"hello"})", {{"Accept", "text/event-stream"}});
  ASSERT_EQ(r.status, 200) << r.body;
  std::string content_type;
  for (const auto& [k, v] : r.headers) {
    if (Poco::icompare(k, "Content-Type") == 0) content_type = v;
  }
  EXPECT_EQ(content_type, "text/event-stream");
  std::vector<Event> events = Events(r.body);
  ASSERT_GE(events.size(), 2u) << r.body;
  EXPECT_EQ(events.front().name, "begin");
  EXPECT_EQ(events.front().data->getValue<uint64_t>("version"), 1u);
  EXPECT_EQ(events.back().name, "end") << r.body;
  std::string deltas;
  for (const Event& e : events) {
    if (e.name == "delta") deltas += e.data->getValue<std::string>("text");
  }
  EXPECT_EQ(deltas, events.back().data->getValue<std::string>("reply"));
  EXPECT_EQ(events.back().data->getValue<std::string>("conversation_id"),
            events.front().data->getValue<std::string>("conversation_id"));
}

TEST_F(ChatTest, RedeployAnswersWithTheNewVersionUndeployIs404) {
  Deploy();
  ASSERT_EQ(Json(Chat(R"({"message":"hello"})").body)->getValue<uint64_t>("version"), 1u);
  ASSERT_EQ(
      Call("PATCH", "/v1/agents/helper", R"({"description":"answers every question"})").status,
      200);
  Deploy();
  EXPECT_EQ(Json(Chat(R"({"message":"hello"})").body)->getValue<uint64_t>("version"), 2u);

  ASSERT_EQ(Call("POST", "/v1/agents/helper/undeploy").status, 200);
  HttpResult gone = Chat(R"({"message":"hello"})");
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.body, kNotLive);
  HttpResult stream = Chat(R"({"message":"hello"})", {{"Accept", "text/event-stream"}});
  EXPECT_EQ(stream.status, 404);
  EXPECT_EQ(stream.body, kNotLive);
  EXPECT_EQ(HttpRequest(daemon_->url(), "GET", "/v1/channels/chat/helper").status, 404);
}

TEST_F(ChatTest, SsoTakesAVerifiedMember) {
  ASSERT_EQ(Call("POST", "/v1/users", R"({"name":"ann","role":"member"})").status, 201);
  SetAccess("sso");
  Deploy();
  HttpResult none = Chat(R"({"message":"hello"})");
  EXPECT_EQ(none.status, 401) << none.body;
  HttpResult forged = Chat(R"({"message":"hello"})", {{"Authorization", "Bearer not.a.jwt"}});
  EXPECT_EQ(forged.status, 401) << forged.body;
  HttpResult ann =
      Chat(R"({"message":"hello"})", {{"Authorization", "Bearer " + Hs256Token("ann")}});
  EXPECT_EQ(ann.status, 200) << ann.body;
}

TEST_F(ChatTest, TheCli) {
  ProcessResult not_live = daemon_->Cli({"chat", "helper", "hello"});
  EXPECT_EQ(not_live.exit_code, 1);
  EXPECT_EQ(not_live.err, "error: agent is not live (not_found)\n");

  Deploy();
  ProcessResult plain = daemon_->Cli({"chat", "helper", "hello"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find("(version 1, conversation "), std::string::npos) << plain.out;

  ProcessResult streamed = daemon_->Cli({"chat", "helper", "hello", "--stream"});
  ASSERT_EQ(streamed.exit_code, 0) << streamed.err;
  EXPECT_NE(streamed.out.find("(version 1, conversation "), std::string::npos) << streamed.out;
  EXPECT_NE(streamed.out.rfind("(version "), 0u) << "no reply before the footer";

  ProcessResult json = daemon_->Cli({"chat", "helper", "hello", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(Json(json.out)->getValue<uint64_t>("version"), 1u);
}

}  // namespace
}  // namespace herald::testing
