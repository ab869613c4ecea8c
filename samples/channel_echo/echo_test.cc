// Unit tests for sample_echo, without heraldd: FakeHost plays the host. The
// plugin is driven through the same C ABI (ChannelClient) that heraldd uses,
// so these tests also cover the SDK's adapters around the class.
#include "echo_channel.hpp"

#include <herald/sdk/client.hpp>
#include <herald/sdk/testing/fake_host.hpp>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using herald::sdk::Problem;
using herald::sdk::Values;
using herald::sdk::testing::FakeHost;
using herald::sdk::testing::StartedPlugin;

const herald_plugin_descriptor* Descriptor() {
  return herald::sdk::ChannelDescriptor<sample_echo::EchoChannel>(
      sample_echo::kName, sample_echo::kVersion, sample_echo::kDescription);
}

// What heraldd passes: the declared settings, checked, with defaults filled in.
// FakeHost does not apply the spec itself, so tests pass complete settings.
Values Settings(std::string greeting = "Hello", std::string max_length = "200") {
  return Values({{"greeting", std::move(greeting)}, {"max_length", std::move(max_length)}});
}

struct State {
  herald_channel_state state = HERALD_CHANNEL_NOT_PUBLISHED;
  std::string detail;
};

State StatusOf(const StartedPlugin& plugin, const std::string& agent) {
  State s;
  auto r = plugin.channel().Status(agent, &s.state, &s.detail);
  EXPECT_TRUE(r.ok()) << r.error;
  return s;
}

TEST(EchoChannel, DeclaresItsSettings) {
  FakeHost host;
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  EXPECT_EQ(plugin.descriptor().kind, HERALD_PLUGIN_CHANNEL);

  auto specs = herald::sdk::SettingSpecs(plugin.channel().vtable());
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].name, "greeting");
  EXPECT_EQ(specs[0].type, HERALD_SETTING_STRING);
  EXPECT_TRUE(specs[0].required);
  EXPECT_EQ(specs[1].name, "max_length");
  EXPECT_EQ(specs[1].type, HERALD_SETTING_INT);
  EXPECT_FALSE(specs[1].required);
  EXPECT_EQ(specs[1].default_value, "200");
}

TEST(EchoChannel, AcceptsGoodSettings) {
  FakeHost host;
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;

  std::vector<Problem> problems;
  auto r = plugin.channel().Validate(Settings(), &problems);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(problems.empty());
}

TEST(EchoChannel, NamesTheFieldAtFault) {
  FakeHost host;
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;

  for (const char* bad : {"0", "-5", "10001"}) {
    std::vector<Problem> problems;
    ASSERT_TRUE(plugin.channel().Validate(Settings("Hello", bad), &problems).ok());
    ASSERT_EQ(problems.size(), 1u) << bad;
    EXPECT_EQ(problems[0].field, "max_length");
    EXPECT_NE(problems[0].message.find("between 1 and 10000"), std::string::npos);
  }

  std::vector<Problem> problems;
  ASSERT_TRUE(plugin.channel().Validate(Settings(""), &problems).ok());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "greeting");
}

TEST(EchoChannel, PublishStatusUnpublish) {
  FakeHost host;
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  auto channel = plugin.channel();

  EXPECT_EQ(StatusOf(plugin, "agent-1").state, HERALD_CHANNEL_NOT_PUBLISHED);

  auto r = channel.Publish("agent-1", 3, "hash3", "{}", Settings());
  ASSERT_TRUE(r.ok()) << r.error;
  State s = StatusOf(plugin, "agent-1");
  EXPECT_EQ(s.state, HERALD_CHANNEL_PUBLISHED);
  EXPECT_EQ(s.detail, "version 3");

  ASSERT_TRUE(channel.Publish("agent-1", 4, "hash4", "{}", Settings()).ok());
  EXPECT_EQ(StatusOf(plugin, "agent-1").detail, "version 4");
  EXPECT_EQ(StatusOf(plugin, "agent-2").state, HERALD_CHANNEL_NOT_PUBLISHED);

  ASSERT_TRUE(channel.Unpublish("agent-1").ok());
  EXPECT_EQ(StatusOf(plugin, "agent-1").state, HERALD_CHANNEL_NOT_PUBLISHED);
  // Unpublishing what is not published is no error.
  EXPECT_TRUE(channel.Unpublish("agent-1").ok());
}

