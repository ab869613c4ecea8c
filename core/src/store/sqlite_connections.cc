// SqliteStore's ConnectionStore.
#include "herald/core/sqlite_store.h"
#include "store/sqlite_cached_reads.h"
#include "store/sqlite_statement.h"

#include <functional>
#include <optional>

namespace herald {
namespace {

constexpr char kNow[] = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

Status NotFound(const std::string& id) {
  return Status::NotFound("connection '" + id + "' does not exist");
}

// A connection and its environments, joined: a row per environment, or one
// row of NULLs from e for a connection with none. Callers may join more
// tables to e and add their columns after these.
constexpr char kConnectionColumns[] =
    "SELECT c.id, c.display_name, c.created_at, c.updated_at, e.environment, e.server_url, "
    "e.auth_type, e.credential_type, e.sso, e.probe_method, e.probe_path, e.probe_timeout_ms, "
    "e.sso_config, e.status, e.status_detail, e.status_http, e.tested_at";
constexpr int kConnectionColumnCount = 17;
constexpr char kConnectionFrom[] =
    " FROM connections c LEFT JOIN connection_environments e ON e.connection_id = c.id";

// The connection the rows of `stmt` (kConnectionColumns first) describe;
// `each_row`, when given, sees every row that has an environment, with it.
StatusOr<Connection> ReadConnection(store::SqliteStatement& stmt, const std::string& id,
                                    const std::function<void(Environment)>& each_row) {
  Connection c;
  bool found = false;
  std::optional<Environment> last;
  while (stmt.Step()) {
    if (!found) {
      c.id = stmt.Text(0);
      c.display_name = stmt.Text(1);
      c.created_at = stmt.Text(2);
      c.updated_at = stmt.Text(3);
      found = true;
    }
    if (stmt.IsNull(4)) continue;
    const Environment env = ParseEnvironment(stmt.Text(4)).value_or(Environment::kDraft);
    if (env != last) {
      last = env;
      EnvironmentConfig config;
      config.server_url = stmt.Text(5);
      config.auth_type = stmt.Text(6);
      config.credential_type = ParseCredentialType(stmt.Text(7)).value_or(CredentialType::kTeam);
      config.sso = stmt.Int(8) != 0;
      config.probe_method = stmt.Text(9);
      config.probe_path = stmt.Text(10);
      config.probe_timeout_ms = static_cast<int>(stmt.Int(11));
      config.sso_config_json = stmt.Text(12);
      c.config(env) = std::move(config);
      ConnectionStatus& st = env == Environment::kDraft ? c.draft_status : c.live_status;
      st.status = stmt.Text(13);
      st.detail = stmt.Text(14);
      st.http_status = static_cast<int>(stmt.Int(15));
      st.tested_at = stmt.Text(16);
    }
    if (each_row) each_row(env);
  }
  if (!stmt.ok()) return stmt.status();
  if (!found) return NotFound(id);
  return c;
}

}  // namespace

Status SqliteStore::WriteEnvironments(const Connection& c) {
  store::SqliteStatement clear(*statements_,
                               "DELETE FROM connection_environments WHERE connection_id = ?");
  HERALD_RETURN_IF_ERROR(clear.Bind(c.id).Run());
  for (Environment env : {Environment::kDraft, Environment::kLive}) {
    const auto& config = c.config(env);
    if (!config) continue;
    const ConnectionStatus& st = c.status(env);
    store::SqliteStatement insert(
        *statements_,
        "INSERT INTO connection_environments (connection_id, environment, server_url, auth_type, "
        "credential_type, sso, probe_method, probe_path, probe_timeout_ms, sso_config, status, "
        "status_detail, status_http, tested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.Bind(c.id, EnvironmentName(env), config->server_url, config->auth_type,
                CredentialTypeName(config->credential_type), config->sso, config->probe_method,
                config->probe_path, config->probe_timeout_ms, config->sso_config_json, st.status,
                st.detail, st.http_status, st.tested_at);
    HERALD_RETURN_IF_ERROR(insert.Run());
  }
  return Status::Ok();
}

Status SqliteStore::CreateConnection(const Connection& c) {
  return Transaction([&]() -> Status {
    store::SqliteStatement insert(*statements_,
                                  "INSERT INTO connections (id, display_name) VALUES (?, ?)");
    Status s = insert.Bind(c.id, c.display_name).Run();
    if (s.code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists("id: a connection '" + c.id + "' already exists");
    }
    HERALD_RETURN_IF_ERROR(s);
    return WriteEnvironments(c);
  });
}

StatusOr<Connection> SqliteStore::GetConnection(const std::string& id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(
      *statements_, std::string(kConnectionColumns) + kConnectionFrom + " WHERE c.id = ?");
  stmt.Bind(id);
  return ReadConnection(stmt, id, nullptr);
}

StatusOr<Connection> SqliteStore::GetConnectionWithCredentials(
    const std::string& id, const std::string& owner, std::vector<SealedCredential>* credentials) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::ReadTransaction read(*statements_);
  int64_t at = 0;
  {
    store::SqliteStatement generation(*statements_, store::kSelectContentGeneration);
    if (!generation.Step()) {
      return generation.ok() ? Status::Internal("no content generation") : generation.status();
    }
    at = generation.Int(0);
  }
  // Ids and owners hold no NUL, so the pair is told apart from any other.
  std::string key = id;
  key += '\0';
  key += owner;
  std::shared_ptr<const store::CachedConnection> kept = connections_read_->Find(key, at);
  if (kept == nullptr) {
    auto fresh = std::make_shared<store::CachedConnection>();
    // A row per (environment, field), the environment's columns repeated.
    store::SqliteStatement stmt(
        *statements_,
        std::string(kConnectionColumns) + ", k.field, k.sealed, k.updated_at" + kConnectionFrom +
            " LEFT JOIN credentials k ON k.connection_id = c.id AND k.environment = e.environment "
            "AND k.owner = ? WHERE c.id = ? ORDER BY e.environment, k.field");
    stmt.Bind(owner, id);
    StatusOr<Connection> c = ReadConnection(stmt, id, [&](Environment env) {
      if (stmt.IsNull(kConnectionColumnCount)) return;
      SealedCredential k;
      k.connection_id = id;
      k.environment = env;
      k.owner = owner;
      k.field = stmt.Text(kConnectionColumnCount);
      k.sealed = stmt.Blob(kConnectionColumnCount + 1);
      k.updated_at = stmt.Text(kConnectionColumnCount + 2);
      fresh->credentials.push_back(std::move(k));
    });
    if (!c.ok()) return c.status();
    fresh->connection = std::move(c).value();
    kept = std::move(fresh);
    if (store::GenerationIsCommitted(db_) && read.atomic()) {
      connections_read_->Put(std::move(key), at, kept);
    }
  }
  *credentials = kept->credentials;
  return kept->connection;
}

