// A stand-in for heraldd, so that a plugin author can unit-test a plugin with
// GoogleTest (or anything else) without the daemon:
//
//   herald::sdk::testing::FakeHost host;
//   host.SetConfig("greeting", "hi");
//   auto plugin = host.Start(herald::sdk::ChannelDescriptor<Echo>("echo", "1", ""));
//   ASSERT_TRUE(plugin.ok()) << plugin.error;
//   auto result = plugin.channel().Publish("agent", 1, "hash", "{}", {});
//
// or, to test the built shared library exactly as heraldd will load it:
//
//   auto plugin = host.StartLibrary("/path/to/libecho.so");
//
// FakeHost records every log line and serves configuration from a map and
// time from a settable clock. The ABI 1.1 services are there too: routes the
// plugin adds are served by Serve(); turns, fetches and identity checks are
// answered by handlers a test sets (SetTurnHandler, SetFetchHandler,
// AddIdentity); the key-value and secret stores are in memory (kv(),
// secrets()). Not thread-safe to configure; plugins may call the services
// from several threads (they are guarded).
#ifndef HERALD_SDK_TESTING_FAKE_HOST_HPP_
#define HERALD_SDK_TESTING_FAKE_HOST_HPP_

#include <herald/sdk/abi.h>
#include <herald/sdk/client.hpp>
#include <herald/sdk/descriptor_check.hpp>
#include <herald/sdk/host.hpp>
#include <herald/sdk/types.hpp>

#include <algorithm>
#include <boost/dll/import.hpp>
#include <boost/dll/shared_library.hpp>
#include <cctype>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace herald::sdk::testing {

struct LogLine {
  herald_log_level level;
  std::string message;
};

// A request to serve through the plugin's routes.
struct FakeRequest {
  std::string method = "GET";
  std::string path;  // below the plugin's prefix, e.g. "/a1/messages"
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names lower case
  std::string body;
  std::string user_id;
  std::string user_role;
  // Simulates a client that hangs up after this many flushes: later flushes
  // send nothing and return 0. Unset: the client stays to the end.
  std::optional<size_t> client_gone_after_flushes{};
};

// What a route answered. `flushes` holds the body as it was sent at each
// flush (empty when the handler never flushed), so a test sees streaming.
struct FakeResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::vector<std::string> flushes;
  std::optional<std::string> Header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      if (k.size() == name.size() &&
          std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
          })) {
        return v;
      }
    }
    return std::nullopt;
  }
};

// A turn as the fake host received it, and what a test's handler answers.
struct FakeTurn {
  std::string agent_id;
  std::string conversation_id;
  std::string message;
  std::string user_id;
};
struct FakeTurnAnswer {
  herald_status status = HERALD_STATUS_OK;
  std::string error;  // when status is not OK
  std::string conversation_id = "c1";
  uint64_t version = 1;
  std::vector<std::string> deltas;  // the reply, in pieces
  std::vector<std::pair<std::string, std::string>> tool_calls;
};

struct FakeFetchAnswer {
  herald_status status = HERALD_STATUS_OK;
  std::string error;
  FetchResponse response;
};

// A plugin started on a FakeHost. Shuts the instance down when destroyed.
class StartedPlugin {
 public:
  StartedPlugin() = default;
  StartedPlugin(const StartedPlugin&) = delete;
  StartedPlugin& operator=(const StartedPlugin&) = delete;
  StartedPlugin(StartedPlugin&& o) noexcept { *this = std::move(o); }
  StartedPlugin& operator=(StartedPlugin&& o) noexcept {
    std::swap(descriptor_, o.descriptor_);
    std::swap(instance_, o.instance_);
    std::swap(library_, o.library_);
    error = std::move(o.error);
    return *this;
  }
  ~StartedPlugin() {
    if (instance_ != nullptr && descriptor_->shutdown != nullptr) descriptor_->shutdown(instance_);
  }

  bool ok() const { return instance_ != nullptr; }
  std::string error;  // why it did not start

  const herald_plugin_descriptor& descriptor() const { return *descriptor_; }
  ChannelClient channel() const { return ChannelClient(descriptor_->channel, instance_); }
  AuthTypeClient auth_type() const { return AuthTypeClient(descriptor_->auth_type, instance_); }

