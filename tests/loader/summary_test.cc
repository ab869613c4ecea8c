// The pre-deployment summary with a real SQLite store, the built-in auth-type
// plugins and the scripted test channels: every line, blocker and the
// deployable flag, byte for byte, for each state a connection, a tool and a
// channel can be in. The expected texts were recorded from the summary as it
// was before it was made cheaper, so that any change in what it reports
// shows here.
#include "herald/core/summary.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "herald/core/credential_vault.h"
#include "herald/core/plugin_registry.h"
#include "herald/core/sqlite_store.h"
#include "herald/core/tool_service.h"
#include "herald/core/tool_views_memo.h"

namespace herald {
namespace {

namespace fs = std::filesystem;

// An OpenAPI document with one GET operation per (operation id, security)
// pair; the security is an operation's own list of requirement objects.
std::string Document(const std::vector<std::pair<std::string, std::string>>& operations) {
  std::string doc = R"({"openapi":"3.0.3","info":{"title":"T","version":"1"},)"
                    R"("servers":[{"url":"https://api.example/v1"}],)"
                    R"("components":{"securitySchemes":{)"
                    R"("bearerAuth":{"type":"http","scheme":"bearer"},)"
                    R"("key":{"type":"apiKey","in":"header","name":"X-Key"},)"
                    R"("other":{"type":"apiKey","in":"header","name":"X-Other"}}},)"
                    R"("paths":{)";
  for (size_t i = 0; i < operations.size(); ++i) {
    doc += (i ? "," : "") + std::string(R"("/op)") + std::to_string(i) +
           R"(":{"get":{"operationId":")" + operations[i].first + R"(","summary":"does )" +
           operations[i].first + R"(","security":)" + operations[i].second + "}}";
  }
  return doc + "}}";
}

constexpr char kBearer[] = R"([{"bearerAuth":[]}])";
constexpr char kKey[] = R"([{"key":[]}])";
constexpr char kOther[] = R"([{"other":[]}])";
constexpr char kNone[] = "[]";

// Every section's lines, then every blocker, then the verdict.
std::string Render(const Summary& s) {
  std::string out;
  for (const SummarySection& section : s.sections) {
    out += "[" + section.name + "]\n";
    for (const SummaryLine& line : section.lines) {
      out += (line.ok ? "+ " : "- ") + line.label + ": " + line.detail + "\n";
    }
  }
  for (const Blocker& b : s.blockers) {
    out += "! " + b.code + " (" + b.section + "): " + b.message + " => " + b.fix + "\n";
  }
  out += s.deployable() ? "deployable\n" : "not deployable\n";
  return out;
}

// The tools Build hands back: name, connection, match and parsed security.
std::string Render(const std::map<std::string, ToolView>& tools) {
  std::string out;
  for (const auto& [name, view] : tools) {
    out += name + " (" + view.tool.name + ", " + view.tool.description + ") -> '" +
           view.tool.connection_id + "': ";
    out += view.match ? (view.match->satisfied ? "yes " : "no ") + view.match->explanation
                      : std::string("unmatched");
    out += " | security " + SecurityToJson(*view.security) + "\n";
  }
  return out;
}

class SummaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("herald-summary-" + std::to_string(std::random_device()()));
    fs::create_directories(dir_);
    store_ = std::move(SqliteStore::Open(dir_ / "herald.db")).value();
    plugins_ = std::make_unique<PluginRegistry>(
        [](const std::string&, const std::string&) { return std::optional<std::string>(); },
        [] { return int64_t{0}; });
    plugins_->LoadDirectories({HERALD_PLUGIN_BUILD_DIR, HERALD_FIXTURE_CHANNEL_DIR});
    ASSERT_NE(plugins_->Find("bearer", PluginKind::kAuthType), nullptr);
    ASSERT_NE(plugins_->Find("alpha", PluginKind::kChannel), nullptr);
    MasterKeySource key;
    key.environment_value = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    vault_ = std::move(CredentialVault::Open(*store_, key)).value();
    connections_ = std::make_unique<ConnectionService>(*store_, *plugins_, *vault_, std::nullopt);
    tools_ = std::make_unique<ToolService>(*store_, *connections_);
    summaries_ = std::make_unique<SummaryBuilder>(*plugins_, *connections_, *tools_,
                                                  std::set<std::string>{"scripted", "other"});
    olga_ = std::move(store_->users().CreateUser("olga", Role::kMember, "h1")).value();

