// SqliteStore's CredentialStore. Values arrive and leave sealed.
#include "herald/core/sqlite_store.h"
#include "store/sqlite_statement.h"

namespace herald {
namespace {

constexpr char kColumns[] =
    "SELECT connection_id, environment, owner, field, sealed, updated_at FROM credentials ";

StatusOr<std::vector<SealedCredential>> ReadAll(store::SqliteStatement& stmt) {
  std::vector<SealedCredential> out;
  while (stmt.Step()) {
    SealedCredential c;
    c.connection_id = stmt.Text(0);
    c.environment = ParseEnvironment(stmt.Text(1)).value_or(Environment::kDraft);
    c.owner = stmt.Text(2);
    c.field = stmt.Text(3);
    c.sealed = stmt.Blob(4);
    c.updated_at = stmt.Text(5);
    out.push_back(std::move(c));
  }
  if (!stmt.ok()) return stmt.status();
  return out;
}

}  // namespace

Status SqliteStore::PutCredential(const SealedCredential& c) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(
      *statements_,
      "INSERT INTO credentials (connection_id, environment, owner, field, sealed) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (connection_id, environment, owner, field) DO UPDATE "
      "SET sealed = excluded.sealed, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')");
  return stmt
      .Bind(c.connection_id, EnvironmentName(c.environment), c.owner, c.field,
            store::SqliteBlob{c.sealed})
      .Run();
}

StatusOr<std::vector<SealedCredential>> SqliteStore::ListCredentials(
    const std::string& connection_id, Environment env, const std::string& owner) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(
      *statements_, std::string(kColumns) +
                        "WHERE connection_id = ? AND environment = ? AND owner = ? ORDER BY field");
  stmt.Bind(connection_id, EnvironmentName(env), owner);
  return ReadAll(stmt);
}

StatusOr<std::vector<SealedCredential>> SqliteStore::ListEnvironmentCredentials(
    const std::string& connection_id, Environment env) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(
      *statements_,
      std::string(kColumns) + "WHERE connection_id = ? AND environment = ? ORDER BY owner, field");
  stmt.Bind(connection_id, EnvironmentName(env));
  return ReadAll(stmt);
}

StatusOr<std::vector<SealedCredential>> SqliteStore::ListAllCredentials() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(*statements_,
                              std::string(kColumns) + "ORDER BY connection_id, environment");
  return ReadAll(stmt);
}

StatusOr<int> SqliteStore::DeleteCredentials(const std::string& connection_id, Environment env,
                                             const std::string& owner) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(
      *statements_,
      owner.empty()
          ? "DELETE FROM credentials WHERE connection_id = ? AND environment = ?"
          : "DELETE FROM credentials WHERE connection_id = ? AND environment = ? AND owner = ?");
  if (owner.empty()) {
    stmt.Bind(connection_id, EnvironmentName(env));
  } else {
    stmt.Bind(connection_id, EnvironmentName(env), owner);
  }
  HERALD_RETURN_IF_ERROR(stmt.Run());
  return sqlite3_changes(db_);
}

}  // namespace herald
