#include "herald/core/sqlite_store.h"

#include <sqlite3.h>

#include "herald/core/log.h"
#include "sqlite_migrations.h"
#include "store/sqlite_cached_reads.h"
#include "store/sqlite_checkpointer.h"
#include "store/sqlite_conversations.h"
#include "store/sqlite_statement.h"

namespace herald {
namespace {

Status SqliteError(sqlite3* db, const std::string& what) {
  return Status::Internal(what + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

Status Exec(sqlite3* db, const char* sql, const std::string& what) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = what + ": " + (err != nullptr ? err : "unknown error");
    sqlite3_free(err);
    return Status::Internal(message);
  }
  return Status::Ok();
}

StatusOr<int> QueryInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    return SqliteError(db, "prepare");
  }
  int value = 0;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) value = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(db, "query");
  return value;
}

// Before the process's first connection (SQLite takes the setting only
// before it initializes; later it refuses, which is harmless): without
// memory statistics, which heraldd never reads, each of the hundreds of
// allocations a write makes skips a global mutex and its bookkeeping.
void ConfigureSqliteOnce() {
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
}

}  // namespace

StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::filesystem::path& path) {
  ConfigureSqliteOnce();
  sqlite3* db = nullptr;
  // NOMUTEX: every use of the connection (and of its statement cache) is
  // under mu_ already, so SQLite's own per-call locking would only add cost.
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(db, "cannot open database " + path.string());
    sqlite3_close(db);
    return Status::Unavailable(s.message());
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db));
  sqlite3_busy_timeout(db, 5000);
  // WAL for concurrent readers; FULL so a commit survives power loss, not
  // only a process crash; foreign keys because the schema relies on them.
  HERALD_RETURN_IF_ERROR(Exec(db,
                              "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                              "PRAGMA foreign_keys=ON;",
                              "cannot configure database " + path.string()));
  HERALD_RETURN_IF_ERROR(store->Migrate().WithContext(path.string()));
  auto checkpointer = store::SqliteCheckpointer::Start(path);
  if (!checkpointer.ok()) return checkpointer.status();
  store->checkpointer_ = std::move(checkpointer).value();
  store->checkpointer_->Watch(db);
  auto conversations = store::SqliteConversationStore::Open(path, *store->checkpointer_);
  if (!conversations.ok()) return conversations.status();
  store->conversations_ = std::move(conversations).value();
  return store;
}

SqliteStore::SqliteStore(sqlite3* db)
    : db_(db),
      statements_(std::make_unique<store::SqliteStatementCache>(db)),
      drafts_(std::make_unique<store::GenerationCache<DraftWithTools>>(store::kCachedDrafts)),
      connections_read_(std::make_unique<store::GenerationCache<store::CachedConnection>>(
          store::kCachedConnections)) {}

SqliteStore::~SqliteStore() {
  conversations_.reset();
  statements_.reset();  // finalizes its statements: the connection can close
  sqlite3_wal_hook(db_, nullptr, nullptr);
  checkpointer_.reset();
  sqlite3_close_v2(db_);  // the last connection: checkpoints what is left
}

