// Maps (method, path pattern) to a handler. Patterns are literal segments and
// {name} segments, e.g. "/v1/agents/{id}/deployments"; a {name} matches one
// non-empty segment and lands in HttpRequest::path_params.
//
// An unknown path is 404 and a known path with another method 405 (with an
// Allow header), both as JSON errors. Handlers that throw give 500 with a
// generic message: the exception text is logged, never returned, since it
// might carry anything.
//
// Thread-safety: add routes before serving; Dispatch is then const and may run
// on many threads.
#ifndef HERALD_CORE_HTTP_ROUTER_H_
#define HERALD_CORE_HTTP_ROUTER_H_

#include <functional>
#include <string>
#include <vector>

#include "herald/core/http/http_types.h"

namespace herald::http {

using Handler = std::function<HttpResponse(HttpRequest&)>;

// A path's non-empty segments: "/v1//agents/" -> {"v1", "agents"}.
std::vector<std::string> SplitPath(const std::string& path);
// Whether a pattern segment is a parameter: "{name}".
bool IsPathParam(const std::string& segment);

class Router {
 public:
  void Add(std::string method, const std::string& pattern, Handler handler);
  // Hands every request under `prefix` (e.g. "/v1/channels/") that no route
  // matches to `handler`, whatever its method: for routes that are added
  // while serving (plugins'), which keep their own table.
  void AddPrefix(std::string prefix, Handler handler);
  HttpResponse Dispatch(HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{id}" for a parameter
    Handler handler;
  };
  static bool Match(const Route& route, const std::vector<std::string>& segments,
                    std::map<std::string, std::string>* params);
  // Routes by their number of segments (a path matches only routes of its
  // length), each list in the order added.
  std::vector<std::vector<Route>> routes_;
  std::vector<std::pair<std::string, Handler>> prefixes_;
};

}  // namespace herald::http

#endif  // HERALD_CORE_HTTP_ROUTER_H_
