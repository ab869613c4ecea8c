// The masking side of secret channel settings: what every output shows.
#include "herald/core/secret_settings.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace herald {
namespace {

Poco::Dynamic::Var Parse(const std::string& json) { return Poco::JSON::Parser().parse(json); }

TEST(SecretMaskingTest, ReadsOnlyAOneKeyObjectWithAStringAsAReference) {
  EXPECT_EQ(SecretReferenceOf(Parse(R"({"$secret":"0123abcd"})")), "0123abcd");
  EXPECT_EQ(SecretReferenceOf(Parse(R"({"$secret":"set"})")), "set");
  EXPECT_EQ(SecretReferenceOf(Parse(R"({"$secret":1})")), std::nullopt);
  EXPECT_EQ(SecretReferenceOf(Parse(R"({"$secret":"x","other":1})")), std::nullopt);
  EXPECT_EQ(SecretReferenceOf(Poco::Dynamic::Var(std::string("plain"))), std::nullopt);
  EXPECT_EQ(SecretReferenceOf(Parse(R"(["$secret"])")), std::nullopt);
}

TEST(SecretMaskingTest, MasksEveryReferenceOfAChannelsSettings) {
  EXPECT_EQ(MaskSettingsJson(R"({"a":"plain","token":{"$secret":"9f8e7d"}})"),
            R"({"a":"plain","token":{"$secret":"set"}})");
  // Nothing to mask: the text is passed on as it is.
  EXPECT_EQ(MaskSettingsJson(R"({"b": 1})"), R"({"b": 1})");
}

TEST(SecretMaskingTest, MasksTheSettingsOfEachChannelOfASnapshotOnly) {
  const std::string snapshot =
      R"({"channels":[{"name":"a","plugin":"p","settings":{"token":{"$secret":"1111"}}},)"
      R"({"name":"b","plugin":"p","settings":{}}],"description":"d"})";
  const std::string masked = MaskSnapshotJson(snapshot);
  EXPECT_EQ(masked.find("1111"), std::string::npos) << masked;
  EXPECT_NE(masked.find(R"("token":{"$secret":"set"})"), std::string::npos) << masked;
  EXPECT_NE(masked.find(R"("description":"d")"), std::string::npos) << masked;
}

// A text that MayHoldSecretSettings clears is one masking leaves as it is.
TEST(SecretMaskingTest, OnlyATextNamingTheKeyMayHoldASecret) {
  const std::string plain = R"({"channels":[{"name":"a","plugin":"p","settings":{"k":"v"}}]})";
  EXPECT_FALSE(MayHoldSecretSettings(plain));
  EXPECT_EQ(MaskSnapshotJson(plain), plain);
  EXPECT_FALSE(MayHoldSecretSettings(R"({"note":"costs $secret"})"));
  EXPECT_TRUE(MayHoldSecretSettings(
      R"({"channels":[{"name":"a","plugin":"p","settings":{"t":{"$secret":"1"}}}]})"));
}

}  // namespace
}  // namespace herald
