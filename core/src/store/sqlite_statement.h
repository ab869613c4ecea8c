// A prepared SQLite statement with typed binding and reading, finalized on
// destruction. Errors come back as Status carrying sqlite3_errmsg.
//
// Not thread-safe: use under the owning store's lock.
#ifndef HERALD_CORE_STORE_SQLITE_STATEMENT_H_
#define HERALD_CORE_STORE_SQLITE_STATEMENT_H_

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "herald/core/status.h"

namespace herald::store {

// A BLOB parameter (Bind binds strings as TEXT).
struct SqliteBlob {
  std::string_view bytes;
};

class SqliteStatement {
 public:
  // Prepares `sql`; check ok() (or status()) before use.
  SqliteStatement(sqlite3* db, std::string_view sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // Binds parameters 1..N in order.
  template <typename... Args>
  SqliteStatement& Bind(const Args&... args) {
    int index = 0;
    (BindOne(++index, args), ...);
    return *this;
  }

  // Steps once: true with a row, false when done; errors land in status().
  bool Step();
  // Runs to completion (for statements without rows).
  Status Run();
  // Makes a prepared statement ready to bind and run again (the prepared
  // plan is kept, which is the point: no second compilation).
  void Reset();

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string Text(int column) const;
  // Bytes of a BLOB (or TEXT) column.
  std::string Blob(int column) const;
  std::optional<std::string> OptionalText(int column) const;

 private:
  void BindOne(int index, int64_t value);
  void BindOne(int index, int value) { BindOne(index, static_cast<int64_t>(value)); }
  void BindOne(int index, bool value) { BindOne(index, static_cast<int64_t>(value ? 1 : 0)); }
  void BindOne(int index, std::string_view value);
  void BindOne(int index, const std::string& value) { BindOne(index, std::string_view(value)); }
  void BindOne(int index, const char* value) { BindOne(index, std::string_view(value)); }
  void BindOne(int index, SqliteBlob value);
  void BindOne(int index, std::nullopt_t);
  void BindOne(int index, const std::optional<std::string>& value);
  void Fail(const char* what);

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  Status status_;
};

}  // namespace herald::store

#endif  // HERALD_CORE_STORE_SQLITE_STATEMENT_H_
