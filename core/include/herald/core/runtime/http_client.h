// Outbound HTTP for the runtime: a model server's API and tools' operations.
// One request per call on its own session (no pooling), http:// or https://
// (the server's certificate chain checked against the system CAs and its host
// name, TLS 1.2 or later).
//
// Errors never echo the URL (its query may hold a credential), a header or
// an exception's text: UNAVAILABLE "connection refused", "could not resolve
// host 'h'", "TLS error", "connection failed"; DEADLINE_EXCEEDED "timed out
// after N ms"; INVALID_ARGUMENT for a URL that is not absolute http(s).
// `timeout_ms` bounds each network step (connect, each send and receive).
//
// Thread-safety: SendHttp may be called from any number of threads at once.
#ifndef HERALD_CORE_RUNTIME_HTTP_CLIENT_H_
#define HERALD_CORE_RUNTIME_HTTP_CLIENT_H_

#include <Poco/Net/Context.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "herald/core/status.h"

namespace herald::runtime {

struct OutboundRequest {
  std::string method = "GET";
  std::string url;  // absolute, query included (already encoded)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // sent when not empty (or for POST/PUT/PATCH)
  std::string content_type = "application/json";
  int timeout_ms = 10000;
  // At most this much of the body is kept (the rest is read and dropped).
  size_t max_response_bytes = 1 << 20;
};

struct OutboundResponse {
  int status = 0;
  std::string content_type;
  std::string body;  // empty when a sink took it
  bool truncated = false;
};

// Receives the response body in pieces as they arrive; false stops reading
// (SendHttp then returns UNAVAILABLE "cancelled").
using BodySink = std::function<bool(std::string_view piece)>;

// Sends `request`; with `sink`, the body of a 2xx answer goes to it instead
// of `body` (other answers are collected as usual).
StatusOr<OutboundResponse> SendHttp(const OutboundRequest& request, const BodySink& sink = {});

// The TLS settings of every outbound HTTPS client of heraldd's (this one and
// the plugins' OutboundClient): the system CAs, the peer's chain and host
// name checked, TLS 1.2 or later. Made once.
Poco::Net::Context::Ptr ClientTlsContext();

// Percent-encodes everything but A-Z a-z 0-9 - . _ ~.
std::string PercentEncode(std::string_view s);

}  // namespace herald::runtime

#endif  // HERALD_CORE_RUNTIME_HTTP_CLIENT_H_