    draft_.id = "helper";
    draft_.name = "Helper";
    draft_.description = "answers questions";
    draft_.model = "scripted";
    draft_.channels.push_back(ChannelBinding{"chat", "alpha", "{}"});
  }

  void TearDown() override {
    summaries_.reset();
    tools_.reset();
    connections_.reset();
    vault_.reset();
    plugins_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static EnvironmentPatch Patch(const std::string& auth_type,
                                CredentialType type = CredentialType::kTeam) {
    EnvironmentPatch p;
    p.server_url = "https://api.example";
    p.auth_type = auth_type;
    p.credential_type = type;
    return p;
  }

  void AddConnection(const std::string& id, std::optional<EnvironmentPatch> draft,
                     std::optional<EnvironmentPatch> live) {
    ASSERT_TRUE(connections_->Create(id, "Connection " + id, draft, live).ok());
  }

  void SetTeam(const std::string& id, Environment env,
               const std::map<std::string, std::string>& fields) {
    StatusOr<std::vector<CredentialFieldView>> set =
        connections_->SetCredentials(id, env, CredentialOwner::Team(), fields);
    ASSERT_TRUE(set.ok()) << set.status().ToString();
  }

  // Stores a credential field as the vault seals it, past SetCredentials'
  // checks (what an older plugin version or a bug could have left).
  void PutSealed(const std::string& id, Environment env, const std::string& field,
                 const std::string& value) {
    SealedCredential where;
    where.connection_id = id;
    where.environment = env;
    where.owner = CredentialOwner::Team().Key();
    where.field = field;
    StatusOr<SealedCredential> sealed = vault_->Seal(where, value);
    ASSERT_TRUE(sealed.ok());
    ASSERT_TRUE(store_->credentials().PutCredential(*sealed).ok());
  }

  void Import(const std::string& file, const std::vector<std::pair<std::string, std::string>>& ops,
              const std::string& connection) {
    StatusOr<std::vector<ToolView>> imported =
        tools_->Import(file, Document(ops), connection, /*replace=*/false);
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
    for (const auto& [name, security] : ops) draft_.tools.push_back(name);
  }

  // The summary of draft_, and the tools Build handed back. Every golden
  // test also checks that a deploy's blockers-only summary has exactly the
  // full one's blockers (and hands back the same tools), and no lines.
  std::string Build() {
    std::map<std::string, ToolView> tools;
    StatusOr<Summary> s = summaries_->Build(draft_, &tools);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return s.status().ToString();
    StatusOr<Summary> without = summaries_->Build(draft_);
    EXPECT_TRUE(without.ok());
    if (without.ok()) {
      EXPECT_EQ(Render(*without), Render(*s));
    }
    std::map<std::string, ToolView> blockers_tools;
    StatusOr<Summary> blockers =
        summaries_->Build(draft_, &blockers_tools, SummaryDetail::kBlockersOnly);
    EXPECT_TRUE(blockers.ok());
    if (blockers.ok()) {
      EXPECT_TRUE(blockers->sections.empty());
      Summary only_blockers;
      only_blockers.blockers = s->blockers;
      EXPECT_EQ(Render(*blockers), Render(only_blockers));
      EXPECT_EQ(Render(blockers_tools), Render(tools));
    }
    // The same through a deploy's path: the views, then Summarize.
    StatusOr<std::vector<Tool>> definitions = store_->tools().GetTools(draft_.tools);
    EXPECT_TRUE(definitions.ok());
    if (definitions.ok()) {
      ToolViewsMemo memo(*tools_);
      StatusOr<std::shared_ptr<const ToolViews>> views =
          memo.Views(DraftWithTools{draft_, *definitions}, /*generation=*/0);
      EXPECT_TRUE(views.ok());
      if (views.ok()) {
        StatusOr<Summary> summarized = summaries_->Summarize(
            draft_, (*views)->tools, (*views)->connections, SummaryDetail::kFull);
        EXPECT_TRUE(summarized.ok());
        if (summarized.ok()) {
          EXPECT_EQ(Render(*summarized), Render(*s));
        }
        EXPECT_EQ(Render((*views)->tools), Render(tools));
      }
    }
    tools_read_ = Render(tools);
    return Render(*s);
  }

  fs::path dir_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<PluginRegistry> plugins_;
  std::unique_ptr<CredentialVault> vault_;
  std::unique_ptr<ConnectionService> connections_;
  std::unique_ptr<ToolService> tools_;
  std::unique_ptr<SummaryBuilder> summaries_;
  User olga_;
  AgentDraft draft_;
  std::string tools_read_;
};

TEST_F(SummaryTest, DeployableWithATeamConnection) {
  AddConnection("crm", Patch("bearer"), Patch("bearer"));
  SetTeam("crm", Environment::kLive, {{"token", "live-token"}});
  SetTeam("crm", Environment::kDraft, {{"token", "draft-token"}});
  Import("crm.json", {{"lookup", kBearer}, {"update", kBearer}, {"ping", kNone}}, "crm");
  draft_.voice = VoiceSettings{"en-us", "en-US", 1.25};
  draft_.knowledge.push_back(KnowledgeFile{"faq.md", "ab12", 42, "text/markdown"});
  draft_.collaborators.push_back(Collaborator{"olga", CollaboratorRole::kEditor});
  draft_.behaviour = Behaviour{"Be brief.", "Hello!", {"One?", "Two?"}};
  draft_.channels.push_back(ChannelBinding{"second", "beta", R"({"hang_ms":5})"});
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: en-us en-US at 1.250000
[knowledge]
+ faq.md: 42 bytes, sha256 ab12
[tools]
+ lookup: connection crm: draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth}
+ update: connection crm: draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth}
+ ping: connection crm: draft (bearer): no security required; live (bearer): no security required
[collaborators]
+ olga: editor
[behaviour]
+ guidelines: Be brief.
+ welcome message: Hello!
+ starter prompts: 2
[connections]
+ crm: server https://api.example; tools lookup, update, ping; live yes; status untested
[channels]
+ chat: plugin alpha
+ second: plugin beta
deployable
)golden");
  EXPECT_EQ(
      tools_read_,
      R"golden(lookup (lookup, does lookup) -> 'crm': yes draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth} | security [[{"description":"http bearer","in":"","name":"bearerAuth","param_name":"","scheme":"bearer","supported":true,"type":"http"}]]
ping (ping, does ping) -> 'crm': yes draft (bearer): no security required; live (bearer): no security required | security []
update (update, does update) -> 'crm': yes draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth} | security [[{"description":"http bearer","in":"","name":"bearerAuth","param_name":"","scheme":"bearer","supported":true,"type":"http"}]]
)golden");
}

