#include "herald/core/http/router.h"

#include <exception>

#include "herald/core/log.h"

namespace herald::http {
std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool IsPathParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

void Router::Add(std::string method, const std::string& pattern, Handler handler) {
  Route route{std::move(method), SplitPath(pattern), std::move(handler)};
  const size_t length = route.segments.size();
  if (routes_.size() <= length) routes_.resize(length + 1);
  routes_[length].push_back(std::move(route));
}

void Router::AddPrefix(std::string prefix, Handler handler) {
  prefixes_.emplace_back(std::move(prefix), std::move(handler));
}

bool Router::Match(const Route& route, const std::vector<std::string>& segments,
                   std::map<std::string, std::string>* params) {
  if (route.segments.size() != segments.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& want = route.segments[i];
    if (IsPathParam(want)) {
      found[want.substr(1, want.size() - 2)] = segments[i];
    } else if (want != segments[i]) {
      return false;
    }
  }
  if (params != nullptr) *params = std::move(found);
  return true;
}

namespace {

HttpResponse Run(const Handler& handler, HttpRequest& request) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    LogEvent(spdlog::level::err, "http.handler_failed",
             {{"method", request.method}, {"path", request.path}, {"what", e.what()}});
  } catch (...) {
    LogEvent(spdlog::level::err, "http.handler_failed",
             {{"method", request.method}, {"path", request.path}});
  }
  return HttpResponse::Error(Status::Internal("internal error; see the heraldd log"));
}

}  // namespace

HttpResponse Router::Dispatch(HttpRequest& request) const {
  const std::vector<std::string> split =
      request.segments.empty() ? SplitPath(request.path) : std::vector<std::string>();
  const std::vector<std::string>& segments = request.segments.empty() ? split : request.segments;
  static const std::vector<Route> kNone;
  const std::vector<Route>& candidates =
      segments.size() < routes_.size() ? routes_[segments.size()] : kNone;
  std::string allowed;
  for (const Route& route : candidates) {
    std::map<std::string, std::string> params;
    if (!Match(route, segments, &params)) continue;
    if (route.method != request.method) {
      if (!allowed.empty()) allowed += ", ";
      allowed += route.method;
      continue;
    }
    request.path_params = std::move(params);
    return Run(route.handler, request);
  }
  if (allowed.empty()) {
    for (const auto& [prefix, handler] : prefixes_) {
      if (request.path.compare(0, prefix.size(), prefix) == 0) return Run(handler, request);
    }
  }
  if (!allowed.empty()) {
    HttpResponse r = HttpResponse::Error(405, "method_not_allowed",
                                         "method " + request.method + " is not allowed on " +
                                             request.path + "; allowed: " + allowed);
    r.headers.emplace_back("Allow", allowed);
    return r;
  }
  return HttpResponse::Error(Status::NotFound("no such endpoint: " + request.path));
}

}  // namespace herald::http
