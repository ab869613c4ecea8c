// Copies the WAL back into the database file on a thread of its own.
//
// SQLite's automatic checkpoint runs inside the commit that finds the WAL
// full, so that commit waits while about 4 MB is written and synced: with a
// redeploy writing some 18 pages, one deploy in 50 or so paid for it, about
// a sixth of a redeploy's time on average. Watch() replaces a connection's
// automatic checkpoint with a hook that wakes this thread once the WAL
// holds kWalPages pages; the thread then checkpoints through a connection
// of its own, PASSIVE: it never blocks a writer or a reader, and frames a
// reader still needs wait for the next round. Durability is unchanged: the
// checkpoint syncs the WAL before copying it and the database after.
//
// Under sustained writes (a chat load's conversation turns, a stream of
// deploys) those passive checkpoints never quite catch up: frames land while
// one runs, and the WAL restarts only once all of it is copied. So the hook
// wakes the thread again only once kWalPages more pages than the last
// checkpoint copied are in the WAL, not at every commit past kWalPages: each
// checkpoint syncs the WAL and the database, and one per commit doubled the
// disk syncs of a deploy stream and queued them ahead of its commits. At
// kForcedWalPages (8 MB of 4 KiB pages) the committing connection
// checkpoints itself, as SQLite's automatic checkpoint would; with the
// thread's checkpoints behind it, few pages are left to copy, and the WAL
// restarts, which bounds it.
//
// The WAL file grows to about that bound and is then written over: a commit
// that grows it also allocates its blocks and writes the file's inode in its
// sync (on ext4, a second write and its wait), where one that writes over it
// seldom does. A new WAL (each start of heraldd: the last connection to
// close deletes it) is grown commit by commit, so the bound is also how many
// commits pay for that: with 32 MB, the first 1,400 redeploys or so, each
// with about 30 µs more CPU. Once grown, a smaller bound costs a commit
// nothing measurable; it checkpoints four times as often.
//
// Every connection of the store (the main one and the conversations') is
// watched by the same checkpointer, since they share one WAL.
//
// Thread-safety: the hook may run on any thread; Watch and the destructor
// from the owner's. Stop watching (sqlite3_wal_hook(db, nullptr, nullptr))
// before destroying it.
#ifndef HERALD_CORE_STORE_SQLITE_CHECKPOINTER_H_
#define HERALD_CORE_STORE_SQLITE_CHECKPOINTER_H_

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "herald/core/status.h"

namespace herald::store {

class SqliteCheckpointer {
 public:
  // SQLite's own default threshold.
  static constexpr int kWalPages = 1000;
  static constexpr int kForcedWalPages = 2000;

  // Opens its connection to the database at `path` and starts the thread.
  static StatusOr<std::unique_ptr<SqliteCheckpointer>> Start(const std::filesystem::path& path);
  // Finishes the checkpoint under way, if any, and stops.
  ~SqliteCheckpointer();
  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

  // Checkpoints for `db` (a connection to the same file) from now on.
  void Watch(sqlite3* db);

 private:
  explicit SqliteCheckpointer(sqlite3* db) : db_(db) {}
  static int OnCommit(void* self, sqlite3* db, const char* name, int wal_pages);
  void Run();

  sqlite3* db_;  // the thread's own connection
  std::mutex mu_;
  std::condition_variable wake_;
  bool wanted_ = false;  // guarded by mu_
  // The WAL frames the last checkpoint had copied (0 until one has run).
  std::atomic<int> backfilled_{0};
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace herald::store

#endif  // HERALD_CORE_STORE_SQLITE_CHECKPOINTER_H_
