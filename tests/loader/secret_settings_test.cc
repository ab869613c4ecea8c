// Secret channel settings against a real plugin's declaration (the scripted
// test channel's `token`), a real store and vault: the value given is sealed
// and referred to, kept by {"$secret":"set"}, and opened only for the plugin.
#include "herald/core/secret_settings.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "herald/core/plugin_registry.h"
#include "herald/core/sqlite_store.h"

namespace herald {
namespace {

namespace fs = std::filesystem;

class SecretSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(registry_.LoadFile(std::string(HERALD_FIXTURE_CHANNEL_DIR) +
                                   "/libfixture_channel_alpha.so"));
    plugin_ = registry_.Find("alpha", PluginKind::kChannel);
    ASSERT_NE(plugin_, nullptr);
    dir_ = fs::temp_directory_path() /
           ("herald_secret_settings_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = std::move(SqliteStore::Open(dir_ / "herald.db")).value();
    MasterKeySource key;
    key.key_file = dir_ / "master.key";
    vault_ = std::move(CredentialVault::Open(*store_, key)).value();
    secrets_ = std::make_unique<SecretSettings>(*store_, *vault_);
    AgentDraft draft;
    draft.id = "helper";
    ASSERT_TRUE(store_->agents().CreateAgent(draft).ok());
  }
  void TearDown() override {
    secrets_.reset();
    vault_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  // What AgentService stores for `given` when the channel now holds
  // `current` (empty: no channel yet).
  StatusOr<std::string> Store(const std::string& given, const std::string& current = "") {
    ChannelBinding existing{"main", "alpha", current};
    const ChannelBinding* now = current.empty() ? nullptr : &existing;
    std::string settings = given;
    Status s = KeepStoredSecrets(*plugin_, now, &settings, "");
    if (!s.ok()) return s;
    s = secrets_->SealGiven(*plugin_, "helper", "main", now, &settings);
    if (!s.ok()) return s;
    return settings;
  }

  sdk::Values ForPlugin(const std::string& settings, std::vector<sdk::Problem>* problems,
                        const std::string& channel = "main") {
    return ResolveForPlugin(secrets_.get(), *plugin_, "helper", channel, settings, problems);
  }

  PluginRegistry registry_{PluginConfigLookup(), Clock()};
  const LoadedPlugin* plugin_ = nullptr;
  fs::path dir_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<CredentialVault> vault_;
  std::unique_ptr<SecretSettings> secrets_;
};

TEST_F(SecretSettingsTest, TheDeclarationSaysWhichSettingIsSecret) {
  EXPECT_TRUE(DeclaresSecretSettings(*plugin_));
  for (const auto& spec : sdk::SettingSpecs(plugin_->channel().vtable())) {
    EXPECT_EQ(spec.secret, spec.name == "token") << spec.name;
  }
}

TEST_F(SecretSettingsTest, AGivenValueIsSealedAndOnlyAReferenceIsStored) {
  StatusOr<std::string> stored = Store(R"({"fail":false,"token":"canary-xoxb-1"})");
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(stored->find("canary"), std::string::npos) << *stored;
  EXPECT_NE(stored->find(R"("token":{"$secret":")"), std::string::npos) << *stored;
  StatusOr<std::vector<SealedChannelSecret>> rows =
      store_->channel_secrets().ListAllChannelSecrets();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].setting, "token");
  EXPECT_EQ((*rows)[0].sealed.find("canary"), std::string::npos);
  EXPECT_EQ(MaskSettingsJson(*stored), R"({"fail":false,"token":{"$secret":"set"}})");