TEST(EchoChannel, LogsThroughTheHost) {
  FakeHost host;
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;

  ASSERT_TRUE(plugin.channel().Publish("agent-1", 7, "h", "{}", Settings("Hi")).ok());
  EXPECT_NE(host.AllLogText().find("Hi agent-1 is now at version 7"), std::string::npos)
      << host.AllLogText();

  // max_length caps the announcement.
  ASSERT_TRUE(plugin.channel().Publish("agent-2", 1, "h", "{}", Settings("Hi", "8")).ok());
  EXPECT_EQ(host.logs().back().message, "Hi agent");
  EXPECT_EQ(host.logs().back().level, HERALD_LOG_INFO);
}

TEST(EchoChannel, HostConfigLimitsAgents) {
  FakeHost host;
  host.SetConfig("max_agents", "1");
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;

  ASSERT_TRUE(plugin.channel().Publish("a", 1, "h", "{}", Settings()).ok());
  auto r = plugin.channel().Publish("b", 1, "h", "{}", Settings());
  EXPECT_EQ(r.status, HERALD_STATUS_ERROR);
  EXPECT_EQ(r.error, "sample_echo serves at most 1 agents");
  // A new version for an agent already served is fine.
  EXPECT_TRUE(plugin.channel().Publish("a", 2, "h", "{}", Settings()).ok());
}

TEST(EchoChannel, BadHostConfigFailsInit) {
  FakeHost host;
  host.SetConfig("max_agents", "lots");
  StartedPlugin plugin = host.Start(Descriptor());
  EXPECT_FALSE(plugin.ok());
  EXPECT_NE(plugin.error.find("plugins.sample_echo.max_agents"), std::string::npos) << plugin.error;
}

