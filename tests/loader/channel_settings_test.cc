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

// Settings in the store's form are read without Poco when they are simple
// (see flat_channel_settings.h); the same text with a space after it is not
// in that form and goes through Poco. Both must give the same.
TEST_F(ChannelSettingsTest, FlatSettingsResolveAsPocoResolvesThem) {
  for (
      const std::string json :
      {"",
       "{}",
       R"({"fail":true})",
       R"({"fail":false,"hang_ms":25,"throw":true})",
       R"({"hang_ms":-7})",
       R"({"hang_ms":123456789012345678})",
       R"({"token":"t0k3n"})",
       R"({"require_token":true,"token":"a b/c"})",
       R"({"token":"café"})",
       R"({"token":"été"})",
       R"({"token":"caf\u00e9"})",
       R"({"token":"a\nb"})",
       R"({"token":""})",
       R"({"fail":"yes"})",
       R"({"hang_ms":true})",
       R"({"hang_ms":1.5})",
       R"({"hang_ms":null})",
       R"({"colour":"red"})",
       R"({"token":7})",
       R"({"token":{"$secret":"abc"}})",
       R"({"fail":true,"fail_unpublish":true,"hang_ms":0,"require_token":false,"throw":false,"token":"x"})"}) {
    std::vector<sdk::Problem> flat_problems;
    const sdk::Values flat = ResolveChannelSettings(*plugin_, json, &flat_problems);
    std::vector<sdk::Problem> poco_problems;
    const sdk::Values poco =
        ResolveChannelSettings(*plugin_, (json.empty() ? "{}" : json) + " ", &poco_problems);
    EXPECT_EQ(flat.All(), poco.All()) << json;
    EXPECT_EQ(JoinProblems(flat_problems), JoinProblems(poco_problems)) << json;
  }
}

}  // namespace
}  // namespace herald
