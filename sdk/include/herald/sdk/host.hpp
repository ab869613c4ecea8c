// The host's services, as a plugin sees them through the C++ layer: the log,
// configuration and clock of ABI 1.0, and, from ABI 1.1, what a channel needs
// to serve users: HTTP routes under its own prefix, conversation turns
// against an agent's live version, a persistent key-value store (plain and
// sealed), an outbound HTTP client and identity checks.
//
// Feature-test before using a 1.1 service: Host::Has(Service::...) is false
// on a 1.0 host, and calling the service then gives HERALD_STATUS_UNSUPPORTED
// instead of touching a field the host does not have.
//
// Thread-safety: every method may be called from any thread.
#ifndef HERALD_SDK_HOST_HPP_
#define HERALD_SDK_HOST_HPP_

#include <herald/sdk/abi.h>
#include <herald/sdk/types.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald::sdk {

// The outcome of a host service call: OK, or a status and the host's message.
struct HostResult {
  herald_status status = HERALD_STATUS_OK;
  std::string message;
  bool ok() const { return status == HERALD_STATUS_OK; }
};

// An inbound request to one of the plugin's routes (a copy: may outlive the
// call).
struct HttpRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> params;  // {name} segments
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names lower case
  std::string body;
  std::string user_id;    // the Herald user of a valid API token, or empty
  std::string user_role;  // admin | operator | member, or empty

  std::string Param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  }
  std::optional<std::string> Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    if (it == headers.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::string> Query(const std::string& name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
};

// The response to an inbound request. Nothing is sent before Flush() or the
// handler's return; the first Flush sends status and headers and turns the
// body into a stream (for server-sent events, say).
class HttpResponse {
 public:
  explicit HttpResponse(const herald_http_response* r) : r_(r) {}
  void SetStatus(int status) const { r_->set_status(r_->ctx, status); }
  void AddHeader(std::string_view name, std::string_view value) const {
    r_->add_header(r_->ctx, ToStr(name), ToStr(value));
  }
  void Write(std::string_view data) const { r_->write(r_->ctx, ToStr(data)); }
  // False when the client has gone: stop producing.
  bool Flush() const { return r_->flush(r_->ctx) != 0; }
  // Status, JSON content type and body in one call.
  void Json(int status, std::string_view json) const {
    SetStatus(status);
    AddHeader("Content-Type", "application/json");
    Write(json);
  }

 private:
  const herald_http_response* r_;
};

// Handles a route. Throwing answers 500 (the message is logged, not sent).
using HttpHandler = std::function<void(const HttpRequest&, const HttpResponse&)>;

// An outbound request through the host's client.
struct FetchRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int64_t timeout_ms = 0;  // 0: the host's default
};

struct FetchResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // as received
  std::string body;
  std::optional<std::string> Header(std::string_view name) const;
};

// One turn against an agent's live version.
struct TurnRequest {
  std::string agent_id;
  std::string conversation_id;  // empty: a new conversation
  std::string message;
  std::string user_id;  // the member speaking, or empty (anonymous)
};

// Callbacks as the turn runs; any may be empty. `on_delta` returns false to
// cancel the turn.
struct TurnEvents {
  std::function<void(const std::string& conversation_id, uint64_t version)> on_begin;
  std::function<bool(std::string_view text)> on_delta;
  std::function<void(std::string_view tool, std::string_view outcome)> on_tool_call;
  std::function<void(std::string_view reply)> on_end;
};

struct TurnResult {
  HostResult result;
  std::string conversation_id;
  uint64_t version = 0;
  std::string reply;
  bool ok() const { return result.ok(); }
};

// The 1.1 services, for Host::Has.
enum class Service { kHttpRoutes, kTurns, kKeyValue, kSecrets, kFetch, kIdentity, kKeyValueBatch };

// One change of Host::KvApply.
struct KvOp {
  std::string key;
  std::string value;  // ignored for a delete
  bool is_delete = false;
  static KvOp Put(std::string key, std::string value) {
    return KvOp{std::move(key), std::move(value), false};
  }
  static KvOp Delete(std::string key) { return KvOp{std::move(key), {}, true}; }
};

class Host {
 public:
  explicit Host(const herald_host_api* api) : api_(api) {}

