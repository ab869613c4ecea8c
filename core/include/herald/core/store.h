// The store: where heraldd keeps everything that must survive a restart.
//
// Interfaces, so that a PostgreSQL backend (several heraldd nodes sharing one
// database) can be added beside the embedded SQLite default without touching
// their callers. Each backend brings its own schema migrations with the same
// numbering: schema version N means the same tables everywhere.
//
// Writes that must happen together go through Store::Transaction: either all
// of them are committed or none. A write made outside a transaction is a
// transaction of its own, durable as kPowerLoss (below).
//
// Thread-safety: every method may be called from any thread.
#ifndef HERALD_CORE_STORE_H_
#define HERALD_CORE_STORE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "herald/core/deployment_store.h"
#include "herald/core/model/agent.h"
#include "herald/core/model/connection.h"
#include "herald/core/model/tool.h"
#include "herald/core/model/user.h"
#include "herald/core/status.h"

namespace herald {

// What a committed transaction survives. Said as an intent, not as a
// backend's setting: SQLite maps it to `synchronous`, PostgreSQL would to
// `synchronous_commit`.
enum class Durability {
  // The commit returns once the data is on stable storage: it survives the
  // machine losing power or the OS crashing. The default, and the only
  // right choice for anything a caller reports as done.
  kPowerLoss,
  // The commit may return before the data reaches stable storage: it
  // survives heraldd dying (kill -9, a crash), not a power loss or an OS
  // crash. The next kPowerLoss commit makes it durable against those too
  // (commits reach the disk in order). For a write that a later kPowerLoss
  // commit confirms, and whose loss in a power cut the caller's recovery
  // copes with (e.g. DeployService's record of a deployment before its
  // fan-out, see deploy_service.h).
  kProcessCrash,
};

class UserStore {
 public:
  virtual ~UserStore() = default;
  // AlreadyExists when the name is taken.
  virtual StatusOr<User> CreateUser(const std::string& name, Role role,
                                    const std::string& token_hash) = 0;
  virtual StatusOr<User> FindUserByTokenHash(const std::string& token_hash) = 0;
  virtual StatusOr<User> FindUserByName(const std::string& name) = 0;
  virtual StatusOr<std::vector<User>> ListUsers() = 0;
  // Also removes the user's tokens and member credentials.
  virtual Status DeleteUser(int64_t id) = 0;
};

class ConnectionStore {
 public:
  virtual ~ConnectionStore() = default;
  virtual Status CreateConnection(const Connection& connection) = 0;
  virtual StatusOr<Connection> GetConnection(const std::string& id) = 0;
  // The connection and, in `credentials`, `owner`'s stored credentials of
  // the environments it configures (draft's first, each by field), in one
  // read.
  virtual StatusOr<Connection> GetConnectionWithCredentials(
      const std::string& id, const std::string& owner,
      std::vector<SealedCredential>* credentials) = 0;
  virtual StatusOr<std::vector<Connection>> ListConnections() = 0;
  // Replaces name and both environments' configurations.
  virtual Status UpdateConnection(const Connection& connection) = 0;
  virtual Status SetConnectionStatus(const std::string& id, Environment env,
                                     const ConnectionStatus& status) = 0;
  // Also removes its credentials.
  virtual Status DeleteConnection(const std::string& id) = 0;
};

class CredentialStore {
 public:
  virtual ~CredentialStore() = default;
  // Inserts or replaces one field.
  virtual Status PutCredential(const SealedCredential& credential) = 0;
  virtual StatusOr<std::vector<SealedCredential>> ListCredentials(const std::string& connection_id,
                                                                  Environment env,
                                                                  const std::string& owner) = 0;
  // All owners' credentials of one environment.
  virtual StatusOr<std::vector<SealedCredential>> ListEnvironmentCredentials(
      const std::string& connection_id, Environment env) = 0;
  virtual StatusOr<std::vector<SealedCredential>> ListAllCredentials() = 0;
  // Deletes one owner's fields, or every owner's when `owner` is empty.
  // Returns how many were deleted.
  virtual StatusOr<int> DeleteCredentials(const std::string& connection_id, Environment env,
                                          const std::string& owner) = 0;
};

class ToolStore {
 public:
  virtual ~ToolStore() = default;
  // Inserts or replaces by name.
  virtual Status PutTool(const Tool& tool) = 0;
  virtual StatusOr<Tool> GetTool(const std::string& name) = 0;
  virtual StatusOr<std::vector<Tool>> ListTools() = 0;
  // The tools of these names that exist, by name (one query however many).
  virtual StatusOr<std::vector<Tool>> GetTools(const std::vector<std::string>& names) = 0;
  // The names of the tools bound to the connection, in name order.
  virtual StatusOr<std::vector<std::string>> ToolNamesUsing(const std::string& connection_id) = 0;
  virtual Status DeleteTool(const std::string& name) = 0;
};

// Agents' drafts, their knowledge files (stored once by content, in blobs
// keyed by sha256) and their audit trail. The writes below change a draft
// without touching its revision: AgentService makes each change and its
// RecordAgentChange in one Transaction.
// A draft and the definitions of its tools, as GetAgentWithTools reads
// them, less the draft's live_version (left empty): deploys change that
// without changing the rest. Shared by GetSharedAgentWithTools with the
// store's cache, and never changed once handed out.
struct DraftWithTools {
  AgentDraft draft;
  std::vector<Tool> tools;
};

class AgentStore {
 public:
  virtual ~AgentStore() = default;
  // Inserts the agent's fields (not its lists) at revision 0; AlreadyExists
  // naming "id" when taken.
  virtual Status CreateAgent(const AgentDraft& draft) = 0;
  // The whole draft: fields, knowledge (without bytes), tools,
  // collaborators, channels. NotFound when absent.
  virtual StatusOr<AgentDraft> GetAgent(const std::string& id) = 0;
  // GetAgent's draft, and in `tools` the definitions of the draft's tools
  // that exist (in name order, as ToolStore::GetTools gives them; a name of
  // the draft's list with no tool has none), read together so that the list
  // and the definitions agree: what a deploy's summary and snapshot need.
  // A definition is a Tool without its source, created_at and updated_at
  // (left empty), which neither reads.
  //
  // With `generation`, also the store's content generation that the draft
  // and definitions were read at, for memoising what is made of them (a
  // rendered snapshot, say), keyed by the agent's id and this number: a
  // later read that gives the same number read the same draft (but its
  // live_version, which deploys change) and the same definitions, and
  // connections and credentials unchanged too. The number moves on with
  // every committed write to any of them, by any connection or node sharing
  // the database, and never with a deploy's writes; a different number does
  // not mean that this agent changed. 0, never a generation, when the read
  // was part of a transaction that may have written: memoise nothing then.
  virtual StatusOr<AgentDraft> GetAgentWithTools(const std::string& id, std::vector<Tool>* tools,
                                                 int64_t* generation = nullptr) = 0;
  // GetAgentWithTools' draft and definitions shared, not copied, for a
  // reader that only reads them (a redeploy reads a draft and some 20
  // definitions): the draft's live_version is left empty (see
  // DraftWithTools; DeploymentStore::GetLiveState has it). Never null.
  virtual StatusOr<std::shared_ptr<const DraftWithTools>> GetSharedAgentWithTools(
      const std::string& id, int64_t* generation = nullptr) = 0;
  virtual StatusOr<std::vector<AgentDraft>> ListAgents() = 0;
  // Writes the scalar fields: name, description, model, voice, instructions,
  // behaviour.
  virtual Status UpdateAgentFields(const AgentDraft& draft) = 0;
  // Bumps the revision by one, stamps updated_at/updated_by and appends the
  // audit entry; returns the new revision.
  virtual StatusOr<int64_t> RecordAgentChange(const std::string& id, const std::string& user,
                                              const std::string& summary) = 0;
  // Oldest first.
  virtual StatusOr<std::vector<DraftChange>> ListAgentChanges(const std::string& id) = 0;
  // Removes the agent, its lists and audit trail, and the blobs nothing else
  // uses any more.
  virtual Status DeleteAgent(const std::string& id) = 0;

