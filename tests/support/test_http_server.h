// Test support: a loopback HTTP server that records what it receives and
// answers the way a test tells it to — for unit tests of Herald's outbound
// HTTP code (the connection prober) and for integration tests that point the
// real daemon or CLI at a fake API server.
//
// The server listens on 127.0.0.1 on a free port from construction until
// destruction. Every request is recorded (method, path, query string,
// headers with lower-cased names, body) before it is answered, so once a
// client has its answer, requests() already holds the request. How requests
// are answered is a behaviour chosen when a request has been read: a per-path
// behaviour (RespondAt, NeverAnswerAt, DropConnectionAt; matched exactly
// against the path without its query) wins over the default one (Respond,
// NeverAnswer, DropConnection). The default is Respond(200).
//
//   - Respond: an HTTP answer with that status, body and headers.
//   - NeverAnswer: read the request, then hold the connection open without
//     answering until the server is destroyed (a hung server, for timeouts).
//   - DropConnection: read the request, then close the connection without
//     answering.
//
// Destruction is prompt (well under a second): held connections are released
// and closed, keep-alive connections are shut down, worker threads joined.
//
// ClosedPort is a loopback port on which nothing listens (connecting is
// refused), reserved so that no other socket takes it while it lives.
//
// Thread-safety: every member function may be called from any thread while
// requests are being served.
#ifndef HERALD_TESTS_SUPPORT_TEST_HTTP_SERVER_H_
#define HERALD_TESTS_SUPPORT_TEST_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald::testing {

// Header or query name/value pairs, in order; names may repeat.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct RecordedRequest {
  std::string method;
  std::string path;    // as received, without the query; still percent-encoded
  std::string query;   // after the '?', as received (percent-encoded); "" if none
  HeaderList headers;  // names lower-cased, in the order received
  std::string body;

  // The first value of header `name` (any case), or nullopt.
  std::optional<std::string> Header(std::string_view name) const;
  // Every value of header `name` (any case), in order.
  std::vector<std::string> HeaderValues(std::string_view name) const;
  // The query parameters, percent-decoded ('+' as a space), in order.
  HeaderList QueryParams() const;
};

class TestHttpServer {
 public:
  // Starts listening on 127.0.0.1 and a free port. Throws (a Poco
  // exception) if it cannot.
  TestHttpServer();
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  int port() const;
  // "http://127.0.0.1:<port>", no trailing slash.
  std::string url() const;

  // Default behaviour: answer every request (not matched by a per-path
  // behaviour) with `status`, `body` and `headers`. Content-Length is set
  // from the body (no body for 1xx, 204 and 304).
  void Respond(int status, std::string body = "", HeaderList headers = {});
  void NeverAnswer();
  void DropConnection();

  // Per-path behaviours, for requests whose path is exactly `path`.
  void RespondAt(std::string path, int status, std::string body = "", HeaderList headers = {});
  void NeverAnswerAt(std::string path);
  void DropConnectionAt(std::string path);

  // A copy of every request recorded so far, oldest first.
  std::vector<RecordedRequest> requests() const;
  size_t request_count() const;
  // True once at least `n` requests have been recorded; false if `timeout`
  // passes first.
  bool WaitForRequests(size_t n, std::chrono::milliseconds timeout) const;
  void ClearRequests();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class ClosedPort {
 public:
  // Binds a loopback TCP socket without listening. Throws
  // std::system_error if it cannot.
  ClosedPort();
  ~ClosedPort();
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port>".
  std::string url() const;

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace herald::testing

#endif  // HERALD_TESTS_SUPPORT_TEST_HTTP_SERVER_H_
