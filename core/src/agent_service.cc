#include "herald/core/agent_service.h"
#include "herald/core/channel_settings.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <sstream>

#include "herald/core/log.h"
#include "herald/core/sha256.h"
#include "herald/core/utf8.h"

namespace herald {

std::string_view CollaboratorRoleName(CollaboratorRole role) {
  switch (role) {
    case CollaboratorRole::kOwner:
      return "owner";
    case CollaboratorRole::kEditor:
      return "editor";
    case CollaboratorRole::kViewer:
      return "viewer";
  }
  return "viewer";
}

std::optional<CollaboratorRole> ParseCollaboratorRole(std::string_view name) {
  if (name == "owner") return CollaboratorRole::kOwner;
  if (name == "editor") return CollaboratorRole::kEditor;
  if (name == "viewer") return CollaboratorRole::kViewer;
  return std::nullopt;
}

namespace {

constexpr size_t kMaxKnowledgeNameBytes = 255;

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

int Owners(const std::vector<Collaborator>& collaborators) {
  int owners = 0;
  for (const auto& c : collaborators) owners += c.role == CollaboratorRole::kOwner ? 1 : 0;
  return owners;
}

std::string RoleText(CollaboratorRole role) { return std::string(CollaboratorRoleName(role)); }

Status ConflictWith(int64_t current, int64_t expected) {
  return Status::Conflict("the draft is at revision " + std::to_string(current) +
                          ", not the expected " + std::to_string(expected) +
                          " (If-Match): someone changed it first; read it again and retry");
}

// Checks the fields' values; errors name the field.
Status CheckFields(const AgentFieldsPatch& f) {
  if (f.speaking_rate &&
      !(*f.speaking_rate >= kMinSpeakingRate && *f.speaking_rate <= kMaxSpeakingRate)) {
    std::ostringstream m;
    m << "voice.speaking_rate: must be between " << kMinSpeakingRate << " and " << kMaxSpeakingRate;
    return Status::InvalidArgument(m.str());
  }
  if (f.starter_prompts) {
    for (size_t i = 0; i < f.starter_prompts->size(); ++i) {
      if ((*f.starter_prompts)[i].empty()) {
        return Status::InvalidArgument("behaviour.starter_prompts[" + std::to_string(i) +
                                       "]: must not be empty");
      }
    }
  }
  return Status::Ok();
}

template <typename T>
void SetField(T& target, const std::optional<T>& value, const char* name,
              std::vector<std::string>* summaries) {
  if (value && *value != target) {
    target = *value;
    summaries->push_back(std::string("set ") + name);
  }
}

}  // namespace

Status AgentService::CheckAccess(const AgentDraft& draft, const User& user, AgentAccess need) {
  if (user.Has(Role::kOperator)) return Status::Ok();
  const Collaborator* c = draft.FindCollaborator(user.name);
  if (c == nullptr) {
    return Status::PermissionDenied("'" + user.name + "' is not a collaborator of agent '" +
                                    draft.id + "'");
  }
  const std::string as = "'" + user.name + "' is " +
                         (c->role == CollaboratorRole::kViewer ? "a " : "an ") + RoleText(c->role) +
                         " of agent '" + draft.id + "'";
  if (need == AgentAccess::kEdit && c->role == CollaboratorRole::kViewer) {
    return Status::PermissionDenied(as + "; only its owners and editors (or operators) change it");
  }
  if (need == AgentAccess::kManage && c->role != CollaboratorRole::kOwner) {
    return Status::PermissionDenied(
        as + "; only its owners (or operators) manage its collaborators or delete it");
  }
  return Status::Ok();
}

Status AgentService::CheckKnowledgeName(std::string_view name, std::string_view field) {
  const std::string f(field);
  if (name.empty()) return Status::InvalidArgument(f + ": required");
  if (name.size() > kMaxKnowledgeNameBytes) {
    return Status::InvalidArgument(f + ": longer than " + std::to_string(kMaxKnowledgeNameBytes) +
                                   " bytes");
  }
  const std::string plain = ": must be a plain file name";
  if (name.find('/') != std::string_view::npos || name.find('\\') != std::string_view::npos) {
    return Status::InvalidArgument(f + plain + " (no '/' or '\\')");
  }
  if (name.find("..") != std::string_view::npos) {
    return Status::InvalidArgument(f + plain + " (no '..')");
  }
  if (name.front() == '.') {
    return Status::InvalidArgument(f + plain + " (must not start with '.')");
  }
  for (char c : name) {
    if (c == '\0') return Status::InvalidArgument(f + plain + " (no NUL)");
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Status::InvalidArgument(f + plain + " (no control characters)");
    }
  }
  // A name goes into JSON answers and the version's snapshot, which must
  // read back: only well-formed UTF-8 (a %FF in the URL decodes to a byte
  // that is not).
  if (FirstNonUtf8Byte(name)) return Status::InvalidArgument(f + ": must be UTF-8");
  return Status::Ok();
}

