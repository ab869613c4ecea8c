#include "herald/core/deploy/snapshot.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "deploy/canonical_json.h"
#include "herald/core/deploy/deployment_event.h"
#include "herald/core/json_text.h"
#include "herald/core/sha256.h"

namespace herald::deploy {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// Written key by key, in the order Poco's sorted objects write them, which
// is what every stored snapshot was written as (AgentConfigJson's tree,
// "tools" expanded) and so must stay, byte for byte; snapshot_test.cc
// compares with Poco.

void AppendKey(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

void AppendStringArray(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, items[i]);
  }
  out += ']';
}

// A tool's definition. The stored parameters and security are Poco's own
// condensed JSON (ParametersToJson, SecurityToJson), so they go in as they
// are rather than parsed and written again.
void AppendTool(std::string& out, const Tool& t) {
  out += "{\"connection\":";
  AppendJsonString(out, t.connection_id);
  out += ",\"description\":";
  AppendJsonString(out, t.description);
  out += ",\"method\":";
  AppendJsonString(out, t.method);
  out += ",\"name\":";
  AppendJsonString(out, t.name);
  out += ",\"parameters\":";
  out += t.parameters_json.empty() ? "[]" : t.parameters_json;
  out += ",\"path\":";
  AppendJsonString(out, t.path);
  out += ",\"security\":";
  out += t.security_json.empty() ? "[]" : t.security_json;
  out += ",\"server_url\":";
  AppendJsonString(out, t.server_url);
  out += '}';
}

// What the text will about need, so that it is allocated once.
size_t SizeHint(const AgentDraft& d, const std::vector<const Tool*>& tools,
                const std::vector<SnapshotChannel>& channels) {
  size_t n = 512 + d.id.size() + d.name.size() + d.description.size() + d.model.size() +
             d.instructions.size() + d.behaviour.guidelines.size() +
             d.behaviour.welcome_message.size() + d.voice.voice.size() + d.voice.language.size();
  for (const auto& p : d.behaviour.starter_prompts) n += p.size() + 3;
  for (const auto& k : d.knowledge)
    n += 64 + k.name.size() + k.sha256.size() + k.content_type.size();
  for (const auto& c : d.collaborators) n += 32 + c.user.size();
  for (const auto& c : channels) n += 40 + c.name.size() + c.plugin.size() + c.settings_json.size();
  for (const Tool* t : tools) {
    n += 128 + t->connection_id.size() + t->description.size() + t->method.size() + t->name.size() +
         t->parameters_json.size() + t->path.size() + t->security_json.size() +
         t->server_url.size();
  }
  return n;
}

std::string SnapshotText(const AgentDraft& d, const std::vector<const Tool*>& tools,
                         const std::vector<SnapshotChannel>& channels) {
  std::string out;
  out.reserve(SizeHint(d, tools, channels));
  out += "{\"behaviour\":{\"guidelines\":";
  AppendJsonString(out, d.behaviour.guidelines);
  out += ",\"starter_prompts\":";
  AppendStringArray(out, d.behaviour.starter_prompts);
  out += ",\"welcome_message\":";
  AppendJsonString(out, d.behaviour.welcome_message);
  out += "},\"channels\":[";
  for (size_t i = 0; i < channels.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"name\":";
    AppendJsonString(out, channels[i].name);
    out += ",\"plugin\":";
    AppendJsonString(out, channels[i].plugin);
    out += ",\"settings\":";
    out += channels[i].settings_json;
    out += '}';
  }
  out += "],\"collaborators\":[";
  for (size_t i = 0; i < d.collaborators.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"role\":";
    AppendJsonString(out, CollaboratorRoleName(d.collaborators[i].role));
    out += ",\"user\":";
    AppendJsonString(out, d.collaborators[i].user);
    out += '}';
  }
  out += "],";
  AppendKey(out, "description");
  AppendJsonString(out, d.description);
  out += ',';
  AppendKey(out, "id");
  AppendJsonString(out, d.id);
  out += ',';
  AppendKey(out, "instructions");
  AppendJsonString(out, d.instructions);
  out += ",\"knowledge\":[";
  for (size_t i = 0; i < d.knowledge.size(); ++i) {
    const KnowledgeFile& k = d.knowledge[i];
    if (i > 0) out += ',';
    out += "{\"content_type\":";
    AppendJsonString(out, k.content_type);
    out += ",\"name\":";
    AppendJsonString(out, k.name);
    out += ",\"sha256\":";
    AppendJsonString(out, k.sha256);
    out += ",\"size\":";
    AppendJsonInt(out, k.size);
    out += '}';
  }
  out += "],";
  AppendKey(out, "model");
  AppendJsonString(out, d.model);
  out += ',';
  AppendKey(out, "name");
  AppendJsonString(out, d.name);
  out += ",\"tools\":[";
  for (size_t i = 0; i < tools.size(); ++i) {
    if (i > 0) out += ',';
    AppendTool(out, *tools[i]);
  }
  out += "],\"voice\":{\"language\":";
  AppendJsonString(out, d.voice.language);
  out += ",\"speaking_rate\":";
  AppendJsonDouble(out, d.voice.speaking_rate);
  out += ",\"voice\":";
  AppendJsonString(out, d.voice.voice);
  out += "}}";
  return out;
}

