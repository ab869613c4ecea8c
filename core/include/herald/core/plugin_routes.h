// The HTTP routes channel plugins add through the host API (ABI 1.1), each
// under its plugin's own prefix /v1/channels/<plugin>/.
//
// Routes are added while plugins start (their init), so this table is apart
// from the daemon's Router, which is fixed before serving; the Router hands
// everything under /v1/channels/ here (Router::AddPrefix). Each route records
// the PluginHost that added it, so that a plugin whose init fails (and whose
// library is then unloaded) takes its routes with it, and not another
// plugin's of the same name.
//
// A plugin route's request carries the Herald user of a valid API token, if
// any; the plugin decides what a route needs. Responses go through a
// ResponseWriter, so a plugin can stream (server-sent events).
//
// Thread-safety: Add and RemoveOwner may run while Dispatch serves requests
// on many threads.
#ifndef HERALD_CORE_PLUGIN_ROUTES_H_
#define HERALD_CORE_PLUGIN_ROUTES_H_

#include <herald/sdk/abi.h>

#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "herald/core/http/http_types.h"
#include "herald/core/status.h"

namespace herald {

namespace auth {
class Authenticator;
}

inline constexpr char kChannelRoutePrefix[] = "/v1/channels/";

class PluginRoutes {
 public:
  // `authenticator` names the caller of each request; may be null (tests),
  // then no request carries a user.
  explicit PluginRoutes(const auth::Authenticator* authenticator = nullptr)
      : authenticator_(authenticator) {}

  // `pattern` is below the plugin's prefix: "/{agent}/messages". Methods are
  // GET, POST, PUT, PATCH or DELETE. InvalidArgument for a bad pattern or
  // method, AlreadyExists when that method and path are taken.
  Status Add(const void* owner, const std::string& plugin, const std::string& method,
             const std::string& pattern, herald_http_handler_fn handler, void* handler_ctx);
  void RemoveOwner(const void* owner);

  // Serves a request whose path starts with kChannelRoutePrefix: 404 (JSON)
  // when no plugin route matches it, 405 when only another method does. A
  // matched request's body, headers and query move into the response's
  // stream function; its method and path stay.
  http::HttpResponse Dispatch(http::HttpRequest& request) const;

  size_t size() const;

 private:
  struct Route {
    const void* owner;
    std::string plugin;
    std::string method;
    std::vector<std::string> segments;  // the whole path's, prefix included
    herald_http_handler_fn handler;
    void* handler_ctx;
  };

  const auth::Authenticator* authenticator_;
  mutable std::shared_mutex mu_;
  std::vector<std::shared_ptr<const Route>> routes_;  // guarded by mu_
};

}  // namespace herald

#endif  // HERALD_CORE_PLUGIN_ROUTES_H_
