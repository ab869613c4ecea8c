#include "herald/core/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "herald/core/sha256.h"
#include "sqlite_migrations.h"

namespace herald {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("herald_store_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs raw SQL against the file, outside the store.
  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "herald.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  // Creates the database at schema `version` (migrations 1..version, as
  // they shipped), then runs `rows`.
  void CreateAtSchema(int version, const std::string& rows) {
    std::string sql =
        "PRAGMA foreign_keys=ON; CREATE TABLE schema_migrations (version INTEGER "
        "PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT '');";
    for (const Migration& m : SqliteMigrations()) {
      if (m.version > version) break;
      sql += m.sql;
      sql += "INSERT INTO schema_migrations (version, name) VALUES (" + std::to_string(m.version) +
             ", 'old');";
    }
    Sql(sql + rows);
  }

  // The first column of each row of `query`, run outside the store.
  std::vector<std::string> Column(const std::string& query) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((dir_ / "herald.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* rows = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, query.c_str(), -1, &rows, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    std::vector<std::string> out;
    while (sqlite3_step(rows) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(rows, 0)));
    }
    sqlite3_finalize(rows);
    sqlite3_close(db);
    return out;
  }

  std::filesystem::path dir_;
};

TEST_F(SqliteStoreTest, MigratesANewDatabaseToTheNewestSchema) {
  auto store = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->backend(), "sqlite");
  EXPECT_EQ((*store)->schema_version(), SqliteMigrations().back().version);
  EXPECT_TRUE((*store)->Ping().ok());
  auto id = (*store)->InstanceId();
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->size(), 32u);
}

TEST_F(SqliteStoreTest, ReopeningKeepsDataAndDoesNotMigrateAgain) {
  std::string first_id;
  {
    auto store = SqliteStore::Open(dir_ / "herald.db");
    ASSERT_TRUE(store.ok());
    first_id = *(*store)->InstanceId();
  }
  auto again = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*(*again)->InstanceId(), first_id);
}

TEST_F(SqliteStoreTest, UsesWalAndForeignKeys) {
  auto store = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE(std::filesystem::exists(dir_ / "herald.db-wal"));
}

TEST_F(SqliteStoreTest, RefusesASchemaNewerThanItKnows) {
  { ASSERT_TRUE(SqliteStore::Open(dir_ / "herald.db").ok()); }
  Sql("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from the future')");
  auto store = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("9999"), std::string::npos);
}

TEST_F(SqliteStoreTest, ReportsAnUnopenablePath) {
  auto store = SqliteStore::Open(dir_ / "missing-dir" / "herald.db");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("missing-dir"), std::string::npos);
}

