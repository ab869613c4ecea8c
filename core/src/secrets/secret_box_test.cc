#include "herald/core/secrets/secret_box.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "secrets_test_util.h"

namespace herald::secrets {
namespace {

using test_util::Base64;
using test_util::CountingBytes;
using ::testing::HasSubstr;
using ::testing::Not;

Keyring EnvKeyring(unsigned char first) {
  StatusOr<Keyring> keyring = Keyring::FromEnvironmentValue(Base64(CountingBytes(32, first)));
  EXPECT_TRUE(keyring.ok());
  return std::move(keyring).value();
}

Keyring NewKeyring() {
  StatusOr<Keyring> keyring = Keyring::Generate();
  EXPECT_TRUE(keyring.ok());
  return std::move(keyring).value();
}

const std::string kAd = CredentialAssociatedData("conn-1", "production", "team", "api_key");

std::string SealOrDie(const SecretBox& box, std::string_view plaintext, std::string_view ad = kAd) {
  StatusOr<std::string> sealed = box.Seal(plaintext, ad);
  EXPECT_TRUE(sealed.ok()) << sealed.status().message();
  return sealed.ok() ? *sealed : std::string();
}

// Offsets into the documented format for a key id of `id_size` bytes.
std::size_t NonceAt(std::size_t id_size) { return 2 + id_size; }
std::size_t CiphertextAt(std::size_t id_size) { return 2 + id_size + kNonceSize; }

constexpr std::string_view kCannotDecrypt =
    "cannot decrypt: wrong key, tampered data, or data moved from another record";

// --- Round trips and format -----------------------------------------------------

TEST(SecretBoxTest, RoundTrips) {
  SecretBox box(NewKeyring());
  const std::string plaintexts[] = {
      "s3cr3t-api-key",
      "",
      std::string("binary\0with\xff\x00nul bytes", 22),
      std::string(1 << 20, 'x'),
  };
  for (const std::string& plaintext : plaintexts) {
    std::string sealed = SealOrDie(box, plaintext);
    StatusOr<std::string> opened = box.Open(sealed, kAd);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST(SecretBoxTest, RoundTripsWithEmptyAssociatedData) {
  SecretBox box(NewKeyring());
  std::string sealed = SealOrDie(box, "value", "");
  StatusOr<std::string> opened = box.Open(sealed, "");
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(*opened, "value");
  EXPECT_FALSE(box.Open(sealed, kAd).ok());
}

TEST(SecretBoxTest, SealedDataHasTheDocumentedLayout) {
  Keyring keyring = EnvKeyring(0x10);
  SecretBox box(keyring);
  EXPECT_EQ(box.active_key_id(), "env");
  const std::string plaintext = "twelve bytes";
  std::string sealed = SealOrDie(box, plaintext);
  ASSERT_EQ(sealed.size(), 1 + 1 + 3 + kNonceSize + plaintext.size() + kTagSize);
  EXPECT_EQ(static_cast<unsigned char>(sealed[0]), 0x01);
  EXPECT_EQ(static_cast<unsigned char>(sealed[1]), 3);
  EXPECT_EQ(sealed.substr(2, 3), "env");
  EXPECT_EQ(sealed.find(plaintext), std::string::npos);  // encrypted, not copied
  StatusOr<std::string> id = SecretBox::KeyIdOf(sealed);
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(*id, "env");
}

TEST(SecretBoxTest, TwoSealsOfTheSamePlaintextDiffer) {
  SecretBox box(NewKeyring());
  const std::string id = box.active_key_id();
  std::string a = SealOrDie(box, "same plaintext");
  std::string b = SealOrDie(box, "same plaintext");
  EXPECT_NE(a, b);
  EXPECT_NE(a.substr(NonceAt(id.size()), kNonceSize), b.substr(NonceAt(id.size()), kNonceSize));
  EXPECT_NE(a.substr(CiphertextAt(id.size())), b.substr(CiphertextAt(id.size())));
}

TEST(SecretBoxTest, BoxIsASnapshotOfTheKeyring) {
  Keyring keyring = NewKeyring();
  SecretBox box(keyring);
  const std::string id = box.active_key_id();
  keyring.Rotate();
  EXPECT_EQ(box.active_key_id(), id);
  EXPECT_EQ(*SecretBox::KeyIdOf(SealOrDie(box, "x")), id);
}

// --- Tampering ------------------------------------------------------------------

void ExpectCannotDecrypt(const SecretBox& box, const std::string& sealed,
                         std::string_view ad = kAd) {
  StatusOr<std::string> opened = box.Open(sealed, ad);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(opened.status().message(), kCannotDecrypt);
}

TEST(SecretBoxTest, TamperedCiphertextFails) {
  SecretBox box(NewKeyring());
  std::string sealed = SealOrDie(box, "a credential value");
  sealed[CiphertextAt(box.active_key_id().size()) + 3] ^= 0x01;
  ExpectCannotDecrypt(box, sealed);
}

TEST(SecretBoxTest, TamperedTagFails) {
  SecretBox box(NewKeyring());
  std::string sealed = SealOrDie(box, "a credential value");
  sealed[sealed.size() - 1] ^= 0x80;
  ExpectCannotDecrypt(box, sealed);
  sealed = SealOrDie(box, "a credential value");
  sealed[sealed.size() - kTagSize] ^= 0x01;
  ExpectCannotDecrypt(box, sealed);
}

TEST(SecretBoxTest, TamperedNonceFails) {
  SecretBox box(NewKeyring());
  std::string sealed = SealOrDie(box, "a credential value");
  sealed[NonceAt(box.active_key_id().size())] ^= 0x01;
  ExpectCannotDecrypt(box, sealed);
  sealed = SealOrDie(box, "a credential value");
  sealed[NonceAt(box.active_key_id().size()) + kNonceSize - 1] ^= 0x40;
  ExpectCannotDecrypt(box, sealed);
}

TEST(SecretBoxTest, TamperedKeyIdFails) {
  Keyring keyring = NewKeyring();
  const std::string old_id = keyring.active().id;
  keyring.Rotate();
  SecretBox box(keyring);
  std::string sealed = SealOrDie(box, "a credential value");

  // Another id this keyring does not hold.
  std::string other = sealed;
  other[2] = other[2] == 'z' ? 'y' : 'z';
  StatusOr<std::string> opened = box.Open(other, kAd);
  ASSERT_FALSE(opened.ok());
  EXPECT_THAT(opened.status().message(), HasSubstr("which this keyring does not hold"));

  // An id that is not an id at all.
  other = sealed;
  other[2] = '\xff';
  EXPECT_FALSE(box.Open(other, kAd).ok());

  // The other key this keyring holds: its key does not match the tag.
  ASSERT_EQ(old_id.size(), box.active_key_id().size());
  other = sealed;
  other.replace(2, old_id.size(), old_id);
  ExpectCannotDecrypt(box, other);
}

TEST(SecretBoxTest, EverySingleBitFlipFails) {
  SecretBox box(NewKeyring());
  const std::string sealed = SealOrDie(box, "flip me");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string tampered = sealed;
      tampered[i] = static_cast<char>(tampered[i] ^ (1 << bit));
      EXPECT_FALSE(box.Open(tampered, kAd).ok()) << "byte " << i << " bit " << bit;
    }
  }
}

TEST(SecretBoxTest, WrongKeyFails) {
  // Same id ("env"), different key bytes: only the tag can tell.
  SecretBox sealer(EnvKeyring(0x01));
  SecretBox opener(EnvKeyring(0x02));
  std::string sealed = SealOrDie(sealer, "a credential value");
  ExpectCannotDecrypt(opener, sealed);
}

TEST(SecretBoxTest, KeyFromAnotherKeyringIsNotHeld) {
  SecretBox sealer(NewKeyring());
  SecretBox opener(NewKeyring());
  std::string sealed = SealOrDie(sealer, "a credential value");
  StatusOr<std::string> opened = opener.Open(sealed, kAd);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(opened.status().message(),
            "sealed with key '" + sealer.active_key_id() + "', which this keyring does not hold");
}

// --- Associated data ------------------------------------------------------------

TEST(SecretBoxTest, CiphertextMovedToAnotherRecordFails) {
  SecretBox box(NewKeyring());
  std::string sealed = SealOrDie(box, "a credential value");
  ASSERT_TRUE(
      box.Open(sealed, CredentialAssociatedData("conn-1", "production", "team", "api_key")).ok());
  ExpectCannotDecrypt(box, sealed,
                      CredentialAssociatedData("conn-2", "production", "team", "api_key"));
  ExpectCannotDecrypt(box, sealed,
                      CredentialAssociatedData("conn-1", "staging", "team", "api_key"));
  ExpectCannotDecrypt(box, sealed,
                      CredentialAssociatedData("conn-1", "production", "user:42", "api_key"));
  ExpectCannotDecrypt(box, sealed,
                      CredentialAssociatedData("conn-1", "production", "team", "secret"));
  ExpectCannotDecrypt(box, sealed, "");
}

TEST(CredentialAssociatedDataTest, IsUnambiguous) {
  auto ad = CredentialAssociatedData;
  EXPECT_EQ(ad("c", "e", "team", "f"), ad("c", "e", "team", "f"));
  EXPECT_NE(ad("ab", "c", "team", "f"), ad("a", "bc", "team", "f"));
  EXPECT_NE(ad("c", "e", "user:1", "f"), ad("c", "e", "user:", "1f"));
  EXPECT_NE(ad("c", "", "team", "f"), ad("", "c", "team", "f"));
  EXPECT_NE(ad("c", "e", "team", "f"), ad("e", "c", "team", "f"));
  EXPECT_NE(ad("", "", "", ""), ad("", "", "", std::string(1, '\0')));
  EXPECT_NE(ad("c", "e", "team", "f"), "herald-key-check");
}

// --- Malformed input ------------------------------------------------------------

TEST(SecretBoxTest, TruncatedInputFails) {
  SecretBox box(NewKeyring());
  const std::string sealed = SealOrDie(box, "a credential value");
  const std::size_t header = 2 + box.active_key_id().size();
  for (std::size_t size = 0; size < sealed.size(); ++size) {
    StatusOr<std::string> opened = box.Open(sealed.substr(0, size), kAd);
    ASSERT_FALSE(opened.ok()) << "opened a prefix of " << size << " bytes";
    if (size < header + kNonceSize + kTagSize) {
      EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument) << size;
      EXPECT_THAT(opened.status().message(), HasSubstr("truncated")) << size;
    }
  }
  // The empty plaintext's blob is the shortest valid one; one byte less fails.
  const std::string empty = SealOrDie(box, "");
  EXPECT_TRUE(box.Open(empty, kAd).ok());
  EXPECT_FALSE(box.Open(empty.substr(0, empty.size() - 1), kAd).ok());
  EXPECT_FALSE(SecretBox::KeyIdOf("").ok());
  EXPECT_FALSE(SecretBox::KeyIdOf(empty.substr(0, empty.size() - 1)).ok());
}

TEST(SecretBoxTest, UnknownVersionFails) {
  SecretBox box(NewKeyring());
  for (unsigned char version : {0x00, 0x02, 0xff}) {
    std::string sealed = SealOrDie(box, "a credential value");
    sealed[0] = static_cast<char>(version);
    StatusOr<std::string> opened = box.Open(sealed, kAd);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(opened.status().message(), HasSubstr("format version " + std::to_string(version)));
    EXPECT_FALSE(SecretBox::KeyIdOf(sealed).ok());
  }
}

TEST(SecretBoxTest, KeyIdOfRefusesAnInvalidKeyId) {
  SecretBox box(NewKeyring());
  std::string sealed = SealOrDie(box, "x");
  sealed[1] = 0;  // empty id
  EXPECT_FALSE(SecretBox::KeyIdOf(sealed).ok());
  EXPECT_FALSE(box.Open(sealed, kAd).ok());
  sealed = SealOrDie(box, "x");
  sealed[2] = 'A';
  StatusOr<std::string> id = SecretBox::KeyIdOf(sealed);
  ASSERT_FALSE(id.ok());
  EXPECT_THAT(id.status().message(), HasSubstr("malformed key id"));
}

// --- Rotation -------------------------------------------------------------------

TEST(SecretBoxRotationTest, OldBlobsOpenAfterRotateAndNewSealsUseTheNewKey) {
  Keyring keyring = NewKeyring();
  const std::string old_id = keyring.active().id;
  const std::string old_blob = SealOrDie(SecretBox(keyring), "sealed before the rotation");

  const std::string new_id = keyring.Rotate().id;
  SecretBox rotated(keyring);
  EXPECT_EQ(rotated.active_key_id(), new_id);
  StatusOr<std::string> opened = rotated.Open(old_blob, kAd);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(*opened, "sealed before the rotation");
  EXPECT_EQ(*SecretBox::KeyIdOf(old_blob), old_id);

  // Re-seal: the new blob names the new key.
  const std::string new_blob = SealOrDie(rotated, *opened);
  EXPECT_EQ(*SecretBox::KeyIdOf(new_blob), new_id);
  EXPECT_EQ(*rotated.Open(new_blob, kAd), "sealed before the rotation");
}

TEST(SecretBoxRotationTest, RetireMakesOldBlobsFailWithDoesNotHold) {
  Keyring keyring = NewKeyring();
  const std::string old_id = keyring.active().id;
  const std::string old_blob = SealOrDie(SecretBox(keyring), "sealed before the rotation");
  keyring.Rotate();
  const std::string new_blob = SealOrDie(SecretBox(keyring), "sealed after the rotation");

  keyring.Retire(old_id);
  SecretBox retired(keyring);
  StatusOr<std::string> opened = retired.Open(old_blob, kAd);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(opened.status().message(),
            "sealed with key '" + old_id + "', which this keyring does not hold");
  EXPECT_EQ(*retired.Open(new_blob, kAd), "sealed after the rotation");
}

// --- Secrecy of error messages --------------------------------------------------

TEST(SecretBoxTest, ErrorMessagesNeverContainPlaintextKeyOrAssociatedData) {
  const std::string canary = "CANARY-7f3a9c-plaintext";
  const std::string ad_canary = "CANARY-ad-value";
  const std::string key_bytes = CountingBytes(32, 0x41);  // printable: "ABCD..."
  Keyring keyring = EnvKeyring(0x41);
  SecretBox box(keyring);
  const std::string ad =
      CredentialAssociatedData(ad_canary, "production", "user:" + ad_canary, "field-" + ad_canary);
  const std::string sealed = SealOrDie(box, canary, ad);

  std::vector<std::string> messages;
  auto collect = [&](const StatusOr<std::string>& result) {
    EXPECT_FALSE(result.ok());
    if (!result.ok()) messages.push_back(result.status().message());
  };
  collect(box.Open(sealed, kAd));                              // other record
  collect(SecretBox(EnvKeyring(0x42)).Open(sealed, ad));       // wrong key
  collect(SecretBox(NewKeyring()).Open(sealed, ad));           // key not held
  collect(box.Open(sealed.substr(0, sealed.size() - 1), ad));  // truncated
  collect(box.Open(sealed.substr(0, 10), ad));                 // truncated
  std::string tampered = sealed;
  tampered[CiphertextAt(3)] ^= 1;
  collect(box.Open(tampered, ad));  // tampered
  tampered = sealed;
  tampered[0] = 9;
  collect(box.Open(tampered, ad));  // version
  collect(box.Open(canary, ad));    // garbage
  collect(SecretBox::KeyIdOf(canary));

  ASSERT_EQ(messages.size(), 9u);
  for (const std::string& message : messages) {
    EXPECT_THAT(message, Not(HasSubstr("CANARY"))) << message;
    EXPECT_THAT(message, Not(HasSubstr(key_bytes.substr(0, 8)))) << message;
    EXPECT_THAT(message, Not(HasSubstr(Base64(key_bytes).substr(0, 8)))) << message;
    EXPECT_THAT(message, Not(HasSubstr("production"))) << message;
  }
}

// --- Thread-safety --------------------------------------------------------------

TEST(SecretBoxTest, SealAndOpenRunConcurrently) {
  const SecretBox box(NewKeyring());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&box, &failures, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string plaintext = "thread " + std::to_string(t) + " value " + std::to_string(i);
        const std::string ad = CredentialAssociatedData("c" + std::to_string(t), "e", "team", "f");
        StatusOr<std::string> sealed = box.Seal(plaintext, ad);
        if (!sealed.ok()) {
          ++failures;
          continue;
        }
        StatusOr<std::string> opened = box.Open(*sealed, ad);
        if (!opened.ok() || *opened != plaintext) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace herald::secrets