Status AgentService::CheckKnowledgeSize(const KnowledgeUpload& file) const {
  if (file.bytes.size() <= max_knowledge_bytes_) return Status::Ok();
  return Status::PayloadTooLarge("knowledge file '" + file.name + "' is " +
                                 std::to_string(file.bytes.size()) + " bytes, over the limit of " +
                                 std::to_string(max_knowledge_bytes_) +
                                 " bytes (herald.max_knowledge_bytes)");
}

Status AgentService::CheckChannel(const std::string& agent_id, ChannelBinding* channel,
                                  std::string_view prefix) const {
  const std::string p(prefix);
  if (channel->plugin.empty()) return Status::InvalidArgument(p + "plugin: required");
  const LoadedPlugin* plugin = plugins_.Find(channel->plugin, PluginKind::kChannel);
  if (plugin == nullptr) {
    if (plugins_.Find(channel->plugin, PluginKind::kAuthType) != nullptr) {
      return Status::InvalidArgument(p + "plugin: '" + channel->plugin +
                                     "' is an auth-type plugin, not a channel plugin");
    }
    std::string loaded;
    for (const auto& l : plugins_.loaded()) {
      if (l->kind() == PluginKind::kChannel)
        loaded += (loaded.empty() ? "" : ", ") + l->info().name;
    }
    return Status::InvalidArgument(p + "plugin: no channel plugin '" + channel->plugin +
                                   "' is loaded (loaded: " + (loaded.empty() ? "none" : loaded) +
                                   ")");
  }
  Poco::JSON::Object::Ptr settings;
  try {
    Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(
        channel->settings_json.empty() ? std::string("{}") : channel->settings_json);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) {
      settings = parsed.extract<Poco::JSON::Object::Ptr>();
    }
  } catch (const Poco::Exception&) {
  }
  if (settings.isNull()) return Status::InvalidArgument(p + "settings: expected an object");
  std::ostringstream canonical;
  Poco::JSON::Stringifier::condense(settings, canonical);
  channel->settings_json = canonical.str();
  // The plugin checks the values it would receive: a kept secret as stored
  // now (read again, and kept, inside the transaction that stores it).
  std::string checked = channel->settings_json;
  SecretOpener open_secret;
  if (DeclaresSecretSettings(*plugin)) {
    if (secrets_ == nullptr) {
      return Status::FailedPrecondition(p + "plugin: channel plugin '" + channel->plugin +
                                        "' has secret settings, which this host cannot keep");
    }
    std::optional<ChannelBinding> current;
    if (StatusOr<AgentDraft> draft = store_.agents().GetAgent(agent_id); draft.ok()) {
      for (const auto& c : draft->channels) {
        if (c.name == channel->name && c.plugin == channel->plugin) current = c;
      }
    }
    HERALD_RETURN_IF_ERROR(
        KeepStoredSecrets(*plugin, current ? &*current : nullptr, &checked, prefix));
    open_secret = secrets_->OpenerFor(agent_id, channel->name);
  }
  std::vector<sdk::Problem> problems = ValidateChannelSettings(*plugin, checked, open_secret);
  if (problems.empty()) return Status::Ok();
  std::string message;
  for (const auto& problem : problems) {
    message += (message.empty() ? "" : "; ") + p + problem.field + ": " + problem.message;
  }
  return Status::InvalidArgument(message);
}