// Migration 10 keeps one version_blobs row per agent and blob: the blobs
// the old rows pinned stay pinned.
TEST_F(SqliteStoreTest, VersionBlobsKeepTheirBlobsWhenKeyedByAgent) {
  CreateAtSchema(
      9,
      "INSERT INTO agents (id) VALUES ('a');"
      "INSERT INTO blobs (sha256, size, bytes) VALUES ('b1', 1, x'00'), ('b2', 1, x'01');"
      "INSERT INTO agent_versions (agent_id, version, draft_revision, content_hash, author, "
      "comment, snapshot) VALUES ('a', 1, 0, 'h', 'u', '', '{}'), ('a', 2, 0, 'h', 'u', '', "
      "'{}');"
      "INSERT INTO version_blobs (agent_id, version, sha256) VALUES ('a', 1, 'b1'), "
      "('a', 2, 'b1'), ('a', 2, 'b2');");
  auto store = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "herald.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* rows = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT agent_id || '/' || sha256 FROM version_blobs ORDER BY 1",
                               -1, &rows, nullptr),
            SQLITE_OK);
  std::vector<std::string> pinned;
  while (sqlite3_step(rows) == SQLITE_ROW) {
    pinned.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(rows, 0)));
  }
  sqlite3_finalize(rows);
  EXPECT_EQ(pinned, (std::vector<std::string>{"a/b1", "a/b2"}));
  EXPECT_NE(sqlite3_exec(db, "PRAGMA foreign_keys=ON; DELETE FROM blobs WHERE sha256 = 'b2'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << "a pinned blob could be deleted";
  sqlite3_close(db);
}

// Migration 11 keeps each agent's snapshot texts once per content hash and
// rebuilds the version and channel tables: a database made at schema 10
// reads back the same versions, deployments and live state, and deleting
// the agent removes its texts.
TEST_F(SqliteStoreTest, VersionsAndDeploymentsSurviveStoringSnapshotsOnce) {
  CreateAtSchema(
      10,
      "INSERT INTO agents (id, live_version) VALUES ('a', 3);"
      "INSERT INTO agent_versions (agent_id, version, draft_revision, content_hash, author, "
      "comment, created_at, snapshot) VALUES "
      "('a', 1, 4, 'h1', 'ann', 'first', '2026-01-01T00:00:00Z', '{\"v\":1}'), "
      "('a', 2, 5, 'h1', 'bob', '', '2026-01-02T00:00:00Z', '{\"v\":1}'), "
      "('a', 3, 6, 'h2', 'ann', 'third', '2026-01-03T00:00:00Z', '{\"v\":2}');"
      "INSERT INTO deployments (id, agent_id, kind, version, state, partial, author, comment, "
      "started_at, finished_at) VALUES (7, 'a', 'deploy', 3, 'succeeded', 0, 'ann', '', "
      "'2026-01-03T00:00:00Z', '2026-01-03T00:00:01Z');"
      "INSERT INTO deployment_channels (deployment_id, channel, plugin, outcome, message, "
      "latency_ms) VALUES (7, 'web', 'p', 'published', '', 3), (7, 'api', 'p', 'error', 'no', 4);"
      "INSERT INTO agent_live_channels (agent_id, channel, plugin, version) VALUES "
      "('a', 'web', 'p', 3), ('a', 'api', 'p', 2);");
  auto opened = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  DeploymentStore& store = (*opened)->deployments();

  auto versions = store.ListVersions("a");
  ASSERT_TRUE(versions.ok()) << versions.status().ToString();
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_EQ((*versions)[0].version, 3);
  EXPECT_EQ((*versions)[0].content_hash, "h2");
  EXPECT_EQ((*versions)[2].comment, "first");
  EXPECT_EQ((*versions)[2].created_at, "2026-01-01T00:00:00Z");
  const std::vector<std::string> texts = {"", "{\"v\":1}", "{\"v\":1}", "{\"v\":2}"};
  for (int64_t n = 1; n <= 3; ++n) {
    auto v = store.GetVersion("a", n);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(v->snapshot_json, texts[n]);
    EXPECT_EQ(v->draft_revision, n + 3);
  }
  EXPECT_EQ(Column("SELECT content_hash FROM version_snapshots ORDER BY 1"),
            (std::vector<std::string>{"h1", "h2"}));

  auto deployment = store.GetDeployment(7);
  ASSERT_TRUE(deployment.ok()) << deployment.status().ToString();
  ASSERT_EQ(deployment->channels.size(), 2u);
  EXPECT_EQ(deployment->channels[0].channel, "web");  // in the order recorded
  EXPECT_EQ(deployment->channels[1].channel, "api");
  EXPECT_EQ(deployment->channels[1].message, "no");
  auto live = store.GetLiveState("a");
  ASSERT_TRUE(live.ok());
  ASSERT_EQ(live->channels.size(), 2u);
  EXPECT_EQ(live->channels[0].channel, "api");
  EXPECT_EQ(live->channels[0].version, 2);

  // A version whose text the agent already has adds none.
  AgentVersion again{"a", 0, 7, "h1", "cy", "", "", "{\"v\":1}"};
  auto created = store.CreateVersion(again, {});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->version, 4);
  EXPECT_FALSE(created->created_at.empty());
  EXPECT_EQ(store.GetVersion("a", 4)->snapshot_json, "{\"v\":1}");
  EXPECT_EQ(Column("SELECT count(*) FROM version_snapshots"), std::vector<std::string>{"2"});

  ASSERT_TRUE((*opened)->agents().DeleteAgent("a").ok());
  EXPECT_EQ(Column("SELECT count(*) FROM version_snapshots"), std::vector<std::string>{"0"});
  EXPECT_EQ(Column("SELECT count(*) FROM deployments"), std::vector<std::string>{"0"});
}