StatusOr<std::vector<Connection>> SqliteStore::ListConnections() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  std::vector<std::string> ids;
  {
    store::SqliteStatement stmt(*statements_, "SELECT id FROM connections ORDER BY id");
    while (stmt.Step()) ids.push_back(stmt.Text(0));
    if (!stmt.ok()) return stmt.status();
  }
  std::vector<Connection> out;
  for (const auto& id : ids) {
    StatusOr<Connection> c = GetConnection(id);
    if (!c.ok()) return c.status();
    out.push_back(std::move(c).value());
  }
  return out;
}

Status SqliteStore::UpdateConnection(const Connection& c) {
  return Transaction([&]() -> Status {
    store::SqliteStatement update(*statements_,
                                  std::string("UPDATE connections SET display_name = ?, "
                                              "updated_at = ") +
                                      kNow + " WHERE id = ?");
    HERALD_RETURN_IF_ERROR(update.Bind(c.display_name, c.id).Run());
    if (sqlite3_changes(db_) == 0) return NotFound(c.id);
    return WriteEnvironments(c);
  });
}

Status SqliteStore::SetConnectionStatus(const std::string& id, Environment env,
                                        const ConnectionStatus& st) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement update(
      *statements_,
      "UPDATE connection_environments SET status = ?, status_detail = ?, status_http = ?, "
      "tested_at = ? WHERE connection_id = ? AND environment = ?");
  HERALD_RETURN_IF_ERROR(
      update.Bind(st.status, st.detail, st.http_status, st.tested_at, id, EnvironmentName(env))
          .Run());
  if (sqlite3_changes(db_) == 0) {
    return Status::NotFound("connection '" + id + "' has no " + std::string(EnvironmentName(env)) +
                            " configuration");
  }
  return Status::Ok();
}

Status SqliteStore::DeleteConnection(const std::string& id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement del(*statements_, "DELETE FROM connections WHERE id = ?");
  HERALD_RETURN_IF_ERROR(del.Bind(id).Run());
  if (sqlite3_changes(db_) == 0) return NotFound(id);
  return Status::Ok();
}

}  // namespace herald
