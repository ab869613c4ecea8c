// Agents as drafts: the rules of editing one, enforced in one place for the
// API (and the CLI behind it).
//
// Rules (each refusal names the field):
//  - who: operators and admins may do anything; otherwise the agent's
//    collaborators: viewers read, editors also edit the draft, owners also
//    manage collaborators and delete the agent. Users who do not collaborate
//    on an agent cannot read it. Creating an agent needs the operator role;
//    its creator becomes its owner.
//  - every change of a draft bumps its revision by one (one per request, in
//    the same transaction as the change) and appends an audit entry naming
//    who changed what; a request that changes nothing bumps nothing;
//  - a write may name the revision it expects (If-Match): when the draft is
//    at another revision it is refused with Conflict, and nothing changes;
//  - knowledge files have plain file names and a size limit, and are stored
//    by content (sha256): the same bytes are kept once;
//  - tools, collaborators' users and channel plugins must exist; channel
//    settings are checked against the plugin's declaration, then by the
//    plugin itself (defaults are filled in at use time, never stored);
//  - an agent always keeps at least one owner; a live agent cannot be
//    deleted.
//
// Thread-safety: every method may be called from any thread.
#ifndef HERALD_CORE_AGENT_SERVICE_H_
#define HERALD_CORE_AGENT_SERVICE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "herald/core/model/agent.h"
#include "herald/core/model/user.h"
#include "herald/core/plugin_registry.h"
#include "herald/core/secret_settings.h"
#include "herald/core/store.h"

namespace herald {

// The agent's own fields a create, PATCH or apply sets: absent ones are left
// alone.
struct AgentFieldsPatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> model;
  std::optional<std::string> voice;
  std::optional<std::string> language;
  std::optional<double> speaking_rate;
  std::optional<std::string> instructions;
  std::optional<std::string> guidelines;
  std::optional<std::string> welcome_message;
  std::optional<std::vector<std::string>> starter_prompts;
};

// A knowledge file as given: its bytes, not yet stored.
struct KnowledgeUpload {
  std::string name;
  std::string content_type;
  std::string bytes;
};

// A whole agent as `herald apply` gives it (agent.yaml). Absent parts are
// left as they are; a present list replaces the draft's list.
struct AgentDocument {
  std::string id;
  AgentFieldsPatch fields;
  std::optional<std::vector<KnowledgeUpload>> knowledge;
  std::optional<std::vector<std::string>> tools;
  std::optional<std::vector<Collaborator>> collaborators;
  std::optional<std::vector<ChannelBinding>> channels;
};

// Who writes, and the revision they expect. `revision` is set on return to
// the draft's revision after the call (also on a Conflict: the current one).
struct DraftWrite {
  const User& user;
  std::optional<int64_t> if_match;
  int64_t revision = 0;
};

struct ApplyResult {
  AgentDraft agent;
  bool created = false;
  bool changed = false;
};

enum class AgentAccess { kRead, kEdit, kManage };

class AgentService {
 public:
  // `secrets` keeps the values of secret channel settings; without it (no
  // vault), a channel whose plugin declares secret settings is refused.
  AgentService(Store& store, const PluginRegistry& plugins, size_t max_knowledge_bytes,
               const SecretSettings* secrets = nullptr)
      : store_(store),
        plugins_(plugins),
        max_knowledge_bytes_(max_knowledge_bytes),
        secrets_(secrets) {}

  StatusOr<AgentDraft> Create(const std::string& id, const AgentFieldsPatch& fields,
                              const User& creator);
  StatusOr<AgentDraft> Get(const std::string& id, const User& reader);
  // The agents `reader` may read.
  StatusOr<std::vector<AgentDraft>> List(const User& reader);
  StatusOr<std::vector<DraftChange>> History(const std::string& id, const User& reader,
                                             int64_t* revision);
  StatusOr<AgentDraft> Update(const std::string& id, const AgentFieldsPatch& fields,
                              DraftWrite& write);
  Status Remove(const std::string& id, DraftWrite& write);

