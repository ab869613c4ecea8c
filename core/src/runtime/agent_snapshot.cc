#include "herald/core/runtime/agent_snapshot.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>
#include <utility>

namespace herald::runtime {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string Str(const Object::Ptr& o, const std::string& key) {
  if (o.isNull() || !o->has(key) || o->isNull(key)) return "";
  Poco::Dynamic::Var v = o->get(key);
  return v.isString() ? v.extract<std::string>() : v.toString();
}

}  // namespace

const SnapshotTool* AgentSnapshot::FindTool(const std::string& tool) const {
  for (const auto& t : tools) {
    if (t.name == tool) return &t;
  }
  return nullptr;
}

ToolDefinition ToolDefinitionOf(const SnapshotTool& tool) {
  Object schema(Poco::JSON_PRESERVE_KEY_ORDER);
  schema.set("type", "object");
  Object::Ptr properties = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  Array::Ptr required = new Array;
  for (const ToolParameter& p : tool.parameters) {
    if (p.in == "cookie") continue;
    Object::Ptr prop = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    prop->set("type", p.type.empty() ? "string" : p.type);
    if (!p.description.empty()) prop->set("description", p.description);
    properties->set(p.name, prop);
    if (p.required) required->add(p.name);
  }
  schema.set("properties", properties);
  if (required->size() > 0) schema.set("required", required);
  std::ostringstream out;
  schema.stringify(out);
  return {tool.name, tool.description, out.str()};
}

StatusOr<std::shared_ptr<const AgentSnapshot>> ParseSnapshot(const std::string& snapshot_json,
                                                             const BlobReader& read_blob) {
  auto snapshot = std::make_shared<AgentSnapshot>();
  std::vector<std::pair<std::string, std::string>> files;
  try {
    Object::Ptr root = Poco::JSON::Parser().parse(snapshot_json).extract<Object::Ptr>();
    snapshot->agent_id = Str(root, "id");
    snapshot->name = Str(root, "name");
    snapshot->model = Str(root, "model");
    snapshot->instructions = Str(root, "instructions");
    Object::Ptr behaviour = root->getObject("behaviour");
    snapshot->guidelines = Str(behaviour, "guidelines");
    snapshot->welcome_message = Str(behaviour, "welcome_message");
    Array::Ptr tools = root->getArray("tools");
    for (size_t i = 0; !tools.isNull() && i < tools->size(); ++i) {
      Object::Ptr t = tools->getObject(static_cast<unsigned>(i));
      if (t.isNull()) continue;  // a name only: not a snapshot's tool
      SnapshotTool tool;
      tool.name = Str(t, "name");
      tool.description = Str(t, "description");
      tool.method = Str(t, "method");
      tool.server_url = Str(t, "server_url");
      tool.path = Str(t, "path");
      tool.connection = Str(t, "connection");
      Array::Ptr params = t->getArray("parameters");
      for (size_t j = 0; !params.isNull() && j < params->size(); ++j) {
        Object::Ptr p = params->getObject(static_cast<unsigned>(j));
        if (p.isNull()) continue;
        ToolParameter param;
        param.name = Str(p, "name");
        param.in = Str(p, "in");
        param.required = p->has("required") && p->get("required").convert<bool>();
        param.type = Str(p, "type");
        param.description = Str(p, "description");
        tool.parameters.push_back(std::move(param));
      }
      snapshot->tool_definitions.push_back(ToolDefinitionOf(tool));
      snapshot->tools.push_back(std::move(tool));
    }
    Array::Ptr knowledge = root->getArray("knowledge");
    for (size_t i = 0; !knowledge.isNull() && i < knowledge->size(); ++i) {
      Object::Ptr k = knowledge->getObject(static_cast<unsigned>(i));
      if (k.isNull()) continue;
      StatusOr<std::string> bytes = read_blob(Str(k, "sha256"));
      if (!bytes.ok()) return bytes.status();
      if (bytes->find('\0') != std::string::npos) continue;
      files.emplace_back(Str(k, "name"), std::move(bytes).value());
    }
  } catch (const Poco::Exception& e) {
    return Status::Internal("the version's snapshot cannot be read: " + e.message());
  }
  snapshot->knowledge = KnowledgeIndex(files);
  snapshot->bytes = snapshot_json.size() + snapshot->knowledge.bytes() * 2;
  return std::shared_ptr<const AgentSnapshot>(std::move(snapshot));
}

}  // namespace herald::runtime