  std::vector<sdk::Problem> problems;
  sdk::Values values = ForPlugin(*stored, &problems);
  EXPECT_TRUE(problems.empty()) << JoinProblems(problems);
  EXPECT_EQ(values.Get("token"), "canary-xoxb-1");
}

TEST_F(SecretSettingsTest, TheMarkerKeepsTheStoredReferenceAndTheSameValueToo) {
  StatusOr<std::string> first = Store(R"({"token":"canary-1"})");
  ASSERT_TRUE(first.ok());
  StatusOr<std::string> kept = Store(R"({"token":{"$secret":"set"}})", *first);
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  EXPECT_EQ(*kept, *first);
  StatusOr<std::string> same = Store(R"({"token":"canary-1"})", *first);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(*same, *first);
  StatusOr<std::string> changed = Store(R"({"token":"canary-2"})", *first);
  ASSERT_TRUE(changed.ok());
  EXPECT_NE(*changed, *first);
}

TEST_F(SecretSettingsTest, TheMarkerWithNothingStoredIsRefusedNamingTheSetting) {
  StatusOr<std::string> none = Store(R"({"token":{"$secret":"set"}})");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(none.status().message().rfind("settings.token: no value is stored to keep", 0), 0u)
      << none.status().message();
  // A reference cannot be given, only "set".
  StatusOr<std::string> forged = Store(R"({"token":{"$secret":"0123456789abcdef"}})");
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.status().message().rfind("settings.token: give the secret value", 0), 0u);
}

TEST_F(SecretSettingsTest, OnlySecretSettingsTakeAReference) {
  std::vector<sdk::Problem> problems;
  ResolveChannelSettings(*plugin_, R"({"hang_ms":{"$secret":"set"}})", &problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "settings.hang_ms");
  problems.clear();
  ResolveChannelSettings(*plugin_, R"({"token":42})", &problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "settings.token");
}

TEST_F(SecretSettingsTest, AReferenceOpensOnlyForItsOwnChannel) {
  StatusOr<std::string> stored = Store(R"({"token":"canary-1"})");
  ASSERT_TRUE(stored.ok());
  std::vector<sdk::Problem> problems;
  ForPlugin(*stored, &problems, "other");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "settings.token");
  EXPECT_EQ(problems[0].message.find("canary"), std::string::npos);
}

TEST_F(SecretSettingsTest, WithoutAnOpenerTheSettingIsPresentButNotHandedOver) {
  StatusOr<std::string> stored = Store(R"({"token":"canary-1"})");
  ASSERT_TRUE(stored.ok());
  std::vector<sdk::Problem> problems;
  sdk::Values values = ResolveChannelSettings(*plugin_, *stored, &problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_FALSE(values.Has("token"));
}

TEST_F(SecretSettingsTest, TheKeyRotationReSealsTheValues) {
  StatusOr<std::string> stored = Store(R"({"token":"canary-1"})");
  ASSERT_TRUE(stored.ok());
  const std::string before = store_->channel_secrets().ListAllChannelSecrets()->at(0).sealed;
  StatusOr<RotationResult> rotated = vault_->Rotate();
  ASSERT_TRUE(rotated.ok()) << rotated.status().message();
  EXPECT_GE(rotated->reencrypted, 1);
  EXPECT_NE(store_->channel_secrets().ListAllChannelSecrets()->at(0).sealed, before);
  std::vector<sdk::Problem> problems;
  EXPECT_EQ(ForPlugin(*stored, &problems).Get("token"), "canary-1");
  EXPECT_TRUE(problems.empty());
}

TEST_F(SecretSettingsTest, ValuesNothingRefersToAreDropped) {
  StatusOr<std::string> stored = Store(R"({"token":"canary-1"})");
  ASSERT_TRUE(stored.ok());
  ChannelSecretStore& rows = store_->channel_secrets();
  ASSERT_TRUE(store_->agents().PutAgentChannel("helper", {"main", "alpha", *stored}).ok());
  EXPECT_EQ(*rows.DeleteUnreferencedChannelSecrets("helper"), 0);  // the draft holds it
  ASSERT_TRUE(store_->agents().RemoveAgentChannel("helper", "main").ok());
  EXPECT_EQ(*rows.DeleteUnreferencedChannelSecrets("helper"), 1);
  EXPECT_TRUE(rows.ListAllChannelSecrets()->empty());
}

}  // namespace
}  // namespace herald
