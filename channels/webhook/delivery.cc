#include "delivery.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "time_format.h"

namespace herald::webhook {
namespace {

Poco::JSON::Object::Ptr ToObject(const Delivery& d, bool internal, bool with_body) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", d.id);
  o->set("agent", d.agent);
  o->set("endpoint", static_cast<uint64_t>(d.endpoint));
  o->set("url", d.url);
  o->set("event", d.event);
  o->set("mode", d.mode);
  o->set("state", d.state);
  if (internal) {
    o->set("created_ms", d.created_ms);
    o->set("next_at_ms", d.next_at_ms);
    o->set("round_attempts", static_cast<uint64_t>(d.round_attempts));
  } else {
    o->set("created_at", FormatRfc3339(d.created_ms));
    if (d.state == kStatePending) o->set("next_attempt_at", FormatRfc3339(d.next_at_ms));
  }
  o->set("redeliveries", d.redeliveries);
  Poco::JSON::Array::Ptr attempts = new Poco::JSON::Array;
  for (const Attempt& a : d.attempts) {
    Poco::JSON::Object::Ptr x = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    if (internal) {
      x->set("at_ms", a.at_ms);
    } else {
      x->set("at", FormatRfc3339(a.at_ms));
    }
    x->set("latency_ms", a.latency_ms);
    if (a.response_code != 0) {
      x->set("response_code", a.response_code);
    } else {
      x->set("response_code", Poco::Dynamic::Var());
    }
    x->set("outcome", a.outcome);
    x->set("detail", a.detail);
    attempts->add(x);
  }
  o->set("attempts", attempts);
  if (with_body) o->set("body", d.body);
  return o;
}

std::string Stringify(const Poco::JSON::Object::Ptr& o) {
  std::ostringstream out;
  o->stringify(out);
  return out.str();
}

}  // namespace

std::string Delivery::ToJson() const { return Stringify(ToObject(*this, true, true)); }

std::string Delivery::ToApiJson(bool with_body) const {
  return Stringify(ToObject(*this, false, with_body));
}

std::optional<Delivery> Delivery::FromJson(std::string_view json) {
  try {
    auto o = Poco::JSON::Parser().parse(std::string(json)).extract<Poco::JSON::Object::Ptr>();
    Delivery d;
    d.id = o->getValue<std::string>("id");
    d.agent = o->getValue<std::string>("agent");
    d.endpoint = static_cast<size_t>(o->getValue<uint64_t>("endpoint"));
    d.url = o->getValue<std::string>("url");
    d.event = o->getValue<std::string>("event");
    d.mode = o->getValue<std::string>("mode");
    d.state = o->getValue<std::string>("state");
    d.body = o->getValue<std::string>("body");
    d.created_ms = o->getValue<int64_t>("created_ms");
    d.next_at_ms = o->getValue<int64_t>("next_at_ms");
    d.round_attempts = static_cast<size_t>(o->getValue<uint64_t>("round_attempts"));
    d.redeliveries = o->getValue<int>("redeliveries");
    Poco::JSON::Array::Ptr attempts = o->getArray("attempts");
    for (size_t i = 0; attempts && i < attempts->size(); ++i) {
      auto x = attempts->getObject(static_cast<unsigned>(i));
      Attempt a;
      a.at_ms = x->getValue<int64_t>("at_ms");
      a.latency_ms = x->getValue<int64_t>("latency_ms");
      a.response_code = x->isNull("response_code") ? 0 : x->getValue<int>("response_code");
      a.outcome = x->getValue<std::string>("outcome");
      a.detail = x->getValue<std::string>("detail");
      d.attempts.push_back(std::move(a));
    }
    return d;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace herald::webhook
