#include "herald/core/plugin_routes.h"

#include <herald/sdk/types.hpp>

#include <map>
#include <mutex>
#include <utility>

#include "herald/core/auth/authenticator.h"
#include "herald/core/http/router.h"
#include "herald/core/log.h"

namespace herald {
namespace {

bool ValidSegment(const std::string& s) {
  if (http::IsPathParam(s)) return s.find_first_of("{}", 1) == s.size() - 1;
  return s.find_first_of("{}") == std::string::npos;
}

// Adapts a ResponseWriter to the ABI's herald_http_response.
struct WriterBridge {
  http::ResponseWriter* writer;

  herald_http_response Table() {
    herald_http_response r{};
    r.struct_size = sizeof(r);
    r.ctx = this;
    r.set_status = [](void* ctx, int status) {
      static_cast<WriterBridge*>(ctx)->writer->SetStatus(status);
    };
    r.add_header = [](void* ctx, herald_str name, herald_str value) {
      static_cast<WriterBridge*>(ctx)->writer->AddHeader(std::string(sdk::ToView(name)),
                                                         std::string(sdk::ToView(value)));
    };
    r.write = [](void* ctx, herald_str data) {
      static_cast<WriterBridge*>(ctx)->writer->Write(sdk::ToView(data));
    };
    r.flush = [](void* ctx) -> int {
      return static_cast<WriterBridge*>(ctx)->writer->Flush() ? 1 : 0;
    };
    return r;
  }
};

std::vector<herald_kv> ToKv(const auto& pairs) {
  std::vector<herald_kv> out;
  out.reserve(pairs.size());
  for (const auto& [k, v] : pairs) out.push_back(herald_kv{sdk::ToStr(k), sdk::ToStr(v)});
  return out;
}

}  // namespace

Status PluginRoutes::Add(const void* owner, const std::string& plugin, const std::string& method,
                         const std::string& pattern, herald_http_handler_fn handler,
                         void* handler_ctx) {
  static const char* const kMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  bool known = false;
  for (const char* m : kMethods) known = known || method == m;
  if (!known) {
    return Status::InvalidArgument("method: '" + method +
                                   "' is not one of GET, POST, PUT, PATCH, DELETE");
  }
  if (handler == nullptr) return Status::InvalidArgument("handler: must be set");
  if (pattern.empty() || pattern.front() != '/') {
    return Status::InvalidArgument("pattern: '" + pattern + "' must start with '/'");
  }
  auto route = std::make_shared<Route>();
  route->owner = owner;
  route->plugin = plugin;
  route->method = method;
  route->segments = http::SplitPath(std::string(kChannelRoutePrefix) + plugin + pattern);
  for (const auto& s : http::SplitPath(pattern)) {
    if (!ValidSegment(s)) {
      return Status::InvalidArgument("pattern: segment '" + s +
                                     "' must be a literal or a whole {name}");
    }
  }
  route->handler = handler;
  route->handler_ctx = handler_ctx;
  std::unique_lock lock(mu_);
  for (const auto& r : routes_) {
    if (r->method == method && r->segments == route->segments) {
      return Status::AlreadyExists("route " + method + " " + kChannelRoutePrefix + plugin +
                                   pattern + " is taken");
    }
  }
  routes_.push_back(std::move(route));
  return Status::Ok();
}

void PluginRoutes::RemoveOwner(const void* owner) {
  std::unique_lock lock(mu_);
  std::erase_if(routes_, [owner](const auto& r) { return r->owner == owner; });
}

size_t PluginRoutes::size() const {
  std::shared_lock lock(mu_);
  return routes_.size();
}

http::HttpResponse PluginRoutes::Dispatch(http::HttpRequest& request) const {
  const std::vector<std::string> split =
      request.segments.empty() ? http::SplitPath(request.path) : std::vector<std::string>();
  const std::vector<std::string>& segments = request.segments.empty() ? split : request.segments;
  std::shared_ptr<const Route> found;
  std::map<std::string, std::string> params;
  std::string allowed;
  {
    std::shared_lock lock(mu_);
    for (const auto& route : routes_) {
      if (route->segments.size() != segments.size()) continue;
      bool match = true;
      for (size_t i = 0; i < segments.size() && match; ++i) {
        const std::string& want = route->segments[i];
        match = http::IsPathParam(want) || want == segments[i];
      }
      if (!match) continue;
      if (route->method != request.method) {
        if (!allowed.empty()) allowed += ", ";
        allowed += route->method;
        continue;
      }
      found = route;
      break;
    }
  }
  if (found) {
    for (size_t i = 0; i < segments.size(); ++i) {
      const std::string& want = found->segments[i];
      if (http::IsPathParam(want)) params[want.substr(1, want.size() - 2)] = segments[i];
    }
  }
  if (!found) {
    if (!allowed.empty()) {
      http::HttpResponse r =
          http::HttpResponse::Error(405, "method_not_allowed",
                                    "method " + request.method + " is not allowed on " +
                                        request.path + "; allowed: " + allowed);
      r.headers.emplace_back("Allow", allowed);
      return r;
    }
    return http::HttpResponse::Error(Status::NotFound("no such endpoint: " + request.path));
  }

  // Only Herald API tokens name a user here; other bearer tokens (an identity
  // provider's JWT, say) are the plugin's to check.
  std::string user_id;
  std::string user_role;
  std::optional<std::string> authorization = request.Header("authorization");
  if (authenticator_ != nullptr && authorization && authorization->rfind("Bearer hrd_", 0) == 0) {
    StatusOr<User> user = authenticator_->Authenticate(request);
    if (user.ok()) {
      user_id = user->name;
      user_role = std::string(RoleName(user->role));
    }
  }

  // The stream function takes the request's parts rather than a copy (a
  // turn's body and headers were copied several times on their way to the
  // plugin); method and path stay for the server's log.
  http::HttpRequest taken;
  taken.method = request.method;
  taken.path = request.path;
  taken.path_params = std::move(params);
  taken.query = std::move(request.query);
  taken.headers = std::move(request.headers);
  taken.body = std::move(request.body);
  return http::HttpResponse::Stream(
      [found, request = std::move(taken), user_id = std::move(user_id),
       user_role = std::move(user_role)](http::ResponseWriter& writer) {
        std::vector<herald_kv> p = ToKv(request.path_params);
        std::vector<herald_kv> q = ToKv(request.query);
        std::vector<herald_kv> h = ToKv(request.headers);
        herald_http_request_view view{};
        view.struct_size = sizeof(view);
        view.method = sdk::ToStr(request.method);
        view.path = sdk::ToStr(request.path);
        view.params = herald_kv_list{p.data(), p.size()};
        view.query = herald_kv_list{q.data(), q.size()};
        view.headers = herald_kv_list{h.data(), h.size()};
        view.body = sdk::ToStr(request.body);
        view.user_id = sdk::ToStr(user_id);
        view.user_role = sdk::ToStr(user_role);
        WriterBridge bridge{&writer};
        herald_http_response table = bridge.Table();
        herald_status status = HERALD_STATUS_ERROR;
        try {
          status = found->handler(found->handler_ctx, &view, &table);
        } catch (...) {
          // A conforming plugin never throws across the ABI; one that does
          // is treated as a failed handler.
        }
        if (status != HERALD_STATUS_OK) {
          LogEvent(spdlog::level::err, "plugin.route_failed",
                   {{"plugin", found->plugin}, {"method", request.method}, {"path", request.path}});
          if (!writer.committed()) {
            throw std::runtime_error("plugin route handler failed");
          }
        }
      });
}

}  // namespace herald