  // Points the agent's file `file.name` at the blob `file.sha256`, storing
  // `bytes` as that blob only when no blob of that sha256 exists yet; a blob
  // the file pointed at before is removed when nothing uses it any more.
  virtual Status PutKnowledge(const std::string& agent_id, const KnowledgeFile& file,
                              std::string_view bytes) = 0;
  // Also removes its blob when nothing uses it any more.
  virtual Status DeleteKnowledge(const std::string& agent_id, const std::string& name) = 0;
  virtual StatusOr<std::string> ReadBlob(const std::string& sha256) = 0;

  virtual Status AddAgentTool(const std::string& agent_id, const std::string& tool) = 0;
  virtual Status RemoveAgentTool(const std::string& agent_id, const std::string& tool) = 0;
  // Inserts or changes the role; NotFound when the user does not exist.
  virtual Status PutCollaborator(const std::string& agent_id, const Collaborator& c) = 0;
  virtual Status RemoveCollaborator(const std::string& agent_id, const std::string& user) = 0;
  // Inserts or replaces by name.
  virtual Status PutAgentChannel(const std::string& agent_id, const ChannelBinding& channel) = 0;
  virtual Status RemoveAgentChannel(const std::string& agent_id, const std::string& name) = 0;
};

// One exchange of a conversation: the user's message and the reply, with the
// agent version (0: a preview) that answered.
struct ConversationTurn {
  int64_t seq = 0;  // 1, 2, 3 ... within the conversation (assigned on append)
  int64_t version = 0;
  std::string user_message;
  std::string reply;
  std::string created_at;
};

// A conversation, owned by the channel (or "preview"), agent and user that
// started it, with its most recent turns, oldest first.
struct Conversation {
  std::string id;     // 32 hex digits: 48 bits of time, 80 random bits
  std::string owner;  // the channel plugin's name, or "preview"
  std::string agent_id;
  std::string user_id;  // "" for an anonymous user
  std::vector<ConversationTurn> turns;
};

// Conversations and their bounded history. Writes need not be durable at
// once (see the backend's header): a turn may be lost to a power failure,
// never half-written. Not part of Store::Transaction: do not call these from
// a transaction's body.
class ConversationStore {
 public:
  virtual ~ConversationStore() = default;
  // Appends `turn` (its seq assigned), first creating the conversation from
  // `conversation`'s id and owner fields when it does not exist; then keeps
  // only the last `keep_turns` turns. The write may happen after the call
  // returns (a read always sees it); a turn whose agent does not exist is
  // dropped and logged, not stored. `turn` is taken by value: a caller that
  // does not need it afterwards moves it in.
  virtual Status AppendTurn(const Conversation& conversation, ConversationTurn turn,
                            size_t keep_turns) = 0;
  // The conversation with at most its last `max_turns` turns; NotFound.
  virtual StatusOr<Conversation> GetConversation(const std::string& id, size_t max_turns) = 0;
  virtual StatusOr<int64_t> CountConversations() = 0;
};

// Small named values of the daemon itself (the master-key check, ...).
class MetaStore {
 public:
  virtual ~MetaStore() = default;
  virtual StatusOr<std::optional<std::string>> GetMeta(const std::string& key) = 0;
  virtual Status PutMeta(const std::string& key, const std::string& value) = 0;
};

// Channel plugins' own persistent key-value pairs (host API kv_* and
// secret_*), a namespace per plugin. Sealed values are stored as the vault
// sealed them; this store never sees a secret in the clear.
struct PluginStateEntry {
  std::string plugin;
  std::string key;
  std::string value;
  bool sealed = false;
};

class PluginStateStore {
 public:
  virtual ~PluginStateStore() = default;
  // NotFound when absent.
  virtual StatusOr<std::string> GetPluginValue(const std::string& plugin, bool sealed,
                                               const std::string& key) = 0;
  virtual Status PutPluginValue(const std::string& plugin, bool sealed, const std::string& key,
                                const std::string& value) = 0;
  virtual Status DeletePluginValue(const std::string& plugin, bool sealed,
                                   const std::string& key) = 0;
  // Pairs whose key starts with `prefix`, in key order.
  virtual StatusOr<std::vector<PluginStateEntry>> ListPluginValues(const std::string& plugin,
                                                                   bool sealed,
                                                                   const std::string& prefix) = 0;
  // Every sealed value of every plugin (for master-key rotation).
  virtual StatusOr<std::vector<PluginStateEntry>> ListAllSealedPluginValues() = 0;
};

// The value of a channel setting the plugin declared secret, sealed by the
// vault for its owner (agent, channel, setting and id are bound into the
// ciphertext). The agent's draft and versions hold only {"$secret":"<id>"};
// a new value gets a new random id, so it changes a version's content hash.
// Rows go with their agent.
struct SealedChannelSecret {
  std::string id;  // 32 hex digits, random
  std::string agent_id;
  std::string channel;
  std::string setting;
  std::string sealed;
};

class ChannelSecretStore {
 public:
  virtual ~ChannelSecretStore() = default;
  // Inserts, or replaces the sealed value of the row with this id (key
  // rotation re-seals).
  virtual Status PutChannelSecret(const SealedChannelSecret& secret) = 0;
  // NotFound when absent.
  virtual StatusOr<SealedChannelSecret> GetChannelSecret(const std::string& id) = 0;
  // Every row (for master-key rotation).
  virtual StatusOr<std::vector<SealedChannelSecret>> ListAllChannelSecrets() = 0;
  // Deletes the agent's rows that neither its draft's channels nor any of
  // its versions refer to any more (values replaced or removed before they
  // were ever deployed); returns how many.
  virtual StatusOr<int> DeleteUnreferencedChannelSecrets(const std::string& agent_id) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // "sqlite", "postgresql".
  virtual std::string backend() const = 0;
  // The schema version the database is at (after migrations).
  virtual int schema_version() const = 0;
  // A cheap round trip to the database, for health checks.
  virtual Status Ping() = 0;
  // A random id made when the database was created; stable for its life.
  virtual StatusOr<std::string> InstanceId() = 0;

  virtual UserStore& users() = 0;
  virtual ConnectionStore& connections() = 0;
  virtual CredentialStore& credentials() = 0;
  virtual ToolStore& tools() = 0;
  virtual AgentStore& agents() = 0;
  virtual DeploymentStore& deployments() = 0;
  virtual MetaStore& meta() = 0;
  virtual ConversationStore& conversations() = 0;
  virtual PluginStateStore& plugin_state() = 0;
  virtual ChannelSecretStore& channel_secrets() = 0;

  // Runs `body`; commits when it returns OK, rolls back otherwise. Calls to the
  // stores above from `body` (same thread) are part of the transaction, and
  // so is a nested Transaction: the outermost one's durability applies.
  virtual Status Transaction(Durability durability, const std::function<Status()>& body) = 0;
  Status Transaction(const std::function<Status()>& body) {
    return Transaction(Durability::kPowerLoss, body);
  }
};

}  // namespace herald

#endif  // HERALD_CORE_STORE_H_
