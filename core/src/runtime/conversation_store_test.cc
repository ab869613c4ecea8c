#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "herald/core/sqlite_store.h"

namespace herald {
namespace {

namespace fs = std::filesystem;

class ConversationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("herald-conv-" + std::to_string(std::random_device()()));
    fs::create_directories(dir_);
    store_ = std::move(SqliteStore::Open(dir_ / "herald.db")).value();
    AgentDraft d;
    d.id = "support";
    ASSERT_TRUE(store_->agents().CreateAgent(d).ok());
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  fs::path dir_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(ConversationStoreTest, AppendsCreatesTrimsAndReads) {
  ConversationStore& conversations = store_->conversations();
  Conversation c{"00112233445566778899aabbccddeeff", "chat", "support", "7", {}};
  for (int i = 1; i <= 4; ++i) {
    ConversationTurn t;
    t.version = i;
    t.user_message = "m" + std::to_string(i);
    t.reply = "r" + std::to_string(i);
    ASSERT_TRUE(conversations.AppendTurn(c, t, 2).ok());
  }
  StatusOr<Conversation> read = conversations.GetConversation(c.id, 10);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->owner, "chat");
  EXPECT_EQ(read->agent_id, "support");
  EXPECT_EQ(read->user_id, "7");
  ASSERT_EQ(read->turns.size(), 2u);
  EXPECT_EQ(read->turns[0].seq, 3);
  EXPECT_EQ(read->turns[1].reply, "r4");
  EXPECT_EQ(read->turns[1].version, 4);
  EXPECT_EQ(conversations.GetConversation(c.id, 1)->turns[0].user_message, "m4");
  EXPECT_EQ(conversations.CountConversations().value(), 1);

  EXPECT_EQ(conversations.GetConversation("nope", 10).status().code(), StatusCode::kNotFound);
  Conversation orphan{"ffeeddccbbaa99887766554433221100", "chat", "ghost", "", {}};
  // Queued, then dropped by the write: its agent does not exist.
  EXPECT_TRUE(conversations.AppendTurn(orphan, {}, 2).ok());
  EXPECT_EQ(conversations.CountConversations().value(), 1);
  EXPECT_EQ(conversations.GetConversation(orphan.id, 10).status().code(), StatusCode::kNotFound);
}

// Many first turns at once are written in multi-row chunks; a chunk with a
// turn the database refuses, or with a conversation that exists already,
// falls back to turn by turn without losing or doubling anything.
TEST_F(ConversationStoreTest, ManyFirstTurnsAtOnceLandExactlyOnce) {
  ConversationStore& conversations = store_->conversations();
  auto id = [](int i) {
    std::string s = std::to_string(i);
    return std::string(32 - s.size(), '0') + s;
  };
  Conversation existing{id(5), "chat", "support", "", {}};
  ASSERT_TRUE(conversations.AppendTurn(existing, {0, 1, "before", "r", ""}, 5).ok());
  ASSERT_TRUE(conversations.GetConversation(existing.id, 5).ok());  // written
  for (int i = 0; i < 70; ++i) {
    // 20: its agent does not exist; 5: a first turn racing one stored.
    Conversation c{id(i), "chat", i == 20 ? "ghost" : "support", "u", {}};
    ConversationTurn t;
    t.version = 1;
    t.user_message = "m" + std::to_string(i);
    t.reply = "r" + std::to_string(i);
    ASSERT_TRUE(conversations.AppendTurn(c, t, 5).ok());
  }
  EXPECT_EQ(conversations.CountConversations().value(), 69);
  for (int i = 0; i < 70; ++i) {
    StatusOr<Conversation> read = conversations.GetConversation(id(i), 10);
    if (i == 20) {
      EXPECT_EQ(read.status().code(), StatusCode::kNotFound);
      continue;
    }
    ASSERT_TRUE(read.ok()) << i;
    ASSERT_EQ(read->turns.size(), i == 5 ? 2u : 1u) << i;
    EXPECT_EQ(read->turns.back().user_message, "m" + std::to_string(i));
    EXPECT_EQ(read->turns.back().reply, "r" + std::to_string(i));
    EXPECT_EQ(read->turns.back().seq, i == 5 ? 2 : 1);
    EXPECT_EQ(read->user_id, i == 5 ? "" : "u");
  }
}

// Checkpoints run beside the writes; under sustained writes the committing
// thread completes them, so the WAL stays bounded (about 8 MB) and the
// turns reach the database file.
TEST_F(ConversationStoreTest, TheWalStaysBoundedUnderSustainedWrites) {
  ConversationStore& conversations = store_->conversations();
  const ConversationTurn turn{0, 1, "How long does shipping take?", std::string(400, 'r'), ""};
  const int n = 120000;  // about 70 MB of WAL frames without checkpoints
  for (int i = 0; i < n; ++i) {
    std::string id = std::to_string(i);
    id = std::string(32 - id.size(), '0') + id;
    ASSERT_TRUE(conversations.AppendTurn({id, "chat", "support", "", {}}, turn, 5).ok());
  }
  EXPECT_EQ(conversations.CountConversations().value(), n);
  EXPECT_LT(fs::file_size(dir_ / "herald.db-wal"), uintmax_t{48} << 20);
  EXPECT_GT(fs::file_size(dir_ / "herald.db"), uintmax_t{16} << 20);
}

TEST_F(ConversationStoreTest, DeletingTheAgentDeletesItsConversations) {
  Conversation c{"00112233445566778899aabbccddeeff", "preview", "support", "", {}};
  ASSERT_TRUE(store_->conversations().AppendTurn(c, {0, 0, "hi", "hello", ""}, 5).ok());
  ASSERT_TRUE(store_->agents().DeleteAgent("support").ok());
  EXPECT_EQ(store_->conversations().CountConversations().value(), 0);
}

}  // namespace
}  // namespace herald
