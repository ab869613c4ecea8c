// Channel settings against a real plugin's declaration (the scripted test
// channel: fail and throw are bools, hang_ms an int with a default).
#include "herald/core/channel_settings.h"

#include <gtest/gtest.h>

#include "herald/core/plugin_registry.h"

namespace herald {
namespace {

class ChannelSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(registry_.LoadFile(std::string(HERALD_FIXTURE_CHANNEL_DIR) +
                                   "/libfixture_channel_alpha.so"));
    plugin_ = registry_.Find("alpha", PluginKind::kChannel);
    ASSERT_NE(plugin_, nullptr);
  }

  std::string Problems(const std::string& json) {
    return JoinProblems(ValidateChannelSettings(*plugin_, json));
  }

  PluginRegistry registry_{PluginConfigLookup(), Clock()};
  const LoadedPlugin* plugin_ = nullptr;
};

TEST_F(ChannelSettingsTest, FillsDeclaredDefaultsAsText) {
  std::vector<sdk::Problem> problems;
  sdk::Values values = ResolveChannelSettings(*plugin_, R"({"fail":true})", &problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(values.Get("fail"), "true");
  EXPECT_EQ(values.Get("hang_ms"), "0");
  EXPECT_EQ(values.Get("throw"), "false");
}

TEST_F(ChannelSettingsTest, RefusesWrongTypesNamingTheSetting) {
  EXPECT_EQ(Problems(R"({"hang_ms":"soon"})"), "settings.hang_ms: expected an integer");
  EXPECT_EQ(Problems(R"({"hang_ms":true})"), "settings.hang_ms: expected an integer");
  EXPECT_EQ(Problems(R"({"fail":"yes"})"), "settings.fail: expected true or false");
}

TEST_F(ChannelSettingsTest, RefusesUnknownSettingsListingTheKnownOnes) {
  EXPECT_NE(Problems(R"({"colour":"red"})").find("settings.colour: unknown setting"),
            std::string::npos);
  EXPECT_NE(Problems(R"({"colour":"red"})").find("hang_ms"), std::string::npos);
}

TEST_F(ChannelSettingsTest, RunsThePluginsOwnValidateOnlyAfterTheDeclaredChecks) {
  EXPECT_EQ(Problems(R"({"hang_ms":-5})"), "settings.hang_ms: must not be negative");
  EXPECT_EQ(Problems("[1,2]"), "settings: expected a JSON object");
  EXPECT_EQ(Problems("{}"), "");
}

}  // namespace
}  // namespace herald
