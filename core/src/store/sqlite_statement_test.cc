#include "store/sqlite_statement.h"

#include <gtest/gtest.h>

#include <ctime>

namespace herald::store {
namespace {

class SqliteStatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db_,
                           "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT);"
                           "INSERT INTO t VALUES (1, 'one'), (2, 'two');",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    cache_ = std::make_unique<SqliteStatementCache>(db_);
  }
  void TearDown() override {
    cache_.reset();
    EXPECT_EQ(sqlite3_close(db_), SQLITE_OK) << "a statement outlived the cache";
  }

  // Prepared statements on the connection, and how many of them are busy.
  int Statements(int* busy = nullptr) {
    int n = 0;
    if (busy != nullptr) *busy = 0;
    for (sqlite3_stmt* s = sqlite3_next_stmt(db_, nullptr); s != nullptr;
         s = sqlite3_next_stmt(db_, s)) {
      ++n;
      if (busy != nullptr && sqlite3_stmt_busy(s)) ++*busy;
    }
    return n;
  }

  std::string Value(int64_t key) {
    SqliteStatement s(*cache_, "SELECT v FROM t WHERE k = ?");
    s.Bind(key);
    return s.Step() ? s.Text(0) : "(none)";
  }

  sqlite3* db_ = nullptr;
  std::unique_ptr<SqliteStatementCache> cache_;
};

TEST_F(SqliteStatementCacheTest, CompilesEachTextOnce) {
  EXPECT_EQ(Value(1), "one");
  EXPECT_EQ(Value(2), "two");
  EXPECT_EQ(Value(3), "(none)");
  EXPECT_EQ(Statements(), 1);
}

TEST_F(SqliteStatementCacheTest, AReturnedStatementIsResetWithItsBindingsCleared) {
  {
    SqliteStatement s(*cache_, "SELECT v FROM t WHERE k = ?");
    s.Bind(1);
    ASSERT_TRUE(s.Step());  // a row left unread: the statement is busy
  }
  int busy = -1;
  EXPECT_EQ(Statements(&busy), 1);
  EXPECT_EQ(busy, 0) << "a returned statement would hold a read transaction open";
  SqliteStatement again(*cache_, "SELECT v FROM t WHERE k = ?");
  EXPECT_FALSE(again.Step()) << "the last borrower's binding was kept";
  EXPECT_TRUE(again.ok());
}

TEST_F(SqliteStatementCacheTest, TextBoundWithoutACopyIsReadAsBound) {
  const std::string text(20000, 'x');
  const std::string same = text;
  const std::string blob("\0\1", 2);
  {
    SqliteStatement s(*cache_, "SELECT length(?1), ?1 = ?2, length(?3)");
    s.BindUncopied(text, same, SqliteBlob{blob});
    ASSERT_TRUE(s.Step());
    EXPECT_EQ(s.Int(0), 20000);
    EXPECT_EQ(s.Int(1), 1);
    EXPECT_EQ(s.Int(2), 2);
  }
  // Bind copies again afterwards: the text outlives the string it came from.
  SqliteStatement s(*cache_, "SELECT ?1");
  s.Bind(std::string(text));
  ASSERT_TRUE(s.Step());
  EXPECT_EQ(s.Text(0), text);
}

TEST_F(SqliteStatementCacheTest, TheSameTextInsideItsOwnLoopGetsAStatementOfItsOwn) {
  SqliteStatement outer(*cache_, "SELECT k FROM t ORDER BY k");
  std::vector<std::string> seen;
  while (outer.Step()) {
    SqliteStatement inner(*cache_, "SELECT k FROM t ORDER BY k");
    ASSERT_TRUE(inner.Step());
    seen.push_back(std::to_string(outer.Int(0)) + "/" + std::to_string(inner.Int(0)));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1/1", "2/1"}));
  EXPECT_EQ(Statements(), 1) << "the inner ones are finalized";
}

TEST_F(SqliteStatementCacheTest, AFailedPrepareIsAnErrorAndNotCached) {
  SqliteStatement bad(*cache_, "SELECT nope FROM t");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("no such column"), std::string::npos);
  EXPECT_FALSE(bad.Step());
  EXPECT_EQ(Statements(), 0);
}

TEST_F(SqliteStatementCacheTest, AConstraintErrorDoesNotStickToTheCachedStatement) {
  {
    SqliteStatement insert(*cache_, "INSERT INTO t (k, v) VALUES (?, ?)");
    EXPECT_EQ(insert.Bind(1, "again").Run().code(), StatusCode::kAlreadyExists);
  }
  SqliteStatement insert(*cache_, "INSERT INTO t (k, v) VALUES (?, ?)");
  EXPECT_TRUE(insert.Bind(3, "three").Run().ok());
  EXPECT_EQ(Value(3), "three");
}

TEST_F(SqliteStatementCacheTest, BindUncopiedAtBindsOneParameterByItsNumber) {
  const std::string first = "first";
  const std::string third = "third";
  SqliteStatement s(*cache_, "SELECT ?1, ?2, ?3");
  s.BindUncopiedAt(3, third).BindUncopiedAt(1, first);
  ASSERT_TRUE(s.Step());
  EXPECT_EQ(s.Text(0), "first");
  EXPECT_TRUE(s.IsNull(1));
  EXPECT_EQ(s.Text(2), "third");
}

TEST_F(SqliteStatementCacheTest, AnOptionalIntegerBindsAsAnIntegerOrNull) {
  SqliteStatement s(*cache_, "SELECT typeof(?1), ?1, typeof(?2)");
  s.Bind(std::optional<int64_t>(9007199254740993), std::optional<int64_t>());
  ASSERT_TRUE(s.Step());
  EXPECT_EQ(s.Text(0), "integer");
  EXPECT_EQ(s.Int(1), 9007199254740993);
  EXPECT_EQ(s.Text(2), "null");
}

// UtcText against what strftime writes, on days around leap days, month and
// year ends, the epoch and the year 9999's last second.
TEST(UtcTextTest, WritesWhatStrftimeWrites) {
  std::vector<std::time_t> times = {0, 951782399, 951782400, 951868800, 1709164800, 253402300799};
  for (std::time_t t = 0; t < 253402300799; t += 86400 * 37 + 3671) times.push_back(t);
  for (std::time_t t : times) {
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[32];
    const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    ASSERT_EQ(UtcText(t), std::string(text, n)) << t;
  }
}

}  // namespace
}  // namespace herald::store
