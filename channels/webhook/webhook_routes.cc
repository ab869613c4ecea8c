#include "webhook_routes.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <charconv>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include "endpoints.h"
#include "time_format.h"

namespace herald::webhook {
namespace {

using sdk::HttpRequest;
using sdk::HttpResponse;

std::string Quote(std::string_view s) {
  std::ostringstream out;
  Poco::JSON::Stringifier::formatString(std::string(s), out);
  return out.str();
}

void Error(const HttpResponse& response, int status, std::string_view code,
           std::string_view message) {
  response.Json(status,
                "{\"error\":{\"code\":" + Quote(code) + ",\"message\":" + Quote(message) + "}}");
}

// True when the request carries an operator's or admin's token; otherwise
// answers 401 or 403.
bool RequireOperator(const HttpRequest& request, const HttpResponse& response) {
  if (request.user_role.empty()) {
    Error(response, 401, "unauthenticated", "an operator's API token is required");
    return false;
  }
  if (request.user_role != "operator" && request.user_role != "admin") {
    Error(response, 403, "permission_denied", "only an operator or admin may do this");
    return false;
  }
  return true;
}

// The body as a JSON object; an empty body counts as {}. Null (and a 400
// answered) when it is not one.
Poco::JSON::Object::Ptr BodyObject(const HttpRequest& request, const HttpResponse& response) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return new Poco::JSON::Object;
  }
  try {
    Poco::Dynamic::Var v = Poco::JSON::Parser().parse(request.body);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  Error(response, 400, "invalid_argument", "the body must be a JSON object");
  return nullptr;
}

std::optional<size_t> EndpointIndex(const std::string& text) {
  size_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size() || n >= kMaxEndpoints) {
    return std::nullopt;
  }
  return n;
}

bool ValidAgent(const std::string& agent) {
  if (agent.empty() || agent.size() > 64) return false;
  for (char c : agent) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

// POST .../secret: {"secret": "whsec_..."} sets one, {} generates one (shown
// in this answer only); "overlap_seconds" overrides how long the old one
// stays valid.
void SetSecret(const RouteContext& c, const std::string& key, const HttpRequest& request,
               const HttpResponse& response, const std::string& what) {
  Poco::JSON::Object::Ptr body = BodyObject(request, response);
  if (body.isNull()) return;
  std::string given;
  int64_t overlap_ms = c.overlap_ms;
  try {
    if (body->has("secret")) given = body->getValue<std::string>("secret");
    if (body->has("overlap_seconds")) {
      int64_t s = body->getValue<int64_t>("overlap_seconds");
      if (s < 0 || s > 30LL * 24 * 3600) throw std::invalid_argument("overlap");
      overlap_ms = s * 1000;
    }
    for (const auto& [k, v] : *body) {
      if (k != "secret" && k != "overlap_seconds") throw std::invalid_argument("unknown");
    }
  } catch (const std::exception&) {
    Error(response, 400, "invalid_argument",
          "the body may hold \"secret\" (whsec_...) and \"overlap_seconds\" (0 to 2592000)");
    return;
  }
  const int64_t now = c.host.NowUnixMs();
  const bool had = c.secrets->Load(key).has_value();
  std::string secret;
  try {
    secret = c.secrets->Rotate(key, given, now, overlap_ms);
  } catch (const std::invalid_argument& e) {
    Error(response, 400, "invalid_argument", e.what());
    return;
  }
  c.host.Info(what + (had ? " secret rotated" : " secret set"));
  std::string out = "{";
  if (given.empty()) out += "\"secret\":" + Quote(secret) + ",";
  out += "\"rotated\":" + std::string(had ? "true" : "false");
  out += ",\"previous_valid_until\":" +
         Quote(had && overlap_ms > 0 ? FormatRfc3339(now + overlap_ms) : "") + "}";
  response.Json(200, out);
}

std::string TurnErrorCode(herald_status status, int* http) {
  switch (status) {
    case HERALD_STATUS_NOT_FOUND:
      *http = 404;
      return "not_found";
    case HERALD_STATUS_INVALID_ARGUMENT:
      *http = 400;
      return "invalid_argument";
    case HERALD_STATUS_PERMISSION_DENIED:
      *http = 403;
      return "permission_denied";
    case HERALD_STATUS_UNAVAILABLE:
      *http = 503;
      return "unavailable";
    case HERALD_STATUS_TIMEOUT:
      *http = 504;
      return "deadline_exceeded";
    default:
      *http = 500;
      return "internal";
  }
}

void Add(const RouteContext& c, const char* method, const char* pattern, sdk::HttpHandler fn) {
  sdk::HostResult r = c.host.AddRoute(method, pattern, std::move(fn));
  if (!r.ok()) {
    throw std::runtime_error(std::string("route ") + method + " " + pattern + ": " + r.message);
  }
}

}  // namespace

