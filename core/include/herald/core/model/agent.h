// Agents: the draft that editors work on, the immutable versions a deploy
// captures, and the deployments that publish them to channels.
#ifndef HERALD_CORE_MODEL_AGENT_H_
#define HERALD_CORE_MODEL_AGENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald {

struct VoiceSettings {
  std::string voice;     // e.g. "en-us"; empty: no voice
  std::string language;  // BCP 47, e.g. "en-US"
  double speaking_rate = 1.0;

  bool operator==(const VoiceSettings&) const = default;
};

struct Behaviour {
  std::string guidelines;
  std::string welcome_message;
  std::vector<std::string> starter_prompts;

  bool operator==(const Behaviour&) const = default;
};

// A knowledge file, stored once by content: `sha256` names the bytes.
struct KnowledgeFile {
  std::string name;  // a plain file name, no path parts
  std::string sha256;
  int64_t size = 0;
  std::string content_type;

  bool operator==(const KnowledgeFile&) const = default;
};

enum class CollaboratorRole { kOwner, kEditor, kViewer };
std::string_view CollaboratorRoleName(CollaboratorRole role);
std::optional<CollaboratorRole> ParseCollaboratorRole(std::string_view name);

struct Collaborator {
  std::string user;  // a heraldd user name
  CollaboratorRole role = CollaboratorRole::kViewer;

  bool operator==(const Collaborator&) const = default;
};

// One channel the agent publishes to: a channel plugin and its settings
// (a JSON object, checked against the plugin's declared settings).
struct ChannelBinding {
  std::string name;    // unique within the agent, e.g. "chat"
  std::string plugin;  // a loaded channel plugin
  std::string settings_json = "{}";

  bool operator==(const ChannelBinding&) const = default;
};

// The editable state of an agent. Every change bumps `revision`.
struct AgentDraft {
  std::string id;  // slug
  std::string name;
  std::string description;
  std::string model;
  VoiceSettings voice;
  std::string instructions;
  Behaviour behaviour;
  std::vector<KnowledgeFile> knowledge;
  std::vector<std::string> tools;  // tool names (tools carry their connection)
  std::vector<Collaborator> collaborators;
  std::vector<ChannelBinding> channels;
  int64_t revision = 0;
  // The version users meet, once a deploy made one live; a live agent cannot
  // be deleted (undeploy it first).
  std::optional<int64_t> live_version;
  std::string created_at;
  std::string updated_at;
  std::string updated_by;

  bool operator==(const AgentDraft&) const = default;

  // The collaborator entry of `user`, or nullptr.
  const Collaborator* FindCollaborator(std::string_view user) const {
    for (const auto& c : collaborators) {
      if (c.user == user) return &c;
    }
    return nullptr;
  }
};

// One entry of a draft's audit trail.
struct DraftChange {
  int64_t revision = 0;
  std::string user;
  std::string at;
  std::string summary;  // "set description", "added tool listpets", ...
};

}  // namespace herald

#endif  // HERALD_CORE_MODEL_AGENT_H_
