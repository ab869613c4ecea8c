// The embedded SQLite store: one database file in the data directory, in WAL
// mode with foreign keys on and full synchronous commits, migrated to the
// newest schema on open.
//
// Thread-safety: one connection guarded by a mutex (SQLite serialises writers
// anyway); readers that need to scale get their own connections later.
#ifndef HERALD_CORE_SQLITE_STORE_H_
#define HERALD_CORE_SQLITE_STORE_H_

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "herald/core/store.h"

struct sqlite3;

namespace herald {

class SqliteStore final : public Store {
 public:
  // Opens (creating when absent) and migrates the database at `path`.
  // Refuses a database whose schema is newer than this build knows.
  static StatusOr<std::unique_ptr<SqliteStore>> Open(const std::filesystem::path& path);
  ~SqliteStore() override;

  std::string backend() const override { return "sqlite"; }
  int schema_version() const override { return schema_version_; }
  Status Ping() override;
  StatusOr<std::string> InstanceId() override;

 private:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  Status Migrate();

  std::mutex mu_;
  sqlite3* db_;
  int schema_version_ = 0;
};

}  // namespace herald

#endif  // HERALD_CORE_SQLITE_STORE_H_