TEST_F(SummaryTest, ProfileAndChannelBlockers) {
  draft_.name = "";
  draft_.description = "";
  draft_.model = "gpt-x";
  draft_.channels = {ChannelBinding{"chat", "alpha", R"({"hang_ms":-1})"},
                     ChannelBinding{"typo", "beta", R"({"colour":"red"})"},
                     ChannelBinding{"ghost", "nowhere", "{}"},
                     ChannelBinding{"broken", "gamma", "[1]"}};
  EXPECT_EQ(Build(), R"golden([profile]
- name: 
- description: 
- model: gpt-x
+ voice: (none)
[knowledge]
[tools]
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
[channels]
- chat: plugin alpha: settings.hang_ms: must not be negative
- typo: plugin beta: settings.colour: unknown setting of channel plugin 'beta' (known: fail, fail_unpublish, throw, hang_ms, token, require_token)
- ghost: plugin 'nowhere' is not loaded
- broken: plugin gamma: settings: expected a JSON object
! profile.name_missing (profile): the agent has no name => herald agents set helper --name NAME
! profile.description_missing (profile): the agent has no description => herald agents set helper --description TEXT: say what the agent does
! profile.model_unsupported (profile): model 'gpt-x' is not in the supported-model catalog => herald agents set helper --model M, with M one of: other, scripted
! channels.invalid_settings (channels): channel 'chat': settings.hang_ms: must not be negative => herald agents set-channel helper chat with corrected settings
! channels.invalid_settings (channels): channel 'typo': settings.colour: unknown setting of channel plugin 'beta' (known: fail, fail_unpublish, throw, hang_ms, token, require_token) => herald agents set-channel helper typo with corrected settings
! channels.plugin_not_loaded (channels): channel 'ghost': channel plugin 'nowhere' is not loaded => install the plugin in a --plugin-dir (herald plugins lists what is loaded and refused), or remove the channel
! channels.invalid_settings (channels): channel 'broken': settings: expected a JSON object => herald agents set-channel helper broken with corrected settings
not deployable
)golden");
  draft_.model = "";
  draft_.channels.clear();
  EXPECT_EQ(Build(), R"golden([profile]
- name: 
- description: 
- model: (none)
+ voice: (none)
[knowledge]
[tools]
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
[channels]
! profile.name_missing (profile): the agent has no name => herald agents set helper --name NAME
! profile.description_missing (profile): the agent has no description => herald agents set helper --description TEXT: say what the agent does
! profile.model_unsupported (profile): no model is selected => herald agents set helper --model M, with M one of: other, scripted
! channels.none (channels): the agent has no channel => herald agents set-channel helper NAME --plugin PLUGIN
not deployable
)golden");
}

TEST_F(SummaryTest, MissingAndUnboundTools) {
  AddConnection("crm", Patch("bearer"), Patch("bearer"));
  SetTeam("crm", Environment::kLive, {{"token", "live-token"}});
  Import("loose.json", {{"loose", kBearer}}, "");
  Import("crm.json", {{"lookup", kBearer}}, "crm");
  draft_.tools.insert(draft_.tools.begin(), "gone");
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
- gone: the tool no longer exists
- loose: no connection
+ lookup: connection crm: draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth}
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
+ crm: server https://api.example; tools lookup; live yes; status untested
[channels]
+ chat: plugin alpha
! tools.missing (tools): tool 'gone' no longer exists => herald agents remove-tool helper gone, or import it again
! tools.no_connection (tools): tool 'loose' has no connection => herald tools bind loose CONNECTION
not deployable
)golden");
  EXPECT_EQ(
      tools_read_,
      R"golden(lookup (lookup, does lookup) -> 'crm': yes draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth} | security [[{"description":"http bearer","in":"","name":"bearerAuth","param_name":"","scheme":"bearer","supported":true,"type":"http"}]]
loose (loose, does loose) -> '': unmatched | security [[{"description":"http bearer","in":"","name":"bearerAuth","param_name":"","scheme":"bearer","supported":true,"type":"http"}]]
)golden");
}

TEST_F(SummaryTest, ConnectionWithoutALiveConfiguration) {
  AddConnection("crm", Patch("bearer"), std::nullopt);
  SetTeam("crm", Environment::kDraft, {{"token", "draft-token"}});
  Import("crm.json", {{"lookup", kBearer}}, "crm");
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
+ lookup: connection crm: draft (bearer): satisfies requirement {bearerAuth}
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
- crm: server (no live configuration); tools lookup; live no (no live configuration); status not_configured
[channels]
+ chat: plugin alpha
! connections.not_live (connections): connection 'crm' has no complete live configuration: no live configuration => herald connections copy-to-live crm, then herald connections set-credentials crm --env live --team --field ...
! connections.test_failed (connections): connection 'crm' failed its last live test: not_configured => fix the server or credentials, then herald connections test crm --env live
not deployable
)golden");
}

TEST_F(SummaryTest, LiveCredentialsNeverSetThenSetThenRemoved) {
  AddConnection("crm", Patch("bearer"), Patch("bearer"));
  Import("crm.json", {{"lookup", kBearer}}, "crm");
  const std::string never_set = Build();
  EXPECT_EQ(never_set, R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
+ lookup: connection crm: draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth}
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
- crm: server https://api.example; tools lookup; live no (no team credentials set for live); status untested
[channels]
+ chat: plugin alpha
! connections.not_live (connections): connection 'crm' has no complete live configuration: no team credentials set for live => herald connections copy-to-live crm, then herald connections set-credentials crm --env live --team --field ...
not deployable
)golden");
  SetTeam("crm", Environment::kLive, {{"token", "live-token"}});
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
+ lookup: connection crm: draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth}
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
+ crm: server https://api.example; tools lookup; live yes; status untested
[channels]
+ chat: plugin alpha
deployable
)golden");
  StatusOr<int> cleared =
      connections_->ClearCredentials("crm", Environment::kLive, CredentialOwner::Team());
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(*cleared, 1);
  EXPECT_EQ(Build(), never_set);
}

TEST_F(SummaryTest, AuthTypeChanged) {
  AddConnection("crm", Patch("bearer"), Patch("bearer"));
  SetTeam("crm", Environment::kLive, {{"token", "live-token"}});
  Import("crm.json", {{"lookup", kBearer}, {"bykey", kNone}}, "crm");
  bool deleted = false;
  ASSERT_TRUE(connections_->Configure("crm", Environment::kLive, Patch("api_key"), &deleted).ok());
  EXPECT_TRUE(deleted);
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
- lookup: connection crm: draft (bearer): satisfies requirement {bearerAuth}; live (api_key): needs {bearerAuth (http bearer)}
+ bykey: connection crm: draft (bearer): no security required; live (api_key): no security required
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
- crm: server https://api.example; tools lookup, bykey; live no (no team credentials set for live); status untested
[channels]
+ chat: plugin alpha
! tools.connection_mismatch (tools): tool 'lookup': connection 'crm' does not satisfy its security => bind a connection whose auth type meets the tool's security schemes (herald tools show lookup)
! connections.not_live (connections): connection 'crm' has no complete live configuration: no team credentials set for live => herald connections copy-to-live crm, then herald connections set-credentials crm --env live --team --field ...
not deployable
)golden");
  EXPECT_EQ(
      tools_read_,
      R"golden(bykey (bykey, does bykey) -> 'crm': yes draft (bearer): no security required; live (api_key): no security required | security []
lookup (lookup, does lookup) -> 'crm': no draft (bearer): satisfies requirement {bearerAuth}; live (api_key): needs {bearerAuth (http bearer)} | security [[{"description":"http bearer","in":"","name":"bearerAuth","param_name":"","scheme":"bearer","supported":true,"type":"http"}]]
)golden");
  SetTeam("crm", Environment::kLive, {{"key", "k-123"}, {"name", "X-Key"}});
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
- lookup: connection crm: draft (bearer): satisfies requirement {bearerAuth}; live (api_key): needs {bearerAuth (http bearer)}
+ bykey: connection crm: draft (bearer): no security required; live (api_key): no security required
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
+ crm: server https://api.example; tools lookup, bykey; live yes; status untested
[channels]
+ chat: plugin alpha
! tools.connection_mismatch (tools): tool 'lookup': connection 'crm' does not satisfy its security => bind a connection whose auth type meets the tool's security schemes (herald tools show lookup)
not deployable
)golden");
}

