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
    {5, "agent drafts, knowledge blobs and the draft audit trail", R"sql(
      CREATE TABLE agents (
        id              TEXT PRIMARY KEY,
        name            TEXT NOT NULL DEFAULT '',
        description     TEXT NOT NULL DEFAULT '',
        model           TEXT NOT NULL DEFAULT '',
        voice           TEXT NOT NULL DEFAULT '',
        language        TEXT NOT NULL DEFAULT '',
        speaking_rate   REAL NOT NULL DEFAULT 1.0,
        instructions    TEXT NOT NULL DEFAULT '',
        guidelines      TEXT NOT NULL DEFAULT '',
        welcome_message TEXT NOT NULL DEFAULT '',
        starter_prompts TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
        revision        INTEGER NOT NULL DEFAULT 0,
        -- The deployed version users meet; NULL while the agent is a draft
        -- only. Set by deploy; a live agent cannot be deleted.
        live_version    INTEGER,
        created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        updated_by      TEXT NOT NULL DEFAULT ''
      ) STRICT;
      -- One row per revision: who changed what, when.
      CREATE TABLE agent_changes (
        agent_id  TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        revision  INTEGER NOT NULL,
        user_name TEXT NOT NULL,
        at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        summary   TEXT NOT NULL,
        PRIMARY KEY (agent_id, revision)
      ) STRICT;
      -- File contents, stored once by sha256 (lower-case hex). A blob lives
      -- while a draft's knowledge (and, with deploys, a version) uses it.
      CREATE TABLE blobs (
        sha256     TEXT PRIMARY KEY,
        size       INTEGER NOT NULL,
        bytes      BLOB NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
      ) STRICT;
      CREATE TABLE agent_knowledge (
        agent_id     TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        name         TEXT NOT NULL,
        sha256       TEXT NOT NULL REFERENCES blobs (sha256) ON DELETE RESTRICT,
        size         INTEGER NOT NULL,
        content_type TEXT NOT NULL,
        updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (agent_id, name)
      ) STRICT;
      CREATE INDEX agent_knowledge_by_blob ON agent_knowledge (sha256);
      -- Tool names; no foreign key: a tool removed from /v1/tools stays named
      -- here, and the pre-deployment summary reports it.
      CREATE TABLE agent_tools (
        agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        tool     TEXT NOT NULL,
        PRIMARY KEY (agent_id, tool)
      ) STRICT;
      CREATE TABLE agent_collaborators (
        agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role     TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
        PRIMARY KEY (agent_id, user_id)
      ) STRICT;
      CREATE INDEX agent_collaborators_by_user ON agent_collaborators (user_id);
      CREATE TABLE agent_channels (
        agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        name     TEXT NOT NULL,
        plugin   TEXT NOT NULL,
        settings TEXT NOT NULL,  -- JSON object, as given (defaults are not stored)
        PRIMARY KEY (agent_id, name)
      ) STRICT;
    )sql"},
    {6, "versions, deployments, live state and live search", R"sql(
      ALTER TABLE agents ADD COLUMN deployed_at TEXT NOT NULL DEFAULT '';
      -- Immutable snapshots; the canonical JSON and its sha256.
      CREATE TABLE agent_versions (
        agent_id       TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        version        INTEGER NOT NULL,
        draft_revision INTEGER NOT NULL,
        content_hash   TEXT NOT NULL,
        author         TEXT NOT NULL,
        comment        TEXT NOT NULL,
        created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        snapshot       TEXT NOT NULL,
        PRIMARY KEY (agent_id, version)
      ) STRICT;
      -- The knowledge blobs each version uses: they outlive the draft's own.
      CREATE TABLE version_blobs (
        agent_id TEXT NOT NULL,
        version  INTEGER NOT NULL,
        sha256   TEXT NOT NULL REFERENCES blobs (sha256) ON DELETE RESTRICT,
        PRIMARY KEY (agent_id, version, sha256),
        FOREIGN KEY (agent_id, version) REFERENCES agent_versions (agent_id, version)
          ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX version_blobs_by_blob ON version_blobs (sha256);
      CREATE TABLE deployments (
        id               INTEGER PRIMARY KEY,
        agent_id         TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        kind             TEXT NOT NULL CHECK (kind IN ('deploy', 'rollback', 'undeploy')),
        version          INTEGER,
        previous_version INTEGER,
        state            TEXT NOT NULL
                         CHECK (state IN ('running', 'succeeded', 'failed', 'partial', 'interrupted')),
        partial          INTEGER NOT NULL,
        author           TEXT NOT NULL,
        comment          TEXT NOT NULL,
        started_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        finished_at      TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE INDEX deployments_by_agent ON deployments (agent_id, id);
      CREATE TABLE deployment_channels (
        deployment_id INTEGER NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
        channel       TEXT NOT NULL,
        plugin        TEXT NOT NULL,
        outcome       TEXT NOT NULL,
        message       TEXT NOT NULL,
        latency_ms    INTEGER NOT NULL,
        PRIMARY KEY (deployment_id, channel)
      ) STRICT;
      -- Which version each channel of a live agent serves.
      CREATE TABLE agent_live_channels (
        agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        channel  TEXT NOT NULL,
        plugin   TEXT NOT NULL,
        version  INTEGER NOT NULL,
        PRIMARY KEY (agent_id, channel)
      ) STRICT;
      -- Live agents by their live name and description.
      CREATE VIRTUAL TABLE live_search USING fts5 (agent_id UNINDEXED, name, description);
    )sql"},
    {7, "conversations and their bounded history", R"sql(
      -- Owned by (owner, agent_id, user_id): owner is the channel plugin's
      -- name or 'preview'; user_id '' for an anonymous user.
      CREATE TABLE conversations (
        id         TEXT PRIMARY KEY,
        owner      TEXT NOT NULL,
        agent_id   TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        user_id    TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
      ) STRICT;
      CREATE INDEX conversations_by_agent ON conversations (agent_id);
      -- The last turns of each conversation (older ones are deleted).
      CREATE TABLE conversation_turns (
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        seq             INTEGER NOT NULL,
        version         INTEGER NOT NULL,
        user_message    TEXT NOT NULL,
        reply           TEXT NOT NULL,
        created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (conversation_id, seq)
      ) STRICT, WITHOUT ROWID;
    )sql"},
    {8, "channel plugins' key-value state", R"sql(
      -- A namespace per plugin; sealed values hold the vault's ciphertext.
      CREATE TABLE plugin_state (
        plugin TEXT NOT NULL,
        sealed INTEGER NOT NULL,
        key    TEXT NOT NULL,
        value  BLOB NOT NULL,
        PRIMARY KEY (plugin, sealed, key)
      ) STRICT, WITHOUT ROWID;
    )sql"},
    {9, "sealed values of secret channel settings", R"sql(
      -- A draft's or version's channel settings hold {"$secret":"<id>"}; the
      -- value is here, sealed with AES-256-GCM bound to the key columns.
      CREATE TABLE channel_secrets (
        id         TEXT PRIMARY KEY,
        agent_id   TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        channel    TEXT NOT NULL,
        setting    TEXT NOT NULL,
        sealed     BLOB NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
      ) STRICT;
      CREATE INDEX channel_secrets_by_agent ON channel_secrets (agent_id);
    )sql"},
    {10, "version_blobs by agent", R"sql(
      -- The blobs some version of an agent uses (each version's own list is
      -- in its snapshot), which is all that keeping blobs alive needs, since
      -- versions go only with their agent. A redeploy with unchanged
      -- knowledge writes nothing here; a row per version and file used to
      -- cost about 17 written pages and 2.3 KB per redeploy.
      CREATE TABLE version_blobs_by_agent (
        agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        sha256   TEXT NOT NULL REFERENCES blobs (sha256) ON DELETE RESTRICT,
        PRIMARY KEY (agent_id, sha256)
      ) STRICT, WITHOUT ROWID;
      INSERT OR IGNORE INTO version_blobs_by_agent (agent_id, sha256)
        SELECT agent_id, sha256 FROM version_blobs;
      DROP TABLE version_blobs;
      ALTER TABLE version_blobs_by_agent RENAME TO version_blobs;
      CREATE INDEX version_blobs_by_blob ON version_blobs (sha256);
    )sql"},
    {11, "snapshots stored once per content hash; lighter deployment tables", R"sql(
      -- A version's snapshot text, once per agent and content hash (its
      -- sha256): a redeploy of an unchanged draft writes no snapshot bytes,
      -- where a copy per version cost 3 overflow pages and about 13 KB.
      -- Texts go only with their agent, as versions do.
      CREATE TABLE version_snapshots (
        agent_id     TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        content_hash TEXT NOT NULL,
        snapshot     TEXT NOT NULL,
        PRIMARY KEY (agent_id, content_hash)
      ) STRICT;
      INSERT INTO version_snapshots (agent_id, content_hash, snapshot)
        SELECT DISTINCT agent_id, content_hash, snapshot FROM agent_versions;
      -- Without the text a version's row is small: keyed by (agent,
      -- version) without a rowid, a new one writes one page, not a row page
      -- and an index page.
      CREATE TABLE agent_versions_by_hash (
        agent_id       TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        version        INTEGER NOT NULL,
        draft_revision INTEGER NOT NULL,
        content_hash   TEXT NOT NULL,
        author         TEXT NOT NULL,
        comment        TEXT NOT NULL,
        created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (agent_id, version)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO agent_versions_by_hash (agent_id, version, draft_revision, content_hash, author,
                                          comment, created_at)
        SELECT agent_id, version, draft_revision, content_hash, author, comment, created_at
        FROM agent_versions;
      DROP TABLE agent_versions;
      ALTER TABLE agent_versions_by_hash RENAME TO agent_versions;
      -- Deployments again, for their CHECKs: SQLite tests `x IN (three or
      -- more constants)` through a temporary table it builds for every
      -- statement, which made recording a deployment cost more than the
      -- rest of its INSERT. The same rule, written as comparisons.
      CREATE TABLE deployments_checked (
        id               INTEGER PRIMARY KEY,
        agent_id         TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        kind             TEXT NOT NULL
                         CHECK (kind = 'deploy' OR kind = 'rollback' OR kind = 'undeploy'),
        version          INTEGER,
        previous_version INTEGER,
        state            TEXT NOT NULL
                         CHECK (state = 'running' OR state = 'succeeded' OR state = 'failed' OR
                                state = 'partial' OR state = 'interrupted'),
        partial          INTEGER NOT NULL,
        author           TEXT NOT NULL,
        comment          TEXT NOT NULL,
        started_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        finished_at      TEXT NOT NULL DEFAULT ''
      ) STRICT;
      INSERT INTO deployments_checked (id, agent_id, kind, version, previous_version, state,
                                       partial, author, comment, started_at, finished_at)
        SELECT id, agent_id, kind, version, previous_version, state, partial, author, comment,
               started_at, finished_at
        FROM deployments;
      -- A deploy's channel rows without a rowid: one page each time
      -- instead of a row page and an index page. They keep their order in
      -- `seq` (it was the rowid's). Made to refer to the new deployments
      -- table before the old one goes, so that dropping it (which deletes
      -- its rows, cascading) leaves them alone; the renames below carry
      -- the reference along.
      CREATE TABLE deployment_channels_by_seq (
        deployment_id INTEGER NOT NULL REFERENCES deployments_checked (id) ON DELETE CASCADE,
        seq           INTEGER NOT NULL,
        channel       TEXT NOT NULL,
        plugin        TEXT NOT NULL,
        outcome       TEXT NOT NULL,
        message       TEXT NOT NULL,
        latency_ms    INTEGER NOT NULL,
        PRIMARY KEY (deployment_id, seq)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO deployment_channels_by_seq (deployment_id, seq, channel, plugin, outcome,
                                              message, latency_ms)
        SELECT deployment_id, row_number() OVER (PARTITION BY deployment_id ORDER BY rowid),
               channel, plugin, outcome, message, latency_ms
        FROM deployment_channels;
      DROP TABLE deployment_channels;
      DROP TABLE deployments;
      ALTER TABLE deployments_checked RENAME TO deployments;
      ALTER TABLE deployment_channels_by_seq RENAME TO deployment_channels;
      CREATE INDEX deployments_by_agent ON deployments (agent_id, id);
      -- Live channels without a rowid, for the same reason.
      CREATE TABLE agent_live_channels_by_agent (
        agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        channel  TEXT NOT NULL,
        plugin   TEXT NOT NULL,
        version  INTEGER NOT NULL,
        PRIMARY KEY (agent_id, channel)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO agent_live_channels_by_agent (agent_id, channel, plugin, version)
        SELECT agent_id, channel, plugin, version FROM agent_live_channels;
      DROP TABLE agent_live_channels;
      ALTER TABLE agent_live_channels_by_agent RENAME TO agent_live_channels;
    )sql"},
    {12, "the live search row of each agent by its rowid", R"sql(
      -- FTS5 finds a row by its rowid, or by MATCH; `WHERE agent_id = ?`
      -- read every row of the index, so each deploy's search-row check cost
      -- time in proportion to the number of live agents (1.6 ms at 10,000).
      -- The rowid is the FTS5 content table's INTEGER PRIMARY KEY, which
      -- VACUUM keeps.
      ALTER TABLE agents ADD COLUMN search_row INTEGER;
      UPDATE agents SET search_row = indexed.rowid
        FROM (SELECT rowid, agent_id FROM live_search) AS indexed
        WHERE indexed.agent_id = agents.id;
    )sql"},
    {13, "a deployment's channel outcomes in its own row", R"sql(
      -- A deployment's outcomes were rows of deployment_channels, which the
      -- settle commit of every deploy (the one that waits for the disk)
      -- wrote as a page of its own beside the deployment's row: 1.6 pages
      -- on average, with the splits of its key. They are only ever read
      -- with their deployment, so they are now a JSON array in its row, in
      -- the order recorded, each an array [channel, plugin, outcome,
      -- message, latency_ms] (named keys would make every redeploy's row
      -- some 170 bytes larger).
      ALTER TABLE deployments ADD COLUMN channels TEXT NOT NULL DEFAULT '[]';
      UPDATE deployments SET channels = (
        SELECT json_group_array(json_array(channel, plugin, outcome, message, latency_ms))
        FROM (SELECT * FROM deployment_channels c WHERE c.deployment_id = deployments.id
              ORDER BY seq))
        WHERE id IN (SELECT deployment_id FROM deployment_channels);
      DROP TABLE deployment_channels;
    )sql"},
    {14, "a content generation that every write to a draft's or connection's rows moves on", R"sql(
      -- One number, moved on by the triggers below with every write to a
      -- row that a read of a draft (SqliteStore::GetAgent and
      -- GetAgentWithTools: the agent, its knowledge, tools and their
      -- definitions, collaborators and their users' names, channels) or of
      -- a connection with its credentials reads. A reader that kept what it
      -- read at generation N knows from this row alone whether it still
      -- holds, whichever connection, process or (sharing one database)
      -- heraldd node wrote since. Deploys write none of these rows: of
      -- agents, only the columns a draft is made of are watched, not
      -- live_version, deployed_at and search_row, which deploys write (a
      -- draft read takes live_version afresh every time). It starts at 1,
      -- so that 0 can mean "no generation".
      CREATE TABLE content_generation (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        value INTEGER NOT NULL
      ) STRICT;
      INSERT INTO content_generation (id, value) VALUES (1, 1);
      CREATE TRIGGER agents_inserted_moves_generation AFTER INSERT ON agents
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER agents_updated_moves_generation AFTER UPDATE OF
          id, name, description, model, voice, language, speaking_rate, instructions, guidelines,
          welcome_message, starter_prompts, revision, created_at, updated_at, updated_by
        ON agents
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER agents_deleted_moves_generation AFTER DELETE ON agents
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER agent_knowledge_inserted_moves_generation AFTER INSERT ON agent_knowledge
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER agent_knowledge_updated_moves_generation AFTER UPDATE ON agent_knowledge
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER agent_knowledge_deleted_moves_generation AFTER DELETE ON agent_knowledge
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER agent_tools_inserted_moves_generation AFTER INSERT ON agent_tools
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER agent_tools_updated_moves_generation AFTER UPDATE ON agent_tools
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER agent_tools_deleted_moves_generation AFTER DELETE ON agent_tools
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER agent_collaborators_inserted_moves_generation AFTER INSERT ON agent_collaborators
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER agent_collaborators_updated_moves_generation AFTER UPDATE ON agent_collaborators
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER agent_collaborators_deleted_moves_generation AFTER DELETE ON agent_collaborators
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER agent_channels_inserted_moves_generation AFTER INSERT ON agent_channels
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER agent_channels_updated_moves_generation AFTER UPDATE ON agent_channels
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER agent_channels_deleted_moves_generation AFTER DELETE ON agent_channels
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER users_inserted_moves_generation AFTER INSERT ON users
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER users_updated_moves_generation AFTER UPDATE ON users
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER users_deleted_moves_generation AFTER DELETE ON users
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER tools_inserted_moves_generation AFTER INSERT ON tools
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER tools_updated_moves_generation AFTER UPDATE ON tools
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER tools_deleted_moves_generation AFTER DELETE ON tools
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER connections_inserted_moves_generation AFTER INSERT ON connections
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER connections_updated_moves_generation AFTER UPDATE ON connections
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER connections_deleted_moves_generation AFTER DELETE ON connections
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER connection_environments_inserted_moves_generation AFTER INSERT ON connection_environments
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER connection_environments_updated_moves_generation AFTER UPDATE ON connection_environments
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER connection_environments_deleted_moves_generation AFTER DELETE ON connection_environments
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER credentials_inserted_moves_generation AFTER INSERT ON credentials
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER credentials_updated_moves_generation AFTER UPDATE ON credentials
        BEGIN UPDATE content_generation SET value = value + 1; END;
      CREATE TRIGGER credentials_deleted_moves_generation AFTER DELETE ON credentials
        BEGIN UPDATE content_generation SET value = value + 1; END;
    )sql"},
    {15, "deployments keyed by their agent, without a rowid", R"sql(
      -- A rowid table with an index on (agent_id, id) wrote two pages for
      -- each deployment recorded, the row's and the index entry's: one of
      -- the five pages a redeploy writes, and measured at about 14 us of
      -- each. Keyed by (agent_id, id) without a rowid, the row is its own
      -- index entry. Every read of deployments goes by agent, except
      -- GetDeployment and RunningDeployments (start-up recovery), which
      -- read the table through. Ids stay unique across agents: the store
      -- hands them out (SqliteStore::BeginDeployment), since one heraldd
      -- at a time holds a data directory (heraldd.lock).
      CREATE TABLE deployments_by_agent_key (
        agent_id         TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        id               INTEGER NOT NULL,
        kind             TEXT NOT NULL
                         CHECK (kind = 'deploy' OR kind = 'rollback' OR kind = 'undeploy'),
        version          INTEGER,
        previous_version INTEGER,
        state            TEXT NOT NULL
                         CHECK (state = 'running' OR state = 'succeeded' OR state = 'failed' OR
                                state = 'partial' OR state = 'interrupted'),
        partial          INTEGER NOT NULL,
        author           TEXT NOT NULL,
        comment          TEXT NOT NULL,
        started_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        finished_at      TEXT NOT NULL DEFAULT '',
        channels         TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (agent_id, id)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO deployments_by_agent_key (agent_id, id, kind, version, previous_version, state,
                                            partial, author, comment, started_at, finished_at,
                                            channels)
        SELECT agent_id, id, kind, version, previous_version, state, partial, author, comment,
               started_at, finished_at, channels
        FROM deployments;
      DROP TABLE deployments;
      ALTER TABLE deployments_by_agent_key RENAME TO deployments;
    )sql"},
};

}  // namespace

std::span<const Migration> SqliteMigrations() { return kMigrations; }

}  // namespace herald
