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
    {2, "users and API tokens", R"sql(
      CREATE TABLE users (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        role       TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'member')),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
      ) STRICT;
      -- Only hashes: a token is shown once, when created.
      CREATE TABLE api_tokens (
        token_hash TEXT PRIMARY KEY,
        user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
      ) STRICT;
      CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
    )sql"},
    {3, "connections and encrypted credentials", R"sql(
      CREATE TABLE connections (
        id           TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
      ) STRICT;
      CREATE TABLE connection_environments (
        connection_id    TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
        environment      TEXT NOT NULL CHECK (environment IN ('draft', 'live')),
        server_url       TEXT NOT NULL,
        auth_type        TEXT NOT NULL,
        credential_type  TEXT NOT NULL CHECK (credential_type IN ('team', 'member')),
        sso              INTEGER NOT NULL,
        probe_method     TEXT NOT NULL,
        probe_path       TEXT NOT NULL,
        probe_timeout_ms INTEGER NOT NULL,
        sso_config       TEXT NOT NULL DEFAULT '',
        status           TEXT NOT NULL DEFAULT 'untested',
        status_detail    TEXT NOT NULL DEFAULT '',
        status_http      INTEGER NOT NULL DEFAULT 0,
        tested_at        TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (connection_id, environment)
      ) STRICT;
      -- Every value sealed with AES-256-GCM, bound to its row's key columns.
      CREATE TABLE credentials (
        connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
        environment   TEXT NOT NULL CHECK (environment IN ('draft', 'live')),
        owner         TEXT NOT NULL,
        field         TEXT NOT NULL,
        sealed        BLOB NOT NULL,
        updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (connection_id, environment, owner, field)
      ) STRICT;
    )sql"},
    {4, "tools", R"sql(
      CREATE TABLE tools (
        name          TEXT PRIMARY KEY,
        description   TEXT NOT NULL,
        method        TEXT NOT NULL,
        server_url    TEXT NOT NULL,
        path          TEXT NOT NULL,
        parameters    TEXT NOT NULL,
        security      TEXT NOT NULL,
        connection_id TEXT REFERENCES connections (id) ON DELETE RESTRICT,
        source        TEXT NOT NULL,
        created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
      ) STRICT;
      CREATE INDEX tools_by_connection ON tools (connection_id);
    )sql"},
};

}  // namespace

std::span<const Migration> SqliteMigrations() { return kMigrations; }

}  // namespace herald
