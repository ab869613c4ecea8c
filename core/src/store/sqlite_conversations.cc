#include "store/sqlite_conversations.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "herald/core/log.h"
#include "store/sqlite_checkpointer.h"
#include "store/sqlite_statement.h"

namespace herald::store {
namespace {

Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = std::string("conversations: ") + (err != nullptr ? err : "error");
    sqlite3_free(err);
    return Status::Internal(message);
  }
  return Status::Ok();
}

// "INSERT INTO ... VALUES (row), (row), ..." with `rows` rows, each of
// `columns` parameters numbered from 2 on (?2, ?3, ...), then `tail` (which
// may name ?1, the same for every row).
std::string MultiRowInsert(std::string_view head, size_t columns, std::string_view tail,
                           size_t rows) {
  std::string sql(head);
  sql += " VALUES ";
  int next = 2;
  for (size_t i = 0; i < rows; ++i) {
    sql += i > 0 ? ", (" : "(";
    for (size_t c = 0; c < columns; ++c) sql += "?" + std::to_string(next++) + ", ";
    sql += tail;
    sql += ')';
  }
  return sql;
}

// Binds `text` to parameter `index` without a copy: the caller keeps it
// alive until the statement is reset.
bool BindStatic(sqlite3_stmt* stmt, int index, const std::string& text) {
  return sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()),
                           SQLITE_STATIC) == SQLITE_OK;
}

// Runs a statement without rows; resets it either way (which also drops
// the bindings' pointers from its use).
bool RunAndReset(sqlite3_stmt* stmt) {
  int rc = sqlite3_step(stmt);
  while (rc == SQLITE_ROW) rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  return rc == SQLITE_DONE;
}

}  // namespace

StatusOr<std::unique_ptr<SqliteConversationStore>> SqliteConversationStore::Open(
    const std::filesystem::path& path, SqliteCheckpointer& checkpointer) {
  // No SQLite mutex per call: the connection is used only under mu_.
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::Unavailable("cannot open database " + path.string() + ": " + message);
  }
  std::unique_ptr<SqliteConversationStore> store(new SqliteConversationStore(db));
  sqlite3_busy_timeout(db, 5000);
  HERALD_RETURN_IF_ERROR(Exec(db,
                              "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                              "PRAGMA foreign_keys=ON;"));
  checkpointer.Watch(db);
  HERALD_RETURN_IF_ERROR(store->Prepare());
  return store;
}

Status SqliteConversationStore::Prepare() {
  std::lock_guard<std::mutex> lock(mu_);
  create_ =
      std::make_unique<SqliteStatement>(db_,
                                        "INSERT INTO conversations (id, owner, agent_id, user_id) "
                                        "VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                                        "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')");
  append_ = std::make_unique<SqliteStatement>(
      db_,
      "INSERT INTO conversation_turns (conversation_id, seq, version, user_message, reply) "
      "SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ? FROM conversation_turns "
      "WHERE conversation_id = ?");
  trim_ = std::make_unique<SqliteStatement>(
      db_,
      "DELETE FROM conversation_turns WHERE conversation_id = ? AND seq <= "
      "(SELECT MAX(seq) FROM conversation_turns WHERE conversation_id = ?) - ?");
  // A conversation's first turn (most turns, under load) needs no upsert,
  // no MAX(seq) and no trim.
  create_new_ = std::make_unique<SqliteStatement>(
      db_, "INSERT INTO conversations (id, owner, agent_id, user_id) VALUES (?, ?, ?, ?)");
  append_first_ = std::make_unique<SqliteStatement>(
      db_,
      "INSERT INTO conversation_turns (conversation_id, seq, version, user_message, reply) "
      "VALUES (?, 1, ?, ?, ?)");
  for (const auto* statement : {&create_, &append_, &trim_, &create_new_, &append_first_}) {
    if (!(*statement)->ok()) return (*statement)->status();
  }
  const std::string create_chunk = MultiRowInsert(
      "INSERT INTO conversations (id, owner, agent_id, user_id, created_at, updated_at)", 4,
      "?1, ?1", kChunkTurns);
  const std::string append_chunk = MultiRowInsert(
      "INSERT INTO conversation_turns (conversation_id, version, user_message, reply, seq, "
      "created_at)",
      4, "1, ?1", kChunkTurns);
  for (auto [sql, stmt] :
       {std::pair{&create_chunk, &create_chunk_}, std::pair{&append_chunk, &append_chunk_}}) {
    if (sqlite3_prepare_v3(db_, sql->c_str(), static_cast<int>(sql->size()),
                           SQLITE_PREPARE_PERSISTENT, stmt, nullptr) != SQLITE_OK) {
      return Status::Internal(std::string("conversations: ") + sqlite3_errmsg(db_));
    }
  }
  return Status::Ok();
}

SqliteConversationStore::SqliteConversationStore(sqlite3* db) : db_(db) {
  writer_ = std::thread([this] { WriterLoop(); });
}

SqliteConversationStore::~SqliteConversationStore() {
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    stopping_ = true;
  }
  queued_.notify_all();
  writer_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    FlushLocked();
    create_.reset();
    append_.reset();
    trim_.reset();
    create_new_.reset();
    append_first_.reset();
    sqlite3_finalize(create_chunk_);
    sqlite3_finalize(append_chunk_);
  }
  sqlite3_close_v2(db_);
}

