// Requests and responses as heraldd's handlers see them: plain values,
// independent of the HTTP library underneath.
#ifndef HERALD_CORE_HTTP_HTTP_TYPES_H_
#define HERALD_CORE_HTTP_HTTP_TYPES_H_

#include <Poco/JSON/Object.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "herald/core/status.h"

namespace herald::http {

struct HttpRequest {
  std::string method;                              // upper case
  std::string path;                                // decoded, without the query
  // The path's segments, each percent-decoded on its own, so that an encoded
  // '/' (%2F) stays inside its segment; routing matches these. Empty: the
  // router splits `path` instead.
  std::vector<std::string> segments;
  std::map<std::string, std::string> path_params;  // from {name} segments
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::optional<std::string> Header(std::string_view lower_name) const;
  std::optional<std::string> QueryParam(std::string_view name) const;
  const std::string& Param(const std::string& name) const { return path_params.at(name); }
};

// Writes a response as it is produced (server-sent events, plugin routes).
// Nothing is sent before the first Flush or the end of the stream function;
// until then status and headers may change. The first Flush sends them and
// turns the body into a chunked stream. Used on one thread.
class ResponseWriter {
 public:
  virtual ~ResponseWriter() = default;
  virtual void SetStatus(int status) = 0;
  virtual void AddHeader(std::string name, std::string value) = 0;
  virtual void Write(std::string_view data) = 0;
  // Sends what was written so far. False when the client has gone.
  virtual bool Flush() = 0;
  // Whether anything has been sent yet.
  virtual bool committed() const = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the server ignores the fields above and lets this write the
  // whole response instead.
  std::function<void(ResponseWriter&)> stream;

  static HttpResponse Stream(std::function<void(ResponseWriter&)> writer);

  static HttpResponse Json(int status, const Poco::JSON::Object::Ptr& body);
  static HttpResponse Json(int status, const Poco::Dynamic::Var& body);
  // {"error":{"code":"not_found","message":"..."}} with the matching status.
  static HttpResponse Error(const Status& status);
  // An error that is no Status: e.g. 405 method_not_allowed.
  static HttpResponse Error(int http_status, std::string_view code, std::string_view message);
};

// The HTTP status for a Status code (400 for invalid_argument, ...).
int HttpStatusFor(StatusCode code);

}  // namespace herald::http

// In a handler: returns the error response when `expr` is not OK.
#define HERALD_RETURN_IF_ERROR_RESPONSE(expr)                                             \
  do {                                                                                    \
    ::herald::Status herald_status_ = (expr);                                             \
    if (!herald_status_.ok()) return ::herald::http::HttpResponse::Error(herald_status_); \
  } while (0)

#endif  // HERALD_CORE_HTTP_HTTP_TYPES_H_
