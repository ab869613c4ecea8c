// SqliteStore's ToolStore.
#include "herald/core/sqlite_store.h"
#include "store/sqlite_statement.h"
#include "store/sqlite_tool_row.h"

#include <cstdio>

namespace herald {
namespace {

// Every SELECT of whole tools starts so (made once), the clauses follow.
const std::string& SelectTools() {
  static const std::string* const text =
      new std::string(std::string("SELECT ") + store::kToolRowColumns + " FROM tools ");
  return *text;
}

Tool ReadTool(const store::SqliteStatement& stmt) {
  Tool t;
  store::ReadToolRow(stmt, 0, t);
  return t;
}

// `names` as a JSON array of strings, for json_each: every name escaped as
// JSON requires (quote, backslash, control characters); other bytes as they
// are, which SQLite reads as UTF-8.
std::string JsonArrayOf(const std::vector<std::string>& names) {
  std::string out = "[";
  for (const std::string& name : names) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : name) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
        out += escaped;
      } else {
        out += c;
      }
    }
    out += '"';
  }
  return out + "]";
}

}  // namespace

Status SqliteStore::PutTool(const Tool& t) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(
      *statements_,
      "INSERT INTO tools (name, description, method, server_url, path, parameters, security, "
      "connection_id, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
      "description = excluded.description, method = excluded.method, "
      "server_url = excluded.server_url, path = excluded.path, parameters = excluded.parameters, "
      "security = excluded.security, connection_id = excluded.connection_id, "
      "source = excluded.source, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')");
  std::optional<std::string> connection;
  if (!t.connection_id.empty()) connection = t.connection_id;
  return stmt
      .Bind(t.name, t.description, t.method, t.server_url, t.path, t.parameters_json,
            t.security_json, connection, t.source)
      .Run();
}

StatusOr<Tool> SqliteStore::GetTool(const std::string& name) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(*statements_, SelectTools() + "WHERE name = ?");
  stmt.Bind(name);
  if (stmt.Step()) return ReadTool(stmt);
  if (!stmt.ok()) return stmt.status();
  return Status::NotFound("tool '" + name + "' does not exist");
}

StatusOr<std::vector<Tool>> SqliteStore::ListTools() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(*statements_, SelectTools() + "ORDER BY name");
  std::vector<Tool> out;
  while (stmt.Step()) out.push_back(ReadTool(stmt));
  if (!stmt.ok()) return stmt.status();
  return out;
}

StatusOr<std::vector<Tool>> SqliteStore::GetTools(const std::vector<std::string>& names) {
  const std::string json = JsonArrayOf(names);
  // The names travel as one JSON array: one statement for any number. The
  // text is made once, not at each read (every summary and deploy reads).
  static const std::string* const sql = new std::string(
      SelectTools() + "WHERE name IN (SELECT value FROM json_each(?)) ORDER BY name");
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(*statements_, *sql);
  stmt.Bind(json);
  std::vector<Tool> out;
  out.reserve(names.size());
  while (stmt.Step()) store::ReadToolRow(stmt, 0, out.emplace_back());
  if (!stmt.ok()) return stmt.status();
  return out;
}

StatusOr<std::vector<std::string>> SqliteStore::ToolNamesUsing(const std::string& connection_id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(*statements_,
                              "SELECT name FROM tools WHERE connection_id = ? ORDER BY name");
  stmt.Bind(connection_id);
  std::vector<std::string> out;
  while (stmt.Step()) out.push_back(stmt.Text(0));
  if (!stmt.ok()) return stmt.status();
  return out;
}

Status SqliteStore::DeleteTool(const std::string& name) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(*statements_, "DELETE FROM tools WHERE name = ?");
  HERALD_RETURN_IF_ERROR(stmt.Bind(name).Run());
  if (sqlite3_changes(db_) == 0) return Status::NotFound("tool '" + name + "' does not exist");
  return Status::Ok();
}

}  // namespace herald