Status SqliteConversationStore::AppendTurn(const Conversation& c, ConversationTurn turn,
                                           size_t keep_turns) {
  Pending p{Conversation{c.id, c.owner, c.agent_id, c.user_id, {}}, std::move(turn),
            std::max<size_t>(keep_turns, 1), c.turns.empty()};
  size_t backlog = 0;
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    queue_.push_back(std::move(p));
    backlog = queue_.size();
  }
  // The writer needs waking only when the queue was empty: it gathers what
  // queues after a wake-up, and a wake-up per turn would cost a context
  // switch per turn.
  if (backlog == 1) queued_.notify_one();
  // With a batch's worth waiting, the appending thread writes it: under load
  // the writing is shared among the threads producing turns, each in
  // proportion, instead of being left to the writer thread, which gets one
  // thread's share of the CPU among them and would fall behind. When the
  // connection is busy the thread goes on, unless the queue is at its bound:
  // then it waits for the connection and writes, which keeps memory bounded.
  if (backlog >= kBatchTurns) {
    std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
    if (backlog >= kMaxQueuedTurns) {
      lock.lock();
    } else if (!lock.try_lock()) {
      return Status::Ok();
    }
    WriteBatchLocked();
  }
  return Status::Ok();
}

void SqliteConversationStore::WriterLoop() {
  while (true) {
    {
      std::unique_lock<std::mutex> lock(queue_mu_);
      queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
    }
    // A moment for more turns to join this batch; then one batch. Under
    // load, the appending threads write the rest (AppendTurn).
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard<std::mutex> lock(mu_);
    WriteBatchLocked();
  }
}

void SqliteConversationStore::FlushLocked() {
  while (WriteBatchLocked() > 0) {
  }
}

size_t SqliteConversationStore::WriteBatchLocked() {
  std::vector<Pending> batch;
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    const size_t n = std::min(queue_.size(), kBatchTurns);
    batch.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
  }
  if (batch.empty()) return 0;
  Status begun = Exec(db_, "BEGIN IMMEDIATE");
  if (!begun.ok()) {
    LogEvent(spdlog::level::err, "conversations.write_failed",
             {{"turns", batch.size()}, {"reason", begun.message()}});
    return batch.size();
  }
  // A batch's rows bind the time once instead of formatting it for each.
  const std::string now = NowUtc();
  size_t dropped = 0;
  for (size_t i = 0; i < batch.size();) {
    size_t run = 0;
    while (run < kChunkTurns && i + run < batch.size() && batch[i + run].first) ++run;
    if (run == kChunkTurns && WriteFirstTurnsLocked(&batch[i], now, &dropped)) {
      i += run;
      continue;
    }
    // Refused as a whole, or no chunk's worth: turn by turn. A refused turn
    // (its agent is gone) is dropped; the others still land.
    for (size_t end = i + std::max<size_t>(run, 1); i < end; ++i) {
      if (!WriteTurnLocked(batch[i])) ++dropped;
    }
  }
  Status committed = Exec(db_, "COMMIT");
  if (!committed.ok()) {
    (void)Exec(db_, "ROLLBACK");
    LogEvent(spdlog::level::err, "conversations.write_failed",
             {{"turns", batch.size()}, {"reason", committed.message()}});
    return batch.size();
  }
  if (dropped > 0) {
    LogEvent(spdlog::level::warn, "conversations.turns_dropped",
             {{"turns", dropped}, {"reason", "refused by the database (agent deleted?)"}});
  }
  return batch.size();
}

