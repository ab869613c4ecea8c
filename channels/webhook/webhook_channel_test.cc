// The webhook channel on FakeHost: outbox, signatures (checked by an
// independent implementation), the retry schedule on the fake clock, 410,
// 3xx, timeouts and dropped connections, Retry-After, gate vetoes, secret
// rotation, routes and their roles, inbound messages and replays, and
// resuming after a restart.
#include "webhook_channel.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <herald/sdk/testing/fake_host.hpp>

#include <chrono>
#include <thread>

#include "independent_signer.h"
#include "standard_webhooks.h"

namespace herald::webhook {
namespace {

using Poco::JSON::Object;
using sdk::testing::FakeFetchAnswer;
using sdk::testing::FakeHost;
using sdk::testing::FakeRequest;
using sdk::testing::FakeResponse;
using testing::ExpectedSignature;
using testing::SplitSignatures;

constexpr int64_t kT0 = 1'700'000'000'000;
constexpr char kEventJson[] =
    R"({"agent":"a1","version":2,"previous_version":1,"content_hash":"ab12",)"
    R"("time":"2023-11-14T22:13:20Z","author":"olga","comment":"new FAQ",)"
    R"("channels":[{"channel":"webhook","outcome":"published"}],"manifest":{"name":"A1"}})";

Object::Ptr Json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

std::string Header(const sdk::FetchRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

FakeFetchAnswer Answer(int status, std::string body = "",
                       std::vector<std::pair<std::string, std::string>> headers = {}) {
  FakeFetchAnswer a;
  a.response.status = status;
  a.response.body = std::move(body);
  a.response.headers = std::move(headers);
  return a;
}

FakeFetchAnswer Failure(herald_status status, std::string error) {
  FakeFetchAnswer a;
  a.status = status;
  a.error = std::move(error);
  return a;
}

class WebhookChannelTest : public ::testing::Test {
 protected:
  WebhookChannelTest() {
    host_->SetNowUnixMs(kT0);
    host_->SetConfig("delivery_threads", "0");
    host_->SetConfig("retry_jitter", "0");
  }

  void Start() { channel_ = std::make_unique<WebhookChannel>(sdk::Host(host_->api())); }

  static sdk::Values Settings(const std::string& endpoints) {
    return sdk::Values{{"endpoints", endpoints}};
  }

  void Event(herald_deployment_event_kind kind, const std::string& endpoints,
             const std::string& agent = "a1") {
    sdk::DeploymentEvent e;
    e.kind = kind;
    e.agent_id = agent;
    e.version = 2;
    e.previous_version = 1;
    e.json = kEventJson;
    e.settings = Settings(endpoints);
    channel_->OnDeploymentEvent(e);
  }

  FakeResponse Serve(const std::string& method, const std::string& path,
                     const std::string& body = "", const std::string& role = "operator") {
    FakeRequest r;
    r.method = method;
    r.path = path;
    r.body = body;
    r.user_role = role;
    r.user_id = role.empty() ? "" : "u-" + role;
    return host_->Serve(r);
  }

  // The endpoint's secret, shown once by the route.
  std::string RevealSecret(const std::string& agent, int n) {
    FakeResponse r = Serve("GET", "/" + agent + "/endpoints/" + std::to_string(n) + "/secret");
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r.body)->getValue<std::string>("secret");
  }

  size_t Pending() {
    size_t n = 0;
    for (const auto& [k, v] : host_->kv()) n += k.starts_with("q/");
    return n;
  }

  Object::Ptr OnlyDelivery(const std::string& agent = "a1") {
    FakeResponse r = Serve("GET", "/" + agent + "/deliveries");
    EXPECT_EQ(r.status, 200) << r.body;
    auto list = Json(r.body)->getArray("deliveries");
    EXPECT_EQ(list->size(), 1u) << r.body;
    return list->getObject(0);
  }

  // heraldd restarted: a new host process with the same database (the
  // plain and sealed stores copied over), clock and configuration.
  void Restart(const std::map<std::string, std::string>& config) {
    channel_.reset();
    auto next = std::make_unique<FakeHost>();
    sdk::Host to(next->api());
    for (const auto& [k, v] : host_->kv()) ASSERT_TRUE(to.KvPut(k, v).ok());
    for (const auto& [k, v] : host_->secrets()) ASSERT_TRUE(to.SecretPut(k, v).ok());
    for (const auto& [k, v] : config) next->SetConfig(k, v);
    next->SetNowUnixMs(sdk::Host(host_->api()).NowUnixMs());
    host_ = std::move(next);
    Start();
  }

  std::unique_ptr<FakeHost> host_ = std::make_unique<FakeHost>();
  std::unique_ptr<WebhookChannel> channel_;
};

constexpr char kOne[] = R"([{"url":"https://hooks.example/herald"}])";

TEST_F(WebhookChannelTest, LoadsAsHeralddLoadsIt) {
  auto plugin = host_->StartLibrary(HERALD_WEBHOOK_PLUGIN_PATH);
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  EXPECT_EQ(sdk::ToView(plugin.descriptor().name), "webhook");
  const herald_channel_vtable& vt = plugin.channel().vtable();
  ASSERT_EQ(vt.settings_count, 1u);
  EXPECT_EQ(sdk::ToView(vt.settings[0].name), "endpoints");
  EXPECT_EQ(vt.settings[0].type, HERALD_SETTING_JSON);
  EXPECT_TRUE(plugin.channel().WantsDeploymentEvents());
  std::vector<sdk::Problem> problems;
  ASSERT_TRUE(plugin.channel()
                  .Validate(Settings(R"([{"url":"http://169.254.169.254/latest"}])"), &problems)
                  .ok());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "endpoints");
  EXPECT_NE(problems[0].message.find("deny list"), std::string::npos);
}

TEST_F(WebhookChannelTest, RefusesABadConfiguration) {
  host_->SetConfig("retry_schedule", "0, soon");
  EXPECT_THROW(Start(), std::invalid_argument);
  FakeHost old;
  old.SetAbiMinor(0);
  EXPECT_THROW(WebhookChannel(sdk::Host(old.api())), std::runtime_error);
}

TEST_F(WebhookChannelTest, ADeployedEventIsQueuedThenDeliveredSignedOverTheBytesSent) {
  Start();
  channel_->Publish({"a1", 2, "ab12", "{}"}, Settings(kOne));
  Event(HERALD_EVENT_AGENT_DEPLOYED, kOne);
  EXPECT_EQ(Pending(), 1u);  // in the outbox, nothing sent yet
  EXPECT_TRUE(host_->fetches().empty());

  host_->SetFetchHandler([](const sdk::FetchRequest&) { return Answer(204); });
  host_->SetNowUnixMs(kT0 + 1500);
  EXPECT_EQ(channel_->DeliverDue(), 1u);
  ASSERT_EQ(host_->fetches().size(), 1u);
  const sdk::FetchRequest sent = host_->fetches()[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "https://hooks.example/herald");
  EXPECT_EQ(sent.timeout_ms, 15'000);
  EXPECT_EQ(Header(sent, "Content-Type"), "application/json");
  EXPECT_EQ(Header(sent, "webhook-timestamp"), std::to_string((kT0 + 1500) / 1000));
  const std::string id = Header(sent, "webhook-id");
  EXPECT_TRUE(id.starts_with("msg_"));

  // The receiver's check: the shown-once secret, an independent HMAC.
  const std::string secret = RevealSecret("a1", 0);
  EXPECT_EQ(Header(sent, "webhook-signature"),
            ExpectedSignature(secret, id, Header(sent, "webhook-timestamp"), sent.body));
  EXPECT_EQ(Serve("GET", "/a1/endpoints/0/secret").status, 409);  // once only

  Object::Ptr body = Json(sent.body);
  EXPECT_EQ(body->getValue<std::string>("type"), "agent.deployed");
  EXPECT_EQ(body->getValue<std::string>("timestamp"), "2023-11-14T22:13:20Z");
  Object::Ptr data = body->getObject("data");
  EXPECT_EQ(data->getValue<std::string>("agent"), "a1");
  EXPECT_EQ(data->getValue<int>("version"), 2);
  EXPECT_EQ(data->getValue<int>("previous_version"), 1);
  EXPECT_EQ(data->getValue<std::string>("content_hash"), "ab12");
  EXPECT_EQ(data->getValue<std::string>("author"), "olga");
  EXPECT_EQ(data->getValue<std::string>("comment"), "new FAQ");
  EXPECT_EQ(data->getArray("channels")->size(), 1u);
  EXPECT_EQ(data->getObject("manifest")->getValue<std::string>("name"), "A1");

  EXPECT_EQ(Pending(), 0u);
  Object::Ptr d = OnlyDelivery();
  EXPECT_EQ(d->getValue<std::string>("id"), id);
  EXPECT_EQ(d->getValue<std::string>("state"), "delivered");
  EXPECT_EQ(d->getValue<std::string>("event"), "agent.deployed");
  auto attempts = d->getArray("attempts");
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ(attempts->getObject(0)->getValue<int>("response_code"), 204);
  EXPECT_EQ(attempts->getObject(0)->getValue<std::string>("outcome"), "delivered");
  EXPECT_TRUE(attempts->getObject(0)->has("latency_ms"));
  EXPECT_FALSE(d->has("body"));

  // The secret is sealed (host secret store), not in the plain store or the log.
  for (const auto& [k, v] : host_->kv()) EXPECT_EQ(v.find(secret), std::string::npos) << k;
  EXPECT_EQ(host_->AllLogText().find(secret), std::string::npos);
  EXPECT_EQ(host_->secrets().count("ep/a1/0"), 1u);
}

TEST_F(WebhookChannelTest, EachEndpointGetsOnlyTheEventsItWants) {
  Start();
  const std::string endpoints =
      R"([{"url":"https://one.example","events":["agent.undeployed"]},
          {"url":"https://two.example","events":["agent.deployed","deployment.failed"]}])";
  Event(HERALD_EVENT_AGENT_DEPLOYED, endpoints);
  Event(HERALD_EVENT_AGENT_UNDEPLOYED, endpoints);
  Event(HERALD_EVENT_DEPLOYMENT_FAILED, endpoints);
  host_->SetFetchHandler([](const sdk::FetchRequest&) { return Answer(200); });
  EXPECT_EQ(channel_->DeliverDue(), 3u);
  std::multiset<std::string> seen;
  for (const auto& f : host_->fetches()) {
    seen.insert(f.url + " " + Json(f.body)->getValue<std::string>("type"));
  }
  EXPECT_EQ(seen, (std::multiset<std::string>{"https://one.example agent.undeployed",
                                              "https://two.example agent.deployed",
                                              "https://two.example deployment.failed"}));
}

// Fails, times out, redirects, drops: retried on the schedule (no jitter
// here), the same webhook-id each time, each attempt's own timestamp and
// signature.
TEST_F(WebhookChannelTest, RetriesOnTheScheduleWithTheSameId) {
  host_->SetConfig("retry_schedule", "0, 5s, 5m, 30m, 2h");
  Start();
  Event(HERALD_EVENT_AGENT_DEPLOYED, kOne);
  int calls = 0;
  host_->SetFetchHandler([&](const sdk::FetchRequest&) {
    switch (calls++) {
      case 0:
        return Answer(500, "boom");
      case 1:
        return Failure(HERALD_STATUS_TIMEOUT, "no answer within 15000 ms");
      case 2:
        return Answer(302, "", {{"Location", "https://elsewhere.example"}});
      case 3:
        return Failure(HERALD_STATUS_UNAVAILABLE, "connection closed before an answer");
      default:
        return Answer(200, "ok");
    }
  });
  int64_t now = kT0;
  auto run_at = [&](int64_t t) {
    now = t;
    host_->SetNowUnixMs(t);
    return channel_->DeliverDue();
  };
  EXPECT_EQ(run_at(kT0), 1u);          // at once: 500
  EXPECT_EQ(run_at(kT0 + 4'999), 0u);  // not yet
  EXPECT_EQ(run_at(kT0 + 5'000), 1u);  // 5 s: timeout
  EXPECT_EQ(run_at(kT0 + 305'000 - 1), 0u);
  EXPECT_EQ(run_at(kT0 + 305'000), 1u);    // 5 min: 302, not followed
  EXPECT_EQ(run_at(kT0 + 2'105'000), 1u);  // 30 min: dropped
  EXPECT_EQ(run_at(kT0 + 9'305'000 - 1), 0u);
  EXPECT_EQ(run_at(kT0 + 9'305'000), 1u);  // 2 h: delivered
  EXPECT_EQ(run_at(kT0 + 99'000'000), 0u);

  const auto fetches = host_->fetches();
  ASSERT_EQ(fetches.size(), 5u);
  const std::string secret = RevealSecret("a1", 0);
  const std::string id = Header(fetches[0], "webhook-id");
  const std::vector<int64_t> at = {kT0, kT0 + 5'000, kT0 + 305'000, kT0 + 2'105'000,
                                   kT0 + 9'305'000};
  for (size_t i = 0; i < fetches.size(); ++i) {
    EXPECT_EQ(Header(fetches[i], "webhook-id"), id) << i;
    EXPECT_EQ(Header(fetches[i], "webhook-timestamp"), std::to_string(at[i] / 1000)) << i;
    EXPECT_EQ(fetches[i].body, fetches[0].body);
    EXPECT_EQ(
        Header(fetches[i], "webhook-signature"),
        ExpectedSignature(secret, id, Header(fetches[i], "webhook-timestamp"), fetches[i].body))
        << i;
  }
  Object::Ptr d = OnlyDelivery();
  EXPECT_EQ(d->getValue<std::string>("state"), "delivered");
  auto attempts = d->getArray("attempts");
  ASSERT_EQ(attempts->size(), 5u);
  std::vector<std::string> outcomes;
  for (size_t i = 0; i < attempts->size(); ++i) {
    outcomes.push_back(
        attempts->getObject(static_cast<unsigned>(i))->getValue<std::string>("outcome"));
  }
  EXPECT_EQ(outcomes, (std::vector<std::string>{"http_error", "timeout", "redirect", "unreachable",
                                                "delivered"}));
  EXPECT_EQ(attempts->getObject(0)->getValue<int>("response_code"), 500);
  EXPECT_EQ(attempts->getObject(0)->getValue<std::string>("detail"), "boom");
  EXPECT_TRUE(attempts->getObject(1)->isNull("response_code"));
  EXPECT_EQ(attempts->getObject(2)->getValue<int>("response_code"), 302);
}

TEST_F(WebhookChannelTest, FailsOnceTheScheduleIsUsedUpThenCanBeRedelivered) {
  host_->SetConfig("retry_schedule", "0, 1s");
  Start();
  Event(HERALD_EVENT_AGENT_UNDEPLOYED, kOne);
  bool up = false;
  host_->SetFetchHandler([&](const sdk::FetchRequest&) { return up ? Answer(200) : Answer(503); });
  EXPECT_EQ(channel_->DeliverDue(), 1u);
  host_->SetNowUnixMs(kT0 + 1'000);
  EXPECT_EQ(channel_->DeliverDue(), 1u);
  host_->SetNowUnixMs(kT0 + 100'000'000);
  EXPECT_EQ(channel_->DeliverDue(), 0u);
  Object::Ptr d = OnlyDelivery();
  EXPECT_EQ(d->getValue<std::string>("state"), "failed");
  const std::string id = d->getValue<std::string>("id");

  EXPECT_EQ(Serve("POST", "/deliveries/" + id + "/redeliver", "", "").status, 401);
  EXPECT_EQ(Serve("POST", "/deliveries/" + id + "/redeliver", "", "member").status, 403);
  EXPECT_EQ(Serve("POST", "/deliveries/msg_nope/redeliver").status, 404);
  FakeResponse r = Serve("POST", "/deliveries/" + id + "/redeliver");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(Json(r.body)->getObject("delivery")->getValue<std::string>("state"), "pending");
  EXPECT_EQ(Serve("POST", "/deliveries/" + id + "/redeliver").status, 409);  // pending
  up = true;
  EXPECT_EQ(channel_->DeliverDue(), 1u);
  EXPECT_EQ(Header(host_->fetches().back(), "webhook-id"), id);
  d = OnlyDelivery();
  EXPECT_EQ(d->getValue<std::string>("state"), "delivered");
  EXPECT_EQ(d->getValue<int>("redeliveries"), 1);
  EXPECT_EQ(d->getArray("attempts")->size(), 3u);
}

TEST_F(WebhookChannelTest, GoneDisablesTheEndpointUntilARedelivery) {
  Start();
  channel_->Publish({"a1", 2, "ab12", "{}"}, Settings(kOne));
  Event(HERALD_EVENT_AGENT_DEPLOYED, kOne);
  host_->SetFetchHandler([](const sdk::FetchRequest&) { return Answer(410, "gone"); });
  EXPECT_EQ(channel_->DeliverDue(), 1u);
  EXPECT_EQ(Pending(), 0u);  // no retry
  EXPECT_EQ(OnlyDelivery()->getValue<std::string>("state"), "disabled");
  sdk::ChannelStatus status = channel_->Status("a1");
  EXPECT_EQ(status.state, sdk::ChannelState::kDegraded);
  EXPECT_NE(status.detail.find("410"), std::string::npos);

  // Later events for it are not sent.
  Event(HERALD_EVENT_AGENT_UNDEPLOYED, kOne);
  EXPECT_EQ(channel_->DeliverDue(), 1u);
  EXPECT_EQ(host_->fetches().size(), 1u);

  // A redelivery is an operator's wish: the endpoint takes events again.
  const std::string id = Header(host_->fetches()[0], "webhook-id");
  ASSERT_EQ(Serve("POST", "/deliveries/" + id + "/redeliver").status, 202);
  host_->SetFetchHandler([](const sdk::FetchRequest&) { return Answer(200); });
  EXPECT_EQ(channel_->DeliverDue(), 1u);
  EXPECT_EQ(host_->fetches().size(), 2u);
  EXPECT_EQ(channel_->Status("a1").state, sdk::ChannelState::kPublished);
}

TEST_F(WebhookChannelTest, HonoursRetryAfter) {
  Start();
  Event(HERALD_EVENT_AGENT_DEPLOYED, kOne);
  host_->SetFetchHandler([](const sdk::FetchRequest&) {
    return Answer(429, "slow down", {{"Retry-After", "120"}});
  });
  channel_->DeliverDue();
  host_->SetNowUnixMs(kT0 + 5'000);  // the schedule's 5 s: too early for Retry-After
  EXPECT_EQ(channel_->DeliverDue(), 0u);
  host_->SetNowUnixMs(kT0 + 120'000);
  EXPECT_EQ(channel_->DeliverDue(), 1u);
}

TEST_F(WebhookChannelTest, JitterVariesTheDelay) {
  host_->SetConfig("retry_jitter", "0.5");
  host_->SetConfig("retry_schedule", "0, 100s");
  Start();
  for (int i = 0; i < 20; ++i) Event(HERALD_EVENT_AGENT_DEPLOYED, kOne);
  host_->SetFetchHandler([](const sdk::FetchRequest&) { return Answer(500); });
  EXPECT_EQ(channel_->DeliverDue(), 20u);
  std::set<int64_t> next;
  for (const auto& [k, v] : host_->kv()) {
    if (!k.starts_with("q/")) continue;
    int64_t at = Json(v)->getValue<int64_t>("next_at_ms") - kT0;
    EXPECT_GE(at, 50'000);
    EXPECT_LE(at, 150'000);
    next.insert(at);
  }
  EXPECT_GT(next.size(), 10u);
}

TEST_F(WebhookChannelTest, ResumesAfterARestart) {
  Start();
  Event(HERALD_EVENT_AGENT_DEPLOYED, kOne);
  Event(HERALD_EVENT_AGENT_UNDEPLOYED, kOne);
  host_->SetFetchHandler([](const sdk::FetchRequest&) { return Answer(500); });
  channel_->DeliverDue();
  const auto before = host_->fetches();
  ASSERT_EQ(before.size(), 2u);
  // heraldd stops (or dies): the outbox is in the host's store.
  Restart({{"delivery_threads", "0"}, {"retry_jitter", "0"}});
  host_->SetFetchHandler([](const sdk::FetchRequest&) { return Answer(200); });
  host_->SetNowUnixMs(kT0 + 60'000);
  EXPECT_EQ(channel_->DeliverDue(), 2u);
  EXPECT_EQ(Pending(), 0u);
  const auto after = host_->fetches();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(Header(before[0], "webhook-id"), Header(after[0], "webhook-id"));
  EXPECT_EQ(Header(before[1], "webhook-id"), Header(after[1], "webhook-id"));
}

TEST_F(WebhookChannelTest, TheWorkerThreadDelivers) {
  host_->SetConfig("delivery_threads", "1");
  host_->SetConfig("poll_ms", "10");
  host_->SetFetchHandler([](const sdk::FetchRequest&) { return Answer(200); });
  Start();
  Event(HERALD_EVENT_AGENT_DEPLOYED, kOne);
  for (int i = 0; i < 200 && Pending() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(Pending(), 0u);
  EXPECT_EQ(host_->fetches().size(), 1u);
  channel_.reset();  // stops and joins
}

constexpr char kGate[] = R"([{"url":"https://ci.example/gate","mode":"gate"}])";

TEST_F(WebhookChannelTest, AGateVetoesThePublishWithTheReceiversAnswer) {
  Start();
  host_->SetFetchHandler([](const sdk::FetchRequest&) {
    return Answer(503, "release freeze until Monday\nask #ops");
  });
  try {
    channel_->Publish({"a1", 3, "cd34", R"({"name":"A1"})"}, Settings(kGate));
    FAIL() << "published through a veto";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "receiver answered 503: release freeze until Monday ask #ops");
  }
  ASSERT_EQ(host_->fetches().size(), 1u);
  const sdk::FetchRequest sent = host_->fetches()[0];
  EXPECT_EQ(sent.timeout_ms, 25'000);
  const std::string secret = RevealSecret("a1", 0);
  EXPECT_EQ(Header(sent, "webhook-signature"),
            ExpectedSignature(secret, Header(sent, "webhook-id"), Header(sent, "webhook-timestamp"),
                              sent.body));
  Object::Ptr body = Json(sent.body);
  EXPECT_EQ(body->getValue<std::string>("type"), "agent.deployed");
  EXPECT_TRUE(body->getObject("data")->getValue<bool>("gate"));
  EXPECT_EQ(body->getObject("data")->getValue<int>("version"), 3);
  EXPECT_EQ(channel_->Status("a1").state, sdk::ChannelState::kNotPublished);
  Object::Ptr d = OnlyDelivery();
  EXPECT_EQ(d->getValue<std::string>("mode"), "gate");
  EXPECT_EQ(d->getValue<std::string>("state"), "failed");

  // Approved: published. Its deployment event does not send agent.deployed
  // again; a republish of the same version (restart) does not ask again.
  host_->SetFetchHandler([](const sdk::FetchRequest&) { return Answer(200, "go"); });
  channel_->Publish({"a1", 3, "cd34", R"({"name":"A1"})"}, Settings(kGate));
  EXPECT_EQ(channel_->Status("a1").state, sdk::ChannelState::kPublished);
  Event(HERALD_EVENT_AGENT_DEPLOYED, kGate);
  EXPECT_EQ(Pending(), 0u);
  channel_->Publish({"a1", 3, "cd34", R"({"name":"A1"})"}, Settings(kGate));
  EXPECT_EQ(host_->fetches().size(), 2u);
  Event(HERALD_EVENT_AGENT_UNDEPLOYED, kGate);
  EXPECT_EQ(Pending(), 1u);  // the rest as notify
}

TEST_F(WebhookChannelTest, AGateThatDoesNotAnswerFailsThePublish) {
  host_->SetConfig("gate_timeout_ms", "2000");
  Start();
  host_->SetFetchHandler(
      [](const sdk::FetchRequest&) { return Failure(HERALD_STATUS_TIMEOUT, "timed out"); });
  try {
    channel_->Publish({"a1", 3, "cd34", "{}"}, Settings(kGate));
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "receiver did not answer within 2000 ms");
  }
  EXPECT_EQ(host_->fetches()[0].timeout_ms, 2000);
  host_->SetFetchHandler([](const sdk::FetchRequest&) { return Answer(301); });
  EXPECT_THROW(channel_->Publish({"a1", 3, "cd34", "{}"}, Settings(kGate)), std::runtime_error);
}

TEST_F(WebhookChannelTest, RotationSignsWithBothSecretsDuringTheOverlap) {
  Start();
  channel_->Publish({"a1", 2, "ab12", "{}"}, Settings(kOne));
  const std::string old_secret = RevealSecret("a1", 0);
  FakeResponse r = Serve("POST", "/a1/endpoints/0/secret", R"({"overlap_seconds":3600})");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string new_secret = Json(r.body)->getValue<std::string>("secret");
  EXPECT_NE(new_secret, old_secret);
  EXPECT_TRUE(Json(r.body)->getValue<bool>("rotated"));
  EXPECT_EQ(Serve("GET", "/a1/endpoints/0/secret").status, 409);  // shown in the answer

  host_->SetFetchHandler([](const sdk::FetchRequest&) { return Answer(200); });
  Event(HERALD_EVENT_AGENT_DEPLOYED, kOne);
  channel_->DeliverDue();
  sdk::FetchRequest f = host_->fetches().back();
  std::vector<std::string> sigs = SplitSignatures(Header(f, "webhook-signature"));
  const std::string id = Header(f, "webhook-id"), ts = Header(f, "webhook-timestamp");
  EXPECT_EQ(sigs, (std::vector<std::string>{ExpectedSignature(new_secret, id, ts, f.body),
                                            ExpectedSignature(old_secret, id, ts, f.body)}));

  host_->SetNowUnixMs(kT0 + 3'600'000);  // the overlap has ended
  Event(HERALD_EVENT_AGENT_UNDEPLOYED, kOne);
  channel_->DeliverDue();
  f = host_->fetches().back();
  EXPECT_EQ(Header(f, "webhook-signature"),
            ExpectedSignature(new_secret, Header(f, "webhook-id"), Header(f, "webhook-timestamp"),
                              f.body));

  // An operator's own secret: used, never echoed; a malformed one refused
  // without being quoted.
  const std::string mine = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  r = Serve("POST", "/a1/endpoints/0/secret",
            R"({"secret":")" + mine + R"(","overlap_seconds":0})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find("whsec_"), std::string::npos);
  r = Serve("POST", "/a1/endpoints/0/secret", R"({"secret":"whsec_tooShort"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body.find("tooShort"), std::string::npos);
  Event(HERALD_EVENT_AGENT_UNDEPLOYED, kOne);
  channel_->DeliverDue();
  f = host_->fetches().back();
  EXPECT_EQ(
      Header(f, "webhook-signature"),
      ExpectedSignature(mine, Header(f, "webhook-id"), Header(f, "webhook-timestamp"), f.body));
  EXPECT_EQ(host_->AllLogText().find("whsec_"), std::string::npos);
}

TEST_F(WebhookChannelTest, OperatorRoutesNeedAnOperator) {
  Start();
  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/a1/deliveries"},
                                                        {"POST", "/a1/endpoints/0/secret"},
                                                        {"GET", "/a1/endpoints/0/secret"},
                                                        {"POST", "/a1/inbound/secret"}}) {
    EXPECT_EQ(Serve(method, path, "", "").status, 401) << path;
    EXPECT_EQ(Serve(method, path, "", "member").status, 403) << path;
  }
  EXPECT_EQ(Serve("GET", "/a1/endpoints/0/secret", "", "admin").status, 404);  // none yet
  EXPECT_EQ(Serve("POST", "/a1/endpoints/16/secret").status, 404);
}

class InboundTest : public WebhookChannelTest {
 protected:
  void SetUp() override {
    Start();
    FakeResponse r = Serve("POST", "/a1/inbound/secret");
    ASSERT_EQ(r.status, 200) << r.body;
    secret_ = Json(r.body)->getValue<std::string>("secret");
    host_->SetTurnHandler([](const sdk::testing::FakeTurn& turn) {
      sdk::testing::FakeTurnAnswer a;
      a.version = 7;
      a.conversation_id = "conv-1";
      a.deltas = {"You said: ", turn.message};
      return a;
    });
  }

  FakeResponse Post(const std::string& id, int64_t timestamp_s, const std::string& body,
                    const std::string& secret = "", const std::string& agent = "a1") {
    FakeRequest r;
    r.method = "POST";
    r.path = "/" + agent;
    r.body = body;
    const std::string ts = std::to_string(timestamp_s);
    r.headers = {
        {"webhook-id", id},
        {"webhook-timestamp", ts},
        {"webhook-signature", ExpectedSignature(secret.empty() ? secret_ : secret, id, ts, body)}};
    return host_->Serve(r);
  }

  std::string secret_;
};

TEST_F(InboundTest, ASignedMessageIsAnsweredByTheLiveVersion) {
  FakeResponse r = Post("evt_1", kT0 / 1000, R"({"message":"hello"})");
  ASSERT_EQ(r.status, 200) << r.body;
  Object::Ptr body = Json(r.body);
  EXPECT_EQ(body->getValue<std::string>("reply"), "You said: hello");
  EXPECT_EQ(body->getValue<int>("version"), 7);
  EXPECT_EQ(body->getValue<std::string>("conversation_id"), "conv-1");
  ASSERT_EQ(host_->turns().size(), 1u);
  EXPECT_EQ(host_->turns()[0].agent_id, "a1");
  EXPECT_EQ(host_->turns()[0].user_id, "");
}

TEST_F(InboundTest, RefusesReplaysStaleTimestampsAndBadSignatures) {
  ASSERT_EQ(Post("evt_1", kT0 / 1000, R"({"message":"hi"})").status, 200);
  FakeResponse replay = Post("evt_1", kT0 / 1000, R"({"message":"hi"})");
  EXPECT_EQ(replay.status, 401);
  EXPECT_NE(Json(replay.body)->getObject("error")->getValue<std::string>("message").find("replay"),
            std::string::npos);
  EXPECT_EQ(Post("evt_2", kT0 / 1000 - 301, R"({"message":"hi"})").status, 401);  // stale
  EXPECT_EQ(Post("evt_3", kT0 / 1000 + 301, R"({"message":"hi"})").status, 401);  // future
  EXPECT_EQ(Post("evt_4", kT0 / 1000 - 299, R"({"message":"hi"})").status, 200);
  EXPECT_EQ(Post("evt_5", kT0 / 1000, R"({"message":"hi"})", GenerateSecret()).status, 401);
  EXPECT_EQ(Post("evt_6", kT0 / 1000, R"({"message":"hi"})", secret_, "a2").status,
            401);  // no inbound secret for a2
  FakeRequest unsigned_request;
  unsigned_request.method = "POST";
  unsigned_request.path = "/a1";
  unsigned_request.body = R"({"message":"hi"})";
  EXPECT_EQ(host_->Serve(unsigned_request).status, 401);
  // A signature over other bytes.
  FakeRequest tampered;
  tampered.method = "POST";
  tampered.path = "/a1";
  tampered.body = R"({"message":"hi!"})";
  tampered.headers = {
      {"webhook-id", "evt_7"},
      {"webhook-timestamp", std::to_string(kT0 / 1000)},
      {"webhook-signature",
       ExpectedSignature(secret_, "evt_7", std::to_string(kT0 / 1000), R"({"message":"hi"})")}};
  EXPECT_EQ(host_->Serve(tampered).status, 401);
  EXPECT_EQ(host_->turns().size(), 2u);
}

TEST_F(InboundTest, AReplayIsRefusedAfterARestartToo) {
  ASSERT_EQ(Post("evt_1", kT0 / 1000, R"({"message":"hi"})").status, 200);
  Restart({{"delivery_threads", "0"}});
  EXPECT_EQ(Post("evt_1", kT0 / 1000, R"({"message":"hi"})").status, 401);
}

TEST_F(InboundTest, ErrorsOfTheTurn) {
  EXPECT_EQ(Post("evt_1", kT0 / 1000, R"({"text":"hi"})").status, 400);
  EXPECT_EQ(Post("evt_2", kT0 / 1000, "not json").status, 400);
  host_->SetTurnHandler([](const sdk::testing::FakeTurn&) {
    sdk::testing::FakeTurnAnswer a;
    a.status = HERALD_STATUS_NOT_FOUND;
    a.error = "agent a1 is not live on webhook";
    return a;
  });
  FakeResponse r = Post("evt_3", kT0 / 1000, R"({"message":"hi"})");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("not live"), std::string::npos);
}

TEST_F(InboundTest, RotationAcceptsBothDuringTheOverlap) {
  const std::string old_secret = secret_;
  FakeResponse r = Serve("POST", "/a1/inbound/secret", R"({"overlap_seconds":60})");
  ASSERT_EQ(r.status, 200);
  secret_ = Json(r.body)->getValue<std::string>("secret");
  EXPECT_EQ(Post("evt_1", kT0 / 1000, R"({"message":"hi"})").status, 200);
  EXPECT_EQ(Post("evt_2", kT0 / 1000, R"({"message":"hi"})", old_secret).status, 200);
  host_->SetNowUnixMs(kT0 + 61'000);
  EXPECT_EQ(Post("evt_3", kT0 / 1000 + 61, R"({"message":"hi"})", old_secret).status, 401);
}

}  // namespace
}  // namespace herald::webhook
