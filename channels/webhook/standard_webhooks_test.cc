// The signer against an independent implementation (Poco) and a published
// test vector; secrets; ids; verification.
#include "standard_webhooks.h"

#include <gtest/gtest.h>

#include <set>

#include "independent_signer.h"

namespace herald::webhook {
namespace {

using testing::ExpectedSignature;

// The example of the Standard Webhooks reference libraries' tests
// (standard-webhooks/standard-webhooks, libraries/*).
TEST(StandardWebhooksTest, MatchesTheSpecificationsExample) {
  const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  std::optional<std::string> key = SecretKey(secret);
  ASSERT_TRUE(key);  // 24 bytes
  EXPECT_EQ(Sign(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(StandardWebhooksTest, AgreesWithAnIndependentImplementation) {
  for (size_t bytes : {24, 32, 64}) {
    const std::string secret = GenerateSecret(bytes);
    const std::string body = R"({"type":"agent.deployed","data":{"agent":"a1","note":"é\n"}})";
    EXPECT_EQ(Sign(*SecretKey(secret), "msg_1", 1700000000, body),
              ExpectedSignature(secret, "msg_1", "1700000000", body));
  }
}

TEST(StandardWebhooksTest, Secrets) {
  const std::string s = GenerateSecret();
  ASSERT_TRUE(s.starts_with("whsec_"));
  EXPECT_EQ(SecretKey(s)->size(), 32u);
  EXPECT_NE(GenerateSecret(), s);
  EXPECT_EQ(SecretKey(GenerateSecret(24))->size(), 24u);
  EXPECT_EQ(SecretKey(GenerateSecret(64))->size(), 64u);
  EXPECT_THROW(GenerateSecret(23), std::invalid_argument);
  EXPECT_THROW(GenerateSecret(65), std::invalid_argument);
  EXPECT_FALSE(SecretKey("whsec_c2hvcnQ="));                    // 5 bytes
  EXPECT_FALSE(SecretKey("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));  // no prefix
  EXPECT_FALSE(SecretKey("whsec_not base64!!"));
  EXPECT_FALSE(SecretKey("whsec_" + std::string(100, 'A')));  // 75 bytes
}

TEST(StandardWebhooksTest, Base64RoundTrips) {
  for (std::string s : {"", "a", "ab", "abc", "abcd", "\xff\x00\x01"}) {
    EXPECT_EQ(Base64Decode(Base64Encode(s)), s);
    EXPECT_EQ(Base64Encode(s), testing::PocoBase64(s));
  }
  EXPECT_FALSE(Base64Decode("abc"));
  EXPECT_FALSE(Base64Decode("a=bc"));
}

TEST(StandardWebhooksTest, MessageIdsAreUniqueAndSortByTime) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(NewMessageId(1700000000000));
  EXPECT_EQ(ids.size(), 1000u);
  const std::string early = NewMessageId(1700000000000);
  const std::string late = NewMessageId(1700000000001);
  EXPECT_LT(early, late);
  EXPECT_EQ(early.size(), 4u + 26u);
  EXPECT_TRUE(early.starts_with("msg_"));
}

TEST(StandardWebhooksTest, SignatureHeaderHasOneSignaturePerKeyAndVerifies) {
  const std::string a = *SecretKey(GenerateSecret()), b = *SecretKey(GenerateSecret());
  const std::string header = SignatureHeader({a, b}, "msg_x", 1700000000, "{}");
  std::vector<std::string> sigs = testing::SplitSignatures(header);
  ASSERT_EQ(sigs.size(), 2u);
  EXPECT_EQ(sigs[0], Sign(a, "msg_x", 1700000000, "{}"));
  EXPECT_EQ(sigs[1], Sign(b, "msg_x", 1700000000, "{}"));
  EXPECT_TRUE(VerifySignatureHeader({b}, header, "msg_x", 1700000000, "{}"));
  EXPECT_TRUE(VerifySignatureHeader({a}, "v2,zzz " + Sign(a, "msg_x", 1700000000, "{}"), "msg_x",
                                    1700000000, "{}"));
  EXPECT_FALSE(VerifySignatureHeader({a}, header, "msg_x", 1700000001, "{}"));
  EXPECT_FALSE(VerifySignatureHeader({a}, header, "msg_y", 1700000000, "{}"));
  EXPECT_FALSE(VerifySignatureHeader({a}, header, "msg_x", 1700000000, "{} "));
  EXPECT_FALSE(VerifySignatureHeader({}, header, "msg_x", 1700000000, "{}"));
  EXPECT_FALSE(VerifySignatureHeader({a}, "", "msg_x", 1700000000, "{}"));
}

}  // namespace
}  // namespace herald::webhook