// Migration 12 keys each agent's live search row by its rowid: a database
// made at schema 11 keeps its index, and a renamed redeploy, an undeploy and
// a deploy again each leave exactly the agent's one row.
TEST_F(SqliteStoreTest, LiveSearchRowsAreFoundByRowidAfterMigrating) {
  CreateAtSchema(11,
                 "INSERT INTO agents (id, live_version) VALUES ('a', 1), ('b', 1), ('c', NULL);"
                 "INSERT INTO live_search (agent_id, name, description) VALUES "
                 "('a', 'Pets', 'answers about pets'), ('b', 'Ships', 'tracks parcels');");
  auto opened = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  DeploymentStore& store = (*opened)->deployments();
  EXPECT_EQ(Column("SELECT count(*) FROM agents WHERE search_row IS NOT NULL"),
            std::vector<std::string>{"2"});
  auto hits = store.SearchLive("parcels");
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].agent_id, "b");

  LiveState live;
  live.live_version = 1;
  ASSERT_TRUE(store.SetLiveState("a", live, "Pets", "answers about pets").ok());
  ASSERT_TRUE(store.SetLiveState("a", live, "Cats", "answers about cats").ok());
  EXPECT_EQ(Column("SELECT name FROM live_search WHERE agent_id = 'a'"),
            std::vector<std::string>{"Cats"});
  EXPECT_TRUE(store.SearchLive("pets")->empty());
  ASSERT_TRUE(store.SetLiveState("a", LiveState{}, "", "").ok());
  EXPECT_TRUE(Column("SELECT name FROM live_search WHERE agent_id = 'a'").empty());
  EXPECT_EQ(Column("SELECT count(*) FROM agents WHERE id = 'a' AND search_row IS NULL"),
            std::vector<std::string>{"1"});
  ASSERT_TRUE(store.SetLiveState("c", live, "Cows", "herds").ok());
  auto all = store.SearchLive("");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].agent_id, "b");
  EXPECT_EQ((*all)[1].agent_id, "c");
  EXPECT_EQ((*all)[1].name, "Cows");
  EXPECT_EQ(Column("SELECT count(*) FROM live_search"), std::vector<std::string>{"2"});
}