  StatusOr<AgentDraft> PutKnowledge(const std::string& id, const KnowledgeUpload& file,
                                    DraftWrite& write);
  StatusOr<AgentDraft> RemoveKnowledge(const std::string& id, const std::string& name,
                                       DraftWrite& write);
  // The file and its bytes.
  StatusOr<std::pair<KnowledgeFile, std::string>> ReadKnowledge(const std::string& id,
                                                                const std::string& name,
                                                                const User& reader,
                                                                int64_t* revision);

  StatusOr<AgentDraft> AddTool(const std::string& id, const std::string& tool, DraftWrite& write);
  StatusOr<AgentDraft> RemoveTool(const std::string& id, const std::string& tool,
                                  DraftWrite& write);
  StatusOr<AgentDraft> PutCollaborator(const std::string& id, const Collaborator& collaborator,
                                       DraftWrite& write);
  StatusOr<AgentDraft> RemoveCollaborator(const std::string& id, const std::string& user,
                                          DraftWrite& write);
  // `channel.settings_json` is the JSON object given; it is stored in its
  // canonical form.
  StatusOr<AgentDraft> PutChannel(const std::string& id, const ChannelBinding& channel,
                                  DraftWrite& write);
  StatusOr<AgentDraft> RemoveChannel(const std::string& id, const std::string& name,
                                     DraftWrite& write);

  // Creates or updates the draft from `doc`, all or nothing; a document that
  // matches the draft changes nothing (not even the revision).
  StatusOr<ApplyResult> Apply(const AgentDocument& doc, DraftWrite& write);
  // The draft and every knowledge file's bytes (by sha256), for export.
  StatusOr<AgentDraft> ReadForExport(const std::string& id, const User& reader,
                                     std::vector<std::pair<KnowledgeFile, std::string>>* files);

  // Checks a channel of agent `agent_id`: a loaded channel plugin, and
  // settings it accepts ({"$secret":"set"} standing for the value stored
  // now). Errors name `prefix` + "plugin" or `prefix` + "settings.<name>".
  // On success `channel->settings_json` is canonical.
  Status CheckChannel(const std::string& agent_id, ChannelBinding* channel,
                      std::string_view prefix) const;
  // Refused names: empty, too long, with '/', '\', "..", NUL or control
  // characters, or starting with '.'.
  static Status CheckKnowledgeName(std::string_view name, std::string_view field);
  Status CheckKnowledgeSize(const KnowledgeUpload& file) const;

  size_t max_knowledge_bytes() const { return max_knowledge_bytes_; }

  static Status CheckAccess(const AgentDraft& draft, const User& user, AgentAccess need);

 private:
  using Change = std::function<Status(AgentDraft& draft, std::vector<std::string>* summaries)>;
  // Runs `change` on the current draft in one transaction: access, If-Match,
  // the change, then one revision bump with the summaries (none: no bump).
  StatusOr<AgentDraft> Edit(const std::string& id, DraftWrite& write, AgentAccess need,
                            const Change& change);
  Status ApplyFields(AgentDraft& draft, const AgentFieldsPatch& fields,
                     std::vector<std::string>* summaries);
  Status ApplyLists(AgentDraft& draft, const AgentDocument& doc, const User& user,
                    std::vector<std::string>* summaries);
  // Inside the transaction: turns a checked channel's secret settings into
  // references (keeping `existing`'s, sealing new values).
  Status SealChannelSecrets(const std::string& agent_id, const ChannelBinding* existing,
                            ChannelBinding* channel, std::string_view prefix) const;
  // Inside the transaction, after channels changed: drops sealed values
  // nothing refers to any more.
  Status DropUnusedSecrets(const std::string& agent_id);

  Store& store_;
  const PluginRegistry& plugins_;
  size_t max_knowledge_bytes_;
  const SecretSettings* secrets_;
};

// Speaking rates heraldd accepts.
inline constexpr double kMinSpeakingRate = 0.25;
inline constexpr double kMaxSpeakingRate = 4.0;

}  // namespace herald

#endif  // HERALD_CORE_AGENT_SERVICE_H_
