#include "flat_channel_settings.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace herald {
namespace {

using Pairs = std::map<std::string, std::string>;

herald_str Str(const char* s) { return herald_str{s, std::char_traits<char>::length(s)}; }

// A channel declaring one setting of each type, one of them required and
// one secret.
class FlatChannelSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    specs_ = {{Str("count"), Str(""), HERALD_SETTING_INT, 0, Str("3")},
              {Str("extra"), Str(""), HERALD_SETTING_JSON, 0, Str("")},
              {Str("name"), Str(""), HERALD_SETTING_STRING, 1, Str("")},
              {Str("on"), Str(""), HERALD_SETTING_BOOL, 0, Str("")},
              {Str("token"), Str(""), HERALD_SETTING_STRING, 0, Str("")}};
    secrets_ = {Str("token")};
    vtable_.struct_size = sizeof(herald_channel_vtable);
    vtable_.settings = specs_.data();
    vtable_.settings_count = specs_.size();
    vtable_.secret_settings = secrets_.data();
    vtable_.secret_settings_count = secrets_.size();
  }

  std::optional<Pairs> Resolve(const std::string& json) {
    return ResolveFlatChannelSettings(vtable_, json);
  }

  std::vector<herald_setting_spec> specs_;
  std::vector<herald_str> secrets_;
  herald_channel_vtable vtable_{};
};

TEST_F(FlatChannelSettingsTest, ReadsEachTypeAsThePluginReceivesIt) {
  EXPECT_EQ(
      Resolve(R"({"count":-12,"extra":1.5,"name":"a b","on":true,"token":"s3"})"),
      (Pairs{
          {"count", "-12"}, {"extra", "1.5"}, {"name", "a b"}, {"on", "true"}, {"token", "s3"}}));
  // A JSON setting receives JSON text: a string with its quotes.
  EXPECT_EQ(Resolve(R"({"extra":"q","name":"x","on":false})"),
            (Pairs{{"count", "3"}, {"extra", "\"q\""}, {"name", "x"}, {"on", "false"}}));
  EXPECT_EQ(Resolve(R"({"extra":null,"name":"x"})"),
            (Pairs{{"count", "3"}, {"extra", "null"}, {"name", "x"}}));
  EXPECT_EQ(Resolve(R"({"count":0,"extra":true,"name":""})"),
            (Pairs{{"count", "0"}, {"extra", "true"}, {"name", ""}}));
}

TEST_F(FlatChannelSettingsTest, LeavesEveryProblemToThePocoPath) {
  for (const char* json : {
           "",                                            // a required setting missing
           R"({"count":3})",                              // the same
           R"({"colour":"red","name":"x"})",              // unknown
           R"({"count":"3","name":"x"})",                 // wrong types
           R"({"count":true,"name":"x"})",                //
           R"({"count":1.5,"name":"x"})",                 //
           R"({"count":1e+21,"name":"x"})",               //
           R"({"name":3})",                               //
           R"({"name":null})",                            //
           R"({"name":"x","on":1})",                      //
           R"({"name":"x","on":"true"})",                 //
           R"({"name":"x","token":3})",                   // a secret that is not a string
           R"({"name":"x","token":{"$secret":"0123"}})",  // a secret reference
       }) {
    EXPECT_EQ(Resolve(json), std::nullopt) << json;
  }
}

TEST_F(FlatChannelSettingsTest, LeavesAnythingButFlatCanonicalTextToThePocoPath) {
  for (const char* json : {
           R"({"name":"a\nb"})",           // an escape
           R"({"name":"a\"b"})",           //
           R"({"extra":{},"name":"x"})",   // nested
           R"({"extra":[1],"name":"x"})",  //
           R"({"on":true,"name":"x"})",    // keys out of order
           R"({"name":"x","name":"y"})",   // a key twice
           R"({ "name":"x"})",             // whitespace
           R"({"name":"x"} )",             //
           R"({"count":007,"name":"x"})",  // not JSON
           R"({"name":"x")",               //
           R"([1,2])",                     // not an object
       }) {
    EXPECT_EQ(Resolve(json), std::nullopt) << json;
  }
}

}  // namespace
}  // namespace herald
