#include "herald/core/deploy/snapshot.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "herald/core/agent_json.h"
#include "herald/core/sha256.h"

namespace herald::deploy {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string Stringify(const Poco::Dynamic::Var& v) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(v, out);
  return out.str();
}

std::vector<SnapshotChannel> ChannelsOf(const Object::Ptr& snapshot) {
  std::vector<SnapshotChannel> out;
  Array::Ptr channels = snapshot->getArray("channels");
  if (channels.isNull()) return out;
  for (size_t i = 0; i < channels->size(); ++i) {
    Object::Ptr c = channels->getObject(static_cast<unsigned>(i));
    out.push_back({c->getValue<std::string>("name"), c->getValue<std::string>("plugin"),
                   Stringify(c->get("settings"))});
  }
  return out;
}

// Writes `text` as Poco writes a string member, so that the parts written
// by hand match the parts Poco writes.
void AppendString(std::ostream& out, const std::string& text) {
  Poco::JSON::Stringifier::formatString(text, out, Poco::JSON_WRAP_STRINGS);
}

// A tool's definition, as Poco would write it (keys sorted). The stored
// parameters and security are Poco's own condensed JSON (ParametersToJson,
// SecurityToJson), so they go in as they are rather than parsed and
// written again.
void AppendTool(std::ostream& out, const Tool& t) {
  out << "{\"connection\":";
  AppendString(out, t.connection_id);
  out << ",\"description\":";
  AppendString(out, t.description);
  out << ",\"method\":";
  AppendString(out, t.method);
  out << ",\"name\":";
  AppendString(out, t.name);
  out << ",\"parameters\":" << (t.parameters_json.empty() ? "[]" : t.parameters_json);
  out << ",\"path\":";
  AppendString(out, t.path);
  out << ",\"security\":" << (t.security_json.empty() ? "[]" : t.security_json);
  out << ",\"server_url\":";
  AppendString(out, t.server_url);
  out << '}';
}

}  // namespace

StatusOr<RenderedSnapshot> RenderSnapshot(const AgentDraft& draft,
                                          const std::map<std::string, const Tool*>& tools) {
  std::vector<const Tool*> definitions;
  for (const auto& name : draft.tools) {
    auto tool = tools.find(name);
    if (tool == tools.end()) return Status::NotFound("tool '" + name + "' does not exist");
    definitions.push_back(tool->second);
  }
  // The draft's configuration as Poco writes it, its "tools" (names there)
  // replaced by their definitions, written in key order.
  Object::Ptr s = AgentConfigJson(draft);
  s->remove("tools");
  std::ostringstream out;
  bool tools_written = false;
  auto write_tools = [&] {
    out << "\"tools\":[";
    for (size_t i = 0; i < definitions.size(); ++i) {
      if (i > 0) out << ',';
      AppendTool(out, *definitions[i]);
    }
    out << ']';
    tools_written = true;
  };
  out << '{';
  bool first = true;
  for (const auto& [key, value] : *s) {
    if (!first) out << ',';
    first = false;
    if (!tools_written && key > "tools") {
      write_tools();
      out << ',';
    }
    AppendString(out, key);
    out << ':';
    Poco::JSON::Stringifier::condense(value, out);
  }
  if (!tools_written) {
    if (!first) out << ',';
    write_tools();
  }
  out << '}';
  RenderedSnapshot rendered;
  rendered.json = std::move(out).str();
  rendered.sha256 = Sha256Hex(rendered.json);
  rendered.facts = {draft.name, draft.description, ChannelsOf(s)};
  return rendered;
}

SnapshotFacts ReadSnapshotFacts(const std::string& snapshot_json) {
  Object::Ptr s = Poco::JSON::Parser().parse(snapshot_json).extract<Object::Ptr>();
  return {s->getValue<std::string>("name"), s->getValue<std::string>("description"), ChannelsOf(s)};
}

}  // namespace herald::deploy
