#include "endpoints.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <arpa/inet.h>

#include <cstring>
#include <stdexcept>

namespace herald::webhook {
namespace {

const std::set<std::string>& AllEvents() {
  static const std::set<std::string> all{std::string(kAgentDeployed), std::string(kAgentUndeployed),
                                         std::string(kDeploymentFailed)};
  return all;
}

// The host part of an http(s) URL, without brackets for IPv6; empty if none.
std::string UrlHost(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return {};
    return std::string(rest.substr(1, close - 1));
  }
  return std::string(rest.substr(0, rest.find(':')));
}

bool CheckUrl(const std::string& url, std::string* why) {
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    *why = "must start with http:// or https://";
    return false;
  }
  if (UrlHost(url).empty()) {
    *why = "has no host";
    return false;
  }
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      *why = "must not contain spaces or control characters";
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<Endpoint> ParseEndpoints(std::string_view json, std::vector<sdk::Problem>* problems) {
  std::vector<Endpoint> out;
  auto problem = [&](const std::string& message) {
    problems->push_back(sdk::Problem{"endpoints", message});
  };
  Poco::JSON::Array::Ptr list;
  try {
    Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(std::string(json));
    if (parsed.type() == typeid(Poco::JSON::Array::Ptr)) {
      list = parsed.extract<Poco::JSON::Array::Ptr>();
    }
  } catch (const Poco::Exception&) {
    problem("must be a JSON list of endpoints");
    return out;
  }
  if (list.isNull()) {
    problem("must be a JSON list of endpoints");
    return out;
  }
  if (list->size() == 0) problem("needs at least one endpoint");
  if (list->size() > kMaxEndpoints) {
    problem("at most " + std::to_string(kMaxEndpoints) + " endpoints");
  }
  static const std::set<std::string> kKnownKeys{"url", "events", "mode"};
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string at = "endpoint " + std::to_string(i) + ": ";
    Poco::JSON::Object::Ptr o = list->getObject(static_cast<unsigned>(i));
    if (o.isNull()) {
      problem(at + "must be an object with a url");
      continue;
    }
    Endpoint e;
    e.index = i;
    for (const auto& [key, value] : *o) {
      if (key == "secret") {
        problem(at +
                "a secret does not go in the settings (they are exported in plain text); set it "
                "with POST /v1/channels/webhook/{agent}/endpoints/" +
                std::to_string(i) + "/secret");
      } else if (!kKnownKeys.count(key)) {
        problem(at + "unknown key '" + key + "' (url, events, mode)");
      }
    }
    Poco::Dynamic::Var url = o->get("url");
    std::string why;
    if (url.isEmpty() || !url.isString()) {
      problem(at + "url is required");
    } else if (e.url = url.extract<std::string>(); !CheckUrl(e.url, &why)) {
      problem(at + "url " + why);
    }
    if (o->has("events")) {
      Poco::JSON::Array::Ptr events = o->getArray("events");
      if (events.isNull() || events->size() == 0) {
        problem(at + "events must be a non-empty list");
      } else {
        for (size_t j = 0; j < events->size(); ++j) {
          Poco::Dynamic::Var ev = events->get(static_cast<unsigned>(j));
          std::string name = ev.isString() ? ev.extract<std::string>() : std::string();
          if (!AllEvents().count(name)) {
            problem(at + "unknown event '" + name +
                    "' (agent.deployed, agent.undeployed, deployment.failed)");
          } else {
            e.events.insert(name);
          }
        }
      }
    } else {
      e.events = AllEvents();
    }
    if (o->has("mode")) {
      Poco::Dynamic::Var mode = o->get("mode");
      std::string m = mode.isString() ? mode.extract<std::string>() : std::string();
      if (m == "notify") {
        e.mode = Mode::kNotify;
      } else if (m == "gate") {
        e.mode = Mode::kGate;
        if (!e.Wants(kAgentDeployed)) problem(at + "a gate endpoint must want agent.deployed");
      } else {
        problem(at + "mode must be notify or gate");
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Endpoint> ParseEndpointsOrThrow(std::string_view json) {
  std::vector<sdk::Problem> problems;
  std::vector<Endpoint> out = ParseEndpoints(json, &problems);
  if (!problems.empty()) throw std::invalid_argument("endpoints: " + problems.front().message);
  return out;
}

DenyList::DenyList() {
  Add("169.254.0.0/16");
  Add("fe80::/10");
  Add("fd00:ec2::254/128");
}

bool DenyList::Add(std::string_view cidr) {
  std::string text(cidr);
  int prefix = -1;
  if (size_t slash = text.find('/'); slash != std::string::npos) {
    try {
      size_t used = 0;
      prefix = std::stoi(text.substr(slash + 1), &used);
      if (used != text.size() - slash - 1) return false;
    } catch (const std::exception&) {
      return false;
    }
    text.resize(slash);
  }
  Range r{};
  if (inet_pton(AF_INET, text.c_str(), r.bytes) == 1) {
    r.family = AF_INET;
    if (prefix < 0) prefix = 32;
    if (prefix > 32) return false;
  } else if (inet_pton(AF_INET6, text.c_str(), r.bytes) == 1) {
    r.family = AF_INET6;
    if (prefix < 0) prefix = 128;
    if (prefix > 128) return false;
  } else {
    return false;
  }
  r.prefix = prefix;
  ranges_.push_back(r);
  return true;
}

bool DenyList::DeniesLiteralHost(std::string_view url) const {
  std::string host = UrlHost(url);
  unsigned char bytes[16];
  int family = 0;
  if (inet_pton(AF_INET, host.c_str(), bytes) == 1) {
    family = AF_INET;
  } else if (inet_pton(AF_INET6, host.c_str(), bytes) == 1) {
    family = AF_INET6;
    // An IPv4-mapped IPv6 address is checked as the IPv4 address.
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(bytes, kMapped, 12) == 0) {
      std::memmove(bytes, bytes + 12, 4);
      family = AF_INET;
    }
  } else {
    return false;
  }
  for (const Range& r : ranges_) {
    if (r.family != family) continue;
    int bits = r.prefix;
    bool match = true;
    for (int i = 0; bits > 0 && match; ++i, bits -= 8) {
      unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
      match = (bytes[i] & mask) == (r.bytes[i] & mask);
    }
    if (match) return true;
  }
  return false;
}

}  // namespace herald::webhook