// Migration 13 moves each deployment's channel outcomes into its row: a
// database made at schema 12 reads back the same outcomes, in the order
// recorded (not the channels' names), text of any kind included, and a
// deployment without any reads back with none.
TEST_F(SqliteStoreTest, DeploymentsKeepTheirChannelOutcomesInTheirRow) {
  CreateAtSchema(
      12,
      "INSERT INTO agents (id) VALUES ('a'), ('b');"
      "INSERT INTO deployments (id, agent_id, kind, version, state, partial, author, comment, "
      "started_at, finished_at) VALUES "
      "(7, 'a', 'deploy', 1, 'succeeded', 0, 'ann', '', '2026-01-03T00:00:00Z', "
      "'2026-01-03T00:00:01Z'), "
      "(8, 'a', 'deploy', 2, 'running', 0, 'ann', '', '2026-01-04T00:00:00Z', ''), "
      "(9, 'b', 'undeploy', NULL, 'partial', 0, 'bob', 'x', '2026-01-05T00:00:00Z', "
      "'2026-01-05T00:00:01Z');"
      "INSERT INTO deployment_channels (deployment_id, seq, channel, plugin, outcome, message, "
      "latency_ms) VALUES (7, 2, 'api', 'p', 'error', 'said \"no\" \\ then '||char(10)||'left', "
      "4), (7, 1, 'web', 'q', 'published', '', 3), (9, 1, 'chat', 'c', 'unpublished', "
      "'Ã©tÃ©', 12);");
  auto opened = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  DeploymentStore& store = (*opened)->deployments();
  EXPECT_TRUE(Column("SELECT name FROM sqlite_schema WHERE name = 'deployment_channels'").empty());

  auto listed = store.ListDeployments("a");
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, 8);
  EXPECT_TRUE((*listed)[0].channels.empty());
  const Deployment& seven = (*listed)[1];
  EXPECT_EQ(seven.id, 7);
  ASSERT_EQ(seven.channels.size(), 2u);
  EXPECT_EQ(seven.channels[0].channel, "web");
  EXPECT_EQ(seven.channels[0].plugin, "q");
  EXPECT_EQ(seven.channels[0].latency_ms, 3);
  EXPECT_EQ(seven.channels[1].channel, "api");
  EXPECT_EQ(seven.channels[1].outcome, "error");
  EXPECT_EQ(seven.channels[1].message, "said \"no\" \\ then \nleft");
  EXPECT_EQ(seven.channels[1].latency_ms, 4);
  auto nine = store.GetDeployment(9);
  ASSERT_TRUE(nine.ok()) << nine.status().ToString();
  EXPECT_EQ(nine->comment, "x");
  ASSERT_EQ(nine->channels.size(), 1u);
  EXPECT_EQ(nine->channels[0].message, "Ã©tÃ©");
  auto running = store.RunningDeployments();
  ASSERT_TRUE(running.ok()) << running.status().ToString();
  ASSERT_EQ(running->size(), 1u);
  EXPECT_EQ((*running)[0].id, 8);
  EXPECT_EQ(store.GetDeployment(10).status().code(), StatusCode::kNotFound);

  // Written by the store, read back the same, whatever the text (but NUL,
  // which no outcome holds: plugins report C strings).
  Deployment eight = (*running)[0];
  eight.state = "failed";
  eight.channels = {{"z", "p", "error", "tab \t, \x01, \x7f and \xff", 1},
                    {"a", "p", "rolled_back", "{\"json\": [1]}", 2}};
  ASSERT_TRUE(store.FinishDeployment(&eight).ok());
  auto stored = store.GetDeployment(8);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  ASSERT_EQ(stored->channels.size(), 2u);
  EXPECT_EQ(stored->channels[0].message, eight.channels[0].message);
  EXPECT_EQ(stored->channels[1].channel, "a");
  EXPECT_EQ(stored->channels[1].message, "{\"json\": [1]}");
}

// Migration 14 adds the content generation: a database made at schema 13
// starts at 1, reads its drafts and connections as before, and a write
// made after the migration by another connection (its triggers being the
// database's own) moves the generation and is seen by the store's next read.
TEST_F(SqliteStoreTest, ADatabaseAtSchema13GetsAContentGeneration) {
  CreateAtSchema(13,
                 "INSERT INTO agents (id, name, live_version) VALUES ('a', 'Old', 2);"
                 "INSERT INTO agent_tools (agent_id, tool) VALUES ('a', 't');"
                 "INSERT INTO connections (id, display_name) VALUES ('c', 'Conn');");
  auto opened = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ((*opened)->schema_version(), SqliteMigrations().back().version);
  EXPECT_EQ(Column("SELECT value FROM content_generation"), std::vector<std::string>{"1"});
  std::vector<Tool> tools;
  int64_t generation = 0;
  auto draft = (*opened)->agents().GetAgentWithTools("a", &tools, &generation);
  ASSERT_TRUE(draft.ok()) << draft.status().ToString();
  EXPECT_EQ(draft->name, "Old");
  EXPECT_EQ(draft->live_version, 2);
  EXPECT_EQ(draft->tools, std::vector<std::string>{"t"});
  EXPECT_EQ(generation, 1);
  std::vector<SealedCredential> credentials;
  auto connection =
      (*opened)->connections().GetConnectionWithCredentials("c", "team", &credentials);
  ASSERT_TRUE(connection.ok()) << connection.status().ToString();
  EXPECT_EQ(connection->display_name, "Conn");

  Sql("UPDATE agents SET name = 'New'; UPDATE connections SET display_name = 'Renamed'");
  EXPECT_EQ(Column("SELECT value FROM content_generation"), std::vector<std::string>{"3"});
  EXPECT_EQ((*opened)->agents().GetAgent("a")->name, "New");
  EXPECT_EQ((*opened)
                ->connections()
                .GetConnectionWithCredentials("c", "team", &credentials)
                ->display_name,
            "Renamed");
}

