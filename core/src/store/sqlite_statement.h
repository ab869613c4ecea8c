// A prepared SQLite statement with typed binding and reading. Errors come
// back as Status carrying sqlite3_errmsg.
//
// A statement is either prepared for itself (finalized on destruction) or
// borrowed from a SqliteStatementCache, which keeps statements compiled for
// the life of the connection: compiling SQL costs far more than running the
// short statements a store makes, so a store that runs the same SQL again
// and again borrows instead.
//
// Not thread-safe: use under the owning store's lock (a cache and the
// statements borrowed from it belong to one connection and one lock).
#ifndef HERALD_CORE_STORE_SQLITE_STATEMENT_H_
#define HERALD_CORE_STORE_SQLITE_STATEMENT_H_

#include <sqlite3.h>

#include <cstdint>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "herald/core/status.h"

namespace herald::store {

// A BLOB parameter (Bind binds strings as TEXT).
struct SqliteBlob {
  std::string_view bytes;
};

// Prepared statements of one connection, keyed by their SQL text, each lent
// to one SqliteStatement at a time and reset (bindings cleared) when it comes
// back, so that a borrowed statement never holds a read transaction open.
// The SQL must be one of a fixed set (the store's own texts, never text
// built from values): past kMaxEntries texts, statements are prepared
// uncached. A statement whose schema changed is recompiled by SQLite itself.
//
// Thread-safety: none of its own; used under the lock that guards its
// connection. Every statement must be returned (its SqliteStatement
// destroyed) before the cache is, and the cache destroyed before the
// connection is closed.
class SqliteStatementCache {
 public:
  static constexpr size_t kMaxEntries = 256;

  explicit SqliteStatementCache(sqlite3* db) : db_(db) {}
  ~SqliteStatementCache();
  SqliteStatementCache(const SqliteStatementCache&) = delete;
  SqliteStatementCache& operator=(const SqliteStatementCache&) = delete;

  sqlite3* db() const { return db_; }

 private:
  friend class SqliteStatement;
  struct Entry {
    sqlite3_stmt* stmt = nullptr;
    bool lent = false;
  };
  // Lets find() take a string_view without building a std::string.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
  };

  sqlite3* db_;
  std::unordered_map<std::string, Entry, TextHash, std::equal_to<>> entries_;
};

class SqliteStatement {
 public:
  // Prepares `sql` for this statement alone; check ok() (or status())
  // before use.
  SqliteStatement(sqlite3* db, std::string_view sql);
  // Borrows `cache`'s statement for `sql`, preparing and caching it the
  // first time. While that statement is lent (the same SQL run inside a loop
  // over its own rows), a private one is prepared instead.
  SqliteStatement(SqliteStatementCache& cache, std::string_view sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // Binds parameters 1..N in order (an empty optional as NULL). SQLite
  // copies text and blobs.
  template <typename... Args>
  SqliteStatement& Bind(const Args&... args) {
    int index = 0;
    (BindOne(++index, args), ...);
    return *this;
  }
  // Binds like Bind, but text and blobs without a copy, which costs SQLite
  // an allocation and a free per parameter (it is built without lookaside
  // memory): for statements that run often or take a large text. Their
  // bytes must stay valid and unchanged until the statement is reset (this
  // SqliteStatement destroyed or Reset): bind lvalues that outlive it, or
  // temporaries only within the full expression that runs it.
  template <typename... Args>
  SqliteStatement& BindUncopied(const Args&... args) {
    copy_ = false;
    Bind(args...);
    copy_ = true;
    return *this;
  }
  // BindUncopied for parameter `index` (from 1) alone: for SQL whose number
  // of parameters is known only when it runs.
  SqliteStatement& BindUncopiedAt(int index, std::string_view value) {
    copy_ = false;
    BindOne(index, value);
    copy_ = true;
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
  void Prepare(std::string_view sql, unsigned flags);
  void BindOne(int index, int64_t value);
  void BindOne(int index, int value) { BindOne(index, static_cast<int64_t>(value)); }
  void BindOne(int index, bool value) { BindOne(index, static_cast<int64_t>(value ? 1 : 0)); }
  void BindOne(int index, std::string_view value);
  void BindOne(int index, const std::string& value) { BindOne(index, std::string_view(value)); }
  void BindOne(int index, const char* value) { BindOne(index, std::string_view(value)); }
  void BindOne(int index, SqliteBlob value);
  void BindOne(int index, std::nullopt_t);
  void BindOne(int index, const std::optional<std::string>& value);
  void BindOne(int index, const std::optional<int64_t>& value);
  void Fail(const char* what);

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  SqliteStatementCache::Entry* borrowed_ = nullptr;  // else stmt_ is ours to finalize
  Status status_;
  bool copy_ = true;  // whether BindOne has SQLite copy text and blobs
};

// Now as the schema's default timestamps write it (strftime's
// '%Y-%m-%dT%H:%M:%SZ', UTC). Bound by a writer that must know the value it
// stored: reading it back with RETURNING costs a statement a temporary table.
std::string NowUtc();
// `at` (seconds since the epoch, in years 0 to 9999) as NowUtc writes it.
// By hand rather than with gmtime_r and strftime, which cost about 1,400
// instructions a call (a deploy makes three) against about 300.
std::string UtcText(std::time_t at);

}  // namespace herald::store

#endif  // HERALD_CORE_STORE_SQLITE_STATEMENT_H_
