// SqliteStore's ChannelSecretStore. Values arrive and leave sealed.
#include <sqlite3.h>

#include "herald/core/sqlite_store.h"
#include "store/sqlite_statement.h"

namespace herald {
namespace {

SealedChannelSecret ReadRow(const store::SqliteStatement& stmt) {
  return SealedChannelSecret{stmt.Text(0), stmt.Text(1), stmt.Text(2), stmt.Text(3), stmt.Blob(4)};
}

}  // namespace

Status SqliteStore::PutChannelSecret(const SealedChannelSecret& s) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(
      db_,
      "INSERT INTO channel_secrets (id, agent_id, channel, setting, sealed) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
      "SET sealed = excluded.sealed");
  return stmt.Bind(s.id, s.agent_id, s.channel, s.setting, store::SqliteBlob{s.sealed}).Run();
}

StatusOr<SealedChannelSecret> SqliteStore::GetChannelSecret(const std::string& id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(
      db_, "SELECT id, agent_id, channel, setting, sealed FROM channel_secrets WHERE id = ?");
  stmt.Bind(id);
  if (stmt.Step()) return ReadRow(stmt);
  if (!stmt.ok()) return stmt.status();
  return Status::NotFound("no stored secret setting value of that reference");
}

StatusOr<std::vector<SealedChannelSecret>> SqliteStore::ListAllChannelSecrets() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(
      db_, "SELECT id, agent_id, channel, setting, sealed FROM channel_secrets ORDER BY id");
  std::vector<SealedChannelSecret> out;
  while (stmt.Step()) out.push_back(ReadRow(stmt));
  if (!stmt.ok()) return stmt.status();
  return out;
}

StatusOr<int> SqliteStore::DeleteUnreferencedChannelSecrets(const std::string& agent_id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  // Ids are 32 random hex digits: found inside the settings or snapshot text
  // means referred to.
  store::SqliteStatement stmt(
      db_,
      "DELETE FROM channel_secrets WHERE agent_id = ?1 "
      "AND NOT EXISTS (SELECT 1 FROM agent_channels c WHERE c.agent_id = ?1 "
      "                AND instr(c.settings, channel_secrets.id) > 0) "
      "AND NOT EXISTS (SELECT 1 FROM version_snapshots v WHERE v.agent_id = ?1 "
      "                AND instr(v.snapshot, channel_secrets.id) > 0)");
  stmt.Bind(agent_id);
  HERALD_RETURN_IF_ERROR(stmt.Run());
  return sqlite3_changes(db_);
}

}  // namespace herald
