#include "channels/chat/chat_json.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace herald::chat {
namespace {

using Poco::JSON::Object;

Object::Ptr NewObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

std::string Condense(const Object::Ptr& object) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(object, out);
  return out.str();
}

// The optional string member `name` of `object`; false with a problem when it
// is there but not a string. JSON null counts as absent.
bool OptionalString(const Object::Ptr& object, const std::string& name, std::string* out,
                    std::string* problem) {
  if (!object->has(name) || object->isNull(name)) return true;
  Poco::Dynamic::Var value = object->get(name);
  if (!value.isString()) {
    *problem = name + ": expected a string";
    return false;
  }
  *out = value.extract<std::string>();
  return true;
}

}  // namespace

bool ParseMessageRequest(std::string_view body, MessageRequest* out, std::string* problem) {
  Poco::Dynamic::Var parsed;
  try {
    Poco::JSON::Parser parser;
    parsed = parser.parse(std::string(body));
  } catch (const Poco::Exception& e) {
    *problem = "body: malformed JSON: " + e.message();
    return false;
  }
  if (parsed.type() != typeid(Object::Ptr)) {
    *problem = "body: expected a JSON object";
    return false;
  }
  Object::Ptr object = parsed.extract<Object::Ptr>();
  *out = MessageRequest{};
  if (!OptionalString(object, "message", &out->message, problem)) return false;
  if (out->message.empty()) {
    *problem = object->has("message") ? "message: must not be empty" : "message: required";
    return false;
  }
  return OptionalString(object, "conversation_id", &out->conversation_id, problem);
}

std::string ErrorJson(std::string_view code, std::string_view message) {
  Object::Ptr error = NewObject();
  error->set("code", std::string(code));
  error->set("message", std::string(message));
  Object::Ptr body = NewObject();
  body->set("error", error);
  return Condense(body);
}

std::string TurnJson(std::string_view conversation_id, uint64_t version, std::string_view reply,
                     const std::vector<ToolCall>& tool_calls) {
  Object::Ptr body = NewObject();
  body->set("conversation_id", std::string(conversation_id));
  body->set("version", version);
  body->set("reply", std::string(reply));
  Poco::JSON::Array::Ptr calls = new Poco::JSON::Array;
  for (const ToolCall& call : tool_calls) {
    Object::Ptr item = NewObject();
    item->set("tool", call.tool);
    item->set("outcome", call.outcome);
    calls->add(item);
  }
  body->set("tool_calls", calls);
  return Condense(body);
}

std::string BeginEventJson(std::string_view conversation_id, uint64_t version) {
  Object::Ptr body = NewObject();
  body->set("conversation_id", std::string(conversation_id));
  body->set("version", version);
  return Condense(body);
}

std::string DeltaEventJson(std::string_view text) {
  Object::Ptr body = NewObject();
  body->set("text", std::string(text));
  return Condense(body);
}

std::string ToolCallEventJson(std::string_view tool, std::string_view outcome) {
  Object::Ptr body = NewObject();
  body->set("tool", std::string(tool));
  body->set("outcome", std::string(outcome));
  return Condense(body);
}

std::string EndEventJson(std::string_view reply, uint64_t version,
                         std::string_view conversation_id) {
  Object::Ptr body = NewObject();
  body->set("reply", std::string(reply));
  body->set("version", version);
  body->set("conversation_id", std::string(conversation_id));
  return Condense(body);
}

std::string ErrorEventJson(std::string_view code, std::string_view message) {
  Object::Ptr body = NewObject();
  body->set("code", std::string(code));
  body->set("message", std::string(message));
  return Condense(body);
}

std::string AgentJson(std::string_view agent_id, const LiveAgent& live) {
  Object::Ptr body = NewObject();
  body->set("agent", std::string(agent_id));
  body->set("live", true);
  body->set("version", live.version);
  body->set("access", std::string(AccessName(live.access)));
  return Condense(body);
}

}  // namespace herald::chat