TEST_F(SummaryTest, MemberCredentialsNeedNoneStored) {
  AddConnection("crm", Patch("bearer"), Patch("bearer", CredentialType::kMember));
  Import("crm.json", {{"lookup", kBearer}}, "crm");
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
+ lookup: connection crm: draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth}
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
+ crm: server https://api.example; tools lookup; live yes; status untested
[channels]
+ chat: plugin alpha
deployable
)golden");
}

TEST_F(SummaryTest, LastLiveTest) {
  AddConnection("crm", Patch("bearer"), Patch("bearer"));
  SetTeam("crm", Environment::kLive, {{"token", "live-token"}});
  Import("crm.json", {{"lookup", kBearer}}, "crm");
  ConnectionStatus failed{"unreachable", "connection refused", "2026-01-02T03:04:05Z", 0};
  ASSERT_TRUE(store_->connections().SetConnectionStatus("crm", Environment::kLive, failed).ok());
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
+ lookup: connection crm: draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth}
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
- crm: server https://api.example; tools lookup; live yes; status unreachable (connection refused)
[channels]
+ chat: plugin alpha
! connections.test_failed (connections): connection 'crm' failed its last live test: unreachable (connection refused) => fix the server or credentials, then herald connections test crm --env live
not deployable
)golden");
  ConnectionStatus passed{"ok", "HTTP 200", "2026-01-02T03:04:06Z", 200};
  ASSERT_TRUE(store_->connections().SetConnectionStatus("crm", Environment::kLive, passed).ok());
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
+ lookup: connection crm: draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth}
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
+ crm: server https://api.example; tools lookup; live yes; status ok (HTTP 200)
[channels]
+ chat: plugin alpha
deployable
)golden");
}

TEST_F(SummaryTest, RequiredFieldStoredEmpty) {
  AddConnection("crm", Patch("bearer"), Patch("bearer"));
  SetTeam("crm", Environment::kLive, {{"token", "live-token"}});
  Import("crm.json", {{"lookup", kBearer}}, "crm");
  PutSealed("crm", Environment::kLive, "token", "");
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
+ lookup: connection crm: draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth}
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
- crm: server https://api.example; tools lookup; live no (team credentials for live lack the required field 'token'); status untested
[channels]
+ chat: plugin alpha
! connections.not_live (connections): connection 'crm' has no complete live configuration: team credentials for live lack the required field 'token' => herald connections copy-to-live crm, then herald connections set-credentials crm --env live --team --field ...
not deployable
)golden");
}

TEST_F(SummaryTest, CredentialThatDoesNotOpen) {
  AddConnection("crm", Patch("bearer"), Patch("bearer"));
  Import("crm.json", {{"lookup", kBearer}}, "crm");
  SealedCredential garbage;
  garbage.connection_id = "crm";
  garbage.environment = Environment::kLive;
  garbage.owner = "team";
  garbage.field = "token";
  garbage.sealed = "not sealed at all";
  ASSERT_TRUE(store_->credentials().PutCredential(garbage).ok());
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
+ lookup: connection crm: draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth}
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
- crm: server https://api.example; tools lookup; live no (credential field 'token' of connection 'crm': sealed data has format version 110; this build reads version 1); status untested
[channels]
+ chat: plugin alpha
! connections.not_live (connections): connection 'crm' has no complete live configuration: credential field 'token' of connection 'crm': sealed data has format version 110; this build reads version 1 => herald connections copy-to-live crm, then herald connections set-credentials crm --env live --team --field ...
not deployable
)golden");
  // Sealed for another field: the vault refuses it.
  PutSealed("crm", Environment::kLive, "other", "value");
  StatusOr<std::vector<SealedCredential>> stored =
      store_->credentials().ListCredentials("crm", Environment::kLive, "team");
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 2u);
  SealedCredential moved = (*stored)[0];
  ASSERT_EQ(moved.field, "other");
  moved.field = "token";
  ASSERT_TRUE(store_->credentials().PutCredential(moved).ok());
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
+ lookup: connection crm: draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth}
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
- crm: server https://api.example; tools lookup; live no (credential field 'token' of connection 'crm': cannot decrypt: wrong key, tampered data, or data moved from another record); status untested
[channels]
+ chat: plugin alpha
! connections.not_live (connections): connection 'crm' has no complete live configuration: credential field 'token' of connection 'crm': cannot decrypt: wrong key, tampered data, or data moved from another record => herald connections copy-to-live crm, then herald connections set-credentials crm --env live --team --field ...
not deployable
)golden");
}

