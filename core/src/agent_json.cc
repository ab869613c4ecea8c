#include "herald/core/agent_json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace herald {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr KnowledgeFileJson(const KnowledgeFile& k) {
  Object::Ptr o = new Object;
  o->set("name", k.name);
  o->set("sha256", k.sha256);
  o->set("size", k.size);
  o->set("content_type", k.content_type);
  return o;
}

Object::Ptr AgentConfigJson(const AgentDraft& d) {
  Object::Ptr o = new Object;
  o->set("id", d.id);
  o->set("name", d.name);
  o->set("description", d.description);
  o->set("model", d.model);
  Object::Ptr voice = new Object;
  voice->set("voice", d.voice.voice);
  voice->set("language", d.voice.language);
  voice->set("speaking_rate", d.voice.speaking_rate);
  o->set("voice", voice);
  o->set("instructions", d.instructions);
  Object::Ptr behaviour = new Object;
  behaviour->set("guidelines", d.behaviour.guidelines);
  behaviour->set("welcome_message", d.behaviour.welcome_message);
  Array::Ptr prompts = new Array;
  for (const auto& p : d.behaviour.starter_prompts) prompts->add(p);
  behaviour->set("starter_prompts", prompts);
  o->set("behaviour", behaviour);
  Array::Ptr knowledge = new Array;
  for (const auto& k : d.knowledge) knowledge->add(KnowledgeFileJson(k));
  o->set("knowledge", knowledge);
  Array::Ptr tools = new Array;
  for (const auto& t : d.tools) tools->add(t);
  o->set("tools", tools);
  Array::Ptr collaborators = new Array;
  for (const auto& c : d.collaborators) {
    Object::Ptr co = new Object;
    co->set("user", c.user);
    co->set("role", std::string(CollaboratorRoleName(c.role)));
    collaborators->add(co);
  }
  o->set("collaborators", collaborators);
  Array::Ptr channels = new Array;
  for (const auto& c : d.channels) {
    Object::Ptr ch = new Object;
    ch->set("name", c.name);
    ch->set("plugin", c.plugin);
    Poco::Dynamic::Var settings;
    try {
      settings = Poco::JSON::Parser().parse(c.settings_json.empty() ? "{}" : c.settings_json);
    } catch (const Poco::Exception&) {
      settings = Object::Ptr(new Object);
    }
    ch->set("settings", settings);
    channels->add(ch);
  }
  o->set("channels", channels);
  return o;
}

}  // namespace herald
