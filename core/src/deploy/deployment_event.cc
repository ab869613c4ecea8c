#include "herald/core/deploy/deployment_event.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace herald::deploy {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// Copies `keys` of each object in `from` (when present).
Array::Ptr Pick(const Array::Ptr& from, std::initializer_list<const char*> keys) {
  Array::Ptr out = new Array;
  if (from.isNull()) return out;
  for (size_t i = 0; i < from->size(); ++i) {
    Object::Ptr item = from->getObject(static_cast<unsigned>(i));
    if (item.isNull()) continue;
    Object::Ptr picked = new Object;
    for (const char* k : keys) {
      if (item->has(k)) picked->set(k, item->get(k));
    }
    out->add(picked);
  }
  return out;
}

}  // namespace

std::string ManifestJson(const Object& snapshot) {
  Object::Ptr out = new Object;
  for (const char* k : {"name", "description", "model"}) {
    if (snapshot.has(k)) out->set(k, snapshot.get(k));
  }
  out->set("knowledge", Pick(snapshot.getArray("knowledge"), {"name", "sha256", "size"}));
  out->set("tools", Pick(snapshot.getArray("tools"), {"name", "connection"}));
  out->set("channels", Pick(snapshot.getArray("channels"), {"name", "plugin"}));
  std::ostringstream text;
  Poco::JSON::Stringifier::condense(out, text);
  return std::move(text).str();
}

std::string ManifestJson(const std::string& snapshot_json) {
  try {
    return ManifestJson(*Poco::JSON::Parser().parse(snapshot_json).extract<Object::Ptr>());
  } catch (const Poco::Exception&) {
    return "{}";
  }
}

herald_deployment_event_kind EventKindOf(const Deployment& deployment) {
  if (deployment.kind == "undeploy") return HERALD_EVENT_AGENT_UNDEPLOYED;
  if (deployment.state == "failed") return HERALD_EVENT_DEPLOYMENT_FAILED;
  return HERALD_EVENT_AGENT_DEPLOYED;
}

std::string_view EventTypeName(herald_deployment_event_kind kind) {
  switch (kind) {
    case HERALD_EVENT_AGENT_DEPLOYED:
      return "agent.deployed";
    case HERALD_EVENT_AGENT_UNDEPLOYED:
      return "agent.undeployed";
    case HERALD_EVENT_DEPLOYMENT_FAILED:
      return "deployment.failed";
  }
  return "unknown";
}

std::string DeploymentEventJson(const Deployment& deployment, const AgentVersion* version,
                                std::string_view time_rfc3339, const std::string* manifest_json) {
  Object::Ptr body = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  body->set("type", std::string(EventTypeName(EventKindOf(deployment))));
  body->set("agent", deployment.agent_id);
  body->set("deployment_id", deployment.id);
  body->set("kind", deployment.kind);
  body->set("state", deployment.state);
  if (version) {
    body->set("version", version->version);
    body->set("content_hash", version->content_hash);
  } else {
    body->set("version", Poco::Dynamic::Var());
    body->set("content_hash", Poco::Dynamic::Var());
  }
  if (deployment.previous_version) {
    body->set("previous_version", *deployment.previous_version);
  } else {
    body->set("previous_version", Poco::Dynamic::Var());
  }
  body->set("time", std::string(time_rfc3339));
  body->set("author", deployment.author);
  body->set("comment", deployment.comment);
  Array::Ptr channels = new Array;
  for (const auto& c : deployment.channels) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("channel", c.channel);
    o->set("plugin", c.plugin);
    o->set("outcome", c.outcome);
    o->set("message", c.message);
    channels->add(o);
  }
  body->set("channels", channels);
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(body, out);
  // The manifest is the last member (the body keeps its keys' order), so
  // its text goes in before the closing brace.
  std::string text = std::move(out).str();
  text.pop_back();
  text += ",\"manifest\":";
  if (!version) {
    text += "{}";
  } else if (manifest_json != nullptr) {
    text += *manifest_json;
  } else {
    text += ManifestJson(version->snapshot_json);
  }
  text += '}';
  return text;
}

}  // namespace herald::deploy