TEST_F(SummaryTest, AuthTypeNotLoaded) {
  AddConnection("crm", Patch("bearer"), Patch("bearer"));
  SetTeam("crm", Environment::kLive, {{"token", "live-token"}});
  Import("crm.json", {{"lookup", kBearer}}, "crm");
  Connection c = store_->connections().GetConnection("crm").value();
  c.live->auth_type = "retired";
  ASSERT_TRUE(store_->connections().UpdateConnection(c).ok());
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
- lookup: connection crm: auth type 'retired' is not loaded (loaded: api_key, basic, bearer, key_value)
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
- crm: server https://api.example; tools lookup; live no (auth type 'retired' is not loaded (loaded: api_key, basic, bearer, key_value)); status untested
[channels]
+ chat: plugin alpha
! tools.connection_mismatch (tools): tool 'lookup': connection 'crm' does not satisfy its security => bind a connection whose auth type meets the tool's security schemes (herald tools show lookup)
! connections.not_live (connections): connection 'crm' has no complete live configuration: auth type 'retired' is not loaded (loaded: api_key, basic, bearer, key_value) => herald connections copy-to-live crm, then herald connections set-credentials crm --env live --team --field ...
not deployable
)golden");
  EXPECT_EQ(
      tools_read_,
      R"golden(lookup (lookup, does lookup) -> 'crm': no auth type 'retired' is not loaded (loaded: api_key, basic, bearer, key_value) | security [[{"description":"http bearer","in":"","name":"bearerAuth","param_name":"","scheme":"bearer","supported":true,"type":"http"}]]
)golden");
}

TEST_F(SummaryTest, SchemeFieldsDecideTheMatch) {
  AddConnection("keys", Patch("api_key"), Patch("api_key"));
  SetTeam("keys", Environment::kDraft, {{"key", "d-1"}, {"name", "X-Key"}});
  SetTeam("keys", Environment::kLive, {{"key", "l-1"}, {"name", "X-Key"}});
  Import("keys.json", {{"bykey", kKey}, {"either", R"([{"other":[]},{"key":[]}])"}}, "keys");
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
+ bykey: connection keys: draft (api_key): satisfies requirement {key}; live (api_key): satisfies requirement {key}
+ either: connection keys: draft (api_key): satisfies requirement {key}; live (api_key): satisfies requirement {key}
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
+ keys: server https://api.example; tools bykey, either; live yes; status untested
[channels]
+ chat: plugin alpha
deployable
)golden");
  EXPECT_EQ(
      tools_read_,
      R"golden(bykey (bykey, does bykey) -> 'keys': yes draft (api_key): satisfies requirement {key}; live (api_key): satisfies requirement {key} | security [[{"description":"apiKey in header 'X-Key'","in":"header","name":"key","param_name":"X-Key","scheme":"","supported":true,"type":"apiKey"}]]
either (either, does either) -> 'keys': yes draft (api_key): satisfies requirement {key}; live (api_key): satisfies requirement {key} | security [[{"description":"apiKey in header 'X-Other'","in":"header","name":"other","param_name":"X-Other","scheme":"","supported":true,"type":"apiKey"}],[{"description":"apiKey in header 'X-Key'","in":"header","name":"key","param_name":"X-Key","scheme":"","supported":true,"type":"apiKey"}]]
)golden");
  SetTeam("keys", Environment::kLive, {{"key", "l-2"}, {"name", "X-Other"}});
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
- bykey: connection keys: draft (api_key): satisfies requirement {key}; live (api_key): needs {key (apiKey in header 'X-Key')}
+ either: connection keys: draft (api_key): satisfies requirement {key}; live (api_key): satisfies requirement {other}
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
+ keys: server https://api.example; tools bykey, either; live yes; status untested
[channels]
+ chat: plugin alpha
! tools.connection_mismatch (tools): tool 'bykey': connection 'keys' does not satisfy its security => bind a connection whose auth type meets the tool's security schemes (herald tools show bykey)
not deployable
)golden");
  EXPECT_EQ(
      tools_read_,
      R"golden(bykey (bykey, does bykey) -> 'keys': no draft (api_key): satisfies requirement {key}; live (api_key): needs {key (apiKey in header 'X-Key')} | security [[{"description":"apiKey in header 'X-Key'","in":"header","name":"key","param_name":"X-Key","scheme":"","supported":true,"type":"apiKey"}]]
either (either, does either) -> 'keys': yes draft (api_key): satisfies requirement {key}; live (api_key): satisfies requirement {other} | security [[{"description":"apiKey in header 'X-Other'","in":"header","name":"other","param_name":"X-Other","scheme":"","supported":true,"type":"apiKey"}],[{"description":"apiKey in header 'X-Key'","in":"header","name":"key","param_name":"X-Key","scheme":"","supported":true,"type":"apiKey"}]]
)golden");
}

TEST_F(SummaryTest, FreeFieldNamesAndAnEmptyValue) {
  AddConnection("kv", std::nullopt, Patch("key_value"));
  SetTeam("kv", Environment::kLive, {{"X-Token", "t"}});
  // The plugin refuses an empty header value; a declared-field check would
  // not, since key_value declares none.
  PutSealed("kv", Environment::kLive, "X-Tenant", "");
  Import("kv.json", {{"ping", kNone}}, "kv");
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
+ ping: connection kv: live (key_value): no security required
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
+ kv: server https://api.example; tools ping; live yes; status untested
[channels]
+ chat: plugin alpha
deployable
)golden");
}

