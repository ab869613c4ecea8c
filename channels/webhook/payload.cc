#include "payload.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "time_format.h"

namespace herald::webhook {
namespace {

bool IsJsonObject(std::string_view text) {
  try {
    Poco::Dynamic::Var v = Poco::JSON::Parser().parse(std::string(text));
    return v.type() == typeid(Poco::JSON::Object::Ptr);
  } catch (const Poco::Exception&) {
    return false;
  }
}

std::string Quote(std::string_view s) {
  std::ostringstream out;
  Poco::JSON::Stringifier::formatString(std::string(s), out);
  return out.str();
}

}  // namespace

std::string_view EventType(herald_deployment_event_kind kind) {
  switch (kind) {
    case HERALD_EVENT_AGENT_DEPLOYED:
      return "agent.deployed";
    case HERALD_EVENT_AGENT_UNDEPLOYED:
      return "agent.undeployed";
    case HERALD_EVENT_DEPLOYMENT_FAILED:
      return "deployment.failed";
  }
  return "";
}

std::string EventBody(std::string_view type, int64_t now_ms, std::string_view data_json) {
  std::string out =
      "{\"type\":" + Quote(type) + ",\"timestamp\":" + Quote(FormatRfc3339(now_ms)) + ",\"data\":";
  if (IsJsonObject(data_json)) {
    out.append(data_json);
  } else {
    out += "{\"event\":" + Quote(data_json) + "}";
  }
  out += "}";
  return out;
}

std::string GateBody(const sdk::Snapshot& snapshot, int64_t now_ms) {
  std::string data = "{\"gate\":true,\"agent\":" + Quote(snapshot.agent_id) +
                     ",\"version\":" + std::to_string(snapshot.version) +
                     ",\"content_hash\":" + Quote(snapshot.content_hash) +
                     ",\"time\":" + Quote(FormatRfc3339(now_ms)) + ",\"snapshot\":" +
                     (IsJsonObject(snapshot.json) ? snapshot.json : std::string("null")) + "}";
  return EventBody("agent.deployed", now_ms, data);
}

}  // namespace herald::webhook
