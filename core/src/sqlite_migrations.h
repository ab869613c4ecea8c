// The SQLite schema, as an ordered list of migrations. Append only: a
// migration that has shipped is never edited, a change is a new migration.
#ifndef HERALD_CORE_SQLITE_MIGRATIONS_H_
#define HERALD_CORE_SQLITE_MIGRATIONS_H_

#include <span>

namespace herald {

struct Migration {
  int version;       // 1, 2, 3 ... without gaps
  const char* name;  // what it does, for the log and schema_migrations
  const char* sql;   // run in one transaction with the version bump
};

std::span<const Migration> SqliteMigrations();

}  // namespace herald

#endif  // HERALD_CORE_SQLITE_MIGRATIONS_H_
