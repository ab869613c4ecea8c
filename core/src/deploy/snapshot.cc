#include "herald/core/deploy/snapshot.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <Poco/UTF8String.h>

#include "herald/core/agent_json.h"
#include "herald/core/deploy/deployment_event.h"
#include "herald/core/json_text.h"
#include "herald/core/sha256.h"

namespace herald::deploy {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

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

// JSON text exactly as Poco's condensed writer makes it (Stringifier::
// condense), so that content hashes stay what they were, but written to a
// string in runs: Poco writes a string byte by byte to a stream, which was
// most of the cost of a snapshot. The escapes themselves are Poco's.

void AppendString(std::string& out, const std::string& text) {
  out += '"';
  size_t plain = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text, plain, i - plain);
    out += Poco::UTF8::escape(text.begin() + static_cast<std::ptrdiff_t>(i),
                              text.begin() + static_cast<std::ptrdiff_t>(i + 1), true);
    plain = i + 1;
  }
  out.append(text, plain);
  out += '"';
}

// Objects as AgentConfigJson and Poco's parser make them: keys sorted (not
// kept in insertion order) and Unicode not escaped.
void AppendJson(std::string& out, const Poco::Dynamic::Var& value) {
  if (value.type() == typeid(Object::Ptr)) {
    const Object& o = *value.extract<Object::Ptr>();
    out += '{';
    bool first = true;
    for (const auto& [key, member] : o) {
      if (!first) out += ',';
      first = false;
      AppendString(out, key);
      out += ':';
      AppendJson(out, member);
    }
    out += '}';
  } else if (value.type() == typeid(Array::Ptr)) {
    const Array& a = *value.extract<Array::Ptr>();
    out += '[';
    for (size_t i = 0; i < a.size(); ++i) {
      if (i > 0) out += ',';
      AppendJson(out, a.get(static_cast<unsigned>(i)));
    }
    out += ']';
  } else if (value.type() == typeid(std::string)) {
    AppendString(out, value.extract<std::string>());
  } else if (value.isEmpty()) {
    out += "null";
  } else if ((value.isNumeric() || value.isBoolean()) && value.type() != typeid(char)) {
    out += value.convert<std::string>();
  } else {
    out += CompactJson(value);  // anything else, as Poco writes it
  }
}

// A tool's definition, keys sorted. The stored parameters and security are
// Poco's own condensed JSON (ParametersToJson, SecurityToJson), so they go
// in as they are rather than parsed and written again.
void AppendTool(std::string& out, const Tool& t) {
  out += "{\"connection\":";
  AppendString(out, t.connection_id);
  out += ",\"description\":";
  AppendString(out, t.description);
  out += ",\"method\":";
  AppendString(out, t.method);
  out += ",\"name\":";
  AppendString(out, t.name);
  out += ",\"parameters\":";
  out += t.parameters_json.empty() ? "[]" : t.parameters_json;
  out += ",\"path\":";
  AppendString(out, t.path);
  out += ",\"security\":";
  out += t.security_json.empty() ? "[]" : t.security_json;
  out += ",\"server_url\":";
  AppendString(out, t.server_url);
  out += '}';
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
  // The draft's configuration, its "tools" (names there) replaced by their
  // definitions, in key order.
  Object::Ptr s = AgentConfigJson(draft);
  s->remove("tools");
  RenderedSnapshot rendered;
  std::string& out = rendered.json;
  out.reserve(16 * 1024);
  bool tools_written = false;
  auto write_tools = [&] {
    out += "\"tools\":[";
    for (size_t i = 0; i < definitions.size(); ++i) {
      if (i > 0) out += ',';
      AppendTool(out, *definitions[i]);
    }
    out += ']';
    tools_written = true;
  };
  out += '{';
  bool first = true;
  for (const auto& [key, value] : *s) {
    if (!first) out += ',';
    first = false;
    if (!tools_written && key > "tools") {
      write_tools();
      out += ',';
    }
    AppendString(out, key);
    out += ':';
    AppendJson(out, value);
  }
  if (!tools_written) {
    if (!first) out += ',';
    write_tools();
  }
  out += '}';
  rendered.sha256 = Sha256Hex(rendered.json);
  // The manifest lists the tools by name and connection only.
  Array::Ptr tool_refs = new Array;
  for (const Tool* t : definitions) {
    Object::Ptr ref = new Object;
    ref->set("name", t->name);
    ref->set("connection", t->connection_id);
    tool_refs->add(ref);
  }
  s->set("tools", tool_refs);
  rendered.facts = {draft.name, draft.description, ChannelsOf(s), ManifestJson(*s)};
  return rendered;
}

SnapshotFacts ReadSnapshotFacts(const std::string& snapshot_json) {
  Object::Ptr s = Poco::JSON::Parser().parse(snapshot_json).extract<Object::Ptr>();
  return {s->getValue<std::string>("name"), s->getValue<std::string>("description"), ChannelsOf(s),
          ManifestJson(*s)};
}

}  // namespace herald::deploy
