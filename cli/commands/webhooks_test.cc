// `herald webhooks deliveries|redeliver` against the fake heraldd: the exact
// requests, the one-line-per-attempt table, --json, errors and usage.
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

constexpr const char* kDeliveries = R"({"agent":"support","deliveries":[
 {"id":"msg_2","agent":"support","endpoint":0,"url":"https://ci.example/h",
  "event":"agent.undeployed","mode":"notify","state":"pending","created_at":"2024-06-02T08:00:00Z",
  "next_attempt_at":"2024-06-02T08:00:05Z","redeliveries":0,"attempts":[]},
 {"id":"msg_1","agent":"support","endpoint":1,"url":"https://ops.example/h",
  "event":"agent.deployed","mode":"notify","state":"delivered","created_at":"2024-06-01T10:00:00Z",
  "redeliveries":0,"attempts":[
   {"at":"2024-06-01T10:00:00Z","latency_ms":15000,"response_code":null,"outcome":"timeout",
    "detail":"no answer"},
   {"at":"2024-06-01T10:00:05Z","latency_ms":12,"response_code":204,"outcome":"delivered",
    "detail":""}]}]})";

TEST(WebhooksTest, ListsDeliveriesOneLinePerAttempt) {
  FakeHeraldd server;
  server.On("GET", "/v1/channels/webhook/support/deliveries", {.status = 200, .body = kDeliveries});
  auto run = RunAt(server, {"webhooks", "deliveries", "support"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out,
            "ID     EVENT             ENDPOINT  STATE      ATTEMPT  AT                         "
            "CODE   LATENCY  OUTCOME\n"
            "msg_2  agent.undeployed  0         pending          -  next 2024-06-02T08:00:05Z     "
            "-         -  -\n"
            "msg_1  agent.deployed    1         delivered        1  2024-06-01T10:00:00Z          "
            "-  15000 ms  timeout: no answer\n"
            "msg_1  agent.deployed    1         delivered        2  2024-06-01T10:00:05Z        "
            "204     12 ms  delivered\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/channels/webhook/support/deliveries");
}

TEST(WebhooksTest, DeliveriesJsonLimitAndEmpty) {
  FakeHeraldd server;
  server.On("GET", "/v1/channels/webhook/support/deliveries?limit=5",
            {.status = 200, .body = kDeliveries});
  server.On("GET", "/v1/channels/webhook/sales/deliveries",
            {.status = 200, .body = R"({"agent":"sales","deliveries":[]})"});
  auto json = RunAt(server, {"webhooks", "deliveries", "support", "--limit", "5", "--json"});
  EXPECT_EQ(json.status, 0) << json.err;
  EXPECT_EQ(json.out, std::string(kDeliveries) + "\n");
  auto empty = RunAt(server, {"webhooks", "deliveries", "sales"});
  EXPECT_EQ(empty.status, 0);
  EXPECT_EQ(empty.out, "No webhook deliveries for sales yet.\n");
  auto usage = RunAt(server, {"webhooks", "deliveries"});
  EXPECT_EQ(usage.status, 2);
}

TEST(WebhooksTest, Redeliver) {
  FakeHeraldd server;
  server.On("POST", "/v1/channels/webhook/deliveries/msg_1/redeliver",
            {.status = 202,
             .body = R"({"delivery":{"id":"msg_1","endpoint":1,"url":"https://ops.example/h",)"
                     R"("event":"agent.deployed","state":"pending","attempts":[]}})"});
  server.On(
      "POST", "/v1/channels/webhook/deliveries/msg_2/redeliver",
      {.status = 409,
       .body = R"({"error":{"code":"conflict","message":"delivery msg_2 is still pending"}})"});
  auto run = RunAt(server, {"webhooks", "redeliver", "msg_1"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "Delivery msg_1 queued again (agent.deployed to endpoint 1, https://ops.example/h).\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "POST");
  auto pending = RunAt(server, {"webhooks", "redeliver", "msg_2"});
  EXPECT_EQ(pending.status, 1);
  EXPECT_EQ(pending.err, "error: delivery msg_2 is still pending (conflict)\n");
}

}  // namespace
}  // namespace herald::cli