  // ---- ABI 1.0
  void Log(herald_log_level level, std::string_view message) const {
    api_->log(api_->ctx, level, ToStr(message));
  }
  void Debug(std::string_view m) const { Log(HERALD_LOG_DEBUG, m); }
  void Info(std::string_view m) const { Log(HERALD_LOG_INFO, m); }
  void Warn(std::string_view m) const { Log(HERALD_LOG_WARN, m); }
  void Error(std::string_view m) const { Log(HERALD_LOG_ERROR, m); }

  // This plugin's configuration value `key` (plugins.<name>.<key>), if set.
  std::optional<std::string> Config(std::string_view key) const {
    std::string out;
    herald_string_sink sink = StringSink(&out);
    if (api_->config_get(api_->ctx, ToStr(key), &sink) == 0) return std::nullopt;
    return out;
  }

  int64_t NowUnixMs() const { return api_->now_unix_ms(api_->ctx); }

  // The host's ABI minor.
  uint32_t AbiMinor() const { return api_->abi_minor; }

  // ---- ABI 1.1
  bool Has(Service service) const {
    // A table that covers a service but leaves it NULL does not offer it.
    switch (service) {
      case Service::kHttpRoutes:
        return Covers(offsetof(herald_host_api, http_route_add)) && api_->http_route_add != nullptr;
      case Service::kTurns:
        return Covers(offsetof(herald_host_api, run_turn)) && api_->run_turn != nullptr;
      case Service::kKeyValue:
        return Covers(offsetof(herald_host_api, kv_list)) && api_->kv_get != nullptr &&
               api_->kv_put != nullptr && api_->kv_delete != nullptr && api_->kv_list != nullptr;
      case Service::kSecrets:
        return Covers(offsetof(herald_host_api, secret_delete)) && api_->secret_get != nullptr &&
               api_->secret_put != nullptr && api_->secret_delete != nullptr;
      case Service::kFetch:
        return Covers(offsetof(herald_host_api, fetch)) && api_->fetch != nullptr;
      case Service::kIdentity:
        return Covers(offsetof(herald_host_api, verify_identity)) &&
               api_->verify_identity != nullptr;
      case Service::kKeyValueBatch:
        return Covers(offsetof(herald_host_api, kv_apply)) && api_->kv_apply != nullptr;
    }
    return false;
  }

  // Serves `method` `pattern` below /v1/channels/<plugin>/ (see abi.h). Call
  // from the plugin's constructor. The handler lives as long as the process.
  HostResult AddRoute(std::string_view method, std::string_view pattern, HttpHandler handler) const;

  TurnResult RunTurn(const TurnRequest& request, const TurnEvents& events = {}) const;

  // Plain key-value store; Get gives NOT_FOUND when absent.
  HostResult KvGet(std::string_view key, std::string* value) const {
    if (!Has(Service::kKeyValue)) return Unsupported();
    return CallWithValue(api_->kv_get, key, value);
  }
  HostResult KvPut(std::string_view key, std::string_view value) const {
    if (!Has(Service::kKeyValue)) return Unsupported();
    return Call([&](const herald_string_sink* e) {
      return api_->kv_put(api_->ctx, ToStr(key), ToStr(value), e);
    });
  }
  HostResult KvDelete(std::string_view key) const {
    if (!Has(Service::kKeyValue)) return Unsupported();
    return Call(
        [&](const herald_string_sink* e) { return api_->kv_delete(api_->ctx, ToStr(key), e); });
  }
  HostResult KvList(std::string_view prefix,
                    std::vector<std::pair<std::string, std::string>>* out) const {
    if (!Has(Service::kKeyValue)) return Unsupported();
    herald_kv_sink sink{
        out, [](void* ctx, herald_str k, herald_str v) {
          static_cast<std::vector<std::pair<std::string, std::string>>*>(ctx)->emplace_back(
              std::string(ToView(k)), std::string(ToView(v)));
        }};
    return Call([&](const herald_string_sink* e) {
      return api_->kv_list(api_->ctx, ToStr(prefix), &sink, e);
    });
  }

  // Every put and delete of `ops` at once, in one durable commit.
  HostResult KvApply(const std::vector<KvOp>& ops) const {
    if (!Has(Service::kKeyValueBatch)) return Unsupported();
    std::vector<herald_kv_op> c_ops;
    c_ops.reserve(ops.size());
    for (const KvOp& op : ops) {
      c_ops.push_back(herald_kv_op{ToStr(op.key), ToStr(op.value), op.is_delete ? 1 : 0});
    }
    return Call([&](const herald_string_sink* e) {
      return api_->kv_apply(api_->ctx, c_ops.data(), c_ops.size(), e);
    });
  }

