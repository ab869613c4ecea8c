// ApiClient: heraldd's REST API over HTTP, one request per call.
//
// Every call returns an ApiResponse and never throws for what happens on the
// wire. A request succeeds when the server answers 2xx with a body that is
// empty or JSON. Otherwise `error` says why:
//   kServer       the server answered >= 400; code and message come from the
//                 body {"error":{"code":"...","message":"..."}} or, when the
//                 body is not in that form, are "http_<status>" and the reason
//                 phrase. The body is still parsed into `json` when possible.
//   kUnreachable  no answer: connection refused, unknown host, timeout, reset.
//                 message is "cannot reach heraldd at <url>: <reason>".
//   kBadResponse  a 2xx (or 1xx/3xx) answer whose body is not JSON, or
//                 an answer in a status the API does not use.
// A token, when set, is sent as "Authorization: Bearer <token>". Request
// bodies are sent as compact JSON with Content-Type application/json, except
// through Send(ApiRequest), which can also send raw bytes with a content type
// of their own (agent YAML, knowledge files), extra headers (If-Match), and
// take an answer that is not JSON (an export, a file's bytes).
#ifndef HERALD_CLI_API_CLIENT_H_
#define HERALD_CLI_API_CLIENT_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/URI.h>

namespace herald::cli {

struct ClientSettings {
  std::string server_url{};            // "http://host[:port][/prefix]"
  std::optional<std::string> token{};  // bearer token, if any
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

enum class ApiErrorKind { kServer, kUnreachable, kBadResponse };

struct ApiError {
  ApiErrorKind kind = ApiErrorKind::kServer;
  std::string code{};     // e.g. "not_found"; "unreachable" / "bad_response" for the other kinds
  std::string message{};  // human-readable, one line
};

struct ApiResponse {
  int status = 0;             // HTTP status; 0 if the server was not reached
  std::string body{};         // the raw body, exactly as received
  Poco::Dynamic::Var json{};  // the parsed body (Object::Ptr or Array::Ptr); empty if none
  std::optional<ApiError> error{};

  bool ok() const { return !error.has_value(); }
};

// One request, for what the JSON helpers (Get, Post, ...) cannot say.
struct ApiRequest {
  std::string method{};  // "GET", "POST", ...
  std::string path{};    // as for Get()
  // Sent as compact JSON (Content-Type application/json) unless empty.
  Poco::Dynamic::Var json{};
  // Sent as is instead of `json`, with Content-Type `content_type`.
  std::optional<std::string> raw_body{};
  std::string content_type = "application/octet-stream";
  // Extra headers, e.g. {"If-Match", "7"}.
  std::vector<std::pair<std::string, std::string>> headers{};
  // A 2xx body is bytes, kept in ApiResponse::body and never parsed (an error
  // answer's body is still read for its error object).
  bool raw_answer = false;
  // When set, a 2xx body is handed to it line by line ("\n" included) as it
  // arrives, instead of being kept in ApiResponse::body: for server-sent
  // event streams. An error answer's body is still read whole.
  std::function<void(std::string_view)> on_body_line{};
};

class ApiClient {
 public:
  // Throws std::invalid_argument if server_url is not an http:// URL with a host.
  explicit ApiClient(ClientSettings settings);

  // `path` is absolute ("/v1/plugins") and may carry a query string; it is
  // appended to the server URL's own path. An empty `body` sends no body.
  ApiResponse Get(std::string_view path) const;
  ApiResponse Post(std::string_view path, const Poco::Dynamic::Var& body = {}) const;
  ApiResponse Put(std::string_view path, const Poco::Dynamic::Var& body = {}) const;
  ApiResponse Patch(std::string_view path, const Poco::Dynamic::Var& body = {}) const;
  ApiResponse Delete(std::string_view path, const Poco::Dynamic::Var& body = {}) const;
  ApiResponse Send(const ApiRequest& request) const;

  // The server URL as configured, for messages.
  const std::string& server_url() const { return settings_.server_url; }

  // Percent-encodes a value for use as one path segment (an ID in "/v1/users/ID").
  static std::string EscapeSegment(std::string_view segment);

 private:
  ClientSettings settings_;
  Poco::URI base_;
  std::string base_path_;  // the URL's path without a trailing '/'
};

}  // namespace herald::cli

#endif  // HERALD_CLI_API_CLIENT_H_