// Live channels read back as written, whether they serve the live version or
// lag behind it, across redeploys and an undeploy; rows an older heraldd
// stored (each with its version) read the same; a redeploy that reaches
// every channel rewrites no channel row.
TEST_F(SqliteStoreTest, LiveChannelsKeepTheirVersionsAcrossRedeploys) {
  auto opened = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Sql("INSERT INTO agents (id, live_version) VALUES ('a', 2);"
      "INSERT INTO agent_live_channels (agent_id, channel, plugin, version) VALUES "
      "('a', 'api', 'p', 1), ('a', 'web', 'p', 2);");
  DeploymentStore& store = (*opened)->deployments();
  auto versions = [&]() {
    std::vector<std::string> out;
    auto live = store.GetLiveState("a");
    EXPECT_TRUE(live.ok()) << live.status().ToString();
    if (!live.ok()) return out;
    out.push_back(live->live_version ? std::to_string(*live->live_version) : "none");
    for (const ChannelLiveState& c : live->channels) {
      out.push_back(c.channel + "@" + std::to_string(c.version) + "/" + c.plugin);
    }
    return out;
  };
  EXPECT_EQ(versions(), (std::vector<std::string>{"2", "api@1/p", "web@2/p"}));

  LiveState state{3, "t3", {{"api", "p", 3}, {"web", "p", 3}}};
  ASSERT_TRUE(store.SetLiveState("a", state, "A", "").ok());
  EXPECT_EQ(versions(), (std::vector<std::string>{"3", "api@3/p", "web@3/p"}));
  const std::vector<std::string> rows_at_3 =
      Column("SELECT channel || version FROM agent_live_channels ORDER BY channel");

  state = {4, "t4", {{"api", "p", 4}, {"web", "p", 4}}};
  ASSERT_TRUE(store.SetLiveState("a", state, "A", "").ok());
  EXPECT_EQ(versions(), (std::vector<std::string>{"4", "api@4/p", "web@4/p"}));
  EXPECT_EQ(Column("SELECT channel || version FROM agent_live_channels ORDER BY channel"),
            rows_at_3);

  // web stays at 4 while api moves on; then web catches up and a new one
  // comes, another plugin serves api, and then no version is live.
  state = {5, "t5", {{"api", "p", 5}, {"web", "p", 4}}};
  ASSERT_TRUE(store.SetLiveState("a", state, "A", "").ok());
  EXPECT_EQ(versions(), (std::vector<std::string>{"5", "api@5/p", "web@4/p"}));
  state = {6, "t6", {{"api", "q", 6}, {"new", "p", 6}, {"web", "p", 6}}};
  ASSERT_TRUE(store.SetLiveState("a", state, "A", "").ok());
  EXPECT_EQ(versions(), (std::vector<std::string>{"6", "api@6/q", "new@6/p", "web@6/p"}));
  state = {std::nullopt, "t7", {{"web", "p", 6}}};
  ASSERT_TRUE(store.SetLiveState("a", state, "A", "").ok());
  EXPECT_EQ(versions(), (std::vector<std::string>{"none", "web@6/p"}));
}

// A text is stored under its sha256: another text under a stored hash is a
// caller's error, refused with nothing written.
TEST_F(SqliteStoreTest, AnotherSnapshotUnderAStoredContentHashIsRefused) {
  auto opened = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(opened.ok());
  AgentDraft draft;
  draft.id = "a";
  ASSERT_TRUE((*opened)->agents().CreateAgent(draft).ok());
  DeploymentStore& store = (*opened)->deployments();
  ASSERT_TRUE(store.CreateVersion(AgentVersion{"a", 0, 0, "h", "u", "", "", "one"}, {}).ok());
  auto refused = store.CreateVersion(AgentVersion{"a", 0, 0, "h", "u", "", "", "two"}, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("content hash"), std::string::npos);
  EXPECT_EQ(store.ListVersions("a")->size(), 1u);
  EXPECT_EQ(store.GetVersion("a", 1)->snapshot_json, "one");
}

