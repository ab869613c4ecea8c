// SqliteStore's PluginStateStore.
#include "herald/core/sqlite_store.h"
#include "store/sqlite_statement.h"

namespace herald {
namespace {

std::vector<PluginStateEntry> ReadAll(store::SqliteStatement& stmt) {
  std::vector<PluginStateEntry> out;
  while (stmt.Step()) {
    out.push_back(PluginStateEntry{stmt.Text(0), stmt.Text(1), stmt.Blob(2), stmt.Int(3) != 0});
  }
  return out;
}

}  // namespace

StatusOr<std::string> SqliteStore::GetPluginValue(const std::string& plugin, bool sealed,
                                                  const std::string& key) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(
      *statements_, "SELECT value FROM plugin_state WHERE plugin = ? AND sealed = ? AND key = ?");
  stmt.Bind(plugin, sealed, key);
  if (stmt.Step()) return stmt.Blob(0);
  if (!stmt.ok()) return stmt.status();
  return Status::NotFound("no value for key '" + key + "'");
}

Status SqliteStore::PutPluginValue(const std::string& plugin, bool sealed, const std::string& key,
                                   const std::string& value) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(*statements_,
                              "INSERT INTO plugin_state (plugin, sealed, key, value) "
                              "VALUES (?, ?, ?, ?) ON CONFLICT (plugin, sealed, key) "
                              "DO UPDATE SET value = excluded.value");
  return stmt.Bind(plugin, sealed, key, store::SqliteBlob{value}).Run();
}

Status SqliteStore::DeletePluginValue(const std::string& plugin, bool sealed,
                                      const std::string& key) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(
      *statements_, "DELETE FROM plugin_state WHERE plugin = ? AND sealed = ? AND key = ?");
  return stmt.Bind(plugin, sealed, key).Run();
}

StatusOr<std::vector<PluginStateEntry>> SqliteStore::ListPluginValues(const std::string& plugin,
                                                                      bool sealed,
                                                                      const std::string& prefix) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  // Bytes, not LIKE: a key may hold % or _, and substr counts bytes only on
  // a BLOB.
  store::SqliteStatement stmt(*statements_,
                              "SELECT plugin, key, value, sealed FROM plugin_state "
                              "WHERE plugin = ? AND sealed = ? "
                              "AND substr(CAST(key AS BLOB), 1, ?) = CAST(? AS BLOB) "
                              "ORDER BY key");
  stmt.Bind(plugin, sealed, static_cast<int64_t>(prefix.size()), prefix);
  std::vector<PluginStateEntry> out = ReadAll(stmt);
  if (!stmt.ok()) return stmt.status();
  return out;
}

StatusOr<std::vector<PluginStateEntry>> SqliteStore::ListAllSealedPluginValues() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(
      *statements_,
      "SELECT plugin, key, value, sealed FROM plugin_state WHERE sealed = 1 ORDER BY plugin, key");
  std::vector<PluginStateEntry> out = ReadAll(stmt);
  if (!stmt.ok()) return stmt.status();
  return out;
}

}  // namespace herald
