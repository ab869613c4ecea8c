// The runtime with a real SQLite store, the real bearer auth-type plugin and
// a local HTTP API that records the credentials it receives: which version
// answers, caches and LiveStateChanged, previews, bounded and owned
// conversations, and tool calls with team, member and missing credentials.
#include "herald/core/runtime/agent_runtime.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "herald/core/credential_vault.h"
#include "herald/core/deploy_service.h"
#include "herald/core/plugin_registry.h"
#include "herald/core/runtime/scripted_provider.h"
#include "herald/core/sqlite_store.h"
#include "herald/core/summary.h"
#include "herald/core/tool_service.h"
#include "test_http_server.h"

namespace herald::runtime {
namespace {

namespace fs = std::filesystem;
using herald::testing::TestHttpServer;

constexpr char kGuidelines[] =
    "Be brief.\n"
    "when the user mentions \"pet\", call getpet with id=$number\n"
    "when the user mentions \"crm\", call crmlookup";

class AgentRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("herald-runtime-" + std::to_string(std::random_device()()));
    fs::create_directories(dir_);
    store_ = std::move(SqliteStore::Open(dir_ / "herald.db")).value();
    plugins_ = std::make_unique<PluginRegistry>(
        [](const std::string&, const std::string&) { return std::optional<std::string>(); },
        [] { return int64_t{0}; });
    plugins_->LoadDirectories({HERALD_PLUGIN_BUILD_DIR});
    MasterKeySource key;
    key.environment_value = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    vault_ = std::move(CredentialVault::Open(*store_, key)).value();
    connections_ = std::make_unique<ConnectionService>(*store_, *plugins_, *vault_, std::nullopt);
    tools_ = std::make_unique<ToolService>(*store_, *connections_);
    summaries_ = std::make_unique<SummaryBuilder>(*plugins_, *connections_, *tools_,
                                                  std::set<std::string>{"scripted"});
    deploys_ = std::make_unique<DeployService>(*store_, *plugins_, *summaries_, *tools_,
                                               std::chrono::milliseconds(1000));
    providers_.Add(std::make_unique<ScriptedProvider>());
    MakeRuntime({});

    olga_ = std::move(store_->users().CreateUser("olga", Role::kMember, "h1")).value();
    bob_ = std::move(store_->users().CreateUser("bob", Role::kMember, "h2")).value();
    AddConnection("pets", CredentialType::kTeam);
    AddConnection("crm", CredentialType::kMember);
    Set("pets", Environment::kLive, CredentialOwner::Team(), "team-live-token");
    Set("pets", Environment::kDraft, CredentialOwner::Team(), "team-draft-token");
    Set("crm", Environment::kLive, CredentialOwner::Member(olga_.id), "olga-token");
    AddTool("getpet", "/pets/{id}", "pets");
    AddTool("crmlookup", "/crm/me", "crm");

    AgentDraft d;
    d.id = "support";
    d.name = "Support";
    d.description = "helps";
    d.model = "scripted";
    ASSERT_TRUE(store_->agents().CreateAgent(d).ok());
    Edit([](AgentDraft& a) {
      a.instructions = "Help customers.";
      a.behaviour.guidelines = kGuidelines;
      a.behaviour.welcome_message = "Welcome (v1)!";
    });
    KnowledgeFile faq{"faq.md", "f1", 0, "text/markdown"};
    const std::string text = "Refunds are paid within 30 days.\n\nShipping is free.";
    ASSERT_TRUE(store_->agents().PutKnowledge("support", faq, text).ok());
    ASSERT_TRUE(store_->agents().AddAgentTool("support", "getpet").ok());
    ASSERT_TRUE(store_->agents().AddAgentTool("support", "crmlookup").ok());
  }