StatusOr<AgentDraft> AgentService::Create(const std::string& id, const AgentFieldsPatch& fields,
                                          const User& creator) {
  HERALD_RETURN_IF_ERROR(CheckFields(fields));
  if (!creator.Has(Role::kOperator)) {
    return Status::PermissionDenied("creating an agent needs the operator role; '" + creator.name +
                                    "' is " + std::string(RoleName(creator.role)));
  }
  StatusOr<AgentDraft> result = Status::Internal("not created");
  Status s = store_.Transaction([&]() -> Status {
    AgentDraft draft;
    draft.id = id;
    std::vector<std::string> ignored;
    HERALD_RETURN_IF_ERROR(ApplyFields(draft, fields, &ignored));
    draft.updated_by = creator.name;
    HERALD_RETURN_IF_ERROR(store_.agents().CreateAgent(draft));
    HERALD_RETURN_IF_ERROR(
        store_.agents().PutCollaborator(id, Collaborator{creator.name, CollaboratorRole::kOwner}));
    StatusOr<int64_t> revision =
        store_.agents().RecordAgentChange(id, creator.name, "created agent");
    if (!revision.ok()) return revision.status();
    result = store_.agents().GetAgent(id);
    return result.status();
  });
  if (!s.ok()) return s;
  LogEvent(spdlog::level::info, "agent.created", {{"agent", id}, {"by", creator.name}});
  return result;
}

StatusOr<AgentDraft> AgentService::Get(const std::string& id, const User& reader) {
  StatusOr<AgentDraft> draft = store_.agents().GetAgent(id);
  if (!draft.ok()) return draft.status();
  HERALD_RETURN_IF_ERROR(CheckAccess(*draft, reader, AgentAccess::kRead));
  return draft;
}

StatusOr<std::vector<AgentDraft>> AgentService::List(const User& reader) {
  StatusOr<std::vector<AgentDraft>> all = store_.agents().ListAgents();
  if (!all.ok()) return all.status();
  std::vector<AgentDraft> out;
  for (auto& d : *all) {
    if (CheckAccess(d, reader, AgentAccess::kRead).ok()) out.push_back(std::move(d));
  }
  return out;
}

StatusOr<std::vector<DraftChange>> AgentService::History(const std::string& id, const User& reader,
                                                         int64_t* revision) {
  StatusOr<std::vector<DraftChange>> changes = Status::Internal("not read");
  Status s = store_.Transaction([&]() -> Status {
    StatusOr<AgentDraft> draft = Get(id, reader);
    if (!draft.ok()) return draft.status();
    *revision = draft->revision;
    changes = store_.agents().ListAgentChanges(id);
    return changes.status();
  });
  if (!s.ok()) return s;
  return changes;
}

StatusOr<AgentDraft> AgentService::Edit(const std::string& id, DraftWrite& write, AgentAccess need,
                                        const Change& change) {
  StatusOr<AgentDraft> result = Status::Internal("not changed");
  std::vector<std::string> summaries;
  Status s = store_.Transaction([&]() -> Status {
    StatusOr<AgentDraft> current = store_.agents().GetAgent(id);
    if (!current.ok()) return current.status();
    HERALD_RETURN_IF_ERROR(CheckAccess(*current, write.user, need));
    write.revision = current->revision;
    if (write.if_match && *write.if_match != current->revision) {
      return ConflictWith(current->revision, *write.if_match);
    }
    HERALD_RETURN_IF_ERROR(change(*current, &summaries));
    if (!summaries.empty()) {
      StatusOr<int64_t> revision =
          store_.agents().RecordAgentChange(id, write.user.name, Join(summaries, "; "));
      if (!revision.ok()) return revision.status();
    }
    result = store_.agents().GetAgent(id);
    if (result.ok()) write.revision = result->revision;
    return result.status();
  });
  if (!s.ok()) return s;
  if (!summaries.empty()) {
    LogEvent(spdlog::level::info, "agent.changed",
             {{"agent", id},
              {"revision", write.revision},
              {"by", write.user.name},
              {"changes", Join(summaries, "; ")}});
  }
  return result;
}

Status AgentService::ApplyFields(AgentDraft& d, const AgentFieldsPatch& f,
                                 std::vector<std::string>* summaries) {
  HERALD_RETURN_IF_ERROR(CheckFields(f));
  SetField(d.name, f.name, "name", summaries);
  SetField(d.description, f.description, "description", summaries);
  SetField(d.model, f.model, "model", summaries);
  SetField(d.voice.voice, f.voice, "voice.voice", summaries);
  SetField(d.voice.language, f.language, "voice.language", summaries);
  SetField(d.voice.speaking_rate, f.speaking_rate, "voice.speaking_rate", summaries);
  SetField(d.instructions, f.instructions, "instructions", summaries);
  SetField(d.behaviour.guidelines, f.guidelines, "behaviour.guidelines", summaries);
  SetField(d.behaviour.welcome_message, f.welcome_message, "behaviour.welcome_message", summaries);
  SetField(d.behaviour.starter_prompts, f.starter_prompts, "behaviour.starter_prompts", summaries);
  return Status::Ok();
}

