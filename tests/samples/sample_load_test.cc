// Loads the sample plugins built out of tree against the installed SDK (see
// CMakeLists.txt here) the way heraldd loads plugins, and calls into them.
#include <herald/sdk/client.hpp>
#include <herald/sdk/testing/fake_host.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace {

using herald::sdk::AppliedAuth;
using herald::sdk::SecurityScheme;
using herald::sdk::Values;
using herald::sdk::testing::FakeHost;
using herald::sdk::testing::StartedPlugin;
using Map = std::map<std::string, std::string>;

const std::filesystem::path kPluginDir = HERALD_SAMPLES_PLUGIN_DIR;

TEST(SamplePlugins, EchoChannelPublishesAndReportsStatus) {
  FakeHost host;
  StartedPlugin plugin = host.StartLibrary((kPluginDir / "libherald_sample_echo.so").string());
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  ASSERT_EQ(plugin.descriptor().kind, HERALD_PLUGIN_CHANNEL);
  EXPECT_EQ(herald::sdk::ToView(plugin.descriptor().name), "sample_echo");
  EXPECT_EQ(plugin.descriptor().abi_major, static_cast<uint32_t>(HERALD_ABI_MAJOR));
  ASSERT_NE(plugin.descriptor().channel, nullptr);
  auto channel = plugin.channel();

  Values settings(Map{{"greeting", "Hello"}, {"max_length", "200"}});
  std::vector<herald::sdk::Problem> problems;
  ASSERT_TRUE(channel.Validate(settings, &problems).ok());
  EXPECT_TRUE(problems.empty());
  ASSERT_TRUE(
      channel.Validate(Values(Map{{"greeting", "Hello"}, {"max_length", "0"}}), &problems).ok());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "max_length");

  auto r = channel.Publish("agent-1", 5, "abc123", "{}", settings);
  ASSERT_TRUE(r.ok()) << r.error;
  herald_channel_state state = HERALD_CHANNEL_NOT_PUBLISHED;
  std::string detail;
  ASSERT_TRUE(channel.Status("agent-1", &state, &detail).ok());
  EXPECT_EQ(state, HERALD_CHANNEL_PUBLISHED);
  EXPECT_EQ(detail, "version 5");
  EXPECT_NE(host.AllLogText().find("Hello agent-1 is now at version 5"), std::string::npos);

  ASSERT_TRUE(channel.Unpublish("agent-1").ok());
  ASSERT_TRUE(channel.Status("agent-1", &state, &detail).ok());
  EXPECT_EQ(state, HERALD_CHANNEL_NOT_PUBLISHED);
}

// The ABI 1.1 services the echo sample shows: a route, a turn, the key-value store.
TEST(SamplePlugins, EchoChannelServesItsRoute) {
  FakeHost host;
  host.SetTurnHandler([](const herald::sdk::testing::FakeTurn& turn) {
    herald::sdk::testing::FakeTurnAnswer answer;
    answer.version = 2;
    answer.deltas = {"re: " + turn.message};
    return answer;
  });
  StartedPlugin plugin = host.StartLibrary((kPluginDir / "libherald_sample_echo.so").string());
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  ASSERT_TRUE(
      plugin.channel().Publish("agent-1", 2, "h", "{}", Values(Map{{"greeting", "Hey"}})).ok());
  herald::sdk::testing::FakeRequest request;
  request.method = "POST";
  request.path = "/agent-1/echo";
  request.body = "hello";
  auto response = host.Serve(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "you said: hello\nHey re: hello\nversion: 2\nmessages: 1\n");
  EXPECT_EQ(host.kv().at("count/agent-1"), "1");
}

TEST(SamplePlugins, KeyPairAuthAppliesHeaders) {
  FakeHost host;
  StartedPlugin plugin = host.StartLibrary((kPluginDir / "libherald_sample_key_pair.so").string());
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  ASSERT_EQ(plugin.descriptor().kind, HERALD_PLUGIN_AUTH_TYPE);
  EXPECT_EQ(herald::sdk::ToView(plugin.descriptor().name), "sample_key_pair");
  ASSERT_NE(plugin.descriptor().auth_type, nullptr);
  auto auth = plugin.auth_type();

  const std::string secret = "0123456789abcdef-secret";
  Values fields(Map{{"key_id", "app-1"}, {"secret", secret}});
  std::vector<herald::sdk::Problem> problems;
  ASSERT_TRUE(auth.Validate(fields, &problems).ok());
  EXPECT_TRUE(problems.empty());

  AppliedAuth applied;
  auto r = auth.Apply(fields, "GET", "https://api.example.com/items", &applied);
  ASSERT_TRUE(r.ok()) << r.error;
  using Header = std::pair<std::string, std::string>;
  EXPECT_EQ(applied.headers,
            (std::vector<Header>{{"X-Api-Key-Id", "app-1"}, {"X-Api-Key", secret}}));

  bool satisfied = false;
  ASSERT_TRUE(auth.Satisfies(Values(Map{{"key_id", "app-1"}}),
                             SecurityScheme::ApiKey("header", "X-Api-Key"), &satisfied)
                  .ok());
  EXPECT_TRUE(satisfied);
  EXPECT_EQ(host.AllLogText().find(secret), std::string::npos);
}

// Every module in the directory loads, and both samples are among them.
TEST(SamplePlugins, EveryModuleInTheDirectoryLoads) {
  FakeHost host;
  std::vector<StartedPlugin> plugins;
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kPluginDir)) {
    if (entry.path().extension() != ".so") continue;
    StartedPlugin plugin = host.StartLibrary(entry.path().string());
    ASSERT_TRUE(plugin.ok()) << entry.path() << ": " << plugin.error;
    EXPECT_TRUE(names.emplace(herald::sdk::ToView(plugin.descriptor().name)).second)
        << "duplicate plugin name in " << entry.path();
    plugins.push_back(std::move(plugin));
  }
  EXPECT_TRUE(names.count("sample_echo"));
  EXPECT_TRUE(names.count("sample_key_pair"));
}

}  // namespace
