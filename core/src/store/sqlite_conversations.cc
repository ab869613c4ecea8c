#include "store/sqlite_conversations.h"

#include <sqlite3.h>

#include <algorithm>

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

}  // namespace

StatusOr<std::unique_ptr<SqliteConversationStore>> SqliteConversationStore::Open(
    const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr);
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
  return store;
}

SqliteConversationStore::~SqliteConversationStore() { sqlite3_close_v2(db_); }

Status SqliteConversationStore::AppendTurn(const Conversation& c, const ConversationTurn& turn,
                                           size_t keep_turns) {
  std::lock_guard<std::mutex> lock(mu_);
  HERALD_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE"));
  auto body = [&]() -> Status {
    SqliteStatement create(db_,
                           "INSERT INTO conversations (id, owner, agent_id, user_id) "
                           "VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                           "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')");
    Status created = create.Bind(c.id, c.owner, c.agent_id, c.user_id).Run();
    if (!created.ok()) {
      if (sqlite3_extended_errcode(db_) == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return Status::NotFound("agent '" + c.agent_id + "' does not exist");
      }
      return created;
    }
    SqliteStatement append(
        db_,
        "INSERT INTO conversation_turns (conversation_id, seq, version, user_message, reply) "
        "SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ? FROM conversation_turns "
        "WHERE conversation_id = ?");
    HERALD_RETURN_IF_ERROR(
        append.Bind(c.id, turn.version, turn.user_message, turn.reply, c.id).Run());
    SqliteStatement trim(db_,
                         "DELETE FROM conversation_turns WHERE conversation_id = ? AND seq <= "
                         "(SELECT MAX(seq) FROM conversation_turns WHERE conversation_id = ?) - ?");
    return trim.Bind(c.id, c.id, static_cast<int64_t>(std::max<size_t>(keep_turns, 1))).Run();
  };
  Status result = body();
  if (!result.ok()) {
    (void)Exec(db_, "ROLLBACK");
    return result;
  }
  return Exec(db_, "COMMIT");
}

StatusOr<Conversation> SqliteConversationStore::GetConversation(const std::string& id,
                                                                size_t max_turns) {
  std::lock_guard<std::mutex> lock(mu_);
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
  SqliteStatement count(db_, "SELECT COUNT(*) FROM conversations");
  if (!count.Step()) return count.ok() ? Status::Internal("no count") : count.status();
  return count.Int(0);
}

}  // namespace herald::store