// A version pins each of its knowledge files' blobs once, whether it has a
// few (one statement of that many rows) or more than such a statement takes
// (the hashes as a JSON array), and a version with the same files adds none.
TEST_F(SqliteStoreTest, VersionsPinEachKnowledgeBlobOnce) {
  auto opened = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(opened.ok());
  AgentDraft draft;
  draft.id = "a";
  ASSERT_TRUE((*opened)->agents().CreateAgent(draft).ok());
  std::vector<KnowledgeFile> files;
  for (int i = 0; i < 20; ++i) {
    KnowledgeFile file;
    file.name = "f" + std::to_string(i) + ".txt";
    file.sha256 = Sha256Hex(file.name);
    file.content_type = "text/plain";
    file.size = static_cast<int64_t>(file.name.size());
    ASSERT_TRUE((*opened)->agents().PutKnowledge("a", file, file.name).ok());
    files.push_back(file);
  }
  DeploymentStore& store = (*opened)->deployments();
  const std::vector<KnowledgeFile> few(files.begin(), files.begin() + 3);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(store.CreateVersion(AgentVersion{"a", 0, 0, "h", "u", "", "", "one"}, few).ok());
  }
  EXPECT_EQ(Column("SELECT count(*) FROM version_blobs"), std::vector<std::string>{"3"});
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(store.CreateVersion(AgentVersion{"a", 0, 0, "h", "u", "", "", "one"}, files).ok());
  }
  std::vector<std::string> expected;
  for (const KnowledgeFile& f : files) expected.push_back(f.sha256);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(Column("SELECT sha256 FROM version_blobs WHERE agent_id = 'a' ORDER BY sha256"),
            expected);
}

// GetAgent lists collaborators by user name in byte order, whatever order
// they were added in (it sorts them itself rather than asking SQLite to).
TEST_F(SqliteStoreTest, CollaboratorsComeBackInUserNameOrder) {
  auto opened = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(opened.ok());
  SqliteStore& store = **opened;
  AgentDraft draft;
  draft.id = "a";
  ASSERT_TRUE(store.agents().CreateAgent(draft).ok());
  const std::vector<std::string> added = {"zoe", "Zed", "ann", "bob", "Ann", "_x", "\xc3\xa9mile"};
  for (size_t i = 0; i < added.size(); ++i) {
    ASSERT_TRUE(store.users().CreateUser(added[i], Role::kMember, "hash" + std::to_string(i)).ok());
    const CollaboratorRole role = i % 2 ? CollaboratorRole::kEditor : CollaboratorRole::kViewer;
    ASSERT_TRUE(store.agents().PutCollaborator("a", Collaborator{added[i], role}).ok());
  }
  StatusOr<AgentDraft> read = store.agents().GetAgent("a");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  std::string got;
  for (const Collaborator& c : read->collaborators) {
    got += c.user + "=" + std::string(CollaboratorRoleName(c.role)) + " ";
  }
  EXPECT_EQ(
      got, "Ann=viewer Zed=editor _x=editor ann=viewer bob=editor zoe=viewer \xc3\xa9mile=viewer ");
}

// Begin and Finish fill in what they store, so the deployment in hand is
// the one GetDeployment reads back; a deployment finishes once.
TEST_F(SqliteStoreTest, ADeploymentInHandIsTheStoredOne) {
  auto opened = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(opened.ok());
  AgentDraft draft;
  draft.id = "a";
  ASSERT_TRUE((*opened)->agents().CreateAgent(draft).ok());
  DeploymentStore& store = (*opened)->deployments();
  Deployment d;
  d.agent_id = "a";
  d.kind = "deploy";
  d.version = 1;
  d.author = "ann";
  ASSERT_TRUE(store.BeginDeployment(&d).ok());
  EXPECT_GT(d.id, 0);
  EXPECT_EQ(d.state, "running");
  EXPECT_FALSE(d.started_at.empty());
  d.state = "succeeded";
  d.channels = {{"web", "p", "published", "", 2}, {"api", "p", "published", "", 1}};
  ASSERT_TRUE(store.FinishDeployment(&d).ok());
  EXPECT_FALSE(d.finished_at.empty());
  auto stored = store.GetDeployment(d.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->started_at, d.started_at);
  EXPECT_EQ(stored->finished_at, d.finished_at);
  EXPECT_EQ(stored->state, d.state);
  EXPECT_EQ(stored->version, d.version);
  EXPECT_EQ(stored->previous_version, d.previous_version);
  ASSERT_EQ(stored->channels.size(), 2u);
  EXPECT_EQ(stored->channels[0].channel, "web");
  EXPECT_EQ(stored->channels[1].latency_ms, 1);

  Status again = store.FinishDeployment(&d);
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.GetDeployment(d.id)->channels.size(), 2u);
}

