// heraldd's HTTP listener: Poco's HTTPServer in front of a Router.
//
// Reads each request body up to a limit (413 beyond it), hands the request to
// the router and writes the response. Listens on the address given; port 0
// picks a free port, which port() then reports.
//
// Thread-safety: Start and Stop from one thread; requests are served on
// Poco's worker threads.
#ifndef HERALD_CORE_HTTP_HTTP_SERVER_H_
#define HERALD_CORE_HTTP_HTTP_SERVER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "herald/core/http/router.h"
#include "herald/core/status.h"

namespace Poco::Net {
class HTTPServer;
}

namespace herald::http {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8480;
  size_t max_body_bytes = 16 * 1024 * 1024;
  int max_threads = 16;
};

class HttpServer {
 public:
  // `router` must outlive the server.
  HttpServer(const Router& router, HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  Status Start();
  void Stop();
  // The port actually bound, after Start.
  uint16_t port() const { return bound_port_; }
  const std::string& host() const { return options_.host; }

 private:
  const Router& router_;
  HttpServerOptions options_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  uint16_t bound_port_ = 0;
};

// Splits "host:port" ("[::1]:8480" for IPv6). The error names the field.
StatusOr<std::pair<std::string, uint16_t>> ParseListenAddress(const std::string& value);

}  // namespace herald::http

#endif  // HERALD_CORE_HTTP_HTTP_SERVER_H_
