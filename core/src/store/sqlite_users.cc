// SqliteStore's UserStore.
#include "herald/core/sqlite_store.h"
#include "store/sqlite_statement.h"

namespace herald {
namespace {

constexpr char kUserColumns[] = "u.id, u.name, u.role, u.created_at";

User ReadUser(const store::SqliteStatement& stmt) {
  User u;
  u.id = stmt.Int(0);
  u.name = stmt.Text(1);
  u.role = ParseRole(stmt.Text(2)).value_or(Role::kMember);
  u.created_at = stmt.Text(3);
  return u;
}

}  // namespace

StatusOr<User> SqliteStore::CreateUser(const std::string& name, Role role,
                                       const std::string& token_hash) {
  StatusOr<User> created = Status::Internal("not created");
  Status s = Transaction([&]() -> Status {
    store::SqliteStatement insert(*statements_, "INSERT INTO users (name, role) VALUES (?, ?)");
    Status inserted = insert.Bind(name, RoleName(role)).Run();
    if (inserted.code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists("name: a user named '" + name + "' already exists");
    }
    HERALD_RETURN_IF_ERROR(inserted);
    store::SqliteStatement token(*statements_,
                                 "INSERT INTO api_tokens (token_hash, user_id) VALUES (?, "
                                 "last_insert_rowid())");
    HERALD_RETURN_IF_ERROR(token.Bind(token_hash).Run());
    created = FindUserByName(name);
    return created.status();
  });
  if (!s.ok()) return s;
  return created;
}

StatusOr<User> SqliteStore::FindUserByTokenHash(const std::string& token_hash) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(*statements_,
                              std::string("SELECT ") + kUserColumns +
                                  " FROM users u JOIN api_tokens t ON t.user_id = u.id "
                                  "WHERE t.token_hash = ?");
  stmt.Bind(token_hash);
  if (stmt.Step()) return ReadUser(stmt);
  if (!stmt.ok()) return stmt.status();
  return Status::NotFound("no user has this token");
}

StatusOr<User> SqliteStore::FindUserByName(const std::string& name) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(
      *statements_, std::string("SELECT ") + kUserColumns + " FROM users u WHERE name = ?");
  stmt.Bind(name);
  if (stmt.Step()) return ReadUser(stmt);
  if (!stmt.ok()) return stmt.status();
  return Status::NotFound("no user named '" + name + "'");
}

StatusOr<std::vector<User>> SqliteStore::ListUsers() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(
      *statements_, std::string("SELECT ") + kUserColumns + " FROM users u ORDER BY name");
  std::vector<User> users;
  while (stmt.Step()) users.push_back(ReadUser(stmt));
  if (!stmt.ok()) return stmt.status();
  return users;
}

Status SqliteStore::DeleteUser(int64_t id) {
  return Transaction([&]() -> Status {
    store::SqliteStatement creds(*statements_, "DELETE FROM credentials WHERE owner = ?");
    HERALD_RETURN_IF_ERROR(creds.Bind("user:" + std::to_string(id)).Run());
    store::SqliteStatement user(*statements_, "DELETE FROM users WHERE id = ?");
    return user.Bind(id).Run();
  });
}

}  // namespace herald