Status SqliteStore::Migrate() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  HERALD_RETURN_IF_ERROR(Exec(db_,
                              "CREATE TABLE IF NOT EXISTS schema_migrations ("
                              " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                              " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ')))",
                              "cannot create schema_migrations"));
  StatusOr<int> current = QueryInt(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!current.ok()) return current.status();
  const auto migrations = SqliteMigrations();
  const int newest = migrations.empty() ? 0 : migrations.back().version;
  if (*current > newest) {
    return Status::FailedPrecondition("database schema version " + std::to_string(*current) +
                                      " is newer than this heraldd supports (" +
                                      std::to_string(newest) + ")");
  }
  for (const Migration& m : migrations) {
    if (m.version <= *current) continue;
    HERALD_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE", "cannot begin migration"));
    Status s = Exec(db_, m.sql, "migration " + std::to_string(m.version) + " (" + m.name + ")");
    if (s.ok()) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db_, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", -1,
                             &stmt, nullptr) != SQLITE_OK) {
        s = SqliteError(db_, "record migration");
      } else {
        sqlite3_bind_int(stmt, 1, m.version);
        sqlite3_bind_text(stmt, 2, m.name, -1, SQLITE_STATIC);
        if (sqlite3_step(stmt) != SQLITE_DONE) s = SqliteError(db_, "record migration");
        sqlite3_finalize(stmt);
      }
    }
    if (!s.ok()) {
      (void)Exec(db_, "ROLLBACK", "rollback");
      return s;
    }
    HERALD_RETURN_IF_ERROR(Exec(db_, "COMMIT", "cannot commit migration"));
    LogEvent(spdlog::level::info, "store.migrated", {{"version", m.version}, {"name", m.name}});
  }
  schema_version_ = newest;
  return Status::Ok();
}

Status SqliteStore::Ping() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  StatusOr<int> one = QueryInt(db_, "SELECT 1");
  return one.ok() ? Status::Ok() : Status::Unavailable(one.status().message());
}

StatusOr<std::string> SqliteStore::InstanceId() {
  StatusOr<std::optional<std::string>> id = GetMeta("instance_id");
  if (!id.ok()) return id.status();
  if (!id->has_value() || (*id)->empty()) return Status::Internal("database has no instance id");
  return **id;
}

StatusOr<std::optional<std::string>> SqliteStore::GetMeta(const std::string& key) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(*statements_, "SELECT value FROM herald_meta WHERE key = ?");
  stmt.Bind(key);
  std::optional<std::string> value;
  if (stmt.Step()) value = stmt.Text(0);
  if (!stmt.ok()) return stmt.status();
  return value;
}

Status SqliteStore::PutMeta(const std::string& key, const std::string& value) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(*statements_,
                              "INSERT INTO herald_meta (key, value) VALUES (?, ?) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  return stmt.Bind(key, value).Run();
}

Status SqliteStore::Transaction(Durability durability, const std::function<Status()>& body) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  // Nested: part of the enclosing transaction, which commits or rolls back.
  if (transaction_depth_ > 0) return body();
  // The connection's setting, changed only for this commit (outside the
  // transaction, where SQLite takes it) and restored before the lock goes.
  // SQLite applies a PRAGMA while compiling it and marks it to run only
  // once, so a kept statement would be compiled again at every step anyway:
  // each is prepared afresh and finalized, which costs a little less (1 for
  // NORMAL, 2 for FULL, which SQLite reads without comparing names).
  const bool relaxed = durability == Durability::kProcessCrash;
  if (relaxed) {
    HERALD_RETURN_IF_ERROR(store::SqliteStatement(db_, "PRAGMA synchronous=1")
                               .Run()
                               .WithContext("cannot relax durability"));
  }
  Status result = RunTransaction(body);
  if (relaxed) {
    Status restored = store::SqliteStatement(db_, "PRAGMA synchronous=2")
                          .Run()
                          .WithContext("cannot restore durability");
    if (result.ok()) result = restored;
  }
  return result;
}

Status SqliteStore::RunTransaction(const std::function<Status()>& body) {
  HERALD_RETURN_IF_ERROR(store::SqliteStatement(*statements_, "BEGIN IMMEDIATE")
                             .Run()
                             .WithContext("cannot begin transaction"));
  Status result;
  ++transaction_depth_;
  try {
    result = body();
  } catch (...) {
    --transaction_depth_;
    (void)store::SqliteStatement(*statements_, "ROLLBACK").Run();
    throw;
  }
  --transaction_depth_;
  if (!result.ok()) {
    (void)store::SqliteStatement(*statements_, "ROLLBACK").Run();
    return result;
  }
  return store::SqliteStatement(*statements_, "COMMIT")
      .Run()
      .WithContext("cannot commit transaction");
}

}  // namespace herald