TEST_F(SummaryTest, SeveralConnectionsInIdOrder) {
  AddConnection("zeta", Patch("bearer"), Patch("bearer"));
  SetTeam("zeta", Environment::kLive, {{"token", "z"}});
  AddConnection("alpha", Patch("bearer"), std::nullopt);
  AddConnection("mid", Patch("bearer"), Patch("bearer", CredentialType::kMember));
  Import("z.json", {{"z1", kBearer}, {"z2", kNone}}, "zeta");
  Import("a.json", {{"a1", kBearer}}, "alpha");
  Import("m.json", {{"m1", kNone}}, "mid");
  Import("z3.json", {{"z3", kBearer}}, "zeta");
  draft_.tools = {"z2", "m1", "a1", "z1", "z3", "z1"};
  EXPECT_EQ(Build(), R"golden([profile]
+ name: Helper
+ description: answers questions
+ model: scripted
+ voice: (none)
[knowledge]
[tools]
+ z2: connection zeta: draft (bearer): no security required; live (bearer): no security required
+ m1: connection mid: draft (bearer): no security required; live (bearer): no security required
+ a1: connection alpha: draft (bearer): satisfies requirement {bearerAuth}
+ z1: connection zeta: draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth}
+ z3: connection zeta: draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth}
+ z1: connection zeta: draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth}
[collaborators]
[behaviour]
+ guidelines: (none)
+ welcome message: (none)
+ starter prompts: 0
[connections]
- alpha: server (no live configuration); tools a1; live no (no live configuration); status not_configured
+ mid: server https://api.example; tools m1; live yes; status untested
+ zeta: server https://api.example; tools z2, z1, z3, z1; live yes; status untested
[channels]
+ chat: plugin alpha
! connections.not_live (connections): connection 'alpha' has no complete live configuration: no live configuration => herald connections copy-to-live alpha, then herald connections set-credentials alpha --env live --team --field ...
! connections.test_failed (connections): connection 'alpha' failed its last live test: not_configured => fix the server or credentials, then herald connections test alpha --env live
not deployable
)golden");
  EXPECT_EQ(
      tools_read_,
      R"golden(a1 (a1, does a1) -> 'alpha': yes draft (bearer): satisfies requirement {bearerAuth} | security [[{"description":"http bearer","in":"","name":"bearerAuth","param_name":"","scheme":"bearer","supported":true,"type":"http"}]]
m1 (m1, does m1) -> 'mid': yes draft (bearer): no security required; live (bearer): no security required | security []
z1 (z1, does z1) -> 'zeta': yes draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth} | security [[{"description":"http bearer","in":"","name":"bearerAuth","param_name":"","scheme":"bearer","supported":true,"type":"http"}]]
z2 (z2, does z2) -> 'zeta': yes draft (bearer): no security required; live (bearer): no security required | security []
z3 (z3, does z3) -> 'zeta': yes draft (bearer): satisfies requirement {bearerAuth}; live (bearer): satisfies requirement {bearerAuth} | security [[{"description":"http bearer","in":"","name":"bearerAuth","param_name":"","scheme":"bearer","supported":true,"type":"http"}]]
)golden");
}

// What the summary is built from, checked on its own.

TEST_F(SummaryTest, ReadinessIsWhatTheConnectionTableSays) {
  AddConnection("crm", Patch("bearer"), Patch("bearer"));
  auto expect = [&](bool complete, const std::string& reason) {
    StatusOr<ConnectionState> state = connections_->State("crm");
    ASSERT_TRUE(state.ok());
    LiveReadiness live = connections_->Readiness(*state);
    EXPECT_EQ(live.complete, complete);
    EXPECT_EQ(live.reason, reason);
    StatusOr<ConnectionRow> row = connections_->Row("crm");
    ASSERT_TRUE(row.ok());
    EXPECT_EQ(row->live_complete, complete);
    EXPECT_EQ(row->live_reason, reason);
  };
  expect(false, "no team credentials set for live");
  SetTeam("crm", Environment::kDraft, {{"token", "draft-token"}});
  expect(false, "no team credentials set for live");  // the draft's do not count
  SetTeam("crm", Environment::kLive, {{"token", "live-token"}});
  expect(true, "");

  // Credentials removed: not live.
  ASSERT_TRUE(
      connections_->ClearCredentials("crm", Environment::kLive, CredentialOwner::Team()).ok());
  expect(false, "no team credentials set for live");

  // Auth type changed: the stored credentials go, so not live; nor are the
  // old auth type's fields enough once they are back.
  SetTeam("crm", Environment::kLive, {{"token", "live-token"}});
  bool deleted = false;
  ASSERT_TRUE(connections_->Configure("crm", Environment::kLive, Patch("api_key"), &deleted).ok());
  ASSERT_TRUE(deleted);
  expect(false, "no team credentials set for live");
  PutSealed("crm", Environment::kLive, "token", "live-token");
  expect(false, "team credentials for live lack the required field 'key'");
  SetTeam("crm", Environment::kLive, {{"key", "k-1"}});
  expect(true, "");

  // A present field is not enough: an empty required one is incomplete.
  PutSealed("crm", Environment::kLive, "key", "");
  expect(false, "team credentials for live lack the required field 'key'");

  // Member credentials: complete without any stored.
  ASSERT_TRUE(connections_
                  ->Configure("crm", Environment::kLive, Patch("api_key", CredentialType::kMember),
                              &deleted)
                  .ok());
  expect(true, "");

  AddConnection("draft-only", Patch("bearer"), std::nullopt);
  StatusOr<ConnectionState> draft_only = connections_->State("draft-only");
  ASSERT_TRUE(draft_only.ok());
  LiveReadiness none = connections_->Readiness(*draft_only);
  EXPECT_FALSE(none.complete);
  EXPECT_EQ(none.reason, "no live configuration");
}

