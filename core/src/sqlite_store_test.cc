#include "herald/core/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "sqlite_migrations.h"

namespace herald {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("herald_store_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs raw SQL against the file, outside the store.
  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "herald.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  std::filesystem::path dir_;
};

TEST_F(SqliteStoreTest, MigratesANewDatabaseToTheNewestSchema) {
  auto store = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->backend(), "sqlite");
  EXPECT_EQ((*store)->schema_version(), SqliteMigrations().back().version);
  EXPECT_TRUE((*store)->Ping().ok());
  auto id = (*store)->InstanceId();
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->size(), 32u);
}

TEST_F(SqliteStoreTest, ReopeningKeepsDataAndDoesNotMigrateAgain) {
  std::string first_id;
  {
    auto store = SqliteStore::Open(dir_ / "herald.db");
    ASSERT_TRUE(store.ok());
    first_id = *(*store)->InstanceId();
  }
  auto again = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*(*again)->InstanceId(), first_id);
}

TEST_F(SqliteStoreTest, UsesWalAndForeignKeys) {
  auto store = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE(std::filesystem::exists(dir_ / "herald.db-wal"));
}

TEST_F(SqliteStoreTest, RefusesASchemaNewerThanItKnows) {
  { ASSERT_TRUE(SqliteStore::Open(dir_ / "herald.db").ok()); }
  Sql("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from the future')");
  auto store = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("9999"), std::string::npos);
}

TEST_F(SqliteStoreTest, ReportsAnUnopenablePath) {
  auto store = SqliteStore::Open(dir_ / "missing-dir" / "herald.db");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("missing-dir"), std::string::npos);
}

// Migration 10 keeps one version_blobs row per agent and blob: the blobs
// the old rows pinned stay pinned.
TEST_F(SqliteStoreTest, VersionBlobsKeepTheirBlobsWhenKeyedByAgent) {
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "herald.db").c_str(), &db), SQLITE_OK);
    std::string sql =
        "PRAGMA foreign_keys=ON; CREATE TABLE schema_migrations (version INTEGER "
        "PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT '');";
    for (const Migration& m : SqliteMigrations()) {
      if (m.version >= 10) break;
      sql += m.sql;
      sql += "INSERT INTO schema_migrations (version, name) VALUES (" + std::to_string(m.version) +
             ", 'old');";
    }
    sql +=
        "INSERT INTO agents (id) VALUES ('a');"
        "INSERT INTO blobs (sha256, size, bytes) VALUES ('b1', 1, x'00'), ('b2', 1, x'01');"
        "INSERT INTO agent_versions (agent_id, version, draft_revision, content_hash, author, "
        "comment, snapshot) VALUES ('a', 1, 0, 'h', 'u', '', '{}'), ('a', 2, 0, 'h', 'u', '', "
        "'{}');"
        "INSERT INTO version_blobs (agent_id, version, sha256) VALUES ('a', 1, 'b1'), "
        "('a', 2, 'b1'), ('a', 2, 'b2');";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  auto store = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "herald.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* rows = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT agent_id || '/' || sha256 FROM version_blobs ORDER BY 1",
                               -1, &rows, nullptr),
            SQLITE_OK);
  std::vector<std::string> pinned;
  while (sqlite3_step(rows) == SQLITE_ROW) {
    pinned.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(rows, 0)));
  }
  sqlite3_finalize(rows);
  EXPECT_EQ(pinned, (std::vector<std::string>{"a/b1", "a/b2"}));
  EXPECT_NE(sqlite3_exec(db, "PRAGMA foreign_keys=ON; DELETE FROM blobs WHERE sha256 = 'b2'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << "a pinned blob could be deleted";
  sqlite3_close(db);
}

// A transaction that need only survive a crash of the process commits like
// any other, nested writes included, and leaves later ones as they were.
TEST_F(SqliteStoreTest, AProcessCrashDurableTransactionCommits) {
  auto store = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(store.ok());
  Store& s = **store;
  ASSERT_TRUE(s.Transaction(Durability::kProcessCrash, [&]() -> Status {
                 HERALD_RETURN_IF_ERROR(s.meta().PutMeta("relaxed", "1"));
                 return s.Transaction([&] { return s.meta().PutMeta("nested", "2"); });
               }).ok());
  EXPECT_FALSE(s.Transaction(Durability::kProcessCrash, [&]() -> Status {
                  HERALD_RETURN_IF_ERROR(s.meta().PutMeta("rolled_back", "3"));
                  return Status::Internal("no");
                }).ok());
  ASSERT_TRUE(s.meta().PutMeta("after", "4").ok());
  store->reset();
  auto again = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*(*again)->meta().GetMeta("relaxed"), std::optional<std::string>("1"));
  EXPECT_EQ(*(*again)->meta().GetMeta("nested"), std::optional<std::string>("2"));
  EXPECT_EQ(*(*again)->meta().GetMeta("rolled_back"), std::nullopt);
  EXPECT_EQ(*(*again)->meta().GetMeta("after"), std::optional<std::string>("4"));
}

// The WAL is copied back into the database once it is full, though no
// commit does it any more: the store's checkpointer thread does.
TEST_F(SqliteStoreTest, AFullWalIsCheckpointed) {
  auto store = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(store.ok());
  const std::string page(4096, 'x');
  for (int i = 0; i < 1100; ++i) {
    ASSERT_TRUE((*store)->meta().PutMeta("k" + std::to_string(i), page).ok());
  }
  // Asynchronous: wait for it, however long the machine takes (bounded, so
  // that a checkpointer that never runs fails rather than hangs).
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::filesystem::file_size(dir_ / "herald.db") < 1000u * 4096u &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(std::filesystem::file_size(dir_ / "herald.db"), 1000u * 4096u)
      << "the WAL was never checkpointed";
}

TEST(SqliteMigrationsTest, VersionsRunFromOneWithoutGaps) {
  int expected = 1;
  for (const Migration& m : SqliteMigrations()) EXPECT_EQ(m.version, expected++) << m.name;
}

}  // namespace
}  // namespace herald
