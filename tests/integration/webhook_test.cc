// The webhook channel through the real heraldd (its built-in
// libherald_webhook.so, the host's outbox in SQLite, its HTTP client) and a
// loopback receiver: a deploy's agent.deployed arrives signed so that an
// independent implementation of Standard Webhooks verifies it; undeploys are
// told; a gate endpoint vetoes a deploy and the deployment shows its answer;
// events pending when heraldd is killed with SIGKILL are delivered after the
// restart, with their original webhook-id.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "daemon_harness.h"
#include "independent_signer.h"
#include "test_http_server.h"

namespace herald::testing {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;
using webhook::testing::ExpectedSignature;

Object::Ptr Json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

class WebhookTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  void Start() {
    const fs::path config = dir_.path() / "heraldd.properties";
    std::ofstream(config) << "plugins.webhook.poll_ms = 20\n"
                          << "plugins.webhook.retry_jitter = 0\n"
                          << "plugins.webhook.retry_schedule = 0, 200ms, 200ms, 200ms, 200ms, "
                             "200ms, 200ms, 200ms, 200ms, 200ms\n"
                          << "plugins.webhook.gate_timeout_ms = 5000\n";
    daemon_ = std::make_unique<RunningDaemon>(
        dir_.path() / "data", std::vector<std::string>{"--config", config.string()});
    ASSERT_TRUE(daemon_->ok()) << daemon_->error();
  }

  HttpResult Call(const std::string& method, const std::string& path,
                  const std::string& body = "") {
    return daemon_->Call(method, path, body);
  }

  void CreateAgent(const std::string& id, const std::string& endpoints) {
    ASSERT_EQ(Call("POST", "/v1/agents", R"({"id":")" + id + R"(","name":"Helper"})").status, 201);
    ASSERT_EQ(Call("PATCH", "/v1/agents/" + id,
                   R"({"description":"answers billing questions","model":"scripted"})")
                  .status,
              200);
    HttpResult r = Call("PUT", "/v1/agents/" + id + "/channels/hooks",
                        R"({"plugin":"webhook","settings":{"endpoints":)" + endpoints + "}}");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  HttpResult Deploy(const std::string& id) {
    return Call("POST", "/v1/agents/" + id + "/deployments", R"({"comment":"webhook test"})");
  }

  std::string Secret(const std::string& agent, int n) {
    HttpResult r = Call(
        "GET", "/v1/channels/webhook/" + agent + "/endpoints/" + std::to_string(n) + "/secret");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? Json(r.body)->getValue<std::string>("secret") : "";
  }

  // The requests of `server` whose body has "type": `type`.
  static std::vector<RecordedRequest> OfType(const TestHttpServer& server,
                                             const std::string& type) {
    std::vector<RecordedRequest> out;
    for (const RecordedRequest& r : server.requests()) {
      if (Json(r.body)->getValue<std::string>("type") == type) out.push_back(r);
    }
    return out;
  }

  static void ExpectVerifiable(const RecordedRequest& r, const std::string& secret) {
    ASSERT_TRUE(r.Header("webhook-id"));
    ASSERT_TRUE(r.Header("webhook-timestamp"));
    ASSERT_TRUE(r.Header("webhook-signature"));
    EXPECT_EQ(
        *r.Header("webhook-signature"),
        ExpectedSignature(secret, *r.Header("webhook-id"), *r.Header("webhook-timestamp"), r.body));
    const int64_t ts = std::stoll(*r.Header("webhook-timestamp"));
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    EXPECT_LE(std::llabs(now - ts), 60);
  }

  TempDir dir_;
  std::unique_ptr<RunningDaemon> daemon_;
};

TEST_F(WebhookTest, ADeployAndAnUndeployReachTheReceiverSigned) {
  TestHttpServer receiver;
  receiver.Respond(204);
  CreateAgent("billing", R"([{"url":")" + receiver.url() + R"(/hooks"}])");
  HttpResult deployed = Deploy("billing");
  ASSERT_EQ(deployed.status, 201) << deployed.body;
  ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  const std::string secret = Secret("billing", 0);

  std::vector<RecordedRequest> got = OfType(receiver, "agent.deployed");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].path, "/hooks");
  ExpectVerifiable(got[0], secret);
  Object::Ptr data = Json(got[0].body)->getObject("data");
  EXPECT_EQ(data->getValue<std::string>("agent"), "billing");
  EXPECT_EQ(data->getValue<int>("version"), 1);
  EXPECT_EQ(data->getValue<std::string>("comment"), "webhook test");
  EXPECT_FALSE(data->getValue<std::string>("content_hash").empty());

  ASSERT_EQ(Call("POST", "/v1/agents/billing/undeploy").status, 200);
  ASSERT_TRUE(receiver.WaitForRequests(2, std::chrono::seconds(10)));
  got = OfType(receiver, "agent.undeployed");
  ASSERT_EQ(got.size(), 1u);
  ExpectVerifiable(got[0], secret);
  EXPECT_EQ(Json(got[0].body)->getObject("data")->getValue<std::string>("agent"), "billing");

  // The deliveries, through the CLI.
  ProcessResult cli = daemon_->Cli({"webhooks", "deliveries", "billing"});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("agent.undeployed"), std::string::npos) << cli.out;
  EXPECT_NE(cli.out.find("204"), std::string::npos) << cli.out;
  // No secret in the log.
  EXPECT_EQ(daemon_->Stderr().find(secret.substr(6)), std::string::npos);
}