// Readiness checks credentials through CredentialVault::Check, which
// remembers a sealed text that opened: asked again, it must still tell a
// changed text, or the same text in another row, from the one it opened.
// A deploy's views of a draft's tools are kept while the store's content
// generation is the one they were read at, and made again after a write to
// a tool or a connection's credentials; at generation 0 never kept. What a
// view does not hold, the connection's readiness, Summarize checks afresh.
TEST_F(SummaryTest, ToolViewsAreKeptOnlyWhileTheGenerationIsTheirs) {
  AddConnection("crm", Patch("bearer"), Patch("bearer"));
  AddConnection("erp", Patch("api_key"), Patch("api_key"));
  SetTeam("crm", Environment::kLive, {{"token", "live-token"}});
  Import("crm.json", {{"lookup", kBearer}}, "crm");
  ASSERT_TRUE(store_->agents().CreateAgent(draft_).ok());
  ASSERT_TRUE(store_->agents().AddAgentTool(draft_.id, "lookup").ok());
  ToolViewsMemo memo(*tools_);
  auto views_now = [&]() -> std::shared_ptr<const ToolViews> {
    int64_t generation = 0;
    StatusOr<std::shared_ptr<const DraftWithTools>> read =
        store_->agents().GetSharedAgentWithTools(draft_.id, &generation);
    EXPECT_TRUE(read.ok());
    EXPECT_NE(generation, 0);
    if (!read.ok()) return nullptr;
    StatusOr<std::shared_ptr<const ToolViews>> views = memo.Views(**read, generation);
    EXPECT_TRUE(views.ok());
    return views.ok() ? *views : nullptr;
  };
  auto blockers = [&](const ToolViews& views) {
    StatusOr<Summary> s =
        summaries_->Summarize(draft_, views.tools, views.connections, SummaryDetail::kBlockersOnly);
    EXPECT_TRUE(s.ok());
    std::string codes;
    for (const Blocker& b : s->blockers) codes += b.code + " ";
    return codes;
  };

  std::shared_ptr<const ToolViews> first = views_now();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(views_now(), first);  // kept, not made again
  EXPECT_EQ(memo.hits(), 1u);
  EXPECT_EQ(memo.misses(), 1u);
  ASSERT_EQ(first->tools.count("lookup"), 1u);
  EXPECT_TRUE(first->tools.at("lookup").match->satisfied);
  EXPECT_EQ(blockers(*first), "");

  // A credential write: made again, with the connection as it is now.
  ASSERT_TRUE(
      connections_->ClearCredentials("crm", Environment::kLive, CredentialOwner::Team()).ok());
  std::shared_ptr<const ToolViews> cleared = views_now();
  ASSERT_NE(cleared, nullptr);
  EXPECT_NE(cleared, first);
  EXPECT_EQ(memo.misses(), 2u);
  EXPECT_TRUE(cleared->connections.at("crm").team_credentials.empty());
  EXPECT_EQ(blockers(*cleared), "connections.not_live ");

  // A tool bound to another connection (written past Bind's check): made
  // again, and no longer matched.
  StatusOr<Tool> rebound = store_->tools().GetTool("lookup");
  ASSERT_TRUE(rebound.ok());
  rebound->connection_id = "erp";
  ASSERT_TRUE(store_->tools().PutTool(*rebound).ok());
  std::shared_ptr<const ToolViews> rebound_views = views_now();
  ASSERT_NE(rebound_views, nullptr);
  EXPECT_EQ(memo.misses(), 3u);
  EXPECT_EQ(rebound_views->tools.at("lookup").tool.connection_id, "erp");
  EXPECT_FALSE(rebound_views->tools.at("lookup").match->satisfied);
  EXPECT_EQ(views_now(), rebound_views);

  // Read inside a transaction that may write: never kept.
  const uint64_t misses = memo.misses();
  StatusOr<std::shared_ptr<const DraftWithTools>> read =
      store_->agents().GetSharedAgentWithTools(draft_.id);
  ASSERT_TRUE(read.ok());
  EXPECT_NE(*memo.Views(**read, 0), *memo.Views(**read, 0));
  EXPECT_EQ(memo.misses(), misses + 2);
}

TEST_F(SummaryTest, ReadinessRemembersOnlyTheExactCredentialThatOpened) {
  AddConnection("crm", Patch("bearer"), Patch("bearer"));
  AddConnection("erp", Patch("bearer"), Patch("bearer"));
  auto readiness = [&](const std::string& id) {
    StatusOr<ConnectionState> state = connections_->State(id);
    EXPECT_TRUE(state.ok());
    return state.ok() ? connections_->Readiness(*state) : LiveReadiness{};
  };
  SetTeam("crm", Environment::kLive, {{"token", "live-token"}});
  EXPECT_TRUE(readiness("crm").complete);
  EXPECT_TRUE(readiness("crm").complete);  // remembered

  StatusOr<std::vector<SealedCredential>> stored =
      store_->credentials().ListCredentials("crm", Environment::kLive, "team");
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  const SealedCredential opened = (*stored)[0];
  const std::string kNotOpened =
      "credential field 'token' of connection 'erp': cannot decrypt: wrong key, tampered data, "
      "or data moved from another record";

  // The same text in another connection's row.
  SealedCredential moved = opened;
  moved.connection_id = "erp";
  ASSERT_TRUE(store_->credentials().PutCredential(moved).ok());
  EXPECT_FALSE(readiness("erp").complete);
  EXPECT_EQ(readiness("erp").reason, kNotOpened);

  // The text changed in its last character, where the tag ends.
  SealedCredential tampered = opened;
  tampered.connection_id = "erp";
  tampered.sealed.back() = tampered.sealed.back() == 'A' ? 'B' : 'A';
  ASSERT_TRUE(store_->credentials().PutCredential(tampered).ok());
  EXPECT_FALSE(readiness("erp").complete);

  // An empty value is remembered as empty: still a missing required field.
  PutSealed("crm", Environment::kLive, "token", "");
  EXPECT_EQ(readiness("crm").reason, "team credentials for live lack the required field 'token'");
  EXPECT_EQ(readiness("crm").reason, "team credentials for live lack the required field 'token'");
  ASSERT_TRUE(store_->credentials().PutCredential(opened).ok());
  EXPECT_TRUE(readiness("crm").complete);
}

TEST_F(SummaryTest, StateHoldsTheTeamCredentialsOfConfiguredEnvironments) {
  AddConnection("crm", std::nullopt, Patch("bearer", CredentialType::kTeam));
  SetTeam("crm", Environment::kLive, {{"token", "live-token"}});
  PutSealed("crm", Environment::kDraft, "token", "stray");  // no draft configuration
  SealedCredential member;
  member.connection_id = "crm";
  member.environment = Environment::kLive;
  member.owner = CredentialOwner::Member(olga_.id).Key();
  member.field = "token";
  member.sealed = vault_->Seal(member, "olga-token").value().sealed;
  ASSERT_TRUE(store_->credentials().PutCredential(member).ok());

  StatusOr<ConnectionState> state = connections_->State("crm");
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->connection.display_name, "Connection crm");
  EXPECT_FALSE(state->connection.draft.has_value());
  ASSERT_TRUE(state->connection.live.has_value());
  EXPECT_EQ(state->connection.live->auth_type, "bearer");
  ASSERT_EQ(state->team_credentials.size(), 1u);
  const SealedCredential& k = state->team_credentials[0];
  EXPECT_EQ(k.connection_id, "crm");
  EXPECT_EQ(k.environment, Environment::kLive);
  EXPECT_EQ(k.owner, "team");
  EXPECT_EQ(k.field, "token");
  EXPECT_FALSE(k.updated_at.empty());
  EXPECT_EQ(vault_->Open(k).value(), "live-token");

  // The same connection as GetConnection reads it.
  Connection alone = store_->connections().GetConnection("crm").value();
  EXPECT_EQ(alone.id, state->connection.id);
  EXPECT_EQ(alone.created_at, state->connection.created_at);
  EXPECT_EQ(alone.live->server_url, state->connection.live->server_url);
  EXPECT_EQ(alone.live_status.status, state->connection.live_status.status);

  // A connection with no environment at all, and one that does not exist.
  AddConnection("bare", std::nullopt, std::nullopt);
  StatusOr<ConnectionState> bare = connections_->State("bare");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->connection.id, "bare");
  EXPECT_FALSE(bare->connection.draft || bare->connection.live);
  EXPECT_TRUE(bare->team_credentials.empty());
  EXPECT_EQ(store_->connections().GetConnection("bare").value().id, "bare");
  EXPECT_EQ(connections_->State("nope").status().ToString(),
            "not_found: connection 'nope' does not exist");
  EXPECT_EQ(store_->connections().GetConnection("nope").status().ToString(),
            "not_found: connection 'nope' does not exist");
}