 private:
  friend class FakeHost;
  const herald_plugin_descriptor* descriptor_ = nullptr;
  void* instance_ = nullptr;
  std::shared_ptr<boost::dll::shared_library> library_;
};

class FakeHost {
 public:
  FakeHost() {
    api_.struct_size = sizeof(herald_host_api);
    api_.abi_major = HERALD_ABI_MAJOR;
    api_.abi_minor = HERALD_ABI_MINOR;
    api_.ctx = this;
    api_.log = [](void* ctx, herald_log_level level, herald_str message) {
      auto* self = static_cast<FakeHost*>(ctx);
      std::lock_guard<std::mutex> lock(self->mu_);
      self->logs_.push_back(LogLine{level, std::string(ToView(message))});
    };
    api_.config_get = [](void* ctx, herald_str key, const herald_string_sink* out) -> int {
      auto* self = static_cast<FakeHost*>(ctx);
      auto it = self->config_.find(std::string(ToView(key)));
      if (it == self->config_.end()) return 0;
      out->set(out->ctx, ToStr(it->second));
      return 1;
    };
    api_.now_unix_ms = [](void* ctx) -> int64_t { return static_cast<FakeHost*>(ctx)->now_ms_; };
    api_.http_route_add = &FakeHost::RouteAdd;
    api_.run_turn = &FakeHost::RunTurn;
    api_.kv_get = [](void* ctx, herald_str key, const herald_string_sink* value,
                     const herald_string_sink* error) {
      return static_cast<FakeHost*>(ctx)->MapGet(static_cast<FakeHost*>(ctx)->kv_, key, value,
                                                 error);
    };
    api_.kv_put = [](void* ctx, herald_str key, herald_str value, const herald_string_sink*) {
      return static_cast<FakeHost*>(ctx)->MapPut(static_cast<FakeHost*>(ctx)->kv_, key, value);
    };
    api_.kv_delete = [](void* ctx, herald_str key, const herald_string_sink*) {
      return static_cast<FakeHost*>(ctx)->MapDelete(static_cast<FakeHost*>(ctx)->kv_, key);
    };
    api_.kv_list = &FakeHost::KvList;
    api_.kv_apply = [](void* ctx, const herald_kv_op* ops, size_t count,
                       const herald_string_sink*) {
      auto* self = static_cast<FakeHost*>(ctx);
      std::lock_guard<std::mutex> lock(self->mu_);
      for (size_t i = 0; i < count; ++i) {
        const std::string key(ToView(ops[i].key));
        if (ops[i].is_delete != 0) {
          self->kv_.erase(key);
        } else {
          self->kv_[key] = std::string(ToView(ops[i].value));
        }
      }
      return HERALD_STATUS_OK;
    };
    api_.secret_get = [](void* ctx, herald_str key, const herald_string_sink* value,
                         const herald_string_sink* error) {
      return static_cast<FakeHost*>(ctx)->MapGet(static_cast<FakeHost*>(ctx)->secrets_, key, value,
                                                 error);
    };
    api_.secret_put = [](void* ctx, herald_str key, herald_str value, const herald_string_sink*) {
      return static_cast<FakeHost*>(ctx)->MapPut(static_cast<FakeHost*>(ctx)->secrets_, key, value);
    };
    api_.secret_delete = [](void* ctx, herald_str key, const herald_string_sink*) {
      return static_cast<FakeHost*>(ctx)->MapDelete(static_cast<FakeHost*>(ctx)->secrets_, key);
    };
    api_.fetch = &FakeHost::DoFetch;
    api_.verify_identity = [](void* ctx, herald_str token, const herald_string_sink* user_id,
                              const herald_string_sink* error) {
      auto* self = static_cast<FakeHost*>(ctx);
      std::lock_guard<std::mutex> lock(self->mu_);
      auto it = self->identities_.find(std::string(ToView(token)));
      if (it == self->identities_.end()) {
        error->set(error->ctx, ToStr("the identity token is not valid"));
        return HERALD_STATUS_PERMISSION_DENIED;
      }
      user_id->set(user_id->ctx, ToStr(it->second));
      return HERALD_STATUS_OK;
    };
  }