TEST_F(WebhookTest, AGateVetoesTheDeployWithTheReceiversAnswer) {
  TestHttpServer gate;
  gate.Respond(503, "release freeze until Monday");
  CreateAgent("sales", R"([{"url":")" + gate.url() + R"(/gate","mode":"gate"}])");
  HttpResult failed = Deploy("sales");
  ASSERT_EQ(failed.status, 502) << failed.body;
  auto channels = Json(failed.body)->getObject("deployment")->getArray("channels");
  bool seen = false;
  for (size_t i = 0; i < channels->size(); ++i) {
    auto c = channels->getObject(static_cast<unsigned>(i));
    if (c->getValue<std::string>("channel") != "hooks") continue;
    seen = true;
    EXPECT_EQ(c->getValue<std::string>("message"),
              "receiver answered 503: release freeze until Monday");
  }
  EXPECT_TRUE(seen) << failed.body;
  ASSERT_GE(gate.request_count(), 1u);
  ExpectVerifiable(gate.requests()[0], Secret("sales", 0));

  gate.Respond(200, "go");
  EXPECT_EQ(Deploy("sales").status, 201);
}

TEST_F(WebhookTest, NothingIsLostAcrossAKillAndRestart) {
  TestHttpServer receiver;
  receiver.Respond(503, "down for maintenance");
  CreateAgent("ops", R"([{"url":")" + receiver.url() + R"(/hooks"}])");
  ASSERT_EQ(Deploy("ops").status, 201);
  ASSERT_EQ(Call("POST", "/v1/agents/ops/undeploy").status, 200);
  ASSERT_TRUE(receiver.WaitForRequests(2, std::chrono::seconds(10)));
  std::set<std::string> ids;
  for (const RecordedRequest& r : receiver.requests()) ids.insert(*r.Header("webhook-id"));
  ASSERT_EQ(ids.size(), 2u);  // two events, retried under their own ids

  EXPECT_EQ(daemon_->Stop(SIGKILL), 128 + SIGKILL);
  receiver.Respond(200);
  receiver.ClearRequests();
  Start();
  // Both arrive with their original ids, once the receiver takes them.
  std::set<std::string> delivered;
  for (int i = 0; i < 500 && delivered != ids; ++i) {
    for (const RecordedRequest& r : receiver.requests()) delivered.insert(*r.Header("webhook-id"));
    if (delivered != ids) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(delivered, ids);
}

}  // namespace
}  // namespace herald::testing
