// The host services of ABI 1.1 (routes, turns, key-value and sealed state,
// outbound fetch, identity, deployment events) through the real heraldd,
// driven over HTTP through the `services` fixture channel
// (tests/fixtures/channels/services_channel.cc), which exposes each service
// behind a route of its own.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <herald/sdk/abi.h>

#include <fstream>
#include <iterator>

#include "daemon_harness.h"
#include "test_http_server.h"

namespace herald::testing {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr Json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class PluginServicesTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  void Start() {
    const fs::path config = dir_.path() / "heraldd.properties";
    // 127.0.0.2 stands for a denied address that is still reachable.
    std::ofstream(config) << "herald.outbound_deny = 169.254.0.0/16, 127.0.0.2/32\n";
    daemon_ = std::make_unique<RunningDaemon>(
        dir_.path() / "data", std::vector<std::string>{"--plugin-dir", HERALD_FIXTURE_CHANNEL_DIR,
                                                       "--config", config.string()});
    ASSERT_TRUE(daemon_->ok()) << daemon_->error();
  }

  HttpResult Call(const std::string& method, const std::string& path,
                  const std::string& body = "") {
    return daemon_->Call(method, path, body);
  }
  HttpResult Plugin(const std::string& method, const std::string& path,
                    const std::string& body = "") {
    return Call(method, "/v1/channels/services" + path, body);
  }
  // The herald_status a failed service call gave.
  int FailedWith(const HttpResult& r) {
    EXPECT_EQ(r.status, 400) << r.body;
    return r.status == 400 ? Json(r.body)->getValue<int>("status") : -1;
  }

  void DeployAgent(const std::string& id) {
    ASSERT_EQ(Call("POST", "/v1/agents", R"({"id":")" + id + R"(","name":"Helper"})").status, 201);
    ASSERT_EQ(Call("PATCH", "/v1/agents/" + id,
                   R"({"description":"answers questions","model":"scripted",)"
                   R"("behaviour":{"welcome_message":"Hello from the helper"}})")
                  .status,
              200);
    ASSERT_EQ(Call("PUT", "/v1/agents/" + id + "/channels/services",
                   R"({"plugin":"services","settings":{}})")
                  .status,
              200);
    HttpResult d = Call("POST", "/v1/agents/" + id + "/deployments", "{}");
    ASSERT_EQ(d.status, 201) << d.body;
  }