bool SqliteConversationStore::WriteFirstTurnsLocked(const Pending* p, const std::string& now,
                                                    size_t* dropped) {
  bool bound = BindStatic(create_chunk_, 1, now);
  for (size_t i = 0; i < kChunkTurns && bound; ++i) {
    const Conversation& c = p[i].conversation;
    const int at = static_cast<int>(2 + 4 * i);
    bound = BindStatic(create_chunk_, at, c.id) && BindStatic(create_chunk_, at + 1, c.owner) &&
            BindStatic(create_chunk_, at + 2, c.agent_id) &&
            BindStatic(create_chunk_, at + 3, c.user_id);
  }
  if (!bound) {
    sqlite3_reset(create_chunk_);
    sqlite3_clear_bindings(create_chunk_);
    return false;
  }
  // A failed statement undoes all its rows (its own savepoint).
  if (!RunAndReset(create_chunk_)) return false;
  bound = BindStatic(append_chunk_, 1, now);
  for (size_t i = 0; i < kChunkTurns && bound; ++i) {
    const ConversationTurn& t = p[i].turn;
    const int at = static_cast<int>(2 + 4 * i);
    bound = BindStatic(append_chunk_, at, p[i].conversation.id) &&
            sqlite3_bind_int64(append_chunk_, at + 1, t.version) == SQLITE_OK &&
            BindStatic(append_chunk_, at + 2, t.user_message) &&
            BindStatic(append_chunk_, at + 3, t.reply);
  }
  if (bound && RunAndReset(append_chunk_)) return true;
  sqlite3_reset(append_chunk_);
  sqlite3_clear_bindings(append_chunk_);
  // The conversations are stored now: their turns go the general way.
  for (size_t i = 0; i < kChunkTurns; ++i) {
    if (!WriteTurnLocked(p[i])) ++*dropped;
  }
  return true;
}

bool SqliteConversationStore::WriteTurnLocked(const Pending& p) {
  const Conversation& c = p.conversation;
  if (p.first) {
    create_new_->Reset();
    append_first_->Reset();
    if (create_new_->Bind(c.id, c.owner, c.agent_id, c.user_id).Run().ok()) {
      return append_first_->Bind(c.id, p.turn.version, p.turn.user_message, p.turn.reply)
          .Run()
          .ok();
    }
    // It exists after all (a second turn raced the first): the general way.
  }
  create_->Reset();
  append_->Reset();
  trim_->Reset();
  return create_->Bind(c.id, c.owner, c.agent_id, c.user_id).Run().ok() &&
         append_->Bind(c.id, p.turn.version, p.turn.user_message, p.turn.reply, c.id).Run().ok() &&
         trim_->Bind(c.id, c.id, static_cast<int64_t>(p.keep_turns)).Run().ok();
}

StatusOr<Conversation> SqliteConversationStore::GetConversation(const std::string& id,
                                                                size_t max_turns) {
  std::lock_guard<std::mutex> lock(mu_);
  FlushLocked();
  SqliteStatement head(db_, "SELECT owner, agent_id, user_id FROM conversations WHERE id = ?");
  head.Bind(id);
  if (!head.Step()) {
    if (!head.ok()) return head.status();
    return Status::NotFound("conversation '" + id + "' not found");
  }
  Conversation c;
  c.id = id;
  c.owner = head.Text(0);
  c.agent_id = head.Text(1);
  c.user_id = head.Text(2);
  SqliteStatement turns(db_,
                        "SELECT seq, version, user_message, reply, created_at "
                        "FROM conversation_turns WHERE conversation_id = ? "
                        "ORDER BY seq DESC LIMIT ?");
  turns.Bind(id, static_cast<int64_t>(max_turns));
  while (turns.Step()) {
    c.turns.push_back({turns.Int(0), turns.Int(1), turns.Text(2), turns.Text(3), turns.Text(4)});
  }
  if (!turns.ok()) return turns.status();
  std::reverse(c.turns.begin(), c.turns.end());
  return c;
}

StatusOr<int64_t> SqliteConversationStore::CountConversations() {
  std::lock_guard<std::mutex> lock(mu_);
  FlushLocked();
  SqliteStatement count(db_, "SELECT COUNT(*) FROM conversations");
  if (!count.Step()) return count.ok() ? Status::Internal("no count") : count.status();
  return count.Int(0);
}

}  // namespace herald::store
