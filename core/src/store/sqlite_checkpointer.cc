#include "store/sqlite_checkpointer.h"

#include "herald/core/log.h"

namespace herald::store {

StatusOr<std::unique_ptr<SqliteCheckpointer>> SqliteCheckpointer::Start(
    const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
          SQLITE_OK ||
      // journal_mode reads the database: a connection that has not opened
      // the WAL checkpoints nothing.
      sqlite3_exec(db, "PRAGMA synchronous=FULL; PRAGMA journal_mode=WAL", nullptr, nullptr,
                   nullptr) != SQLITE_OK) {
    Status s = Status::Unavailable("cannot open the checkpointer's connection to " + path.string() +
                                   ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<SqliteCheckpointer> checkpointer(new SqliteCheckpointer(db));
  checkpointer->thread_ = std::thread([c = checkpointer.get()] { c->Run(); });
  return checkpointer;
}

SqliteCheckpointer::~SqliteCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  sqlite3_close(db_);
}

void SqliteCheckpointer::Watch(sqlite3* db) { sqlite3_wal_hook(db, &OnCommit, this); }

int SqliteCheckpointer::OnCommit(void* self, sqlite3* db, const char* /*name*/, int wal_pages) {
  if (wal_pages < kWalPages) return SQLITE_OK;
  if (wal_pages >= kForcedWalPages) {
    // The thread's checkpoints have not caught up: this commit finishes the
    // copy itself, on its own connection (whose lock its caller holds).
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  auto* c = static_cast<SqliteCheckpointer*>(self);
  // Fewer frames than were copied means the WAL restarted since.
  const int copied = c->backfilled_.load(std::memory_order_relaxed);
  if (wal_pages >= copied && wal_pages - copied < kWalPages) return SQLITE_OK;
  {
    std::lock_guard<std::mutex> lock(c->mu_);
    c->wanted_ = true;
  }
  c->wake_.notify_one();
  return SQLITE_OK;
}

void SqliteCheckpointer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return wanted_ || stopping_; });
    if (stopping_) return;
    wanted_ = false;
    lock.unlock();
    int copied = 0;
    const int rc =
        sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, &copied);
    backfilled_.store(rc == SQLITE_OK && copied > 0 ? copied : 0, std::memory_order_relaxed);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      LogEvent(spdlog::level::warn, "store.checkpoint_failed", {{"error", sqlite3_errmsg(db_)}});
    }
    lock.lock();
  }
}

}  // namespace herald::store
