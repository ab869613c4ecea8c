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
// Group commit: AppendTurn queues the turn and returns; turns are written in
// transactions of up to kBatchTurns (so thousands of turns a second cost a
// few commits, not thousands, and the main connection never waits long for
// the write lock). A writer thread writes a batch 5 ms after the queue stops
// being empty; with a whole batch queued, the appending thread writes it
// itself when the connection is free, so under load the threads producing
// turns share the writing in proportion. The queue is bounded
// (kMaxQueuedTurns): past it AppendTurn waits for the connection and writes
// a batch, so memory stays bounded under any load. Within a batch, runs of
// conversations' first turns are written kChunkTurns at a time, with one
// multi-row INSERT per table: a statement's fixed cost (its savepoint, its
// foreign-key bookkeeping) was most of a first turn's; a chunk SQLite
// refuses as a whole (a deleted agent in it) is written turn by turn. A read
// flushes the queue first, so it always sees every turn appended before it;
// the destructor flushes what is left. The WAL is checkpointed by the
// store's SqliteCheckpointer, not by whichever thread commits: a
// checkpoint's fsync, slow when the disk is busy, would hold the connection
// meanwhile and every thread producing turns would soon wait for it. A turn the database
// refuses (its agent was deleted meanwhile) is logged and dropped: its reply
// has been given already.
//
// Thread-safety: any method from any thread (the connection is used only
// under one mutex).
#ifndef HERALD_CORE_STORE_SQLITE_CONVERSATIONS_H_
#define HERALD_CORE_STORE_SQLITE_CONVERSATIONS_H_

#include <filesystem>
#include <memory>
#include <mutex>

#include "herald/core/store.h"

#include <condition_variable>
#include <deque>
#include <thread>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace herald::store {

class SqliteCheckpointer;
class SqliteStatement;

class SqliteConversationStore final : public ConversationStore {
 public:
  // Opens a connection to the (already migrated) database at `path`, whose
  // WAL `checkpointer` (which must outlive the store) checkpoints.
  static StatusOr<std::unique_ptr<SqliteConversationStore>> Open(const std::filesystem::path& path,
                                                                 SqliteCheckpointer& checkpointer);
  ~SqliteConversationStore() override;

  Status AppendTurn(const Conversation& conversation, ConversationTurn turn,
                    size_t keep_turns) override;
  StatusOr<Conversation> GetConversation(const std::string& id, size_t max_turns) override;
  StatusOr<int64_t> CountConversations() override;

 private:
  struct Pending {
    Conversation conversation;  // without turns
    ConversationTurn turn;
    size_t keep_turns;
    bool first;  // the conversation had no turns: plain inserts will do
  };

  static constexpr size_t kBatchTurns = 256;
  static constexpr size_t kMaxQueuedTurns = 16384;
  static constexpr size_t kChunkTurns = 16;

  explicit SqliteConversationStore(sqlite3* db);
  // Prepares the writer's statements, kept for the connection's life.
  Status Prepare();
  void WriterLoop();
  // Writes kChunkTurns first turns (p[0..kChunkTurns)) with two statements;
  // false when SQLite refused the conversations' INSERT, which then left
  // nothing. Turns refused later are counted in `dropped`. `now` is the
  // batch's timestamp. Needs mu_.
  bool WriteFirstTurnsLocked(const Pending* p, const std::string& now, size_t* dropped);
  // Writes one turn; false when SQLite refused it. Needs mu_.
  bool WriteTurnLocked(const Pending& p);
  // Writes up to kBatchTurns queued turns in one transaction; returns how
  // many it took from the queue. Needs mu_.
  size_t WriteBatchLocked();
  // Writes every queued turn. Needs mu_.
  void FlushLocked();

  std::mutex mu_;  // the connection, its statements, and the order of batches
  sqlite3* db_;
  // The writer's statements (guarded by mu_): one row at a time (upsert the
  // conversation, append with the next seq, trim; or, for a first turn, two
  // plain INSERTs), and the first-turn INSERTs of kChunkTurns rows.
  std::unique_ptr<SqliteStatement> create_;
  std::unique_ptr<SqliteStatement> append_;
  std::unique_ptr<SqliteStatement> trim_;
  std::unique_ptr<SqliteStatement> create_new_;
  std::unique_ptr<SqliteStatement> append_first_;
  sqlite3_stmt* create_chunk_ = nullptr;
  sqlite3_stmt* append_chunk_ = nullptr;
  std::mutex queue_mu_;
  std::condition_variable queued_;
  std::deque<Pending> queue_;  // guarded by queue_mu_
  bool stopping_ = false;      // guarded by queue_mu_
  std::thread writer_;
};

}  // namespace herald::store

#endif  // HERALD_CORE_STORE_SQLITE_CONVERSATIONS_H_