  // Every recorded deployment event of `agent`, oldest first.
  std::vector<std::string> Events(const std::string& agent) {
    HttpResult r = Plugin("GET", "/kv?prefix=event/" + agent + "/");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    Array::Ptr pairs = Poco::JSON::Parser().parse(r.body).extract<Array::Ptr>();
    for (size_t i = 0; i < pairs->size(); ++i) {
      out.push_back(pairs->getArray(static_cast<unsigned>(i))->getElement<std::string>(1));
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<RunningDaemon> daemon_;
};

TEST_F(PluginServicesTest, KeyValueStateIsThePluginsOwnAndSurvivesARestart) {
  ASSERT_EQ(Plugin("PUT", "/kv/greeting", "hello").status, 200);
  ASSERT_EQ(Plugin("PUT", "/kv/g%25_2", "percent").status, 200);
  ASSERT_EQ(Plugin("PUT", "/kv/other", "x").status, 200);
  EXPECT_EQ(Json(Plugin("GET", "/kv/greeting").body)->getValue<std::string>("value"), "hello");
  EXPECT_EQ(FailedWith(Plugin("GET", "/kv/missing")), HERALD_STATUS_NOT_FOUND);

  // A prefix is a prefix, not a LIKE pattern.
  HttpResult listed = Plugin("GET", "/kv?prefix=g");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body, R"([["g%_2","percent"],["greeting","hello"]])");
  HttpResult none = Plugin("GET", "/kv?prefix=g_");
  EXPECT_EQ(none.body, "[]");

  EXPECT_EQ(FailedWith(Plugin("PUT", "/kv/" + std::string(600, 'k'), "v")),
            HERALD_STATUS_INVALID_ARGUMENT);

  // A batch applies whole or not at all.
  ASSERT_EQ(Plugin("POST", "/kv-apply", "put moved 1\ndelete greeting\n").status, 200);
  EXPECT_EQ(FailedWith(Plugin("GET", "/kv/greeting")), HERALD_STATUS_NOT_FOUND);
  EXPECT_EQ(Json(Plugin("GET", "/kv/moved").body)->getValue<std::string>("value"), "1");
  EXPECT_EQ(
      FailedWith(Plugin("POST", "/kv-apply",
                        "put greeting hello\ndelete moved\nput " + std::string(600, 'k') + " v\n")),
      HERALD_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(FailedWith(Plugin("GET", "/kv/greeting")), HERALD_STATUS_NOT_FOUND);
  ASSERT_EQ(Plugin("POST", "/kv-apply", "put greeting hello\ndelete moved\n").status, 200);

  ASSERT_EQ(Plugin("DELETE", "/kv/other").status, 200);
  EXPECT_EQ(FailedWith(Plugin("GET", "/kv/other")), HERALD_STATUS_NOT_FOUND);

  daemon_.reset();
  Start();
  EXPECT_EQ(Json(Plugin("GET", "/kv/greeting").body)->getValue<std::string>("value"), "hello");
}

TEST_F(PluginServicesTest, SecretsAreSealedAtRest) {
  const std::string canary = "canary-secret-5f0b9c2e";
  ASSERT_EQ(Plugin("PUT", "/secret/signing", canary).status, 200);
  EXPECT_EQ(Json(Plugin("GET", "/secret/signing").body)->getValue<std::string>("value"), canary);
  // A secret is not a plain value of the same key.
  EXPECT_EQ(FailedWith(Plugin("GET", "/kv/signing")), HERALD_STATUS_NOT_FOUND);
  for (const auto& entry : fs::directory_iterator(dir_.path() / "data")) {
    if (!entry.is_regular_file()) continue;
    EXPECT_EQ(ReadAll(entry.path()).find(canary), std::string::npos) << entry.path();
  }
  EXPECT_EQ(daemon_->Stderr().find(canary), std::string::npos);

  // Master-key rotation re-seals plugin secrets too.
  ProcessResult rotated = daemon_->Cli({"admin", "rotate-key"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_EQ(Json(Plugin("GET", "/secret/signing").body)->getValue<std::string>("value"), canary);
  ASSERT_EQ(Plugin("DELETE", "/secret/signing").status, 200);
  EXPECT_EQ(FailedWith(Plugin("GET", "/secret/signing")), HERALD_STATUS_NOT_FOUND);
}

TEST_F(PluginServicesTest, FetchKeepsConnectionsAliveFollowsNoRedirectAndHonoursTheDenyList) {
  TestHttpServer receiver;
  receiver.RespondAt("/ok", 200, "fine");
  receiver.RespondAt("/moved", 302, "", {{"Location", "/ok"}});
  HttpResult ok = Plugin("POST", "/fetch", receiver.url() + "/ok");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Json(ok.body)->getValue<int>("status"), 200);
  EXPECT_EQ(Json(ok.body)->getValue<std::string>("body"), "fine");

  HttpResult moved = Plugin("POST", "/fetch", receiver.url() + "/moved");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(Json(moved.body)->getValue<int>("status"), 302);
  ASSERT_EQ(receiver.request_count(), 2u);  // /ok was not fetched again

  // The deny list is checked on the address, whatever the port.
  const std::string denied = "http://127.0.0.2:" + std::to_string(receiver.port()) + "/ok";
  EXPECT_EQ(FailedWith(Plugin("POST", "/fetch", denied)), HERALD_STATUS_PERMISSION_DENIED);
  EXPECT_EQ(FailedWith(Plugin("POST", "/fetch", "http://169.254.169.254/latest/meta-data")),
            HERALD_STATUS_PERMISSION_DENIED);
  EXPECT_EQ(FailedWith(Plugin("POST", "/fetch", "ftp://example.com/")),
            HERALD_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(FailedWith(Plugin("POST", "/fetch",
                              "http://127.0.0.1:" + std::to_string(ClosedPort().port()) + "/")),
            HERALD_STATUS_UNAVAILABLE);
}

TEST_F(PluginServicesTest, RoutesNameTheCallerStreamAndAnswerUnknownPathsWithJson) {
  HttpResult who = Plugin("GET", "/whoami");
  ASSERT_EQ(who.status, 200) << who.body;
  EXPECT_EQ(Json(who.body)->getValue<std::string>("user"), "admin");
  EXPECT_EQ(Json(who.body)->getValue<std::string>("role"), "admin");
  HttpResult anonymous = HttpRequest(daemon_->url(), "GET", "/v1/channels/services/whoami");
  EXPECT_EQ(Json(anonymous.body)->getValue<std::string>("user"), "");

  HttpResult streamed = Plugin("GET", "/stream");
  EXPECT_EQ(streamed.status, 200);
  EXPECT_EQ(streamed.body, "piece 1\npiece 2\npiece 3\n");
  EXPECT_EQ(streamed.headers["Transfer-Encoding"], "chunked");

  HttpResult unknown = Plugin("GET", "/nothing-here");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(Json(unknown.body)->getObject("error")->getValue<std::string>("code"), "not_found");
  HttpResult wrong_method = Plugin("DELETE", "/whoami");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(Call("GET", "/v1/channels/nobody/x").status, 404);

  // Without an identity provider configured, identity checks are refused.
  EXPECT_EQ(FailedWith(Plugin("POST", "/identity", "a.b.c")), HERALD_STATUS_PERMISSION_DENIED);
}

TEST_F(PluginServicesTest, TurnsAnswerWithTheLiveVersionOnlyAndChannelsHearOfDeployments) {
  EXPECT_EQ(FailedWith(Plugin("POST", "/helper/turn", "hello")), HERALD_STATUS_NOT_FOUND);
  DeployAgent("helper");

  HttpResult turn = Plugin("POST", "/helper/turn", "hello");
  ASSERT_EQ(turn.status, 200) << turn.body;
  Object::Ptr answer = Json(turn.body);
  EXPECT_EQ(answer->getValue<int>("version"), 1);
  EXPECT_FALSE(answer->getValue<std::string>("reply").empty());
  const std::string conversation = answer->getValue<std::string>("conversation_id");
  EXPECT_FALSE(conversation.empty());

  HttpResult next = Plugin("POST", "/helper/turn?conversation=" + conversation, "and again");
  ASSERT_EQ(next.status, 200) << next.body;
  EXPECT_EQ(Json(next.body)->getValue<std::string>("conversation_id"), conversation);
  EXPECT_EQ(FailedWith(Plugin("POST", "/helper/turn?conversation=nope", "hi")),
            HERALD_STATUS_NOT_FOUND);

  HttpResult streamed = Plugin("POST", "/helper/turn?stream=1", "hello");
  ASSERT_EQ(streamed.status, 200);
  EXPECT_EQ(streamed.body.rfind("begin ", 0), 0u) << streamed.body;
  EXPECT_NE(streamed.body.find("\ndelta "), std::string::npos) << streamed.body;
  EXPECT_NE(streamed.body.find("\nend 1\n"), std::string::npos) << streamed.body;

  std::vector<std::string> events = Events("helper");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].rfind(std::to_string(HERALD_EVENT_AGENT_DEPLOYED) + " ", 0), 0u);
  Object::Ptr deployed = Json(events[0].substr(2));
  EXPECT_EQ(deployed->getValue<std::string>("type"), "agent.deployed");
  EXPECT_EQ(deployed->getValue<int>("version"), 1);
  EXPECT_EQ(deployed->getValue<std::string>("author"), "admin");
  EXPECT_EQ(deployed->getObject("manifest")->getValue<std::string>("model"), "scripted");
  EXPECT_EQ(deployed->getArray("channels")->getObject(0)->getValue<std::string>("outcome"),
            "published");

  ASSERT_EQ(Call("POST", "/v1/agents/helper/undeploy").status, 200);
  EXPECT_EQ(FailedWith(Plugin("POST", "/helper/turn", "hello")), HERALD_STATUS_NOT_FOUND);
  events = Events("helper");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(Json(events[1].substr(2))->getValue<std::string>("type"), "agent.undeployed");
}

}  // namespace
}  // namespace herald::testing