StatusOr<AgentDraft> AgentService::Update(const std::string& id, const AgentFieldsPatch& fields,
                                          DraftWrite& write) {
  HERALD_RETURN_IF_ERROR(CheckFields(fields));
  return Edit(id, write, AgentAccess::kEdit,
              [&](AgentDraft& draft, std::vector<std::string>* summaries) -> Status {
                HERALD_RETURN_IF_ERROR(ApplyFields(draft, fields, summaries));
                if (summaries->empty()) return Status::Ok();
                return store_.agents().UpdateAgentFields(draft);
              });
}

Status AgentService::Remove(const std::string& id, DraftWrite& write) {
  Status s = store_.Transaction([&]() -> Status {
    StatusOr<AgentDraft> current = store_.agents().GetAgent(id);
    if (!current.ok()) return current.status();
    HERALD_RETURN_IF_ERROR(CheckAccess(*current, write.user, AgentAccess::kManage));
    write.revision = current->revision;
    if (write.if_match && *write.if_match != current->revision) {
      return ConflictWith(current->revision, *write.if_match);
    }
    if (current->live_version) {
      return Status::FailedPrecondition("agent '" + id + "' is live (version " +
                                        std::to_string(*current->live_version) +
                                        "); undeploy it before deleting it");
    }
    return store_.agents().DeleteAgent(id);
  });
  if (s.ok())
    LogEvent(spdlog::level::info, "agent.removed", {{"agent", id}, {"by", write.user.name}});
  return s;
}

StatusOr<AgentDraft> AgentService::PutKnowledge(const std::string& id, const KnowledgeUpload& file,
                                                DraftWrite& write) {
  HERALD_RETURN_IF_ERROR(CheckKnowledgeName(file.name, "name"));
  HERALD_RETURN_IF_ERROR(CheckKnowledgeSize(file));
  KnowledgeFile meta{file.name, Sha256Hex(file.bytes), static_cast<int64_t>(file.bytes.size()),
                     file.content_type.empty() ? "application/octet-stream" : file.content_type};
  return Edit(id, write, AgentAccess::kEdit,
              [&](AgentDraft& draft, std::vector<std::string>* summaries) -> Status {
                const KnowledgeFile* existing = nullptr;
                for (const auto& k : draft.knowledge) {
                  if (k.name == meta.name) existing = &k;
                }
                if (existing != nullptr && existing->sha256 == meta.sha256 &&
                    existing->content_type == meta.content_type) {
                  return Status::Ok();
                }
                HERALD_RETURN_IF_ERROR(store_.agents().PutKnowledge(id, meta, file.bytes));
                summaries->push_back((existing != nullptr ? "replaced" : "uploaded") +
                                     std::string(" knowledge ") + meta.name + " (" +
                                     std::to_string(meta.size) + " bytes)");
                return Status::Ok();
              });
}

StatusOr<AgentDraft> AgentService::RemoveKnowledge(const std::string& id, const std::string& name,
                                                   DraftWrite& write) {
  HERALD_RETURN_IF_ERROR(CheckKnowledgeName(name, "name"));
  return Edit(id, write, AgentAccess::kEdit,
              [&](AgentDraft&, std::vector<std::string>* summaries) -> Status {
                HERALD_RETURN_IF_ERROR(store_.agents().DeleteKnowledge(id, name));
                summaries->push_back("removed knowledge " + name);
                return Status::Ok();
              });
}

StatusOr<std::pair<KnowledgeFile, std::string>> AgentService::ReadKnowledge(const std::string& id,
                                                                            const std::string& name,
                                                                            const User& reader,
                                                                            int64_t* revision) {
  HERALD_RETURN_IF_ERROR(CheckKnowledgeName(name, "name"));
  StatusOr<std::pair<KnowledgeFile, std::string>> out = Status::Internal("not read");
  Status s = store_.Transaction([&]() -> Status {
    StatusOr<AgentDraft> draft = Get(id, reader);
    if (!draft.ok()) return draft.status();
    *revision = draft->revision;
    for (const auto& k : draft->knowledge) {
      if (k.name != name) continue;
      StatusOr<std::string> bytes = store_.agents().ReadBlob(k.sha256);
      if (!bytes.ok()) return bytes.status();
      out = std::make_pair(k, std::move(bytes).value());
      return Status::Ok();
    }
    return Status::NotFound("agent '" + id + "' has no knowledge file '" + name + "'");
  });
  if (!s.ok()) return s;
  return out;
}