  // Sealed store for secrets.
  HostResult SecretGet(std::string_view key, std::string* value) const {
    if (!Has(Service::kSecrets)) return Unsupported();
    return CallWithValue(api_->secret_get, key, value);
  }
  HostResult SecretPut(std::string_view key, std::string_view value) const {
    if (!Has(Service::kSecrets)) return Unsupported();
    return Call([&](const herald_string_sink* e) {
      return api_->secret_put(api_->ctx, ToStr(key), ToStr(value), e);
    });
  }
  HostResult SecretDelete(std::string_view key) const {
    if (!Has(Service::kSecrets)) return Unsupported();
    return Call(
        [&](const herald_string_sink* e) { return api_->secret_delete(api_->ctx, ToStr(key), e); });
  }

  HostResult Fetch(const FetchRequest& request, FetchResponse* response) const;

  // The member an identity provider's token names.
  HostResult VerifyIdentity(std::string_view token, std::string* user_id) const {
    if (!Has(Service::kIdentity)) return Unsupported();
    return CallWithValue(api_->verify_identity, token, user_id);
  }

 private:
  bool Covers(size_t field_offset) const {
    return api_->struct_size >= field_offset + sizeof(void*);
  }
  static HostResult Unsupported() {
    return HostResult{HERALD_STATUS_UNSUPPORTED, "the host does not offer this service (ABI 1.0)"};
  }
  static herald_string_sink StringSink(std::string* out) {
    return herald_string_sink{out, [](void* ctx, herald_str v) {
                                static_cast<std::string*>(ctx)->assign(v.data, v.size);
                              }};
  }
  template <typename Fn>
  static HostResult Call(Fn&& fn) {
    HostResult r;
    herald_string_sink error = StringSink(&r.message);
    r.status = fn(&error);
    if (r.ok()) r.message.clear();
    return r;
  }
  using ValueFn = herald_status (*)(void*, herald_str, const herald_string_sink*,
                                    const herald_string_sink*);
  HostResult CallWithValue(ValueFn fn, std::string_view key, std::string* value) const {
    herald_string_sink out = StringSink(value);
    return Call([&](const herald_string_sink* e) { return fn(api_->ctx, ToStr(key), &out, e); });
  }

  const herald_host_api* api_;
};

// ------------------------------------------------------------ implementation

inline std::optional<std::string> FetchResponse::Header(std::string_view name) const {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return out;
  };
  const std::string wanted = lower(name);
  for (const auto& [k, v] : headers) {
    if (lower(k) == wanted) return v;
  }
  return std::nullopt;
}

namespace detail {

// Route handlers registered through the C++ layer, kept for the process's
// life (plugins are never unloaded while the host runs).
inline std::vector<std::unique_ptr<HttpHandler>>& RouteHandlers() {
  static std::vector<std::unique_ptr<HttpHandler>> handlers;
  return handlers;
}
inline std::mutex& RouteHandlersMutex() {
  static std::mutex m;
  return m;
}

inline herald_status DispatchRoute(void* handler_ctx, const herald_http_request_view* view,
                                   const herald_http_response* response) noexcept {
  try {
    HttpRequest request;
    request.method = std::string(ToView(view->method));
    request.path = std::string(ToView(view->path));
    for (size_t i = 0; i < view->params.count; ++i) {
      request.params.emplace(std::string(ToView(view->params.items[i].key)),
                             std::string(ToView(view->params.items[i].value)));
    }
    for (size_t i = 0; i < view->query.count; ++i) {
      request.query.emplace(std::string(ToView(view->query.items[i].key)),
                            std::string(ToView(view->query.items[i].value)));
    }
    for (size_t i = 0; i < view->headers.count; ++i) {
      request.headers.emplace(std::string(ToView(view->headers.items[i].key)),
                              std::string(ToView(view->headers.items[i].value)));
    }
    request.body = std::string(ToView(view->body));
    request.user_id = std::string(ToView(view->user_id));
    request.user_role = std::string(ToView(view->user_role));
    (*static_cast<HttpHandler*>(handler_ctx))(request, HttpResponse(response));
    return HERALD_STATUS_OK;
  } catch (...) {
    return HERALD_STATUS_ERROR;
  }
}

}  // namespace detail

