// The SQLite ConversationStore: conversations and their last turns in the
// same database file as the rest of the store (tables of migration 7), but
// through a connection of its own with `PRAGMA synchronous=NORMAL`.
//
// Why: the store's main connection commits with synchronous=FULL (an fsync
// per commit), which would make every chat turn wait for the disk and
// serialise turns behind deploys on the main connection's lock. In WAL mode
// a NORMAL commit is a write() to the WAL without an fsync: the database
// stays consistent, and a power failure (not a process crash) may lose the
// last turns written since the WAL was last synced — acceptable for chat
// history, and the next FULL commit of the main connection or checkpoint
// syncs them anyway. Readers never block; writers wait for each other
// through SQLite's lock (busy timeout 5 s).
//
// Thread-safety: any method from any thread (one connection, one mutex).
#ifndef HERALD_CORE_STORE_SQLITE_CONVERSATIONS_H_
#define HERALD_CORE_STORE_SQLITE_CONVERSATIONS_H_

#include <filesystem>
#include <memory>
#include <mutex>

#include "herald/core/store.h"

struct sqlite3;

namespace herald::store {

class SqliteConversationStore final : public ConversationStore {
 public:
  // Opens a connection to the (already migrated) database at `path`.
  static StatusOr<std::unique_ptr<SqliteConversationStore>> Open(const std::filesystem::path& path);
  ~SqliteConversationStore() override;

  Status AppendTurn(const Conversation& conversation, const ConversationTurn& turn,
                    size_t keep_turns) override;
  StatusOr<Conversation> GetConversation(const std::string& id, size_t max_turns) override;
  StatusOr<int64_t> CountConversations() override;

 private:
  explicit SqliteConversationStore(sqlite3* db) : db_(db) {}

  std::mutex mu_;
  sqlite3* db_;
};

}  // namespace herald::store

#endif  // HERALD_CORE_STORE_SQLITE_CONVERSATIONS_H_