// LastDeployment is ListDeployments' first, outcomes included, for each
// agent alone; none for an agent never deployed.
TEST_F(SqliteStoreTest, LastDeploymentIsTheNewestOfItsAgent) {
  auto opened = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(opened.ok());
  for (const char* id : {"a", "b", "c"}) {
    AgentDraft draft;
    draft.id = id;
    ASSERT_TRUE((*opened)->agents().CreateAgent(draft).ok());
  }
  DeploymentStore& store = (*opened)->deployments();
  auto record = [&](const std::string& agent, std::vector<ChannelOutcome> channels) {
    Deployment d;
    d.agent_id = agent;
    d.kind = "deploy";
    d.version = 1;
    d.author = "ann";
    EXPECT_TRUE(store.BeginDeployment(&d).ok());
    d.state = "succeeded";
    d.channels = std::move(channels);
    EXPECT_TRUE(store.FinishDeployment(&d).ok());
    return d;
  };
  record("a", {{"web", "p", "published", "", 1}});
  const Deployment newest =
      record("a", {{"web", "p", "published", "", 2}, {"api", "p", "error", "down", 3}});
  const Deployment other = record("b", {});

  auto last = store.LastDeployment("a");
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ((*last)->id, newest.id);
  EXPECT_EQ((*last)->finished_at, newest.finished_at);
  ASSERT_EQ((*last)->channels.size(), 2u);
  EXPECT_EQ((*last)->channels[1].message, "down");
  auto listed = store.ListDeployments("a");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->front().id, (*last)->id);
  EXPECT_EQ(store.LastDeployment("b")->value().id, other.id);
  auto none = store.LastDeployment("c");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

// A transaction that need only survive a crash of the process commits like
// any other, nested writes included, and leaves later ones as they were.
TEST_F(SqliteStoreTest, AProcessCrashDurableTransactionCommits) {
  auto store = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(store.ok());
  Store& s = **store;
  ASSERT_TRUE(s.Transaction(Durability::kProcessCrash, [&]() -> Status {
                 HERALD_RETURN_IF_ERROR(s.meta().PutMeta("relaxed", "1"));
                 return s.Transaction([&] { return s.meta().PutMeta("nested", "2"); });
               }).ok());
  EXPECT_FALSE(s.Transaction(Durability::kProcessCrash, [&]() -> Status {
                  HERALD_RETURN_IF_ERROR(s.meta().PutMeta("rolled_back", "3"));
                  return Status::Internal("no");
                }).ok());
  ASSERT_TRUE(s.meta().PutMeta("after", "4").ok());
  store->reset();
  auto again = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*(*again)->meta().GetMeta("relaxed"), std::optional<std::string>("1"));
  EXPECT_EQ(*(*again)->meta().GetMeta("nested"), std::optional<std::string>("2"));
  EXPECT_EQ(*(*again)->meta().GetMeta("rolled_back"), std::nullopt);
  EXPECT_EQ(*(*again)->meta().GetMeta("after"), std::optional<std::string>("4"));
}

