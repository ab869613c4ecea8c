// What SqliteStore's cached reads share: the read transaction their
// statements run in, the content generation that tells whether a cached
// entry still holds, and the entries (see store/generation_cache.h).
//
// The generation is a one-row table that triggers move on with every write
// to a row that GetAgent, GetAgentWithTools or GetConnectionWithCredentials
// reads (migration 14 names them, and what it deliberately leaves out:
// agents' live_version, deployed_at and search_row, which deploys write).
// Being the database's own, it holds for writes made through any
// connection to the file, or by another heraldd sharing the database.
//
// Thread-safety: none; used under the store's lock.
#ifndef HERALD_CORE_STORE_SQLITE_CACHED_READS_H_
#define HERALD_CORE_STORE_SQLITE_CACHED_READS_H_

#include <sqlite3.h>

#include <vector>

#include "herald/core/model/agent.h"
#include "herald/core/model/connection.h"
#include "herald/core/model/tool.h"
#include "store/generation_cache.h"
#include "store/sqlite_statement.h"

namespace herald::store {

// How many entries each cache keeps. A draft's entry is its fields, lists
// and its tools' definitions: a few KB for a small agent, about 100 KB for
// one of 50 tools with large parameter schemas, so drafts stay within about
// 13 MB. A connection's entry (with one owner's sealed credentials) is
// under 2 KB.
inline constexpr size_t kCachedDrafts = 128;
inline constexpr size_t kCachedConnections = 256;

// A connection and one owner's credentials (still sealed), as
// GetConnectionWithCredentials reads them.
struct CachedConnection {
  Connection connection;
  std::vector<SealedCredential> credentials;
};

// The reads of a cached entry's rows read the generation through this
// statement first, in the same transaction.
inline constexpr char kSelectContentGeneration[] = "SELECT value FROM content_generation";

// Whether a generation read now is committed, so that it may tag an entry
// or be handed to a caller: not so inside a transaction that may have
// written (SQLite's write state, which BEGIN IMMEDIATE takes at once), whose
// moves of the generation may yet be rolled back and the same numbers
// committed later for other writes.
inline bool GenerationIsCommitted(sqlite3* db) {
  return sqlite3_txn_state(db, "main") != SQLITE_TXN_WRITE;
}

// A read transaction around the statements of one read, when no
// transaction is open (inside one, they are part of it): they see one state
// of the database, the generation's included, and SQLite takes and drops
// its locks once (two fcntl calls) rather than once per statement. Ended
// when it goes, after the statements declared after it have been returned.
// Use under the store's lock.
class ReadTransaction {
 public:
  explicit ReadTransaction(SqliteStatementCache& statements) : statements_(statements) {
    if (sqlite3_get_autocommit(statements.db()) == 0) return;
    // Should BEGIN fail, each statement reads in its own transaction, as
    // statements always may; the entries then read hold no generation of
    // their own, and are not kept (see atomic()).
    open_ = SqliteStatement(statements, "BEGIN").Run().ok();
  }
  ~ReadTransaction() {
    if (!open_) return;
    // Nothing was written, so COMMIT only ends it; never left open.
    if (!SqliteStatement(statements_, "COMMIT").Run().ok()) {
      (void)SqliteStatement(statements_, "ROLLBACK").Run();
    }
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

  // Whether the statements run in one transaction: this one, or the
  // caller's that was open already.
  bool atomic() const { return sqlite3_get_autocommit(statements_.db()) == 0; }

 private:
  SqliteStatementCache& statements_;
  bool open_ = false;
};

}  // namespace herald::store

#endif  // HERALD_CORE_STORE_SQLITE_CACHED_READS_H_