  // Pretends to be a host of an older ABI minor: the api table ends where
  // that minor's did (0: only log, config_get and now_unix_ms).
  void SetAbiMinor(uint32_t minor) {
    api_.abi_minor = minor;
    api_.struct_size = minor == 0 ? offsetof(herald_host_api, now_unix_ms) + sizeof(void*)
                                  : sizeof(herald_host_api);
  }
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  void SetConfig(const std::string& key, const std::string& value) { config_[key] = value; }
  void SetNowUnixMs(int64_t ms) { now_ms_ = ms; }

  std::vector<LogLine> logs() const {
    std::lock_guard<std::mutex> lock(mu_);
    return logs_;
  }
  // Every log line joined, for "does this text appear anywhere" checks.
  std::string AllLogText() const {
    std::string out;
    for (const auto& l : logs()) out += l.message + "\n";
    return out;
  }

  const herald_host_api* api() const { return &api_; }

  // ---- ABI 1.1 services

  // Serves `request` through the route the plugin added for it; 404 when none.
  FakeResponse Serve(const FakeRequest& request) {
    FakeResponse out;
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& r : routes_) {
        params.clear();
        if (r.method == request.method && Match(r.pattern, request.path, &params)) {
          route = &r;
          break;
        }
      }
    }
    if (route == nullptr) {
      out.status = 404;
      return out;
    }
    std::vector<herald_kv> p, q, h;
    for (const auto& [k, v] : params) p.push_back(herald_kv{ToStr(k), ToStr(v)});
    for (const auto& [k, v] : request.query) q.push_back(herald_kv{ToStr(k), ToStr(v)});
    for (const auto& [k, v] : request.headers) h.push_back(herald_kv{ToStr(k), ToStr(v)});
    herald_http_request_view view{};
    view.struct_size = sizeof(view);
    view.method = ToStr(request.method);
    view.path = ToStr(request.path);
    view.params = herald_kv_list{p.data(), p.size()};
    view.query = herald_kv_list{q.data(), q.size()};
    view.headers = herald_kv_list{h.data(), h.size()};
    view.body = ToStr(request.body);
    view.user_id = ToStr(request.user_id);
    view.user_role = ToStr(request.user_role);
    struct Writer {
      FakeResponse* out;
      std::string pending;
      std::optional<size_t> gone_after;
    } writer{&out, {}, request.client_gone_after_flushes};
    out.status = 200;
    herald_http_response response{};
    response.struct_size = sizeof(response);
    response.ctx = &writer;
    response.set_status = [](void* ctx, int status) {
      static_cast<Writer*>(ctx)->out->status = status;
    };
    response.add_header = [](void* ctx, herald_str name, herald_str value) {
      static_cast<Writer*>(ctx)->out->headers.emplace_back(std::string(ToView(name)),
                                                           std::string(ToView(value)));
    };
    response.write = [](void* ctx, herald_str data) {
      auto* w = static_cast<Writer*>(ctx);
      w->out->body.append(ToView(data));
      w->pending.append(ToView(data));
    };
    response.flush = [](void* ctx) -> int {
      auto* w = static_cast<Writer*>(ctx);
      if (w->gone_after && w->out->flushes.size() >= *w->gone_after) {
        w->pending.clear();
        return 0;
      }
      w->out->flushes.push_back(w->pending);
      w->pending.clear();
      return 1;
    };
    if (route->fn(route->ctx, &view, &response) != HERALD_STATUS_OK && out.flushes.empty()) {
      out = FakeResponse{};
      out.status = 500;
    }
    return out;
  }

  void SetTurnHandler(std::function<FakeTurnAnswer(const FakeTurn&)> handler) {
    turn_handler_ = std::move(handler);
  }
  // Turns received so far.
  std::vector<FakeTurn> turns() const {
    std::lock_guard<std::mutex> lock(mu_);
    return turns_;
  }

  void SetFetchHandler(std::function<FakeFetchAnswer(const FetchRequest&)> handler) {
    fetch_handler_ = std::move(handler);
  }
  // Requests fetched so far.
  std::vector<FetchRequest> fetches() const {
    std::lock_guard<std::mutex> lock(mu_);
    return fetches_;
  }

  void AddIdentity(const std::string& token, const std::string& user_id) {
    identities_[token] = user_id;
  }

  std::map<std::string, std::string> kv() const {
    std::lock_guard<std::mutex> lock(mu_);
    return kv_;
  }
  std::map<std::string, std::string> secrets() const {
    std::lock_guard<std::mutex> lock(mu_);
    return secrets_;
  }

  // Runs the descriptor's init against this host.
  StartedPlugin Start(const herald_plugin_descriptor* descriptor) {
    StartedPlugin p;
    p.descriptor_ = descriptor;
    void* instance = nullptr;
    CallResult r = detail::Call(
        [&](herald_string_sink error) { return descriptor->init(&api_, &instance, &error); });
    if (r.ok()) {
      p.instance_ = instance;
    } else {
      p.error = r.error;
    }
    return p;
  }

  // Loads a plugin shared library the way heraldd does, then starts it.
  StartedPlugin StartLibrary(const std::string& path) {
    StartedPlugin failed;
    try {
      auto lib = std::make_shared<boost::dll::shared_library>(
          path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
      if (!lib->has(HERALD_PLUGIN_ENTRY_SYMBOL)) {
        failed.error = "no Herald entry point";
        return failed;
      }
      auto entry = lib->get_alias<const herald_plugin_descriptor*()>(HERALD_PLUGIN_ENTRY_SYMBOL);
      const herald_plugin_descriptor* descriptor = entry();
      // The same checks heraldd makes, so a plugin FakeHost starts loads there too.
      if (std::string problem = CheckDescriptor(descriptor); !problem.empty()) {
        failed.error = problem;
        return failed;
      }
      StartedPlugin p = Start(descriptor);
      p.library_ = lib;
      return p;
    } catch (const std::exception& e) {
      failed.error = e.what();
      return failed;
    }
  }

 private:
  struct Route {
    std::string method;
    std::string pattern;
    herald_http_handler_fn fn;
    void* ctx;
  };

  static std::vector<std::string> Segments(const std::string& path) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < path.size()) {
      if (path[i] == '/') {
        ++i;
        continue;
      }
      size_t j = path.find('/', i);
      if (j == std::string::npos) j = path.size();
      out.push_back(path.substr(i, j - i));
      i = j;
    }
    return out;
  }
  static bool Match(const std::string& pattern, const std::string& path,
                    std::map<std::string, std::string>* params) {
    std::vector<std::string> want = Segments(pattern), got = Segments(path);
    if (want.size() != got.size()) return false;
    for (size_t i = 0; i < want.size(); ++i) {
      if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
        (*params)[want[i].substr(1, want[i].size() - 2)] = got[i];
      } else if (want[i] != got[i]) {
        return false;
      }
    }
    return true;
  }

  static herald_status RouteAdd(void* ctx, herald_str method, herald_str pattern,
                                herald_http_handler_fn fn, void* handler_ctx,
                                const herald_string_sink* error) {
    auto* self = static_cast<FakeHost*>(ctx);
    std::lock_guard<std::mutex> lock(self->mu_);
    std::string m(ToView(method)), p(ToView(pattern));
    if (p.empty() || p.front() != '/' || fn == nullptr) {
      error->set(error->ctx, ToStr("route pattern must start with /"));
      return HERALD_STATUS_INVALID_ARGUMENT;
    }
    for (const auto& r : self->routes_) {
      if (r.method == m && r.pattern == p) {
        error->set(error->ctx, ToStr("route " + m + " " + p + " is taken"));
        return HERALD_STATUS_INVALID_ARGUMENT;
      }
    }
    self->routes_.push_back(Route{m, p, fn, handler_ctx});
    return HERALD_STATUS_OK;
  }

  static herald_status RunTurn(void* ctx, const herald_turn_request* request,
                               const herald_turn_events* events, const herald_string_sink* error) {
    auto* self = static_cast<FakeHost*>(ctx);
    FakeTurn turn{std::string(ToView(request->agent_id)),
                  std::string(ToView(request->conversation_id)),
                  std::string(ToView(request->message)), std::string(ToView(request->user_id))};
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      self->turns_.push_back(turn);
    }
    if (!self->turn_handler_) {
      error->set(error->ctx, ToStr("agent is not live"));
      return HERALD_STATUS_NOT_FOUND;
    }
    FakeTurnAnswer answer = self->turn_handler_(turn);
    if (answer.status != HERALD_STATUS_OK) {
      error->set(error->ctx, ToStr(answer.error));
      return answer.status;
    }
    events->begin(events->ctx, ToStr(answer.conversation_id), answer.version);
    std::string reply;
    for (const auto& [tool, outcome] : answer.tool_calls) {
      if (events->tool_call != nullptr) events->tool_call(events->ctx, ToStr(tool), ToStr(outcome));
    }
    for (const auto& d : answer.deltas) {
      reply += d;
      if (events->delta != nullptr && events->delta(events->ctx, ToStr(d)) == 0) {
        error->set(error->ctx, ToStr("the turn was cancelled"));
        return HERALD_STATUS_ERROR;
      }
    }
    events->end(events->ctx, ToStr(reply));
    return HERALD_STATUS_OK;
  }

  herald_status MapGet(const std::map<std::string, std::string>& map, herald_str key,
                       const herald_string_sink* value, const herald_string_sink* error) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map.find(std::string(ToView(key)));
    if (it == map.end()) {
      error->set(error->ctx, ToStr("no such key"));
      return HERALD_STATUS_NOT_FOUND;
    }
    value->set(value->ctx, ToStr(it->second));
    return HERALD_STATUS_OK;
  }
  herald_status MapPut(std::map<std::string, std::string>& map, herald_str key, herald_str value) {
    std::lock_guard<std::mutex> lock(mu_);
    map[std::string(ToView(key))] = std::string(ToView(value));
    return HERALD_STATUS_OK;
  }
  herald_status MapDelete(std::map<std::string, std::string>& map, herald_str key) {
    std::lock_guard<std::mutex> lock(mu_);
    map.erase(std::string(ToView(key)));
    return HERALD_STATUS_OK;
  }
  static herald_status KvList(void* ctx, herald_str prefix, const herald_kv_sink* out,
                              const herald_string_sink*) {
    auto* self = static_cast<FakeHost*>(ctx);
    std::map<std::string, std::string> copy = self->kv();
    const std::string p(ToView(prefix));
    for (auto it = copy.lower_bound(p); it != copy.end() && it->first.compare(0, p.size(), p) == 0;
         ++it) {
      out->add(out->ctx, ToStr(it->first), ToStr(it->second));
    }
    return HERALD_STATUS_OK;
  }

  static herald_status DoFetch(void* ctx, const herald_fetch_request* request,
                               const herald_fetch_response_sink* response,
                               const herald_string_sink* error) {
    auto* self = static_cast<FakeHost*>(ctx);
    FetchRequest copy;
    copy.method = std::string(ToView(request->method));
    copy.url = std::string(ToView(request->url));
    for (size_t i = 0; i < request->headers.count; ++i) {
      copy.headers.emplace_back(std::string(ToView(request->headers.items[i].key)),
                                std::string(ToView(request->headers.items[i].value)));
    }
    copy.body = std::string(ToView(request->body));
    copy.timeout_ms = request->timeout_ms;
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      self->fetches_.push_back(copy);
    }
    if (!self->fetch_handler_) {
      error->set(error->ctx, ToStr("no fetch handler is set"));
      return HERALD_STATUS_UNAVAILABLE;
    }
    FakeFetchAnswer answer = self->fetch_handler_(copy);
    if (answer.status != HERALD_STATUS_OK) {
      error->set(error->ctx, ToStr(answer.error));
      return answer.status;
    }
    response->status(response->ctx, answer.response.status);
    for (const auto& [k, v] : answer.response.headers) {
      response->header(response->ctx, ToStr(k), ToStr(v));
    }
    response->body(response->ctx, ToStr(answer.response.body));
    return HERALD_STATUS_OK;
  }

  herald_host_api api_{};
  std::map<std::string, std::string> config_;
  std::vector<Route> routes_;
  std::function<FakeTurnAnswer(const FakeTurn&)> turn_handler_;
  std::vector<FakeTurn> turns_;
  std::function<FakeFetchAnswer(const FetchRequest&)> fetch_handler_;
  std::vector<FetchRequest> fetches_;
  std::map<std::string, std::string> identities_;
  std::map<std::string, std::string> kv_;
  std::map<std::string, std::string> secrets_;
  int64_t now_ms_ = 1'700'000'000'000;
  mutable std::mutex mu_;
  std::vector<LogLine> logs_;
};

}  // namespace herald::sdk::testing

#endif  // HERALD_SDK_TESTING_FAKE_HOST_HPP_
