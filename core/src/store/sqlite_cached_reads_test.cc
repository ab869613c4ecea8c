// SqliteStore's cached reads of drafts and connections (migration 14's
// content generation): every write to a row they read is seen by the next
// read, whether made through the store or through another connection to the
// file; deploys' writes keep the generation; a read of an unchanged
// generation is served from the cache.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>
#include <sstream>

#include "herald/core/sqlite_store.h"

namespace herald {
namespace {

class SqliteCachedReadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("herald_cached_reads_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::move(SqliteStore::Open(dir_ / "herald.db")).value();
    ASSERT_TRUE(store_->users().CreateUser("ann", Role::kMember, "hash-ann").ok());

    AgentDraft draft;
    draft.id = "a";
    draft.name = "A";
    ASSERT_TRUE(store_->agents().CreateAgent(draft).ok());
    ASSERT_TRUE(store_->agents().PutKnowledge("a", File("k1", "one"), "one").ok());
    ASSERT_TRUE(store_->agents().AddAgentTool("a", "t1").ok());
    ASSERT_TRUE(store_->agents().AddAgentTool("a", "ghost").ok());  // no such tool yet
    ASSERT_TRUE(store_->agents().PutCollaborator("a", {"ann", CollaboratorRole::kOwner}).ok());
    ASSERT_TRUE(store_->agents().PutAgentChannel("a", {"web", "alpha", "{}"}).ok());
    draft.id = "b";
    draft.name = "B1";
    ASSERT_TRUE(store_->agents().CreateAgent(draft).ok());

    ASSERT_TRUE(store_->connections().CreateConnection(MakeConnection("c", "C")).ok());
    ASSERT_TRUE(store_->connections().CreateConnection(MakeConnection("c2", "C2")).ok());
    ASSERT_TRUE(store_->credentials().PutCredential(Credential("token", "sealed-1")).ok());
    ASSERT_TRUE(store_->tools().PutTool(MakeTool("t1", "first")).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static KnowledgeFile File(const std::string& name, const std::string& bytes) {
    return KnowledgeFile{name, "sha-" + bytes, static_cast<int64_t>(bytes.size()), "text/plain"};
  }
  static Tool MakeTool(const std::string& name, const std::string& description) {
    Tool t;
    t.name = name;
    t.description = description;
    t.method = "get";
    t.server_url = "https://api.example";
    t.path = "/" + name;
    t.parameters_json = "[]";
    t.security_json = "[]";
    t.connection_id = "c";
    t.source = name + ".json";
    return t;
  }
  static Connection MakeConnection(const std::string& id, const std::string& name) {
    Connection c;
    c.id = id;
    c.display_name = name;
    c.draft = EnvironmentConfig{};
    c.draft->server_url = "https://draft.example";
    c.draft->auth_type = "bearer";
    c.live = c.draft;
    c.live->server_url = "https://live.example";
    return c;
  }
  static SealedCredential Credential(const std::string& field, const std::string& sealed) {
    SealedCredential k;
    k.connection_id = "c";
    k.environment = Environment::kDraft;
    k.owner = "team";
    k.field = field;
    k.sealed = sealed;
    return k;
  }

  // Runs `sql` through a connection of its own, as another process would
  // (foreign keys off, SQLite's default).
  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "herald.db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err != nullptr ? err : "") << " in " << sql;
    sqlite3_free(err);
    sqlite3_close(db);
  }

  // The first column of each row of `query`, read through a connection of
  // its own.
  std::vector<std::string> Column(const std::string& query) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((dir_ / "herald.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* rows = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, query.c_str(), -1, &rows, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    std::vector<std::string> out;
    while (sqlite3_step(rows) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(rows, 0);
      out.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "NULL");
    }
    sqlite3_finalize(rows);
    sqlite3_close(db);
    return out;
  }

  int64_t Generation() {
    const std::vector<std::string> value = Column("SELECT value FROM content_generation");
    return value.size() == 1 ? std::stoll(value[0]) : -1;
  }

  // Agent `id` as GetAgentWithTools reads it, in one line per part: what
  // the checks below look at.
  std::string Draft(const std::string& id = "a") {
    std::vector<Tool> tools;
    StatusOr<AgentDraft> d = store_->agents().GetAgentWithTools(id, &tools);
    if (!d.ok()) return d.status().ToString();
    std::ostringstream out;
    out << "name=" << d->name << " description=" << d->description
        << " instructions=" << d->instructions << " revision=" << d->revision
        << " updated_by=" << d->updated_by << "\nknowledge=";
    for (const KnowledgeFile& k : d->knowledge) out << k.name << ":" << k.content_type << ",";
    out << "\ntools=";
    for (const std::string& t : d->tools) out << t << ",";
    out << "\ndefinitions=";
    for (const Tool& t : tools) out << t.name << ":" << t.description << ":" << t.path << ",";
    out << "\ncollaborators=";
    for (const Collaborator& c : d->collaborators) {
      out << c.user << ":" << CollaboratorRoleName(c.role) << ",";
    }
    out << "\nchannels=";
    for (const ChannelBinding& c : d->channels) out << c.name << ":" << c.settings_json << ",";
    return out.str();
  }

  // Connection `id` with the team's credentials, as
  // GetConnectionWithCredentials reads it.
  std::string Conn(const std::string& id = "c") {
    std::vector<SealedCredential> credentials;
    StatusOr<Connection> c =
        store_->connections().GetConnectionWithCredentials(id, "team", &credentials);
    if (!c.ok()) return c.status().ToString();
    std::ostringstream out;
    out << "name=" << c->display_name;
    for (const auto* config : {&c->draft, &c->live}) {
      out << " env=" << (config->has_value() ? (*config)->server_url : "none");
    }
    out << " status=" << c->draft_status.status << " credentials=";
    for (const SealedCredential& k : credentials) out << k.field << ":" << k.sealed << ",";
    return out.str();
  }

  // Every read the steps check, so that each is cached before a write.
  void ReadAll() {
    for (const char* id : {"a", "b"}) Draft(id);
    for (const char* id : {"c", "c2"}) Conn(id);
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteStore> store_;
};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Each table whose rows the cached reads read, written through the store and
// through another connection, by insert, update and delete: every write
// moves the generation, and the next read sees it though the one before was
// cached.
TEST_F(SqliteCachedReadsTest, EveryWriteToAWatchedTableIsSeenByTheNextRead) {
  AgentDraft fields;
  fields.id = "a";
  fields.name = "A";
  fields.description = "by the store";
  struct Step {
    const char* what;
    std::function<void()> write;
    std::function<bool()> seen;
  };
  const std::vector<Step> steps = {
      // agents
      {"agents: fields through the store",
       [&] { ASSERT_TRUE(store_->agents().UpdateAgentFields(fields).ok()); },
       [&] { return Has(Draft(), "description=by the store"); }},
      {"agents: a field by another connection",
       [&] { Sql("UPDATE agents SET instructions = 'raw' WHERE id = 'a'"); },
       [&] { return Has(Draft(), "instructions=raw"); }},
      {"agents: a recorded change",
       [&] { ASSERT_TRUE(store_->agents().RecordAgentChange("a", "bob", "x").ok()); },
       [&] { return Has(Draft(), "revision=1 updated_by=bob"); }},
      {"agents: deleted and inserted again by another connection",
       [&] {
         Sql("DELETE FROM agents WHERE id = 'b'; INSERT INTO agents (id, name) "
             "VALUES ('b', 'B2')");
       },
       [&] { return Has(Draft("b"), "name=B2"); }},
      {"agents: deleted through the store",
       [&] { ASSERT_TRUE(store_->agents().DeleteAgent("b").ok()); },
       [&] { return store_->agents().GetAgent("b").status().code() == StatusCode::kNotFound; }},
      // agent_knowledge
      {"agent_knowledge: a file added",
       [&] { ASSERT_TRUE(store_->agents().PutKnowledge("a", File("k2", "two"), "two").ok()); },
       [&] { return Has(Draft(), "knowledge=k1:text/plain,k2:text/plain,"); }},
      {"agent_knowledge: a file changed by another connection",
       [&] { Sql("UPDATE agent_knowledge SET content_type = 'text/csv' WHERE name = 'k2'"); },
       [&] { return Has(Draft(), "k2:text/csv,"); }},
      {"agent_knowledge: a file deleted",
       [&] { ASSERT_TRUE(store_->agents().DeleteKnowledge("a", "k2").ok()); },
       [&] { return Has(Draft(), "knowledge=k1:text/plain,\n"); }},
      // agent_tools
      {"agent_tools: a tool added",
       [&] { ASSERT_TRUE(store_->agents().AddAgentTool("a", "t2").ok()); },
       [&] { return Has(Draft(), "tools=ghost,t1,t2,"); }},
      {"agent_tools: a name changed by another connection",
       [&] { Sql("UPDATE agent_tools SET tool = 't3' WHERE tool = 't2'"); },
       [&] { return Has(Draft(), "tools=ghost,t1,t3,"); }},
      {"agent_tools: a tool removed",
       [&] { ASSERT_TRUE(store_->agents().RemoveAgentTool("a", "t3").ok()); },
       [&] { return Has(Draft(), "tools=ghost,t1,\n"); }},
      // tools
      {"tools: a definition replaced",
       [&] { ASSERT_TRUE(store_->tools().PutTool(MakeTool("t1", "second")).ok()); },
       [&] { return Has(Draft(), "definitions=t1:second:/t1,"); }},
      {"tools: a definition changed by another connection",
       [&] { Sql("UPDATE tools SET path = '/moved' WHERE name = 't1'"); },
       [&] { return Has(Draft(), "definitions=t1:second:/moved,"); }},
      {"tools: a listed tool created",
       [&] { ASSERT_TRUE(store_->tools().PutTool(MakeTool("ghost", "now here")).ok()); },
       [&] { return Has(Draft(), "definitions=ghost:now here:/ghost,t1:"); }},
      {"tools: a listed tool deleted",
       [&] { ASSERT_TRUE(store_->tools().DeleteTool("ghost").ok()); },
       [&] { return Has(Draft(), "definitions=t1:second:/moved,\n"); }},
      // agent_collaborators and users
      {"agent_collaborators: one added",
       [&] {
         ASSERT_TRUE(store_->users().CreateUser("bob", Role::kMember, "hash-bob").ok());
         ASSERT_TRUE(
             store_->agents().PutCollaborator("a", {"bob", CollaboratorRole::kEditor}).ok());
       },
       [&] { return Has(Draft(), "collaborators=ann:owner,bob:editor,"); }},
      {"agent_collaborators: a role changed by another connection",
       [&] { Sql("UPDATE agent_collaborators SET role = 'viewer' WHERE role = 'editor'"); },
       [&] { return Has(Draft(), "bob:viewer,"); }},
      {"agent_collaborators: one removed",
       [&] { ASSERT_TRUE(store_->agents().RemoveCollaborator("a", "bob").ok()); },
       [&] { return Has(Draft(), "collaborators=ann:owner,\n"); }},
      {"users: a collaborator renamed by another connection",
       [&] { Sql("UPDATE users SET name = 'anne' WHERE name = 'ann'"); },
       [&] { return Has(Draft(), "collaborators=anne:owner,\n"); }},
      {"users: a row a collaborator named, inserted by another connection",
       [&] {
         // Without foreign keys (as another program may write), a
         // collaborator can name a user that comes only later.
         Sql("INSERT INTO agent_collaborators (agent_id, user_id, role) VALUES ('a', 99, "
             "'viewer')");
         ASSERT_EQ(Draft().find("zed"), std::string::npos);
         Sql("INSERT INTO users (id, name, role) VALUES (99, 'zed', 'member')");
       },
       [&] { return Has(Draft(), "collaborators=anne:owner,zed:viewer,"); }},
      {"users: a collaborator deleted", [&] { ASSERT_TRUE(store_->users().DeleteUser(99).ok()); },
       [&] { return Has(Draft(), "collaborators=anne:owner,\n"); }},
      // agent_channels
      {"agent_channels: one added",
       [&] {
         ASSERT_TRUE(store_->agents().PutAgentChannel("a", {"chat", "beta", "{}"}).ok());
       },
       [&] { return Has(Draft(), "channels=chat:{},web:{},"); }},
      {"agent_channels: settings changed by another connection",
       [&] { Sql("UPDATE agent_channels SET settings = '{\"x\":1}' WHERE name = 'chat'"); },
       [&] { return Has(Draft(), "channels=chat:{\"x\":1},web:{},"); }},
      {"agent_channels: one removed",
       [&] { ASSERT_TRUE(store_->agents().RemoveAgentChannel("a", "chat").ok()); },
       [&] { return Has(Draft(), "channels=web:{},"); }},
      // connections
      {"connections: renamed through the store",
       [&] { ASSERT_TRUE(store_->connections().UpdateConnection(MakeConnection("c", "C'")).ok()); },
       [&] { return Has(Conn(), "name=C' "); }},
      {"connections: renamed by another connection",
       [&] { Sql("UPDATE connections SET display_name = 'C raw' WHERE id = 'c'"); },
       [&] { return Has(Conn(), "name=C raw "); }},
      {"connections: deleted and created again",
       [&] {
         ASSERT_TRUE(store_->connections().DeleteConnection("c2").ok());
         ASSERT_TRUE(store_->connections().CreateConnection(MakeConnection("c2", "C2 again")).ok());
       },
       [&] { return Has(Conn("c2"), "name=C2 again "); }},
      {"connections: deleted by another connection",
       [&] {
         Sql("DELETE FROM connection_environments WHERE connection_id = 'c2'; "
             "DELETE FROM connections WHERE id = 'c2'");
       },
       [&] { return Has(Conn("c2"), "does not exist"); }},
      // connection_environments
      {"connection_environments: a status set",
       [&] {
         ConnectionStatus st;
         st.status = "ok";
         ASSERT_TRUE(store_->connections().SetConnectionStatus("c", Environment::kDraft, st).ok());
       },
       [&] { return Has(Conn(), "status=ok "); }},
      {"connection_environments: a server changed by another connection",
       [&] {
         Sql("UPDATE connection_environments SET server_url = 'https://moved.example' "
             "WHERE connection_id = 'c' AND environment = 'draft'");
       },
       [&] { return Has(Conn(), "env=https://moved.example env=https://live.example "); }},
      {"connection_environments: one deleted by another connection",
       [&] {
         Sql("DELETE FROM connection_environments WHERE connection_id = 'c' AND "
             "environment = 'live'");
       },
       [&] { return Has(Conn(), "env=https://moved.example env=none "); }},
      {"connection_environments: one inserted by another connection",
       [&] {
         Sql("INSERT INTO connection_environments (connection_id, environment, server_url, "
             "auth_type, credential_type, sso, probe_method, probe_path, probe_timeout_ms) "
             "VALUES ('c', 'live', 'https://back.example', 'bearer', 'team', 0, 'GET', '/', "
             "1000)");
       },
       [&] { return Has(Conn(), "env=https://moved.example env=https://back.example "); }},
      // credentials
      {"credentials: a field added",
       [&] {
         ASSERT_TRUE(store_->credentials().PutCredential(Credential("user", "sealed-u")).ok());
       },
       [&] { return Has(Conn(), "credentials=token:sealed-1,user:sealed-u,"); }},
      {"credentials: a field replaced",
       [&] {
         ASSERT_TRUE(store_->credentials().PutCredential(Credential("user", "sealed-v")).ok());
       },
       [&] { return Has(Conn(), "user:sealed-v,"); }},
      {"credentials: a field changed by another connection",
       [&] { Sql("UPDATE credentials SET sealed = x'73' WHERE field = 'token'"); },
       [&] { return Has(Conn(), "credentials=token:s,"); }},
      {"credentials: fields deleted",
       [&] {
         ASSERT_EQ(
             store_->credentials().DeleteCredentials("c", Environment::kDraft, "team").value(), 2);
       },
       [&] { return Has(Conn(), "credentials=") && !Has(Conn(), "token"); }},
  };
  for (const Step& step : steps) {
    SCOPED_TRACE(step.what);
    ReadAll();
    const int64_t before = Generation();
    step.write();
    EXPECT_GT(Generation(), before) << "the write did not move the generation";
    EXPECT_TRUE(step.seen()) << "the read after the write:\n" << Draft() << "\n" << Conn();
  }
}

// What a deploy writes (its version, its deployment from start to end, the
// live state with its channels and search row) keeps the generation, and a
// draft read after it still sees the new live version, which it reads
// afresh each time.
TEST_F(SqliteCachedReadsTest, DeployWritesKeepTheGeneration) {
  std::vector<Tool> tools;
  int64_t read_at = 0;
  ASSERT_TRUE(store_->agents().GetAgentWithTools("a", &tools, &read_at).ok());
  const int64_t before = Generation();
  EXPECT_EQ(read_at, before);
  for (int64_t n = 1; n <= 3; ++n) {
    Deployment deployment;
    deployment.agent_id = "a";
    deployment.kind = "deploy";
    deployment.author = "ann";
    KnowledgeFile file = File("k1", "one");
    ASSERT_TRUE(store_
                    ->Transaction(Durability::kProcessCrash,
                                  [&]() -> Status {
                                    StatusOr<AgentVersion> v = store_->deployments().CreateVersion(
                                        AgentVersion{"a", 0, 0, "h", "ann", "", "", "{}"}, {file});
                                    if (!v.ok()) return v.status();
                                    deployment.version = v->version;
                                    return store_->deployments().BeginDeployment(&deployment);
                                  })
                    .ok());
    LiveState live{n, "2026-11-30T00:00:0" + std::to_string(n) + "Z", {{"web", "alpha", n}}};
    ASSERT_TRUE(store_
                    ->Transaction([&]() -> Status {
                      HERALD_RETURN_IF_ERROR(
                          store_->deployments().SetLiveState("a", live, "A", "the agent"));
                      deployment.state = "succeeded";
                      return store_->deployments().FinishDeployment(&deployment);
                    })
                    .ok());
    EXPECT_EQ(Generation(), before) << "deploy " << n;
    ASSERT_TRUE(store_->agents().GetAgentWithTools("a", &tools, &read_at).ok());
    EXPECT_EQ(read_at, before);
    EXPECT_EQ(store_->agents().GetAgent("a")->live_version, n);
  }
  ASSERT_TRUE(store_->deployments().SetLiveState("a", LiveState{}, "", "").ok());
  EXPECT_EQ(Generation(), before);
  EXPECT_EQ(store_->agents().GetAgent("a")->live_version, std::nullopt);
  // The columns deploys write, by another connection too.
  Sql("UPDATE agents SET live_version = 9, deployed_at = 'then', search_row = NULL");
  EXPECT_EQ(Generation(), before);
  EXPECT_EQ(store_->agents().GetAgent("a")->live_version, 9);
}

// A read at an unchanged generation comes from the cache: a write the
// triggers do not see (one of theirs dropped) is not seen until the
// generation moves.
TEST_F(SqliteCachedReadsTest, AnUnchangedGenerationIsServedFromTheCache) {
  ReadAll();
  Sql("DROP TRIGGER agents_updated_moves_generation; UPDATE agents SET name = 'unseen';"
      "DROP TRIGGER connections_updated_moves_generation; "
      "UPDATE connections SET display_name = 'unseen'");
  EXPECT_TRUE(Has(Draft(), "name=A "));
  EXPECT_TRUE(Has(Conn(), "name=C "));
  Sql("UPDATE content_generation SET value = value + 1");
  EXPECT_TRUE(Has(Draft(), "name=unseen "));
  EXPECT_TRUE(Has(Conn(), "name=unseen "));
  // GetAgent and GetAgentWithTools share their entries: both read one.
  Sql("UPDATE agents SET name = 'unseen again'");
  EXPECT_EQ(store_->agents().GetAgent("a")->name, "unseen");
  // ListAgents reads the tables (a listing does not go through the cache).
  EXPECT_EQ(store_->agents().ListAgents()->front().name, "unseen again");
}

// A generation that a rolled-back transaction moved to is committed later
// by other writes: what was read inside that transaction must not pass for
// their state, nor be handed out as a generation to memoise by.
TEST_F(SqliteCachedReadsTest, ReadsInsideAWriteTransactionAreNotKept) {
  const int64_t before = Generation();
  AgentDraft changed;
  changed.id = "a";
  changed.name = "rolled back";
  Status s = store_->Transaction([&]() -> Status {
    HERALD_RETURN_IF_ERROR(store_->agents().UpdateAgentFields(changed));
    std::vector<Tool> tools;
    int64_t read_at = -1;
    StatusOr<AgentDraft> inside = store_->agents().GetAgentWithTools("a", &tools, &read_at);
    EXPECT_TRUE(inside.ok());
    EXPECT_EQ(inside->name, "rolled back");
    EXPECT_EQ(read_at, 0) << "a generation that may be rolled back";
    std::vector<SealedCredential> credentials;
    EXPECT_TRUE(store_->connections().GetConnectionWithCredentials("c", "team", &credentials).ok());
    return Status::Conflict("rolled back");
  });
  ASSERT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_EQ(Generation(), before);
  Sql("UPDATE connections SET display_name = 'committed' WHERE id = 'c'");
  EXPECT_EQ(Generation(), before + 1);  // the number the rolled-back write had
  EXPECT_TRUE(Has(Draft(), "name=A "));
  EXPECT_TRUE(Has(Conn(), "name=committed "));
}

// The generation GetAgentWithTools hands out is the same while nothing the
// draft is made of changes, and moves on when something does.
TEST_F(SqliteCachedReadsTest, TheGenerationReadIsHandedOut) {
  std::vector<Tool> tools;
  int64_t first = 0;
  int64_t second = 0;
  ASSERT_TRUE(store_->agents().GetAgentWithTools("a", &tools, &first).ok());
  ASSERT_TRUE(store_->agents().GetAgentWithTools("a", &tools, &second).ok());
  EXPECT_GT(first, 0);
  EXPECT_EQ(first, second);
  ASSERT_TRUE(store_->tools().PutTool(MakeTool("t1", "changed")).ok());
  ASSERT_TRUE(store_->agents().GetAgentWithTools("a", &tools, &second).ok());
  EXPECT_GT(second, first);
  ASSERT_EQ(tools.size(), 1u);
  EXPECT_EQ(tools[0].description, "changed");
}

// GetSharedAgentWithTools hands out the kept entry itself while the
// generation holds, with what GetAgentWithTools copies out of it but the
// live version, and a new entry once something the draft is made of changes.
TEST_F(SqliteCachedReadsTest, TheSharedReadIsTheKeptEntryWithoutTheLiveVersion) {
  Sql("UPDATE agents SET live_version = 9");
  int64_t first_at = 0;
  StatusOr<std::shared_ptr<const DraftWithTools>> first =
      store_->agents().GetSharedAgentWithTools("a", &first_at);
  StatusOr<std::shared_ptr<const DraftWithTools>> again =
      store_->agents().GetSharedAgentWithTools("a");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(first->get(), again->get());
  EXPECT_EQ(first_at, Generation());

  std::vector<Tool> tools;
  StatusOr<AgentDraft> copied = store_->agents().GetAgentWithTools("a", &tools);
  ASSERT_TRUE(copied.ok());
  EXPECT_EQ(copied->live_version, 9);
  EXPECT_EQ((*first)->draft.live_version, std::nullopt);
  AgentDraft shared = (*first)->draft;
  shared.live_version = copied->live_version;
  EXPECT_TRUE(shared == *copied);
  EXPECT_TRUE((*first)->tools == tools);

  ASSERT_TRUE(store_->tools().PutTool(MakeTool("t1", "changed")).ok());
  StatusOr<std::shared_ptr<const DraftWithTools>> after =
      store_->agents().GetSharedAgentWithTools("a");
  ASSERT_TRUE(after.ok());
  EXPECT_NE(after->get(), first->get());
  ASSERT_EQ((*after)->tools.size(), 1u);
  EXPECT_EQ((*after)->tools[0].description, "changed");
  EXPECT_EQ((*first)->tools[0].description, "first") << "a handed-out entry never changes";
  EXPECT_EQ(store_->agents().GetSharedAgentWithTools("nobody").status().code(),
            StatusCode::kNotFound);
}

// Every column of agents is either watched by the update trigger or
// deliberately left out (written by deploys, and not part of a kept draft):
// a new column must be put in one list or the other, by a new migration
// that replaces the trigger, or this fails.
TEST_F(SqliteCachedReadsTest, EveryAgentsColumnIsWatchedOrDeliberatelyIgnored) {
  const std::set<std::string> ignored = {"live_version", "deployed_at", "search_row"};
  const std::vector<std::string> sql =
      Column("SELECT sql FROM sqlite_schema WHERE name = 'agents_updated_moves_generation'");
  ASSERT_EQ(sql.size(), 1u);
  const size_t from = sql[0].find("UPDATE OF");
  const size_t to = sql[0].find(" ON agents");
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  std::set<std::string> watched;
  std::istringstream list(sql[0].substr(from + 9, to - from - 9));
  for (std::string column; std::getline(list, column, ',');) {
    column.erase(std::remove_if(column.begin(), column.end(), ::isspace), column.end());
    watched.insert(column);
  }
  std::set<std::string> columns;
  for (const std::string& c : Column("SELECT name FROM pragma_table_info('agents')")) {
    columns.insert(c);
    EXPECT_TRUE(watched.count(c) + ignored.count(c) == 1)
        << "agents." << c << " is neither watched nor ignored (or both)";
  }
  for (const std::string& c : watched) EXPECT_TRUE(columns.count(c)) << c << " is no column";
  for (const std::string& c : ignored) EXPECT_TRUE(columns.count(c)) << c << " is no column";

  // And every table the cached reads read has its three triggers.
  for (const char* table :
       {"agents", "agent_knowledge", "agent_tools", "agent_collaborators", "agent_channels",
        "users", "tools", "connections", "connection_environments", "credentials"}) {
    EXPECT_EQ(Column(std::string("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND "
                                 "tbl_name = '") +
                     table + "' AND sql LIKE '%content_generation%'"),
              std::vector<std::string>{"3"})
        << table;
  }
}

}  // namespace
}  // namespace herald