StatusOr<AgentDraft> AgentService::AddTool(const std::string& id, const std::string& tool,
                                           DraftWrite& write) {
  return Edit(id, write, AgentAccess::kEdit,
              [&](AgentDraft& draft, std::vector<std::string>* summaries) -> Status {
                for (const auto& t : draft.tools) {
                  if (t == tool) return Status::Ok();
                }
                StatusOr<Tool> found = store_.tools().GetTool(tool);
                if (!found.ok()) return found.status();
                HERALD_RETURN_IF_ERROR(store_.agents().AddAgentTool(id, tool));
                summaries->push_back("added tool " + tool);
                return Status::Ok();
              });
}

StatusOr<AgentDraft> AgentService::RemoveTool(const std::string& id, const std::string& tool,
                                              DraftWrite& write) {
  return Edit(id, write, AgentAccess::kEdit,
              [&](AgentDraft&, std::vector<std::string>* summaries) -> Status {
                HERALD_RETURN_IF_ERROR(store_.agents().RemoveAgentTool(id, tool));
                summaries->push_back("removed tool " + tool);
                return Status::Ok();
              });
}

StatusOr<AgentDraft> AgentService::PutCollaborator(const std::string& id,
                                                   const Collaborator& collaborator,
                                                   DraftWrite& write) {
  return Edit(
      id, write, AgentAccess::kManage,
      [&](AgentDraft& draft, std::vector<std::string>* summaries) -> Status {
        const Collaborator* existing = draft.FindCollaborator(collaborator.user);
        if (existing != nullptr && existing->role == collaborator.role) return Status::Ok();
        if (existing != nullptr && existing->role == CollaboratorRole::kOwner &&
            Owners(draft.collaborators) == 1) {
          return Status::FailedPrecondition("role: '" + collaborator.user +
                                            "' is the last owner of agent '" + id +
                                            "'; make someone else an owner first");
        }
        HERALD_RETURN_IF_ERROR(store_.agents().PutCollaborator(id, collaborator));
        summaries->push_back(
            existing != nullptr
                ? "changed collaborator " + collaborator.user + " to " + RoleText(collaborator.role)
                : "added collaborator " + collaborator.user + " as " + RoleText(collaborator.role));
        return Status::Ok();
      });
}

StatusOr<AgentDraft> AgentService::RemoveCollaborator(const std::string& id,
                                                      const std::string& user, DraftWrite& write) {
  return Edit(
      id, write, AgentAccess::kManage,
      [&](AgentDraft& draft, std::vector<std::string>* summaries) -> Status {
        const Collaborator* existing = draft.FindCollaborator(user);
        if (existing == nullptr) {
          return Status::NotFound("'" + user + "' is not a collaborator of agent '" + id + "'");
        }
        if (existing->role == CollaboratorRole::kOwner && Owners(draft.collaborators) == 1) {
          return Status::FailedPrecondition("'" + user + "' is the last owner of agent '" + id +
                                            "' and cannot be removed; make someone "
                                            "else an owner first");
        }
        HERALD_RETURN_IF_ERROR(store_.agents().RemoveCollaborator(id, user));
        summaries->push_back("removed collaborator " + user);
        return Status::Ok();
      });
}

StatusOr<AgentDraft> AgentService::PutChannel(const std::string& id, const ChannelBinding& given,
                                              DraftWrite& write) {
  ChannelBinding channel = given;
  // Plugin code runs here, outside the transaction: a slow validate holds no
  // lock on the store.
  HERALD_RETURN_IF_ERROR(CheckChannel(id, &channel, ""));
  return Edit(id, write, AgentAccess::kEdit,
              [&](AgentDraft& draft, std::vector<std::string>* summaries) -> Status {
                const ChannelBinding* existing = nullptr;
                for (const auto& c : draft.channels) {
                  if (c.name == channel.name) existing = &c;
                }
                ChannelBinding stored = channel;
                HERALD_RETURN_IF_ERROR(SealChannelSecrets(id, existing, &stored, ""));
                if (existing != nullptr && existing->plugin == stored.plugin &&
                    existing->settings_json == stored.settings_json) {
                  return Status::Ok();
                }
                HERALD_RETURN_IF_ERROR(store_.agents().PutAgentChannel(id, stored));
                HERALD_RETURN_IF_ERROR(DropUnusedSecrets(id));
                summaries->push_back(existing != nullptr ? "changed channel " + stored.name
                                                         : "added channel " + stored.name + " (" +
                                                               stored.plugin + ")");
                return Status::Ok();
              });
}