  void TearDown() override {
    runtime_.reset();
    deploys_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  void MakeRuntime(RuntimeOptions options) {
    runtime_ = std::make_unique<AgentRuntime>(
        *store_, *connections_, providers_,
        [this](const AgentDraft& d) { return deploys_->Snapshot(d); }, options);
  }

  void AddConnection(const std::string& id, CredentialType type) {
    Connection c;
    c.id = id;
    c.display_name = id;
    EnvironmentConfig env;
    env.server_url = api_.url();
    env.auth_type = "bearer";
    env.credential_type = type;
    c.draft = env;
    c.live = env;
    ASSERT_TRUE(store_->connections().CreateConnection(c).ok());
  }

  void Set(const std::string& id, Environment env, const CredentialOwner& owner,
           const std::string& token) {
    auto set = connections_->SetCredentials(id, env, owner, {{"token", token}});
    ASSERT_TRUE(set.ok()) << set.status().message();
  }

  void AddTool(const std::string& name, const std::string& path, const std::string& connection) {
    Tool t;
    t.name = name;
    t.description = name;
    t.method = "GET";
    t.server_url = "https://unused.example";
    t.path = path;
    t.parameters_json =
        path.find("{id}") != std::string::npos
            ? R"([{"name":"id","in":"path","required":true,"type":"string","description":""}])"
            : "[]";
    t.security_json = "[]";
    t.connection_id = connection;
    ASSERT_TRUE(store_->tools().PutTool(t).ok());
  }

  void Edit(const std::function<void(AgentDraft&)>& change) {
    AgentDraft d = std::move(store_->agents().GetAgent("support")).value();
    change(d);
    ASSERT_TRUE(store_->agents().UpdateAgentFields(d).ok());
    ASSERT_TRUE(store_->agents().RecordAgentChange("support", "test", "edit").ok());
  }

  // Captures the draft as the next version and makes it live on a "web"
  // channel served by the "chat" plugin (what a deploy does, without plugins).
  int64_t Publish() {
    AgentDraft d = std::move(store_->agents().GetAgent("support")).value();
    auto snapshot = deploys_->Snapshot(d);
    EXPECT_TRUE(snapshot.ok());
    AgentVersion v;
    v.agent_id = "support";
    v.draft_revision = d.revision;
    v.content_hash = snapshot->second;
    v.author = "test";
    v.snapshot_json = snapshot->first;
    auto created = store_->deployments().CreateVersion(v, d.knowledge);
    EXPECT_TRUE(created.ok());
    LiveState state;
    state.live_version = created->version;
    state.deployed_at = "2024-01-01T00:00:0" + std::to_string(created->version) + "Z";
    state.channels = {{"web", "chat", created->version}};
    EXPECT_TRUE(store_->deployments().SetLiveState("support", state, d.name, d.description).ok());
    return created->version;
  }

  StatusOr<TurnOutput> Live(const std::string& message, const std::string& conversation = "",
                            const std::string& user = "", const std::string& channel = "chat") {
    return runtime_->RunLive({"support", channel, conversation, message, user}, {});
  }
  StatusOr<TurnOutput> Preview(const std::string& message, const std::string& conversation = "",
                               const std::string& user = "") {
    return runtime_->RunPreview({"support", "", conversation, message, user}, {});
  }

  fs::path dir_;
  TestHttpServer api_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<PluginRegistry> plugins_;
  std::unique_ptr<CredentialVault> vault_;
  std::unique_ptr<ConnectionService> connections_;
  std::unique_ptr<ToolService> tools_;
  std::unique_ptr<SummaryBuilder> summaries_;
  std::unique_ptr<DeployService> deploys_;
  ProviderRegistry providers_;
  std::unique_ptr<AgentRuntime> runtime_;
  User olga_;
  User bob_;
};

TEST_F(AgentRuntimeTest, OnlyTheVersionTheCallingChannelServesAnswers) {
  StatusOr<TurnOutput> before = Live("hello");
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(before.status().message(), "agent is not live");

  runtime_->LiveStateChanged("support");
  EXPECT_EQ(Publish(), 1);
  runtime_->LiveStateChanged("support");
  std::string begun;
  int64_t begun_version = -1;
  std::string streamed;
  TurnCallbacks callbacks;
  callbacks.on_begin = [&](const std::string& id, int64_t v) {
    begun = id;
    begun_version = v;
  };
  callbacks.on_delta = [&](std::string_view d) {
    streamed += d;
    return true;
  };
  StatusOr<TurnOutput> out =
      runtime_->RunLive({"support", "chat", "", "how long for refunds?", ""}, callbacks);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->version, 1);
  EXPECT_EQ(begun_version, 1);
  EXPECT_EQ(begun, out->conversation_id);
  EXPECT_EQ(out->reply, "Welcome (v1)!\n\nFrom faq.md: Refunds are paid within 30 days.");
  EXPECT_EQ(streamed, out->reply);
  EXPECT_EQ(out->conversation_id.size(), 32u);
  EXPECT_EQ(out->conversation_id.find_first_not_of("0123456789abcdef"), std::string::npos);