TEST(EchoChannel, ConcurrentPublishes) {
  FakeHost host;
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;

  constexpr int kThreads = 8;
  constexpr int kAgentsPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&plugin, t] {
      auto channel = plugin.channel();
      for (int i = 0; i < kAgentsPerThread; ++i) {
        std::string agent = "agent-" + std::to_string(t) + "-" + std::to_string(i);
        EXPECT_TRUE(channel.Publish(agent, i + 1, "h", "{}", Settings()).ok());
        herald_channel_state state;
        std::string detail;
        EXPECT_TRUE(channel.Status(agent, &state, &detail).ok());
        EXPECT_EQ(detail, "version " + std::to_string(i + 1));
        if (i % 2 == 0) {
          EXPECT_TRUE(channel.Unpublish(agent).ok());
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  EXPECT_EQ(StatusOf(plugin, "agent-3-1").detail, "version 2");
  EXPECT_EQ(StatusOf(plugin, "agent-3-2").state, HERALD_CHANNEL_NOT_PUBLISHED);
}

// ---- ABI 1.1 host services: the echo route, the message count in the
// key-value store, deployment events, and still running on a 1.0 host.

herald::sdk::testing::FakeRequest Echo(const std::string& agent, const std::string& message) {
  herald::sdk::testing::FakeRequest request;
  request.method = "POST";
  request.path = "/" + agent + "/echo";
  request.body = message;
  return request;
}

herald::sdk::testing::FakeTurnAnswer Pong(const herald::sdk::testing::FakeTurn&) {
  herald::sdk::testing::FakeTurnAnswer answer;
  answer.version = 7;
  answer.deltas = {"po", "ng"};
  return answer;
}

TEST(EchoChannel, EchoRouteRunsATurnAndCountsMessages) {
  FakeHost host;
  host.SetTurnHandler(Pong);
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  ASSERT_TRUE(plugin.channel().Publish("agent-1", 7, "h", "{}", Settings("Hi")).ok());

  auto first = host.Serve(Echo("agent-1", "ping"));
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(first.body, "you said: ping\nHi pong\nversion: 7\nmessages: 1\n");
  ASSERT_EQ(host.turns().size(), 1u);
  EXPECT_EQ(host.turns()[0].agent_id, "agent-1");
  EXPECT_EQ(host.turns()[0].message, "ping");
  EXPECT_EQ(host.turns()[0].user_id, "");  // anonymous

  auto second = host.Serve(Echo("agent-1", "ping again"));
  EXPECT_NE(second.body.find("messages: 2\n"), std::string::npos) << second.body;
  EXPECT_EQ(host.kv().at("count/agent-1"), "2");
}

TEST(EchoChannel, EchoRouteAnswersOnlyForPublishedAgents) {
  FakeHost host;
  host.SetTurnHandler(Pong);
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;

  auto before = host.Serve(Echo("agent-1", "ping"));
  EXPECT_EQ(before.status, 404);
  EXPECT_EQ(before.body, "agent is not live\n");
  ASSERT_TRUE(plugin.channel().Publish("agent-1", 7, "h", "{}", Settings()).ok());
  EXPECT_EQ(host.Serve(Echo("agent-1", "ping")).status, 200);
  ASSERT_TRUE(plugin.channel().Unpublish("agent-1").ok());
  EXPECT_EQ(host.Serve(Echo("agent-1", "ping")).status, 404);
  EXPECT_EQ(host.turns().size(), 1u);

  ASSERT_TRUE(plugin.channel().Publish("agent-1", 7, "h", "{}", Settings()).ok());
  EXPECT_EQ(host.Serve(Echo("agent-1", "")).status, 400);
}

TEST(EchoChannel, EchoRouteReportsTheHostsTurnError) {
  FakeHost host;
  host.SetTurnHandler([](const herald::sdk::testing::FakeTurn&) {
    herald::sdk::testing::FakeTurnAnswer answer;
    answer.status = HERALD_STATUS_UNAVAILABLE;
    answer.error = "the model provider is down";
    return answer;
  });
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  ASSERT_TRUE(plugin.channel().Publish("agent-1", 7, "h", "{}", Settings()).ok());

  auto r = host.Serve(Echo("agent-1", "ping"));
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(r.body, "the model provider is down\n");
  EXPECT_TRUE(host.kv().empty());  // nothing counted
}

TEST(EchoChannel, RecordsDeploymentEvents) {
  FakeHost host;
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  ASSERT_TRUE(plugin.channel().WantsDeploymentEvents());

  plugin.channel().DeploymentEvent(HERALD_EVENT_AGENT_DEPLOYED, "agent-1", 4, 3, "{}", Settings());
  EXPECT_EQ(host.kv().at("last_deployment/agent-1"), "deployed version 4");
  plugin.channel().DeploymentEvent(HERALD_EVENT_AGENT_UNDEPLOYED, "agent-1", 0, 4, "{}",
                                   Settings());
  EXPECT_EQ(host.kv().at("last_deployment/agent-1"), "undeployed");
}

// A 1.0 host has none of the services: the plugin starts, announces publishes,
// and simply serves no route.
TEST(EchoChannel, StillRunsOnAnAbi10Host) {
  FakeHost host;
  host.SetAbiMinor(0);
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  EXPECT_NE(host.AllLogText().find("announcing publishes only"), std::string::npos);

  ASSERT_TRUE(plugin.channel().Publish("agent-1", 2, "h", "{}", Settings("Hi")).ok());
  EXPECT_EQ(StatusOf(plugin, "agent-1").detail, "version 2");
  EXPECT_NE(host.AllLogText().find("Hi agent-1 is now at version 2"), std::string::npos);
  EXPECT_EQ(host.Serve(Echo("agent-1", "ping")).status, 404);  // no such route
  plugin.channel().DeploymentEvent(HERALD_EVENT_AGENT_DEPLOYED, "agent-1", 2, 0, "{}", Settings());
  EXPECT_TRUE(host.kv().empty());
  EXPECT_TRUE(host.turns().empty());
}

// The built shared library, loaded with RTLD_NOW | RTLD_LOCAL and started
// through its exported `herald_plugin` alias, as heraldd does it.
TEST(EchoChannel, LoadsAsASharedLibrary) {
  FakeHost host;
  StartedPlugin plugin = host.StartLibrary(SAMPLE_ECHO_LIBRARY);
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  EXPECT_EQ(herald::sdk::ToView(plugin.descriptor().name), "sample_echo");
  EXPECT_EQ(plugin.descriptor().abi_major, static_cast<uint32_t>(HERALD_ABI_MAJOR));

  ASSERT_TRUE(plugin.channel().Publish("agent-1", 9, "h", "{}", Settings()).ok());
  EXPECT_EQ(StatusOf(plugin, "agent-1").detail, "version 9");

  host.SetTurnHandler(Pong);
  EXPECT_EQ(host.Serve(Echo("agent-1", "ping")).body,
            "you said: ping\nHello pong\nversion: 7\nmessages: 1\n");
}

}  // namespace
