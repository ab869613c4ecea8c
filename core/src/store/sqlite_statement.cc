#include "store/sqlite_statement.h"

#include <chrono>
#include <ctime>

namespace herald::store {

std::string UtcText(std::time_t at) {
  using namespace std::chrono;
  const sys_seconds time{seconds{at}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss<seconds> clock{time - day};
  std::string text = "0000-00-00T00:00:00Z";
  // Writes `value`'s last `digits` decimal digits at `at`.
  auto put = [&text](size_t at, long value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value /= 10) text[at + i] = '0' + value % 10;
  };
  put(0, static_cast<int>(date.year()), 4);
  put(5, static_cast<unsigned>(date.month()), 2);
  put(8, static_cast<unsigned>(date.day()), 2);
  put(11, clock.hours().count(), 2);
  put(14, clock.minutes().count(), 2);
  put(17, clock.seconds().count(), 2);
  return text;
}

std::string NowUtc() { return UtcText(std::time(nullptr)); }

SqliteStatementCache::~SqliteStatementCache() {
  for (auto& [sql, entry] : entries_) sqlite3_finalize(entry.stmt);
}

SqliteStatement::SqliteStatement(sqlite3* db, std::string_view sql) : db_(db) { Prepare(sql, 0); }

SqliteStatement::SqliteStatement(SqliteStatementCache& cache, std::string_view sql)
    : db_(cache.db()) {
  auto it = cache.entries_.find(sql);
  if (it == cache.entries_.end()) {
    if (cache.entries_.size() >= SqliteStatementCache::kMaxEntries) {
      Prepare(sql, 0);
      return;
    }
    Prepare(sql, SQLITE_PREPARE_PERSISTENT);
    if (!ok()) return;
    it = cache.entries_.emplace(std::string(sql), SqliteStatementCache::Entry{stmt_}).first;
  } else if (it->second.lent) {
    Prepare(sql, 0);
    return;
  }
  stmt_ = it->second.stmt;
  borrowed_ = &it->second;  // unordered_map nodes stay put
  borrowed_->lent = true;
}

SqliteStatement::~SqliteStatement() {
  if (borrowed_ == nullptr) {
    sqlite3_finalize(stmt_);
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  borrowed_->lent = false;
}

void SqliteStatement::Prepare(std::string_view sql, unsigned flags) {
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, &stmt_, nullptr) !=
      SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    Fail("prepare");
  }
}

void SqliteStatement::Fail(const char* what) {
  if (status_.ok())
    status_ = Status::Internal(std::string("sqlite ") + what + ": " + sqlite3_errmsg(db_));
}

void SqliteStatement::BindOne(int index, int64_t value) {
  if (ok() && sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) Fail("bind");
}

void SqliteStatement::BindOne(int index, std::string_view value) {
  if (ok() && sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                                copy_ ? SQLITE_TRANSIENT : SQLITE_STATIC) != SQLITE_OK) {
    Fail("bind");
  }
}

void SqliteStatement::BindOne(int index, SqliteBlob value) {
  if (ok() &&
      sqlite3_bind_blob(stmt_, index, value.bytes.data(), static_cast<int>(value.bytes.size()),
                        copy_ ? SQLITE_TRANSIENT : SQLITE_STATIC) != SQLITE_OK) {
    Fail("bind");
  }
}

void SqliteStatement::BindOne(int index, std::nullopt_t) {
  if (ok() && sqlite3_bind_null(stmt_, index) != SQLITE_OK) Fail("bind");
}

void SqliteStatement::BindOne(int index, const std::optional<std::string>& value) {
  if (value) {
    BindOne(index, std::string_view(*value));
  } else {
    BindOne(index, std::nullopt);
  }
}

void SqliteStatement::BindOne(int index, const std::optional<int64_t>& value) {
  if (value) {
    BindOne(index, *value);
  } else {
    BindOne(index, std::nullopt);
  }
}

bool SqliteStatement::Step() {
  if (!ok()) return false;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) {
    if (rc == SQLITE_CONSTRAINT) {
      status_ = Status::AlreadyExists(sqlite3_errmsg(db_));
    } else {
      Fail("step");
    }
  }
  return false;
}

Status SqliteStatement::Run() {
  while (Step()) {
  }
  return status_;
}

void SqliteStatement::Reset() {
  if (stmt_ == nullptr) return;  // never prepared: keep that error
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  status_ = Status::Ok();
}

std::string SqliteStatement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string SqliteStatement::Blob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  if (data == nullptr) return {};
  return std::string(static_cast<const char*>(data),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> SqliteStatement::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

}  // namespace herald::store