  StatusOr<TurnOutput> other = Live("hello", "", "", "voice");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().message(), "agent is not live");
  EXPECT_EQ(Live("").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(AgentRuntimeTest, LiveStateChangedSwitchesToTheNewVersionAtTheNextTurn) {
  Publish();
  ASSERT_EQ(Live("hi")->reply.substr(0, 13), "Welcome (v1)!");
  Edit([](AgentDraft& a) { a.behaviour.welcome_message = "Welcome (v2)!"; });
  EXPECT_EQ(Publish(), 2);
  // Cached until told.
  EXPECT_EQ(Live("hi")->version, 1);
  runtime_->LiveStateChanged("support");
  StatusOr<TurnOutput> after = Live("hi");
  EXPECT_EQ(after->version, 2);
  EXPECT_EQ(after->reply.substr(0, 13), "Welcome (v2)!");
}

TEST_F(AgentRuntimeTest, PreviewAnswersWithTheLatestDraft) {
  Publish();
  Edit([](AgentDraft& a) { a.behaviour.welcome_message = "Draft welcome."; });
  AgentDraft d = std::move(store_->agents().GetAgent("support")).value();
  StatusOr<TurnOutput> preview = Preview("shipping?");
  ASSERT_TRUE(preview.ok()) << preview.status().message();
  EXPECT_EQ(preview->version, 0);
  EXPECT_EQ(preview->draft_revision, d.revision);
  EXPECT_EQ(preview->reply, "Draft welcome.\n\nFrom faq.md: Shipping is free.");
  EXPECT_EQ(Live("shipping?")->reply.substr(0, 13), "Welcome (v1)!");
  // A preview conversation is not a live one, and the other way round.
  EXPECT_EQ(Live("more", preview->conversation_id).status().code(), StatusCode::kNotFound);
}

TEST_F(AgentRuntimeTest, HistoryIsBoundedAndConversationsBelongToTheirOwner) {
  RuntimeOptions options;
  options.history_turns = 3;
  MakeRuntime(options);
  Publish();
  const std::string me = std::to_string(olga_.id);
  StatusOr<TurnOutput> first = Live("turn 1", "", me);
  ASSERT_TRUE(first.ok());
  const std::string id = first->conversation_id;
  for (int i = 2; i <= 5; ++i) {
    StatusOr<TurnOutput> next = Live("turn " + std::to_string(i), id, me);
    ASSERT_TRUE(next.ok()) << next.status().message();
    EXPECT_EQ(next->conversation_id, id);
    // The welcome is for the first turn only: the model saw the history.
    EXPECT_EQ(next->reply, "Sorry, I don't know about that.");
  }
  StatusOr<Conversation> stored = store_->conversations().GetConversation(id, 100);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->turns.size(), 3u);
  EXPECT_EQ(stored->turns[0].user_message, "turn 3");
  EXPECT_EQ(stored->turns[2].user_message, "turn 5");
  EXPECT_EQ(stored->turns[2].seq, 5);
  EXPECT_EQ(stored->turns[2].version, 1);
  EXPECT_EQ(stored->owner, "chat");
  EXPECT_EQ(stored->user_id, me);

  // Someone else, another channel, or a fresh runtime (no cache) as someone else.
  EXPECT_EQ(Live("x", id, std::to_string(bob_.id)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Live("x", id, "").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Preview("x", id, me).status().code(), StatusCode::kNotFound);
  MakeRuntime(options);
  EXPECT_EQ(Live("x", id, std::to_string(bob_.id)).status().message(),
            "conversation '" + id + "' not found");
  EXPECT_TRUE(Live("turn 6", id, me).ok());
  EXPECT_EQ(Live("x", "0123456789abcdef0123456789abcdef", me).status().code(),
            StatusCode::kNotFound);
}

TEST_F(AgentRuntimeTest, ToolCallsUseTeamCredentialsOfTheCallersEnvironment) {
  api_.RespondAt("/pets/7", 200, R"({"name":"Rex"})", {{"Content-Type", "application/json"}});
  Publish();
  std::vector<std::pair<std::string, std::string>> reported;
  TurnCallbacks callbacks;
  callbacks.on_tool_call = [&](std::string_view tool, std::string_view outcome) {
    reported.emplace_back(tool, outcome);
  };
  StatusOr<TurnOutput> live =
      runtime_->RunLive({"support", "chat", "", "show me pet 7", ""}, callbacks);
  ASSERT_TRUE(live.ok()) << live.status().message();
  EXPECT_EQ(live->reply, R"(getpet returned: {"name":"Rex"})");
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0], (std::pair<std::string, std::string>{"getpet", "200"}));
  ASSERT_EQ(live->tool_calls.size(), 1u);
  ASSERT_EQ(api_.request_count(), 1u);
  EXPECT_EQ(api_.requests()[0].path, "/pets/7");
  EXPECT_EQ(api_.requests()[0].Header("authorization"), "Bearer team-live-token");

  StatusOr<TurnOutput> preview = Preview("pet 7 please");
  ASSERT_TRUE(preview.ok()) << preview.status().message();
  EXPECT_EQ(api_.requests()[1].Header("authorization"), "Bearer team-draft-token");

  // An API error is an outcome the model hears about, not a failed turn.
  StatusOr<TurnOutput> missing = Live("pet 8");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->tool_calls[0].outcome, "200");  // the test server's default answer
}

