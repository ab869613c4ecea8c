// The loader and registry against real shared libraries: the fixtures in
// tests/fixtures/plugins, one good and one of each bad kind.
#include "herald/core/plugin_registry.h"

#include <gtest/gtest.h>
#include <herald/sdk/plugin.hpp>

#include <filesystem>
#include <fstream>

namespace herald {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = HERALD_FIXTURE_PLUGIN_DIR;

fs::path Fixture(const std::string& name) { return kFixtures / ("lib" + name + ".so"); }

PluginConfigLookup ConfigFrom(std::map<std::string, std::string> values) {
  return [values](const std::string& plugin, const std::string& key) -> std::optional<std::string> {
    auto it = values.find(plugin + "." + key);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

// Loads one file into a fresh registry; returns the refusal reason, or "" when loaded.
std::string RefusalFor(const std::string& fixture) {
  PluginRegistry registry(ConfigFrom({}), Clock());
  if (registry.LoadFile(Fixture(fixture))) return "";
  EXPECT_EQ(registry.refused().size(), 1u);
  EXPECT_EQ(registry.refused()[0].path, Fixture(fixture).string());
  return registry.refused()[0].reason;
}

TEST(PluginRegistryTest, LoadsAGoodPluginAndCallsIt) {
  PluginRegistry registry(ConfigFrom({}), Clock());
  ASSERT_TRUE(registry.LoadFile(Fixture("fixture_good_channel")));
  const LoadedPlugin* plugin = registry.Find("fixture_channel", PluginKind::kChannel);
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->info().version, "1.2.3");
  EXPECT_EQ(plugin->info().abi_major, HERALD_ABI_MAJOR);
  EXPECT_TRUE(plugin->info().path.is_absolute());
  EXPECT_EQ(registry.Find("fixture_channel", PluginKind::kAuthType), nullptr);

  auto channel = plugin->channel();
  ASSERT_TRUE(channel.Publish("helper", 4, "abc", "{}", sdk::Values()).ok());
  herald_channel_state state;
  std::string detail;
  ASSERT_TRUE(channel.Status("helper", &state, &detail).ok());
  EXPECT_EQ(state, HERALD_CHANNEL_PUBLISHED);
  EXPECT_EQ(detail, "version 4");
}

TEST(PluginRegistryTest, RefusesAFileThatIsNotASharedLibrary) {
  std::string reason = RefusalFor("fixture_garbage");
  EXPECT_NE(reason.find("not a loadable shared library"), std::string::npos) << reason;
}

TEST(PluginRegistryTest, RefusesALibraryWithoutEntryPoint) {
  std::string reason = RefusalFor("fixture_no_entry");
  EXPECT_NE(reason.find("no Herald entry point"), std::string::npos) << reason;
}

TEST(PluginRegistryTest, RefusesADifferentAbiMajorShowingBothVersions) {
  std::string reason = RefusalFor("fixture_wrong_major");
  const std::string plugin_abi =
      std::to_string(HERALD_ABI_MAJOR + 1) + "." + std::to_string(HERALD_ABI_MINOR);
  const std::string host_abi =
      std::to_string(HERALD_ABI_MAJOR) + "." + std::to_string(HERALD_ABI_MINOR);
  EXPECT_NE(reason.find("ABI major version differs"), std::string::npos) << reason;
  EXPECT_NE(reason.find("plugin ABI " + plugin_abi), std::string::npos) << reason;
  EXPECT_NE(reason.find("host ABI " + host_abi), std::string::npos) << reason;
}

TEST(PluginRegistryTest, RefusesANewerAbiMinorShowingBothVersions) {
  std::string reason = RefusalFor("fixture_newer_minor");
  const std::string plugin_abi =
      std::to_string(HERALD_ABI_MAJOR) + "." + std::to_string(HERALD_ABI_MINOR + 1);
  EXPECT_NE(reason.find("plugin needs a newer ABI"), std::string::npos) << reason;
  EXPECT_NE(reason.find("plugin ABI " + plugin_abi), std::string::npos) << reason;
}

TEST(PluginRegistryTest, RefusesATooSmallDescriptor) {
  std::string reason = RefusalFor("fixture_small_descriptor");
  EXPECT_NE(reason.find("descriptor is too small"), std::string::npos) << reason;
}

TEST(PluginRegistryTest, RefusesAnEntryPointThatReturnsNothing) {
  std::string reason = RefusalFor("fixture_null_descriptor");
  EXPECT_NE(reason.find("returned no descriptor"), std::string::npos) << reason;
}

TEST(PluginRegistryTest, SurvivesAnEntryPointThatThrows) {
  std::string reason = RefusalFor("fixture_entry_throws");
  EXPECT_NE(reason.find("entry point threw"), std::string::npos) << reason;
  EXPECT_NE(reason.find("entry exploded"), std::string::npos) << reason;
}

TEST(PluginRegistryTest, ReportsAFailedInitWithThePluginsMessage) {
  std::string reason = RefusalFor("fixture_init_fails");
  EXPECT_NE(reason.find("init failed: cannot reach the message broker"), std::string::npos)
      << reason;
}

TEST(PluginRegistryTest, ReportsAThrowingInitWithTheExceptionMessage) {
  std::string reason = RefusalFor("fixture_init_throws");
  EXPECT_NE(reason.find("fixture_throwing_auth"), std::string::npos) << reason;
  EXPECT_NE(reason.find("missing configuration 'realm'"), std::string::npos) << reason;
}

TEST(PluginRegistryTest, RefusesASecretSettingThatIsNotDeclared) {
  std::string reason = RefusalFor("fixture_secret_undeclared");
  EXPECT_NE(reason.find("names setting 'password' secret but declares no setting of that name"),
            std::string::npos)
      << reason;
}

TEST(PluginRegistryTest, RefusesASecretSettingThatIsNotAString) {
  std::string reason = RefusalFor("fixture_secret_not_string");
  EXPECT_NE(reason.find("names setting 'port' secret but it is not a string setting"),
            std::string::npos)
      << reason;
}

TEST(PluginRegistryTest, LoadsAnAbi11ChannelWithoutReadingPastItsTable) {
  PluginRegistry registry(ConfigFrom({}), Clock());
  const fs::path file = fs::path(HERALD_FIXTURE_ABI_1_1_DIR) / "libfixture_abi_1_1.so";
  ASSERT_TRUE(registry.LoadFile(file)) << registry.refused()[0].reason;
  const LoadedPlugin* plugin = registry.Find("fixture_abi_1_1", PluginKind::kChannel);
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->info().abi_minor, 1u);
  // The table ends before secret_settings (which holds garbage past it): no
  // setting is secret.
  std::vector<sdk::SettingSpec> specs = sdk::SettingSpecs(plugin->channel().vtable());
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_FALSE(specs[0].secret);
  EXPECT_FALSE(specs[1].secret);
}

TEST(PluginRegistryTest, ReadsTheSecretSettingsOfAnAbi12Channel) {
  // Every 1.2 raw fixture declares "token" secret and "port" not; the
  // descriptor alone says so, before init.
  StatusOr<PluginCandidate> candidate = OpenPlugin(Fixture("fixture_init_fails"));
  ASSERT_TRUE(candidate.ok()) << candidate.status().message();
  std::vector<sdk::SettingSpec> specs = sdk::SettingSpecs(*candidate->descriptor->channel);
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].name, "token");
  EXPECT_TRUE(specs[0].secret);
  EXPECT_FALSE(specs[1].secret);
}

