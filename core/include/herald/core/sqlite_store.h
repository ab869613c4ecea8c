// The embedded SQLite store: one database file in the data directory, in WAL
// mode with foreign keys on and full synchronous commits, migrated to the
// newest schema on open. Implements every store interface itself.
//
// Durability: every commit is `synchronous=FULL` (its WAL frames are synced
// before COMMIT returns) except a Transaction of Durability::kProcessCrash,
// which runs with `synchronous=NORMAL`: in WAL mode its frames are written
// to the WAL file (so they survive the process) but not synced; the next
// FULL commit's sync of the WAL file covers them. The WAL is checkpointed
// by a thread of its own (store/sqlite_checkpointer.h), not by whichever
// commit fills it.
//
// Reads of drafts (GetAgent, GetAgentWithTools) and of connections with
// their credentials (GetConnectionWithCredentials) are served from a
// bounded in-process cache while the database's content generation
// (migration 14; store/sqlite_cached_reads.h) says that nothing they were
// read from has changed since, whoever changed it.
//
// Thread-safety: one connection guarded by a recursive mutex, held for a
// whole Transaction, so a transaction's body may call the stores again on
// its own thread while other threads wait. (SQLite serialises writers
// anyway; readers that need to scale get connections of their own later.)
// The read caches are guarded by the same mutex.
#ifndef HERALD_CORE_SQLITE_STORE_H_
#define HERALD_CORE_SQLITE_STORE_H_

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "herald/core/store.h"

struct sqlite3;