inline HostResult Host::AddRoute(std::string_view method, std::string_view pattern,
                                 HttpHandler handler) const {
  if (!Has(Service::kHttpRoutes)) return Unsupported();
  HttpHandler* stored = nullptr;
  {
    std::lock_guard<std::mutex> lock(detail::RouteHandlersMutex());
    detail::RouteHandlers().push_back(std::make_unique<HttpHandler>(std::move(handler)));
    stored = detail::RouteHandlers().back().get();
  }
  return Call([&](const herald_string_sink* e) {
    return api_->http_route_add(api_->ctx, ToStr(method), ToStr(pattern), &detail::DispatchRoute,
                                stored, e);
  });
}

inline TurnResult Host::RunTurn(const TurnRequest& request, const TurnEvents& events) const {
  TurnResult out;
  if (!Has(Service::kTurns)) {
    out.result = Unsupported();
    return out;
  }
  struct State {
    const TurnEvents* events;
    TurnResult* out;
  } state{&events, &out};
  herald_turn_events c_events{};
  c_events.struct_size = sizeof(herald_turn_events);
  c_events.ctx = &state;
  c_events.begin = [](void* ctx, herald_str conversation, uint64_t version) {
    auto* s = static_cast<State*>(ctx);
    s->out->conversation_id = std::string(ToView(conversation));
    s->out->version = version;
    if (s->events->on_begin) s->events->on_begin(s->out->conversation_id, version);
  };
  c_events.delta = [](void* ctx, herald_str text) -> int {
    auto* s = static_cast<State*>(ctx);
    if (!s->events->on_delta) return 1;
    return s->events->on_delta(ToView(text)) ? 1 : 0;
  };
  c_events.tool_call = [](void* ctx, herald_str tool, herald_str outcome) {
    auto* s = static_cast<State*>(ctx);
    if (s->events->on_tool_call) s->events->on_tool_call(ToView(tool), ToView(outcome));
  };
  c_events.end = [](void* ctx, herald_str reply) {
    auto* s = static_cast<State*>(ctx);
    s->out->reply = std::string(ToView(reply));
    if (s->events->on_end) s->events->on_end(s->out->reply);
  };
  herald_turn_request c_request{};
  c_request.struct_size = sizeof(herald_turn_request);
  c_request.agent_id = ToStr(request.agent_id);
  c_request.conversation_id = ToStr(request.conversation_id);
  c_request.message = ToStr(request.message);
  c_request.user_id = ToStr(request.user_id);
  out.result = Call([&](const herald_string_sink* e) {
    return api_->run_turn(api_->ctx, &c_request, &c_events, e);
  });
  return out;
}

inline HostResult Host::Fetch(const FetchRequest& request, FetchResponse* response) const {
  if (!Has(Service::kFetch)) return Unsupported();
  std::vector<herald_kv> headers;
  headers.reserve(request.headers.size());
  for (const auto& [k, v] : request.headers) headers.push_back(herald_kv{ToStr(k), ToStr(v)});
  herald_fetch_request c_request{};
  c_request.struct_size = sizeof(herald_fetch_request);
  c_request.method = ToStr(request.method);
  c_request.url = ToStr(request.url);
  c_request.headers = herald_kv_list{headers.data(), headers.size()};
  c_request.body = ToStr(request.body);
  c_request.timeout_ms = request.timeout_ms;
  *response = FetchResponse{};
  herald_fetch_response_sink sink{};
  sink.ctx = response;
  sink.status = [](void* ctx, int status) { static_cast<FetchResponse*>(ctx)->status = status; };
  sink.header = [](void* ctx, herald_str name, herald_str value) {
    static_cast<FetchResponse*>(ctx)->headers.emplace_back(std::string(ToView(name)),
                                                           std::string(ToView(value)));
  };
  sink.body = [](void* ctx, herald_str chunk) {
    static_cast<FetchResponse*>(ctx)->body.append(ToView(chunk));
  };
  return Call(
      [&](const herald_string_sink* e) { return api_->fetch(api_->ctx, &c_request, &sink, e); });
}

}  // namespace herald::sdk

#endif  // HERALD_SDK_HOST_HPP_