// Migration 15 keys deployments by their agent, without a rowid or an
// index of their own: a database made at schema 14 keeps every deployment
// and its id; ids stay unique across agents (the next one follows the
// largest of any agent), and each agent lists its own, newest first.
TEST_F(SqliteStoreTest, DeploymentsAtSchema14AreKeyedByTheirAgent) {
  CreateAtSchema(
      14,
      "INSERT INTO agents (id) VALUES ('a'), ('b');"
      "INSERT INTO deployments (id, agent_id, kind, version, state, partial, author, comment, "
      "started_at, finished_at, channels) VALUES "
      "(3, 'a', 'deploy', 1, 'succeeded', 0, 'ann', '', '2026-01-03T00:00:00Z', "
      "'2026-01-03T00:00:01Z', '[[\"web\",\"q\",\"published\",\"\",3]]'), "
      "(5, 'b', 'deploy', 1, 'failed', 1, 'bob', 'x', '2026-01-04T00:00:00Z', "
      "'2026-01-04T00:00:01Z', '[]'), "
      "(7, 'a', 'rollback', 1, 'running', 0, 'ann', '', '2026-01-05T00:00:00Z', '', '[]');");
  auto opened = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  DeploymentStore& store = (*opened)->deployments();
  EXPECT_TRUE(Column("SELECT name FROM sqlite_schema WHERE tbl_name = 'deployments' AND "
                     "type = 'index' AND sql IS NOT NULL")
                  .empty());

  auto a = store.ListDeployments("a");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].id, 7);
  EXPECT_EQ((*a)[0].kind, "rollback");
  EXPECT_EQ((*a)[1].id, 3);
  ASSERT_EQ((*a)[1].channels.size(), 1u);
  EXPECT_EQ((*a)[1].channels[0].channel, "web");
  auto five = store.GetDeployment(5);
  ASSERT_TRUE(five.ok()) << five.status().ToString();
  EXPECT_EQ(five->agent_id, "b");
  EXPECT_TRUE(five->partial);
  EXPECT_EQ(five->comment, "x");

  // The next id follows the largest of all, whichever agent it is for.
  Deployment next;
  next.agent_id = "b";
  next.kind = "deploy";
  next.version = 2;
  next.author = "bob";
  ASSERT_TRUE(store.BeginDeployment(&next).ok());
  EXPECT_EQ(next.id, 8);
  Deployment after;
  after.agent_id = "a";
  after.kind = "undeploy";
  after.author = "ann";
  ASSERT_TRUE(store.BeginDeployment(&after).ok());
  EXPECT_EQ(after.id, 9);
  auto running = store.RunningDeployments();
  ASSERT_TRUE(running.ok()) << running.status().ToString();
  ASSERT_EQ(running->size(), 3u);
  EXPECT_EQ((*running)[0].id, 7);
  EXPECT_EQ((*running)[1].id, 8);
  EXPECT_EQ((*running)[2].id, 9);

  // Finished by its agent and id; not again, and not under another agent.
  next.state = "succeeded";
  ASSERT_TRUE(store.FinishDeployment(&next).ok());
  EXPECT_EQ(store.FinishDeployment(&next).code(), StatusCode::kFailedPrecondition);
  Deployment wrong_agent = after;
  wrong_agent.agent_id = "b";
  wrong_agent.state = "failed";
  EXPECT_EQ(store.FinishDeployment(&wrong_agent).code(), StatusCode::kFailedPrecondition);
  auto b = store.ListDeployments("b");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ((*b)[0].id, 8);
  EXPECT_EQ((*b)[0].state, "succeeded");

  // A store opened afresh goes on from the largest id stored.
  opened->reset();
  auto again = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(again.ok());
  Deployment later;
  later.agent_id = "a";
  later.kind = "deploy";
  later.version = 3;
  later.author = "ann";
  ASSERT_TRUE((*again)->deployments().BeginDeployment(&later).ok());
  EXPECT_EQ(later.id, 10);
}

// The WAL is copied back into the database once it is full, though no
// commit does it any more: the store's checkpointer thread does.
TEST_F(SqliteStoreTest, AFullWalIsCheckpointed) {
  auto store = SqliteStore::Open(dir_ / "herald.db");
  ASSERT_TRUE(store.ok());
  const std::string page(4096, 'x');
  for (int i = 0; i < 1100; ++i) {
    ASSERT_TRUE((*store)->meta().PutMeta("k" + std::to_string(i), page).ok());
  }
  // Asynchronous: wait for it, however long the machine takes (bounded, so
  // that a checkpointer that never runs fails rather than hangs).
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::filesystem::file_size(dir_ / "herald.db") < 1000u * 4096u &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(std::filesystem::file_size(dir_ / "herald.db"), 1000u * 4096u)
      << "the WAL was never checkpointed";
}

TEST(SqliteMigrationsTest, VersionsRunFromOneWithoutGaps) {
  int expected = 1;
  for (const Migration& m : SqliteMigrations()) EXPECT_EQ(m.version, expected++) << m.name;
}

}  // namespace
}  // namespace herald
