#include "herald/core/secrets/keyring.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "secrets_test_util.h"

namespace herald::secrets {
namespace {

using test_util::Base64;
using test_util::CountingBytes;
using test_util::ModeOf;
using test_util::TempDir;
using test_util::WriteFile;
using ::testing::HasSubstr;
using ::testing::Not;

std::string BytesOf(const MasterKey& key) {
  return std::string(key.bytes.begin(), key.bytes.end());
}

// --- Generate, Rotate, Retire -------------------------------------------------

TEST(KeyringTest, GenerateMakesOneRandomKeyWithAValidId) {
  StatusOr<Keyring> a = Keyring::Generate();
  StatusOr<Keyring> b = Keyring::Generate();
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(a->ids().size(), 1u);
  EXPECT_TRUE(Keyring::IsValidKeyId(a->active().id)) << a->active().id;
  EXPECT_NE(a->active().id, b->active().id);
  EXPECT_NE(BytesOf(a->active()), BytesOf(b->active()));
  EXPECT_NE(BytesOf(a->active()), std::string(kMasterKeySize, '\0'));
  EXPECT_EQ(a->Find(a->active().id), &a->active());
  EXPECT_EQ(a->Find("no-such-key"), nullptr);
}

TEST(KeyringTest, RotateAddsANewActiveKeyAndKeepsTheOldOnes) {
  StatusOr<Keyring> keyring = Keyring::Generate();
  ASSERT_TRUE(keyring.ok());
  const std::string old_id = keyring->active().id;
  const std::string old_bytes = BytesOf(keyring->active());

  const MasterKey& fresh = keyring->Rotate();
  EXPECT_EQ(&fresh, &keyring->active());
  EXPECT_NE(fresh.id, old_id);
  EXPECT_TRUE(Keyring::IsValidKeyId(fresh.id));
  EXPECT_NE(BytesOf(fresh), old_bytes);
  EXPECT_EQ(keyring->ids(), (std::vector<std::string>{fresh.id, old_id}));
  ASSERT_NE(keyring->Find(old_id), nullptr);
  EXPECT_EQ(BytesOf(*keyring->Find(old_id)), old_bytes);

  keyring->Rotate();
  EXPECT_EQ(keyring->ids().size(), 3u);
  std::vector<std::string> ids = keyring->ids();
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 3u);
}

TEST(KeyringTest, RetireDropsAnOldKeyButNeverTheActiveOne) {
  StatusOr<Keyring> keyring = Keyring::Generate();
  ASSERT_TRUE(keyring.ok());
  const std::string old_id = keyring->active().id;
  const std::string new_id = keyring->Rotate().id;

  keyring->Retire(new_id);  // the active key: ignored
  EXPECT_EQ(keyring->ids(), (std::vector<std::string>{new_id, old_id}));
  keyring->Retire("not-held");  // unknown: ignored
  EXPECT_EQ(keyring->ids(), (std::vector<std::string>{new_id, old_id}));

  keyring->Retire(old_id);
  EXPECT_EQ(keyring->ids(), (std::vector<std::string>{new_id}));
  EXPECT_EQ(keyring->Find(old_id), nullptr);
  EXPECT_EQ(keyring->active().id, new_id);
}

TEST(KeyringTest, KeyIdsAreOneToThirtyTwoOfLowercaseDigitsAndDashes) {
  EXPECT_TRUE(Keyring::IsValidKeyId("a"));
  EXPECT_TRUE(Keyring::IsValidKeyId("key-2024-01"));
  EXPECT_TRUE(Keyring::IsValidKeyId(std::string(32, 'k')));
  EXPECT_FALSE(Keyring::IsValidKeyId(""));
  EXPECT_FALSE(Keyring::IsValidKeyId(std::string(33, 'k')));
  EXPECT_FALSE(Keyring::IsValidKeyId("Key"));
  EXPECT_FALSE(Keyring::IsValidKeyId("key_1"));
  EXPECT_FALSE(Keyring::IsValidKeyId("key 1"));
  EXPECT_FALSE(Keyring::IsValidKeyId("k\xc3\xa9"));
}

// --- FromEnvironmentValue -------------------------------------------------------

TEST(KeyringFromEnvironmentTest, AcceptsTheBase64OfExactly32Bytes) {
  const std::string bytes = CountingBytes(32, 0x40);
  StatusOr<Keyring> keyring = Keyring::FromEnvironmentValue(Base64(bytes));
  ASSERT_TRUE(keyring.ok()) << keyring.status().message();
  EXPECT_EQ(keyring->active().id, "env");
  EXPECT_EQ(BytesOf(keyring->active()), bytes);
  EXPECT_EQ(keyring->ids(), std::vector<std::string>{"env"});
}

TEST(KeyringFromEnvironmentTest, IgnoresSurroundingWhitespace) {
  const std::string bytes = CountingBytes(32, 0x01);
  StatusOr<Keyring> keyring = Keyring::FromEnvironmentValue("  " + Base64(bytes) + "\n");
  ASSERT_TRUE(keyring.ok()) << keyring.status().message();
  EXPECT_EQ(BytesOf(keyring->active()), bytes);
}

TEST(KeyringFromEnvironmentTest, RefusesABadValueWithoutEchoingIt) {
  const std::string values[] = {
      "",
      "not base64 at all!",
      "c2VjcmV0LXZhbHVlLXRoYXQtaXMtdG9vLXNob3J0",  // 30 bytes
      Base64(CountingBytes(16, 0x61)),
      Base64(CountingBytes(33, 0x61)),
      Base64(CountingBytes(32, 0x61)).substr(1),  // not a multiple of 4
      Base64(CountingBytes(32, 0x61)) + "AAAA",
      "=" + Base64(CountingBytes(32, 0x61)).substr(1),  // padding first
  };
  for (const std::string& value : values) {
    StatusOr<Keyring> keyring = Keyring::FromEnvironmentValue(value);
    ASSERT_FALSE(keyring.ok()) << "accepted: " << value;
    EXPECT_EQ(keyring.status().code(), StatusCode::kInvalidArgument);
    const std::string& message = keyring.status().message();
    EXPECT_THAT(message, HasSubstr("HERALD_MASTER_KEY"));
    EXPECT_THAT(message, HasSubstr("32 bytes"));
    if (value.size() >= 4) {
      // Neither the value nor a recognisable piece of it.
      EXPECT_THAT(message, Not(HasSubstr(value)));
      EXPECT_THAT(message, Not(HasSubstr(value.substr(0, 8)))) << message;
    }
  }
}

TEST(KeyringFromEnvironmentTest, SaysHowLongAWellFormedValueOfTheWrongLengthIs) {
  StatusOr<Keyring> keyring = Keyring::FromEnvironmentValue(Base64(CountingBytes(16, 0x61)));
  ASSERT_FALSE(keyring.ok());
  EXPECT_THAT(keyring.status().message(), HasSubstr("16 bytes"));
}

// --- LoadFile -------------------------------------------------------------------

TEST(KeyringFileTest, LoadsEveryKeyAndTheFirstIsActive) {
  TempDir dir;
  const std::string k1 = CountingBytes(32, 0x00);
  const std::string k2 = CountingBytes(32, 0x80);
  const std::string k3 = CountingBytes(32, 0xa0);
  const auto path = dir / "master.keys";
  WriteFile(path,
            "# Herald master keys\n"
            "\n"
            "   # an indented comment\n"
            "key-2025 " +
                Base64(k1) +
                "\n"
                "\tkey-2024\t\t" +
                Base64(k2) +
                "  \r\n"
                "k3   " +
                Base64(k3));  // no final newline
  StatusOr<Keyring> keyring = Keyring::LoadFile(path);
  ASSERT_TRUE(keyring.ok()) << keyring.status().message();
  EXPECT_EQ(keyring->ids(), (std::vector<std::string>{"key-2025", "key-2024", "k3"}));
  EXPECT_EQ(keyring->active().id, "key-2025");
  EXPECT_EQ(BytesOf(keyring->active()), k1);
  ASSERT_NE(keyring->Find("key-2024"), nullptr);
  EXPECT_EQ(BytesOf(*keyring->Find("key-2024")), k2);
  ASSERT_NE(keyring->Find("k3"), nullptr);
  EXPECT_EQ(BytesOf(*keyring->Find("k3")), k3);
}

TEST(KeyringFileTest, AcceptsMode0400) {
  TempDir dir;
  const auto path = dir / "master.keys";
  WriteFile(path, "a " + Base64(CountingBytes(32, 1)) + "\n", 0400);
  StatusOr<Keyring> keyring = Keyring::LoadFile(path);
  EXPECT_TRUE(keyring.ok()) << keyring.status().message();
}

TEST(KeyringFileTest, RefusesAMissingFileNamingIt) {
  TempDir dir;
  const auto path = dir / "absent.keys";
  StatusOr<Keyring> keyring = Keyring::LoadFile(path);
  ASSERT_FALSE(keyring.ok());
  EXPECT_EQ(keyring.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(keyring.status().message(), HasSubstr(path.string()));
  EXPECT_THAT(keyring.status().message(), HasSubstr("does not exist"));
}

TEST(KeyringFileTest, RefusesAFileOthersCanReadOrWriteNamingIt) {
  TempDir dir;
  const auto path = dir / "master.keys";
  for (mode_t mode : {0644, 0640, 0604, 0660, 0602, 0620, 0700, 0200, 0666}) {
    WriteFile(path, "a " + Base64(CountingBytes(32, 1)) + "\n", mode);
    StatusOr<Keyring> keyring = Keyring::LoadFile(path);
    ASSERT_FALSE(keyring.ok()) << "accepted mode " << std::oct << mode;
    EXPECT_EQ(keyring.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_THAT(keyring.status().message(), HasSubstr(path.string()));
    EXPECT_THAT(keyring.status().message(), HasSubstr("0600 or 0400"));
  }
  WriteFile(path, "a " + Base64(CountingBytes(32, 1)) + "\n", 0644);
  EXPECT_THAT(Keyring::LoadFile(path).status().message(), HasSubstr("mode 0644"));
}

TEST(KeyringFileTest, RefusesADirectory) {
  TempDir dir;
  const auto path = dir / "keys.d";
  std::filesystem::create_directory(path);
  StatusOr<Keyring> keyring = Keyring::LoadFile(path);
  ASSERT_FALSE(keyring.ok());
  EXPECT_THAT(keyring.status().message(), HasSubstr(path.string()));
}

// Loads `content` from a 0600 file and expects an InvalidArgument naming the
// file and the line; returns the message.
std::string LoadRefusal(const std::string& content, int line) {
  TempDir dir;
  const auto path = dir / "master.keys";
  WriteFile(path, content);
  StatusOr<Keyring> keyring = Keyring::LoadFile(path);
  if (keyring.ok()) {
    ADD_FAILURE() << "accepted: " << content;
    return "";
  }
  EXPECT_EQ(keyring.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(keyring.status().message(), HasSubstr(path.string()));
  if (line > 0) {
    EXPECT_THAT(keyring.status().message(), HasSubstr("line " + std::to_string(line)));
  }
  return keyring.status().message();
}

TEST(KeyringFileTest, RefusesAMalformedLineNamingFileAndLineWithoutEchoingIt) {
  const std::string key = Base64(CountingBytes(32, 0x30));
  const std::string good = "a " + Base64(CountingBytes(32, 0x10)) + "\n";
  // A key pasted alone must not end up in the message (nor a log).
  std::string message = LoadRefusal(good + "# ok\n" + key + "\n", 3);
  EXPECT_THAT(message, HasSubstr("malformed"));
  EXPECT_THAT(message, Not(HasSubstr(key.substr(0, 8))));

  message = LoadRefusal("b " + key + " extra\n", 1);
  EXPECT_THAT(message, HasSubstr("malformed"));
  EXPECT_THAT(message, Not(HasSubstr(key.substr(0, 8))));

  message = LoadRefusal("b=" + key + "\n", 1);
  EXPECT_THAT(message, Not(HasSubstr(key.substr(0, 8))));
}

TEST(KeyringFileTest, RefusesAnInvalidKeyId) {
  const std::string key = Base64(CountingBytes(32, 0x30));
  EXPECT_THAT(LoadRefusal("Upper " + key + "\n", 1), HasSubstr("key id"));
  EXPECT_THAT(LoadRefusal("under_score " + key + "\n", 1), HasSubstr("key id"));
  EXPECT_THAT(LoadRefusal(std::string(33, 'a') + " " + key + "\n", 1), HasSubstr("key id"));
}

TEST(KeyringFileTest, RefusesAKeyThatIsNotExactly32Bytes) {
  std::string message = LoadRefusal("\nshort " + Base64(CountingBytes(31, 0x30)) + "\n", 2);
  EXPECT_THAT(message, HasSubstr("'short'"));
  EXPECT_THAT(message, HasSubstr("31 bytes"));
  EXPECT_THAT(message, HasSubstr("exactly 32 bytes"));
  EXPECT_THAT(LoadRefusal("long " + Base64(CountingBytes(48, 0x30)) + "\n", 1),
              HasSubstr("48 bytes"));
}

TEST(KeyringFileTest, RefusesAKeyThatIsNotBase64) {
  std::string bad = Base64(CountingBytes(32, 0x30));
  bad[5] = '*';
  std::string message = LoadRefusal("a " + bad + "\n", 1);
  EXPECT_THAT(message, HasSubstr("base64"));
  EXPECT_THAT(message, Not(HasSubstr(bad.substr(0, 8))));
}

TEST(KeyringFileTest, RefusesADuplicateId) {
  std::string message = LoadRefusal(
      "same " + Base64(CountingBytes(32, 1)) + "\nsame " + Base64(CountingBytes(32, 2)) + "\n", 2);
  EXPECT_THAT(message, HasSubstr("duplicate key id 'same'"));
}

TEST(KeyringFileTest, RefusesAFileWithNoKey) {
  EXPECT_THAT(LoadRefusal("# only a comment\n\n", 0), HasSubstr("holds no key"));
  EXPECT_THAT(LoadRefusal("", 0), HasSubstr("holds no key"));
}

// --- SaveFile -------------------------------------------------------------------

TEST(KeyringFileTest, SaveThenLoadRoundTripsWithMode0600) {
  TempDir dir;
  StatusOr<Keyring> keyring = Keyring::Generate();
  ASSERT_TRUE(keyring.ok());
  keyring->Rotate();
  keyring->Rotate();
  const auto path = dir / "master.keys";
  Status saved = keyring->SaveFile(path);
  ASSERT_TRUE(saved.ok()) << saved.message();
  EXPECT_EQ(ModeOf(path), 0600u);

  StatusOr<Keyring> loaded = Keyring::LoadFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->ids(), keyring->ids());
  EXPECT_EQ(loaded->active().id, keyring->active().id);
  for (const std::string& id : keyring->ids()) {
    ASSERT_NE(loaded->Find(id), nullptr) << id;
    EXPECT_EQ(BytesOf(*loaded->Find(id)), BytesOf(*keyring->Find(id))) << id;
  }
}

TEST(KeyringFileTest, SaveReplacesAnExistingFileAndLeavesNoTemporaryFile) {
  TempDir dir;
  const auto path = dir / "master.keys";
  WriteFile(path, "old " + Base64(CountingBytes(32, 9)) + "\n", 0644);
  StatusOr<Keyring> keyring = Keyring::Generate();
  ASSERT_TRUE(keyring.ok());
  ASSERT_TRUE(keyring->SaveFile(path).ok());
  EXPECT_EQ(ModeOf(path), 0600u);
  StatusOr<Keyring> loaded = Keyring::LoadFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->ids(), keyring->ids());

  int entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++entries;
    EXPECT_EQ(entry.path().filename(), "master.keys");
  }
  EXPECT_EQ(entries, 1);
}

TEST(KeyringFileTest, SaveIntoAMissingDirectoryFailsNamingTheFile) {
  TempDir dir;
  const auto path = dir / "missing" / "master.keys";
  StatusOr<Keyring> keyring = Keyring::Generate();
  ASSERT_TRUE(keyring.ok());
  Status saved = keyring->SaveFile(path);
  ASSERT_FALSE(saved.ok());
  EXPECT_THAT(saved.message(), HasSubstr(path.string()));
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(KeyringFileTest, EnvironmentKeySavesAndLoadsUnderTheIdEnv) {
  TempDir dir;
  const std::string bytes = CountingBytes(32, 0x70);
  StatusOr<Keyring> keyring = Keyring::FromEnvironmentValue(Base64(bytes));
  ASSERT_TRUE(keyring.ok());
  const auto path = dir / "master.keys";
  ASSERT_TRUE(keyring->SaveFile(path).ok());
  StatusOr<Keyring> loaded = Keyring::LoadFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->active().id, "env");
  EXPECT_EQ(BytesOf(loaded->active()), bytes);
}

}  // namespace
}  // namespace herald::secrets
