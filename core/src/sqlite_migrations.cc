#include "sqlite_migrations.h"

namespace herald {

namespace {

constexpr Migration kMigrations[] = {
    {1, "instance metadata", R"sql(
      CREATE TABLE herald_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      INSERT INTO herald_meta (key, value) VALUES ('instance_id', lower(hex(randomblob(16))));
    )sql"},
};

}  // namespace

std::span<const Migration> SqliteMigrations() { return kMigrations; }

}  // namespace herald