StatusOr<AgentDraft> AgentService::RemoveChannel(const std::string& id, const std::string& name,
                                                 DraftWrite& write) {
  return Edit(id, write, AgentAccess::kEdit,
              [&](AgentDraft&, std::vector<std::string>* summaries) -> Status {
                HERALD_RETURN_IF_ERROR(store_.agents().RemoveAgentChannel(id, name));
                HERALD_RETURN_IF_ERROR(DropUnusedSecrets(id));
                summaries->push_back("removed channel " + name);
                return Status::Ok();
              });
}

Status AgentService::ApplyLists(AgentDraft& draft, const AgentDocument& doc, const User& user,
                                std::vector<std::string>* summaries) {
  AgentStore& agents = store_.agents();
  if (doc.knowledge) {
    std::set<std::string> wanted;
    // Puts first, removals after: a file renamed keeps its blob.
    for (const auto& file : *doc.knowledge) {
      wanted.insert(file.name);
      KnowledgeFile meta{
          file.name, Sha256Hex(file.bytes), static_cast<int64_t>(file.bytes.size()),
          file.content_type.empty() ? "application/octet-stream" : file.content_type};
      const KnowledgeFile* existing = nullptr;
      for (const auto& k : draft.knowledge) {
        if (k.name == file.name) existing = &k;
      }
      if (existing != nullptr && existing->sha256 == meta.sha256 &&
          existing->content_type == meta.content_type) {
        continue;
      }
      HERALD_RETURN_IF_ERROR(agents.PutKnowledge(draft.id, meta, file.bytes));
      summaries->push_back((existing != nullptr ? "replaced" : "uploaded") +
                           std::string(" knowledge ") + meta.name + " (" +
                           std::to_string(meta.size) + " bytes)");
    }
    for (const auto& k : draft.knowledge) {
      if (wanted.count(k.name)) continue;
      HERALD_RETURN_IF_ERROR(agents.DeleteKnowledge(draft.id, k.name));
      summaries->push_back("removed knowledge " + k.name);
    }
  }
  if (doc.tools) {
    const std::set<std::string> have(draft.tools.begin(), draft.tools.end());
    const std::set<std::string> want(doc.tools->begin(), doc.tools->end());
    for (size_t i = 0; i < doc.tools->size(); ++i) {
      const std::string& tool = (*doc.tools)[i];
      if (have.count(tool)) continue;
      StatusOr<Tool> found = store_.tools().GetTool(tool);
      if (!found.ok()) {
        if (found.status().code() != StatusCode::kNotFound) return found.status();
        return Status::InvalidArgument("tools[" + std::to_string(i) + "]: no tool named '" + tool +
                                       "'");
      }
      HERALD_RETURN_IF_ERROR(agents.AddAgentTool(draft.id, tool));
      summaries->push_back("added tool " + tool);
    }
    for (const auto& tool : draft.tools) {
      if (want.count(tool)) continue;
      HERALD_RETURN_IF_ERROR(agents.RemoveAgentTool(draft.id, tool));
      summaries->push_back("removed tool " + tool);
    }
  }
  if (doc.collaborators) {
    std::vector<std::string> changes;
    for (size_t i = 0; i < doc.collaborators->size(); ++i) {
      const Collaborator& c = (*doc.collaborators)[i];
      const Collaborator* existing = draft.FindCollaborator(c.user);
      if (existing != nullptr && existing->role == c.role) continue;
      Status s = agents.PutCollaborator(draft.id, c);
      if (s.code() == StatusCode::kNotFound) {
        return Status::InvalidArgument("collaborators[" + std::to_string(i) +
                                       "].user: no user named '" + c.user + "'");
      }
      HERALD_RETURN_IF_ERROR(s);
      changes.push_back(existing != nullptr
                            ? "changed collaborator " + c.user + " to " + RoleText(c.role)
                            : "added collaborator " + c.user + " as " + RoleText(c.role));
    }
    for (const auto& c : draft.collaborators) {
      bool kept = false;
      for (const auto& w : *doc.collaborators) kept = kept || w.user == c.user;
      if (kept) continue;
      HERALD_RETURN_IF_ERROR(agents.RemoveCollaborator(draft.id, c.user));
      changes.push_back("removed collaborator " + c.user);
    }
    if (!changes.empty()) {
      HERALD_RETURN_IF_ERROR(
          CheckAccess(draft, user, AgentAccess::kManage).WithContext("collaborators"));
      if (Owners(*doc.collaborators) == 0) {
        return Status::FailedPrecondition("collaborators: an agent needs at least one owner");
      }
      summaries->insert(summaries->end(), changes.begin(), changes.end());
    }
  }
  if (doc.channels) {
    std::set<std::string> wanted;
    bool changed = false;
    for (size_t i = 0; i < doc.channels->size(); ++i) {
      ChannelBinding channel = (*doc.channels)[i];
      wanted.insert(channel.name);
      const ChannelBinding* existing = nullptr;
      for (const auto& c : draft.channels) {
        if (c.name == channel.name) existing = &c;
      }
      HERALD_RETURN_IF_ERROR(
          SealChannelSecrets(draft.id, existing, &channel, "channels[" + std::to_string(i) + "]."));
      if (existing != nullptr && existing->plugin == channel.plugin &&
          existing->settings_json == channel.settings_json) {
        continue;
      }
      HERALD_RETURN_IF_ERROR(agents.PutAgentChannel(draft.id, channel));
      changed = true;
      summaries->push_back(existing != nullptr
                               ? "changed channel " + channel.name
                               : "added channel " + channel.name + " (" + channel.plugin + ")");
    }
    for (const auto& c : draft.channels) {
      if (wanted.count(c.name)) continue;
      HERALD_RETURN_IF_ERROR(agents.RemoveAgentChannel(draft.id, c.name));
      changed = true;
      summaries->push_back("removed channel " + c.name);
    }
    if (changed) HERALD_RETURN_IF_ERROR(DropUnusedSecrets(draft.id));
  }
  return Status::Ok();
}