TEST(PluginRegistryTest, FirstPluginOfANameWinsAndTheSecondIsRefused) {
  PluginRegistry registry(ConfigFrom({}), Clock());
  ASSERT_TRUE(registry.LoadFile(Fixture("fixture_good_channel")));
  ASSERT_FALSE(registry.LoadFile(Fixture("fixture_second_channel")));
  ASSERT_EQ(registry.refused().size(), 1u);
  EXPECT_NE(registry.refused()[0].reason.find("already loaded from " +
                                              Fixture("fixture_good_channel").string()),
            std::string::npos)
      << registry.refused()[0].reason;
  EXPECT_EQ(registry.Find("fixture_channel", PluginKind::kChannel)->info().path,
            Fixture("fixture_good_channel"));
}

TEST(PluginRegistryTest, ADirectoryOfMixedCandidatesLoadsTheGoodAndRefusesEachBad) {
  PluginRegistry registry(ConfigFrom({}), Clock());
  registry.LoadDirectories({kFixtures, kFixtures / "does-not-exist"});

  std::vector<std::string> loaded;
  for (const auto& p : registry.loaded()) loaded.push_back(p->info().name);
  EXPECT_EQ(loaded, std::vector<std::string>{"fixture_channel"});

  std::map<std::string, std::string> refused;
  for (const auto& r : registry.refused()) refused[fs::path(r.path).filename().string()] = r.reason;
  for (const char* bad :
       {"libfixture_garbage.so", "libfixture_no_entry.so", "libfixture_wrong_major.so",
        "libfixture_newer_minor.so", "libfixture_small_descriptor.so",
        "libfixture_null_descriptor.so", "libfixture_entry_throws.so", "libfixture_init_fails.so",
        "libfixture_init_throws.so", "libfixture_second_channel.so",
        "libfixture_secret_undeclared.so", "libfixture_secret_not_string.so", "does-not-exist"}) {
    EXPECT_TRUE(refused.count(bad)) << bad << " was not refused";
  }
  EXPECT_FALSE(refused.count("README.txt")) << "a non-candidate file must be ignored";
}

TEST(PluginHostTest, PluginsReadTheirOwnConfigurationSection) {
  // What a plugin sees through its own host API table.
  PluginHost host("fixture_channel", ConfigFrom({{"fixture_channel.target", "x"}}),
                  [] { return int64_t{42}; });
  sdk::Host view(host.api());
  EXPECT_EQ(view.Config("target"), "x");
  EXPECT_EQ(view.Config("other"), std::nullopt);
  EXPECT_EQ(view.NowUnixMs(), 42);
}

}  // namespace
}  // namespace herald