TEST_F(AgentRuntimeTest, MemberConnectionsUseTheUsersOwnCredentialsNeverTheTeams) {
  api_.RespondAt("/crm/me", 200, "crm ok");
  Publish();
  StatusOr<TurnOutput> olga = Live("crm please", "", std::to_string(olga_.id));
  ASSERT_TRUE(olga.ok()) << olga.status().message();
  EXPECT_EQ(olga->reply, "crmlookup returned: crm ok");
  ASSERT_EQ(api_.request_count(), 1u);
  EXPECT_EQ(api_.requests()[0].Header("authorization"), "Bearer olga-token");
  // By name too.
  EXPECT_TRUE(Live("crm please", "", "olga").ok());

  StatusOr<TurnOutput> bob = Live("crm please", "", std::to_string(bob_.id));
  ASSERT_FALSE(bob.ok());
  EXPECT_EQ(bob.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(bob.status().message().find("connection 'crm'"), std::string::npos);
  EXPECT_NE(bob.status().message().find("own credentials"), std::string::npos);

  StatusOr<TurnOutput> anonymous = Live("crm please");
  ASSERT_FALSE(anonymous.ok());
  EXPECT_EQ(anonymous.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(anonymous.status().message().find("anonymous"), std::string::npos);
  EXPECT_EQ(api_.request_count(), 2u);  // neither reached the API
  // Draft: olga set none there.
  EXPECT_EQ(Preview("crm", "", std::to_string(olga_.id)).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(AgentRuntimeTest, AModelNoProviderOffersIsUnavailable) {
  Edit([](AgentDraft& a) { a.model = "gpt-unknown"; });
  StatusOr<TurnOutput> out = Preview("hi");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(out.status().message().find("gpt-unknown"), std::string::npos);
}

}  // namespace
}  // namespace herald::runtime