namespace herald {
namespace store {
class SqliteCheckpointer;
class SqliteStatementCache;
template <typename Value>
class GenerationCache;
struct CachedConnection;
}  // namespace store

class SqliteStore final : public Store,
                          private UserStore,
                          private ConnectionStore,
                          private CredentialStore,
                          private ToolStore,
                          private AgentStore,
                          private DeploymentStore,
                          private MetaStore,
                          private PluginStateStore,
                          private ChannelSecretStore {
 public:
  // Opens (creating when absent) and migrates the database at `path`.
  // Refuses a database whose schema is newer than this build knows.
  static StatusOr<std::unique_ptr<SqliteStore>> Open(const std::filesystem::path& path);
  ~SqliteStore() override;

  std::string backend() const override { return "sqlite"; }
  int schema_version() const override { return schema_version_; }
  Status Ping() override;
  StatusOr<std::string> InstanceId() override;

  UserStore& users() override { return *this; }
  ConnectionStore& connections() override { return *this; }
  CredentialStore& credentials() override { return *this; }
  ToolStore& tools() override { return *this; }
  AgentStore& agents() override { return *this; }
  DeploymentStore& deployments() override { return *this; }
  MetaStore& meta() override { return *this; }
  // Its own connection to the same file (store/sqlite_conversations.h).
  ConversationStore& conversations() override { return *conversations_; }
  PluginStateStore& plugin_state() override { return *this; }
  ChannelSecretStore& channel_secrets() override { return *this; }
  using Store::Transaction;
  Status Transaction(Durability durability, const std::function<Status()>& body) override;

 private:
  explicit SqliteStore(sqlite3* db);
  Status Migrate();
  // The outermost transaction: BEGIN, `body`, COMMIT or ROLLBACK.
  Status RunTransaction(const std::function<Status()>& body);

  // UserStore (sqlite_users.cc)
  StatusOr<User> CreateUser(const std::string& name, Role role,
                            const std::string& token_hash) override;
  StatusOr<User> FindUserByTokenHash(const std::string& token_hash) override;
  StatusOr<User> FindUserByName(const std::string& name) override;
  StatusOr<std::vector<User>> ListUsers() override;
  Status DeleteUser(int64_t id) override;

  // ConnectionStore (sqlite_connections.cc)
  Status CreateConnection(const Connection& connection) override;
  StatusOr<Connection> GetConnection(const std::string& id) override;
  StatusOr<Connection> GetConnectionWithCredentials(
      const std::string& id, const std::string& owner,
      std::vector<SealedCredential>* credentials) override;
  StatusOr<std::vector<Connection>> ListConnections() override;
  Status UpdateConnection(const Connection& connection) override;
  Status SetConnectionStatus(const std::string& id, Environment env,
                             const ConnectionStatus& status) override;
  Status DeleteConnection(const std::string& id) override;
  Status WriteEnvironments(const Connection& connection);

  // CredentialStore (sqlite_credentials.cc)
  Status PutCredential(const SealedCredential& credential) override;
  StatusOr<std::vector<SealedCredential>> ListCredentials(const std::string& connection_id,
                                                          Environment env,
                                                          const std::string& owner) override;
  StatusOr<std::vector<SealedCredential>> ListEnvironmentCredentials(
      const std::string& connection_id, Environment env) override;
  StatusOr<std::vector<SealedCredential>> ListAllCredentials() override;
  StatusOr<int> DeleteCredentials(const std::string& connection_id, Environment env,
                                  const std::string& owner) override;

  // ToolStore (sqlite_tools.cc)
  Status PutTool(const Tool& tool) override;
  StatusOr<Tool> GetTool(const std::string& name) override;
  StatusOr<std::vector<Tool>> ListTools() override;
  StatusOr<std::vector<Tool>> GetTools(const std::vector<std::string>& names) override;
  StatusOr<std::vector<std::string>> ToolNamesUsing(const std::string& connection_id) override;
  Status DeleteTool(const std::string& name) override;

  // AgentStore (sqlite_agents.cc)
  Status CreateAgent(const AgentDraft& draft) override;
  StatusOr<AgentDraft> GetAgent(const std::string& id) override;
  StatusOr<AgentDraft> GetAgentWithTools(const std::string& id, std::vector<Tool>* tools,
                                         int64_t* generation = nullptr) override;
  StatusOr<std::shared_ptr<const DraftWithTools>> GetSharedAgentWithTools(
      const std::string& id, int64_t* generation = nullptr) override;
  // GetAgent, or with `tools` GetAgentWithTools: a copy of what KeptAgent
  // shares, with the agent's live_version.
  StatusOr<AgentDraft> ReadAgent(const std::string& id, std::vector<Tool>* tools,
                                 int64_t* generation);
  // The draft and its definitions from drafts_ when it holds them as of the
  // database's content generation, else from the tables (and then kept);
  // with the agent's live_version, which is not kept with them.
  StatusOr<std::shared_ptr<const DraftWithTools>> KeptAgent(const std::string& id,
                                                            std::optional<int64_t>* live_version,
                                                            int64_t* generation);
  // The draft from the tables, and with `tools` its tools' definitions; in
  // a transaction, for one state of the database.
  StatusOr<AgentDraft> ReadAgentRows(const std::string& id, std::vector<Tool>* tools);
  StatusOr<std::vector<AgentDraft>> ListAgents() override;
  Status UpdateAgentFields(const AgentDraft& draft) override;
  StatusOr<int64_t> RecordAgentChange(const std::string& id, const std::string& user,
                                      const std::string& summary) override;
  StatusOr<std::vector<DraftChange>> ListAgentChanges(const std::string& id) override;
  Status DeleteAgent(const std::string& id) override;
  Status PutKnowledge(const std::string& agent_id, const KnowledgeFile& file,
                      std::string_view bytes) override;
  Status DeleteKnowledge(const std::string& agent_id, const std::string& name) override;
  StatusOr<std::string> ReadBlob(const std::string& sha256) override;
  Status AddAgentTool(const std::string& agent_id, const std::string& tool) override;
  Status RemoveAgentTool(const std::string& agent_id, const std::string& tool) override;
  Status PutCollaborator(const std::string& agent_id, const Collaborator& c) override;
  Status RemoveCollaborator(const std::string& agent_id, const std::string& user) override;
  Status PutAgentChannel(const std::string& agent_id, const ChannelBinding& channel) override;
  Status RemoveAgentChannel(const std::string& agent_id, const std::string& name) override;
  Status DeleteBlobIfUnused(const std::string& sha256);

  // DeploymentStore (sqlite_deployments.cc)
  StatusOr<AgentVersion> CreateVersion(AgentVersion version,
                                       const std::vector<KnowledgeFile>& knowledge) override;
  StatusOr<AgentVersion> GetVersion(const std::string& agent_id, int64_t version) override;
  StatusOr<std::vector<AgentVersion>> ListVersions(const std::string& agent_id) override;
  // Stores `version`'s snapshot text under its content hash, unless
  // `same_text` says one is stored already: whether it is the same text.
  Status StoreSnapshot(const AgentVersion& version, std::optional<bool> same_text);
  // Records that the agent's versions use `knowledge`'s blobs, once each.
  Status PinBlobs(const std::string& agent_id, const std::vector<KnowledgeFile>& knowledge);
  Status BeginDeployment(Deployment* deployment) override;
  Status FinishDeployment(Deployment* deployment) override;
  StatusOr<Deployment> GetDeployment(int64_t id) override;
  StatusOr<std::vector<Deployment>> ListDeployments(const std::string& agent_id) override;
  StatusOr<std::optional<Deployment>> LastDeployment(const std::string& agent_id) override;
  StatusOr<std::vector<Deployment>> RunningDeployments() override;
  StatusOr<LiveState> GetLiveState(const std::string& agent_id) override;
  Status SetLiveState(const std::string& agent_id, const LiveState& state, const std::string& name,
                      const std::string& description) override;
  // `state`'s channels, stored relative to its live version (see the .cc).
  // Indexes the agent's live `*name` and `description` for search, or, with
  // no name, takes it out of the index. Inside a transaction.
  Status WriteSearchRow(const std::string& agent_id, const std::string* name,
                        const std::string& description);
  Status WriteLiveChannels(const std::string& agent_id, const LiveState& state);
  StatusOr<std::vector<std::string>> LiveAgentIds() override;
  StatusOr<std::vector<LiveSearchHit>> SearchLive(const std::string& query) override;

  // MetaStore
  StatusOr<std::optional<std::string>> GetMeta(const std::string& key) override;
  Status PutMeta(const std::string& key, const std::string& value) override;

  // PluginStateStore (store/sqlite_plugin_state.cc)
  StatusOr<std::string> GetPluginValue(const std::string& plugin, bool sealed,
                                       const std::string& key) override;
  Status PutPluginValue(const std::string& plugin, bool sealed, const std::string& key,
                        const std::string& value) override;
  Status DeletePluginValue(const std::string& plugin, bool sealed, const std::string& key) override;
  StatusOr<std::vector<PluginStateEntry>> ListPluginValues(const std::string& plugin, bool sealed,
                                                           const std::string& prefix) override;
  StatusOr<std::vector<PluginStateEntry>> ListAllSealedPluginValues() override;

  // ChannelSecretStore (store/sqlite_channel_secrets.cc)
  Status PutChannelSecret(const SealedChannelSecret& secret) override;
  StatusOr<SealedChannelSecret> GetChannelSecret(const std::string& id) override;
  StatusOr<std::vector<SealedChannelSecret>> ListAllChannelSecrets() override;
  StatusOr<int> DeleteUnreferencedChannelSecrets(const std::string& agent_id) override;

  std::unique_ptr<ConversationStore> conversations_;
  std::recursive_mutex mu_;
  int transaction_depth_ = 0;  // guarded by mu_
  // The largest deployment id handed out; 0 until the first is (guarded by
  // mu_). See BeginDeployment.
  int64_t last_deployment_id_ = 0;
  sqlite3* db_;
  // db_'s statements, compiled once each (guarded by mu_).
  std::unique_ptr<store::SqliteStatementCache> statements_;
  // Drafts and connections as last read, each with the content generation
  // it was read at (store/sqlite_cached_reads.h); guarded by mu_.
  std::unique_ptr<store::GenerationCache<DraftWithTools>> drafts_;
  std::unique_ptr<store::GenerationCache<store::CachedConnection>> connections_read_;
  // Checkpoints db_'s WAL off the committing thread.
  std::unique_ptr<store::SqliteCheckpointer> checkpointer_;
  int schema_version_ = 0;
};

}  // namespace herald

#endif  // HERALD_CORE_SQLITE_STORE_H_