// The manifest (deployment_event.h) of that snapshot, as ManifestJson makes
// it from the snapshot's tree.
std::string ManifestText(const AgentDraft& d, const std::vector<const Tool*>& tools) {
  std::string out;
  out.reserve(256 + 96 * (d.channels.size() + d.knowledge.size() + tools.size()));
  out += "{\"channels\":[";
  for (size_t i = 0; i < d.channels.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"name\":";
    AppendJsonString(out, d.channels[i].name);
    out += ",\"plugin\":";
    AppendJsonString(out, d.channels[i].plugin);
    out += '}';
  }
  out += "],";
  AppendKey(out, "description");
  AppendJsonString(out, d.description);
  out += ",\"knowledge\":[";
  for (size_t i = 0; i < d.knowledge.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"name\":";
    AppendJsonString(out, d.knowledge[i].name);
    out += ",\"sha256\":";
    AppendJsonString(out, d.knowledge[i].sha256);
    out += ",\"size\":";
    AppendJsonInt(out, d.knowledge[i].size);
    out += '}';
  }
  out += "],";
  AppendKey(out, "model");
  AppendJsonString(out, d.model);
  out += ',';
  AppendKey(out, "name");
  AppendJsonString(out, d.name);
  out += ",\"tools\":[";
  for (size_t i = 0; i < tools.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"connection\":";
    AppendJsonString(out, tools[i]->connection_id);
    out += ",\"name\":";
    AppendJsonString(out, tools[i]->name);
    out += '}';
  }
  out += "]}";
  return out;
}

std::vector<SnapshotChannel> ChannelsOf(const Object::Ptr& snapshot) {
  std::vector<SnapshotChannel> out;
  Array::Ptr channels = snapshot->getArray("channels");
  if (channels.isNull()) return out;
  for (size_t i = 0; i < channels->size(); ++i) {
    Object::Ptr c = channels->getObject(static_cast<unsigned>(i));
    out.push_back({c->getValue<std::string>("name"), c->getValue<std::string>("plugin"),
                   CompactJson(c->get("settings"))});
  }
  return out;
}

}  // namespace

StatusOr<RenderedSnapshot> RenderSnapshot(const AgentDraft& draft,
                                          const std::map<std::string, const Tool*>& tools) {
  std::vector<const Tool*> definitions;
  definitions.reserve(draft.tools.size());
  for (const auto& name : draft.tools) {
    auto tool = tools.find(name);
    if (tool == tools.end()) return Status::NotFound("tool '" + name + "' does not exist");
    definitions.push_back(tool->second);
  }
  return RenderSnapshotInDraftOrder(draft, definitions);
}

StatusOr<RenderedSnapshot> RenderSnapshotInDraftOrder(const AgentDraft& draft,
                                                      const std::vector<const Tool*>& definitions) {
  if (definitions.size() != draft.tools.size()) {
    return Status::Internal("the draft has " + std::to_string(draft.tools.size()) + " tools, but " +
                            std::to_string(definitions.size()) + " definitions were given");
  }
  RenderedSnapshot rendered;
  SnapshotFacts& facts = rendered.facts;
  facts.channels.reserve(draft.channels.size());
  for (const auto& c : draft.channels) {
    facts.channels.push_back({c.name, c.plugin, CanonicalJson(c.settings_json)});
  }
  rendered.json = SnapshotText(draft, definitions, facts.channels);
  rendered.sha256 = Sha256Hex(rendered.json);
  facts.name = draft.name;
  facts.description = draft.description;
  facts.manifest_json = ManifestText(draft, definitions);
  return rendered;
}

StatusOr<SnapshotFacts> ReadSnapshotFacts(const std::string& snapshot_json) {
  try {
    Object::Ptr s = Poco::JSON::Parser().parse(snapshot_json).extract<Object::Ptr>();
    if (s.isNull()) return Status::Internal("the version's snapshot is not a JSON object");
    return SnapshotFacts{s->getValue<std::string>("name"), s->getValue<std::string>("description"),
                         ChannelsOf(s), ManifestJson(*s)};
  } catch (const Poco::Exception& e) {
    return Status::Internal("the version's snapshot cannot be read back: " + e.displayText());
  } catch (const std::exception& e) {
    return Status::Internal(std::string("the version's snapshot cannot be read back: ") + e.what());
  }
}

}  // namespace herald::deploy