TEST_F(SummaryTest, ParsedSecurityIsSecurityFromJsonParsedOnce) {
  const std::vector<std::string> texts = {
      "", "[]",
      R"([[{"description":"http bearer","in":"","name":"bearerAuth","param_name":"","scheme":"bearer","supported":true,"type":"http"}]])",
      R"([[{"description":"apiKey in header 'X-Key'","in":"header","name":"key","param_name":"X-Key","scheme":"","supported":true,"type":"apiKey"}],[]])"};
  for (const std::string& text : texts) {
    auto parsed = tools_->ParsedSecurity(text);
    EXPECT_EQ(SecurityToJson(*parsed), SecurityToJson(SecurityFromJson(text))) << text;
    EXPECT_EQ(tools_->ParsedSecurity(text), parsed) << "kept: " << text;
  }
  // Past the bound, the kept texts are dropped and parsed again, alike.
  auto first = tools_->ParsedSecurity(texts[2]);
  for (size_t i = 0; i < ToolService::kMaxParsedSecurity; ++i) {
    tools_->ParsedSecurity(
        R"([[{"description":"d)" + std::to_string(i) +
        R"(","in":"","name":"n","param_name":"","scheme":"bearer","supported":true,"type":"http"}]])");
  }
  auto again = tools_->ParsedSecurity(texts[2]);
  EXPECT_NE(again, first);
  EXPECT_EQ(SecurityToJson(*again), SecurityToJson(*first));
  // From many threads at once: every one gets what SecurityFromJson says.
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        const std::string& text = texts[static_cast<size_t>(i + t) % texts.size()];
        if (SecurityToJson(*tools_->ParsedSecurity(text)) !=
            SecurityToJson(SecurityFromJson(text))) {
          ++wrong;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST_F(SummaryTest, CachedSecurityMatchesAsAFreshParse) {
  AddConnection("keys", Patch("api_key"), Patch("api_key"));
  SetTeam("keys", Environment::kDraft, {{"key", "d-1"}, {"name", "X-Key"}});
  SetTeam("keys", Environment::kLive, {{"key", "l-1"}, {"name", "X-Other"}});
  Import("keys.json",
         {{"bykey", kKey}, {"byother", kOther}, {"either", R"([{"other":[]},{"key":[]}])"}}, "");
  for (const std::string& name : draft_.tools) {
    const Tool tool = store_->tools().GetTool(name).value();
    StatusOr<openapi::MatchResult> cached =
        tools_->Match(*tools_->ParsedSecurity(tool.security_json), "keys");
    StatusOr<openapi::MatchResult> fresh =
        tools_->Match(SecurityFromJson(tool.security_json), "keys");
    ASSERT_TRUE(cached.ok());
    ASSERT_TRUE(fresh.ok());
    EXPECT_EQ(cached->satisfied, fresh->satisfied) << name;
    EXPECT_EQ(cached->explanation, fresh->explanation) << name;
  }
  // Tools bound to it: GetMany's shared reads and matches, Get's own.
  ASSERT_TRUE(tools_->Bind("either", "keys").ok());
  ASSERT_FALSE(tools_->Bind("bykey", "keys").ok()) << "live names X-Other";
  ASSERT_FALSE(tools_->Bind("byother", "keys").ok()) << "draft names X-Key";
  std::map<std::string, ConnectionState> states;
  StatusOr<std::map<std::string, ToolView>> many = tools_->GetMany(draft_.tools, &states);
  ASSERT_TRUE(many.ok());
  EXPECT_EQ(many->size(), 3u);
  for (const auto& [name, view] : *many) {
    StatusOr<ToolView> one = tools_->Get(name);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(SecurityToJson(*view.security), SecurityToJson(*one->security)) << name;
    ASSERT_EQ(view.match.has_value(), one->match.has_value()) << name;
    if (view.match) {
      EXPECT_EQ(view.match->satisfied, one->match->satisfied) << name;
      EXPECT_EQ(view.match->explanation, one->match->explanation) << name;
    }
  }
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states.begin()->first, "keys");
  // key, name and the defaulted location, in each environment.
  EXPECT_EQ(states.begin()->second.team_credentials.size(), 6u);
}

TEST_F(SummaryTest, GetToolsTakesAnyNames) {
  Tool odd;
  odd.name = "we\"ird\\name\x01/ü";
  odd.description = "odd";
  odd.method = "get";
  odd.server_url = "https://api.example";
  odd.path = "/";
  odd.parameters_json = "[]";
  odd.security_json = "[]";
  odd.source = "by hand";
  ASSERT_TRUE(store_->tools().PutTool(odd).ok());
  Import("crm.json", {{"lookup", kNone}}, "");
  StatusOr<std::vector<Tool>> found =
      store_->tools().GetTools({"missing", odd.name, "lookup", odd.name, ""});
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].name, "lookup");
  EXPECT_EQ((*found)[1].name, odd.name);
  EXPECT_EQ((*found)[1].source, "by hand");
  EXPECT_TRUE(store_->tools().GetTools({}).value().empty());
}

}  // namespace
}  // namespace herald