Status AgentService::SealChannelSecrets(const std::string& agent_id, const ChannelBinding* existing,
                                        ChannelBinding* channel, std::string_view prefix) const {
  const LoadedPlugin* plugin = plugins_.Find(channel->plugin, PluginKind::kChannel);
  // CheckChannel refused a missing plugin, and one with secrets on a host
  // without a vault.
  if (plugin == nullptr || secrets_ == nullptr || !DeclaresSecretSettings(*plugin)) {
    return Status::Ok();
  }
  // A channel moved to another plugin keeps nothing of the old one's.
  const ChannelBinding* same =
      existing != nullptr && existing->plugin == channel->plugin ? existing : nullptr;
  HERALD_RETURN_IF_ERROR(KeepStoredSecrets(*plugin, same, &channel->settings_json, prefix));
  return secrets_->SealGiven(*plugin, agent_id, channel->name, same, &channel->settings_json);
}

Status AgentService::DropUnusedSecrets(const std::string& agent_id) {
  StatusOr<int> dropped = store_.channel_secrets().DeleteUnreferencedChannelSecrets(agent_id);
  return dropped.status();
}

StatusOr<ApplyResult> AgentService::Apply(const AgentDocument& given, DraftWrite& write) {
  AgentDocument doc = given;
  HERALD_RETURN_IF_ERROR(CheckFields(doc.fields));
  // Everything that needs no draft is checked first, outside the
  // transaction (channel plugins' validate among it).
  if (doc.knowledge) {
    std::set<std::string> names;
    for (size_t i = 0; i < doc.knowledge->size(); ++i) {
      const KnowledgeUpload& file = (*doc.knowledge)[i];
      const std::string field = "knowledge[" + std::to_string(i) + "]";
      HERALD_RETURN_IF_ERROR(CheckKnowledgeName(file.name, field + ".name"));
      if (!names.insert(file.name).second) {
        return Status::InvalidArgument(field + ".name: '" + file.name + "' is given twice");
      }
      HERALD_RETURN_IF_ERROR(CheckKnowledgeSize(file));
    }
  }
  if (doc.collaborators) {
    std::set<std::string> users;
    for (size_t i = 0; i < doc.collaborators->size(); ++i) {
      const std::string& user = (*doc.collaborators)[i].user;
      if (!users.insert(user).second) {
        return Status::InvalidArgument("collaborators[" + std::to_string(i) + "].user: '" + user +
                                       "' is given twice");
      }
    }
  }
  if (doc.channels) {
    std::set<std::string> names;
    for (size_t i = 0; i < doc.channels->size(); ++i) {
      ChannelBinding& channel = (*doc.channels)[i];
      const std::string field = "channels[" + std::to_string(i) + "].";
      if (!names.insert(channel.name).second) {
        return Status::InvalidArgument(field + "name: '" + channel.name + "' is given twice");
      }
      HERALD_RETURN_IF_ERROR(CheckChannel(doc.id, &channel, field));
    }
  }

  ApplyResult result;
  std::vector<std::string> summaries;
  Status s = store_.Transaction([&]() -> Status {
    StatusOr<AgentDraft> current = store_.agents().GetAgent(doc.id);
    if (!current.ok() && current.status().code() != StatusCode::kNotFound) {
      return current.status();
    }
    AgentDraft draft;
    if (current.ok()) {
      draft = std::move(current).value();
      HERALD_RETURN_IF_ERROR(CheckAccess(draft, write.user, AgentAccess::kEdit));
      write.revision = draft.revision;
      if (write.if_match && *write.if_match != draft.revision) {
        return ConflictWith(draft.revision, *write.if_match);
      }
      HERALD_RETURN_IF_ERROR(ApplyFields(draft, doc.fields, &summaries));
      if (!summaries.empty()) HERALD_RETURN_IF_ERROR(store_.agents().UpdateAgentFields(draft));
    } else {
      if (!write.user.Has(Role::kOperator)) {
        return Status::PermissionDenied("creating an agent needs the operator role; '" +
                                        write.user.name + "' is " +
                                        std::string(RoleName(write.user.role)));
      }
      if (write.if_match) {
        return Status::NotFound("agent '" + doc.id + "' does not exist (If-Match was given)");
      }
      result.created = true;
      draft.id = doc.id;
      draft.updated_by = write.user.name;
      std::vector<std::string> ignored;
      HERALD_RETURN_IF_ERROR(ApplyFields(draft, doc.fields, &ignored));
      HERALD_RETURN_IF_ERROR(store_.agents().CreateAgent(draft));
      // The creator owns it, unless the document says otherwise.
      if (!doc.collaborators) doc.collaborators.emplace();
      bool listed = false;
      for (const auto& c : *doc.collaborators) listed = listed || c.user == write.user.name;
      if (!listed) {
        doc.collaborators->push_back(Collaborator{write.user.name, CollaboratorRole::kOwner});
      }
      summaries.push_back("created agent");
    }
    HERALD_RETURN_IF_ERROR(ApplyLists(draft, doc, write.user, &summaries));
    if (!summaries.empty()) {
      StatusOr<int64_t> revision = store_.agents().RecordAgentChange(
          doc.id, write.user.name, "apply: " + Join(summaries, "; "));
      if (!revision.ok()) return revision.status();
    }
    StatusOr<AgentDraft> after = store_.agents().GetAgent(doc.id);
    if (!after.ok()) return after.status();
    result.agent = std::move(after).value();
    write.revision = result.agent.revision;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  result.changed = !summaries.empty();
  if (result.changed) {
    LogEvent(spdlog::level::info, "agent.applied",
             {{"agent", doc.id},
              {"revision", write.revision},
              {"by", write.user.name},
              {"created", result.created}});
  }
  return result;
}

StatusOr<AgentDraft> AgentService::ReadForExport(
    const std::string& id, const User& reader,
    std::vector<std::pair<KnowledgeFile, std::string>>* files) {
  StatusOr<AgentDraft> out = Status::Internal("not read");
  Status s = store_.Transaction([&]() -> Status {
    out = Get(id, reader);
    if (!out.ok()) return out.status();
    for (const auto& k : out->knowledge) {
      StatusOr<std::string> bytes = store_.agents().ReadBlob(k.sha256);
      if (!bytes.ok()) return bytes.status();
      files->emplace_back(k, std::move(bytes).value());
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace herald
