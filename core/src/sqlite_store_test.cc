#include "herald/core/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

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

TEST(SqliteMigrationsTest, VersionsRunFromOneWithoutGaps) {
  int expected = 1;
  for (const Migration& m : SqliteMigrations()) EXPECT_EQ(m.version, expected++) << m.name;
}

}  // namespace
}  // namespace herald
