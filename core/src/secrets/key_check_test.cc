#include "herald/core/secrets/key_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "secrets_test_util.h"

namespace herald::secrets {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kDoesNotDecrypt =
    "the master key does not decrypt this data directory's secrets";

Keyring NewKeyring() {
  StatusOr<Keyring> keyring = Keyring::Generate();
  EXPECT_TRUE(keyring.ok());
  return std::move(keyring).value();
}

TEST(KeyCheckTest, RoundTrips) {
  SecretBox box(NewKeyring());
  StatusOr<std::string> check = MakeKeyCheck(box);
  ASSERT_TRUE(check.ok()) << check.status().message();
  Status verified = VerifyKeyCheck(box, *check);
  EXPECT_TRUE(verified.ok()) << verified.message();
  EXPECT_EQ(*SecretBox::KeyIdOf(*check), box.active_key_id());
  // Fresh nonce each time, like any seal.
  EXPECT_NE(*check, *MakeKeyCheck(box));
}

TEST(KeyCheckTest, SurvivesASaveAndLoadOfTheKeyring) {
  test_util::TempDir dir;
  Keyring keyring = NewKeyring();
  StatusOr<std::string> check = MakeKeyCheck(SecretBox(keyring));
  ASSERT_TRUE(check.ok());
  ASSERT_TRUE(keyring.SaveFile(dir / "master.keys").ok());
  StatusOr<Keyring> loaded = Keyring::LoadFile(dir / "master.keys");
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_TRUE(VerifyKeyCheck(SecretBox(*loaded), *check).ok());
}

TEST(KeyCheckTest, FailsWithAnotherKeyring) {
  StatusOr<std::string> check = MakeKeyCheck(SecretBox(NewKeyring()));
  ASSERT_TRUE(check.ok());
  Status verified = VerifyKeyCheck(SecretBox(NewKeyring()), *check);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(verified.message(), StartsWith(kDoesNotDecrypt));
  EXPECT_THAT(verified.message(), HasSubstr("does not hold"));
}

TEST(KeyCheckTest, FailsWithAnotherKeyUnderTheSameId) {
  auto env = [](unsigned char first) {
    return std::move(Keyring::FromEnvironmentValue(
                         test_util::Base64(test_util::CountingBytes(32, first))))
        .value();
  };
  StatusOr<std::string> check = MakeKeyCheck(SecretBox(env(1)));
  ASSERT_TRUE(check.ok());
  Status verified = VerifyKeyCheck(SecretBox(env(2)), *check);
  ASSERT_FALSE(verified.ok());
  EXPECT_THAT(verified.message(), StartsWith(kDoesNotDecrypt));
}

TEST(KeyCheckTest, StillVerifiesAfterRotateButNotAfterRetire) {
  Keyring keyring = NewKeyring();
  const std::string old_id = keyring.active().id;
  StatusOr<std::string> check = MakeKeyCheck(SecretBox(keyring));
  ASSERT_TRUE(check.ok());
  keyring.Rotate();
  EXPECT_TRUE(VerifyKeyCheck(SecretBox(keyring), *check).ok());
  keyring.Retire(old_id);
  EXPECT_FALSE(VerifyKeyCheck(SecretBox(keyring), *check).ok());
}

TEST(KeyCheckTest, FailsOnGarbageAndOnOtherSealedData) {
  SecretBox box(NewKeyring());
  for (std::string_view garbage : {std::string_view(""), std::string_view("not sealed")}) {
    Status verified = VerifyKeyCheck(box, garbage);
    ASSERT_FALSE(verified.ok());
    EXPECT_THAT(verified.message(), StartsWith(kDoesNotDecrypt));
  }
  // A credential blob is not a key check, even with the right key.
  StatusOr<std::string> credential =
      box.Seal("herald key check v1", CredentialAssociatedData("c", "e", "team", "f"));
  ASSERT_TRUE(credential.ok());
  EXPECT_FALSE(VerifyKeyCheck(box, *credential).ok());
  // Right associated data, other plaintext.
  StatusOr<std::string> other = box.Seal("something else", kKeyCheckAssociatedData);
  ASSERT_TRUE(other.ok());
  Status verified = VerifyKeyCheck(box, *other);
  ASSERT_FALSE(verified.ok());
  EXPECT_THAT(verified.message(), StartsWith(kDoesNotDecrypt));
}

}  // namespace
}  // namespace herald::secrets