void AddRoutes(const RouteContext& context) {
  const RouteContext c = context;

  Add(c, "POST", "/{agent}", [c](const HttpRequest& request, const HttpResponse& response) {
    const std::string agent = request.Param("agent");
    if (!ValidAgent(agent)) {
      Error(response, 404, "not_found", "no such agent");
      return;
    }
    if (std::optional<std::string> why = c.inbound->Verify(agent, request.headers, request.body)) {
      Error(response, 401, "unauthenticated", *why);
      return;
    }
    Poco::JSON::Object::Ptr body = BodyObject(request, response);
    if (body.isNull()) return;
    sdk::TurnRequest turn;
    turn.agent_id = agent;
    try {
      turn.message = body->getValue<std::string>("message");
      if (body->has("conversation_id")) {
        turn.conversation_id = body->getValue<std::string>("conversation_id");
      }
    } catch (const Poco::Exception&) {
      Error(response, 400, "invalid_argument",
            "the body needs \"message\" (text) and may hold \"conversation_id\"");
      return;
    }
    sdk::TurnResult result = c.host.RunTurn(turn);
    if (!result.ok()) {
      int http = 500;
      std::string code = TurnErrorCode(result.result.status, &http);
      Error(response, http, code, result.result.message);
      return;
    }
    response.Json(200, "{\"agent\":" + Quote(agent) +
                           ",\"version\":" + std::to_string(result.version) +
                           ",\"conversation_id\":" + Quote(result.conversation_id) +
                           ",\"reply\":" + Quote(result.reply) + "}");
  });

  Add(c, "GET", "/{agent}/deliveries",
      [c](const HttpRequest& request, const HttpResponse& response) {
        if (!RequireOperator(request, response)) return;
        size_t limit = 100;
        if (std::optional<std::string> l = request.Query("limit")) {
          auto [ptr, ec] = std::from_chars(l->data(), l->data() + l->size(), limit);
          if (ec != std::errc() || ptr != l->data() + l->size() || limit == 0 || limit > 1000) {
            Error(response, 400, "invalid_argument", "limit must be 1 to 1000");
            return;
          }
        }
        std::string out = "{\"agent\":" + Quote(request.Param("agent")) + ",\"deliveries\":[";
        bool first = true;
        for (const Delivery& d : c.outbox->ForAgent(request.Param("agent"), limit)) {
          if (!first) out += ",";
          first = false;
          out += d.ToApiJson(false);
        }
        out += "]}";
        response.Json(200, out);
      });

  Add(c, "POST", "/deliveries/{id}/redeliver",
      [c](const HttpRequest& request, const HttpResponse& response) {
        if (!RequireOperator(request, response)) return;
        const std::string id = request.Param("id");
        // An operator's explicit wish: the endpoint takes events again.
        if (std::optional<Delivery> found = c.outbox->Find(id);
            found && found->state != kStatePending) {
          c.outbox->Enable(found->agent, found->endpoint);
        }
        switch (c.outbox->Redeliver(id, c.host.NowUnixMs())) {
          case Outbox::RedeliverResult::kNotFound:
            Error(response, 404, "not_found", "no delivery " + id);
            return;
          case Outbox::RedeliverResult::kPending:
            Error(response, 409, "conflict",
                  "delivery " + id + " is still pending; it will be attempted on its schedule");
            return;
          case Outbox::RedeliverResult::kQueued:
            break;
        }
        std::optional<Delivery> d = c.outbox->Find(id);
        if (c.kick) c.kick();
        response.Json(202,
                      "{\"delivery\":" + (d ? d->ToApiJson(false) : std::string("null")) + "}");
      });

  Add(c, "POST", "/{agent}/endpoints/{n}/secret",
      [c](const HttpRequest& request, const HttpResponse& response) {
        if (!RequireOperator(request, response)) return;
        const std::string agent = request.Param("agent");
        std::optional<size_t> n = EndpointIndex(request.Param("n"));
        if (!ValidAgent(agent) || !n) {
          Error(response, 404, "not_found", "no such agent or endpoint (0 to 15)");
          return;
        }
        SetSecret(c, SecretStore::EndpointKey(agent, *n), request, response,
                  "endpoint " + std::to_string(*n) + " of agent " + agent + ":");
      });

  Add(c, "GET", "/{agent}/endpoints/{n}/secret",
      [c](const HttpRequest& request, const HttpResponse& response) {
        if (!RequireOperator(request, response)) return;
        const std::string agent = request.Param("agent");
        std::optional<size_t> n = EndpointIndex(request.Param("n"));
        if (!ValidAgent(agent) || !n) {
          Error(response, 404, "not_found", "no such agent or endpoint (0 to 15)");
          return;
        }
        const std::string key = SecretStore::EndpointKey(agent, *n);
        if (!c.secrets->Load(key)) {
          Error(response, 404, "not_found",
                "endpoint " + std::to_string(*n) + " of " + agent +
                    " has no secret yet: a deploy generates one, or POST sets one");
          return;
        }
        std::optional<std::string> secret = c.secrets->RevealOnce(key);
        if (!secret) {
          Error(response, 409, "conflict",
                "the secret was shown already; POST to this path rotates it and shows the new "
                "one");
          return;
        }
        response.Json(200, "{\"secret\":" + Quote(*secret) + "}");
      });

  Add(c, "POST", "/{agent}/inbound/secret",
      [c](const HttpRequest& request, const HttpResponse& response) {
        if (!RequireOperator(request, response)) return;
        const std::string agent = request.Param("agent");
        if (!ValidAgent(agent)) {
          Error(response, 404, "not_found", "no such agent");
          return;
        }
        SetSecret(c, SecretStore::InboundKey(agent), request, response,
                  "inbound of agent " + agent + ":");
      });
}

}  // namespace herald::webhook
