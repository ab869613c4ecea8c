#include "store/sqlite_statement.h"

namespace herald::store {

SqliteStatement::SqliteStatement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK) {
    Fail("prepare");
  }
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::Fail(const char* what) {
  if (status_.ok())
    status_ = Status::Internal(std::string("sqlite ") + what + ": " + sqlite3_errmsg(db_));
}

void SqliteStatement::BindOne(int index, int64_t value) {
  if (ok() && sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) Fail("bind");
}

void SqliteStatement::BindOne(int index, std::string_view value) {
  if (ok() && sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                                SQLITE_TRANSIENT) != SQLITE_OK) {
    Fail("bind");
  }
}

void SqliteStatement::BindOne(int index, SqliteBlob value) {
  if (ok() &&
      sqlite3_bind_blob(stmt_, index, value.bytes.data(), static_cast<int>(value.bytes.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
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
