// FakeHeraldd: a tiny HTTP server for the CLI's tests, on 127.0.0.1 and a
// port chosen by the system. It answers each "METHOD path" with the reply
// configured by On(), anything else with 404 and a Herald error body, and
// records every request it received. A reply may stream: its chunks are sent
// one at a time (chunked transfer encoding, flushed after each), each after
// its `before` hook returns, so a test can hold the rest of a server-sent
// event stream until the client has shown what came first. Started by the
// constructor, stopped by the destructor. Thread-safe.
#ifndef HERALD_CLI_TESTING_FAKE_HERALDD_H_
#define HERALD_CLI_TESTING_FAKE_HERALDD_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace Poco::Net {
class HTTPServer;
}

namespace herald::cli::testing {

class FakeHeraldd {
 public:
  // One piece of a streamed reply.
  struct Chunk {
    std::string data;
    // Called on the server's thread before `data` is sent; may block.
    std::function<void()> before{};
  };

  struct Reply {
    int status = 200;
    std::string body{};
    std::string content_type = "application/json";
    // When not empty, sent instead of `body`, chunk by chunk.
    std::vector<Chunk> chunks{};
  };

  struct Request {
    std::string method;
    std::string uri;            // path and query, as sent
    std::string authorization;  // empty if absent
    std::string content_type;   // empty if absent
    std::string body{};
    // Every header as received (names as sent), in order.
    std::vector<std::pair<std::string, std::string>> headers{};

    // The value of header `name` (case-insensitive); empty if absent.
    std::string Header(const std::string& name) const;
  };

  FakeHeraldd();
  ~FakeHeraldd();
  FakeHeraldd(const FakeHeraldd&) = delete;
  FakeHeraldd& operator=(const FakeHeraldd&) = delete;

  // `path` is matched against the request URI exactly, query included.
  void On(const std::string& method, const std::string& path, Reply reply);

  // "http://127.0.0.1:PORT".
  std::string url() const;

  std::vector<Request> requests() const;

  // The URL of a local port that nothing listens on (bound, then closed).
  static std::string ClosedPortUrl();

 private:
  class Handler;
  class Factory;

  Reply Answer(const Request& request);

  mutable std::mutex mutex_;
  std::map<std::string, Reply> replies_;  // by "METHOD uri"
  std::vector<Request> requests_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  unsigned short port_ = 0;
};

}  // namespace herald::cli::testing

#endif  // HERALD_CLI_TESTING_FAKE_HERALDD_H_
