// One Poco HTTPServer serves every behaviour. Poco parses the request (so
// every request is recorded the same way) and the handler then answers,
// or, for "drop" and "never answer", returns without answering after
// shutting the connection's socket down (HTTPServerRequestImpl::socket()),
// immediately or once the server is being destroyed. Poco's connection loop
// then sees the socket at its end and finishes without writing anything.
#include "test_http_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <map>
#include <mutex>
#include <system_error>

namespace herald::testing {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Decode(const std::string& s) {
  std::string out;
  try {
    Poco::URI::decode(s, out, /*plusAsSpace=*/true);
  } catch (const Poco::Exception&) {
    return s;  // a malformed escape: keep it as it came
  }
  return out;
}

// A peer closing its end while a worker writes must not kill the test
// process: workers are our own pool's threads, so block SIGPIPE in them.
void BlockSigpipeInThisThread() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

struct Behaviour {
  enum class Kind { kRespond, kNeverAnswer, kDrop };
  Kind kind = Kind::kRespond;
  int status = 200;
  std::string body;
  HeaderList headers;
};

}  // namespace

std::optional<std::string> RecordedRequest::Header(std::string_view name) const {
  const std::string lower = Lower(name);
  for (const auto& [n, v] : headers) {
    if (n == lower) return v;
  }
  return std::nullopt;
}

std::vector<std::string> RecordedRequest::HeaderValues(std::string_view name) const {
  const std::string lower = Lower(name);
  std::vector<std::string> out;
  for (const auto& [n, v] : headers) {
    if (n == lower) out.push_back(v);
  }
  return out;
}

HeaderList RecordedRequest::QueryParams() const {
  HeaderList out;
  size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string part = query.substr(start, end - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      if (eq == std::string::npos) {
        out.emplace_back(Decode(part), "");
      } else {
        out.emplace_back(Decode(part.substr(0, eq)), Decode(part.substr(eq + 1)));
      }
    }
    start = end + 1;
  }
  return out;
}

namespace {

// What the handlers share with the server object.
struct ServerState {
  mutable std::mutex mu;
  mutable std::condition_variable cv;  // a request was recorded, or stopping
  std::vector<RecordedRequest> requests;
  Behaviour default_behaviour;
  std::map<std::string, Behaviour> by_path;
  bool stopping = false;

  // Records `request` and returns how to answer it.
  Behaviour Record(RecordedRequest request) {
    Behaviour behaviour;
    {
      std::lock_guard lock(mu);
      auto it = by_path.find(request.path);
      behaviour = it == by_path.end() ? default_behaviour : it->second;
      requests.push_back(std::move(request));
    }
    cv.notify_all();
    return behaviour;
  }

  // Blocks until the server is being destroyed.
  void WaitUntilStopping() {
    std::unique_lock lock(mu);
    cv.wait(lock, [this] { return stopping; });
  }

  void SetDefault(Behaviour b) {
    std::lock_guard lock(mu);
    default_behaviour = std::move(b);
  }
  void SetAt(std::string path, Behaviour b) {
    std::lock_guard lock(mu);
    by_path[std::move(path)] = std::move(b);
  }
};

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(ServerState* state) : state_(state) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    BlockSigpipeInThisThread();
    RecordedRequest recorded;
    recorded.method = request.getMethod();
    const std::string& uri = request.getURI();
    size_t q = uri.find('?');
    recorded.path = uri.substr(0, q);
    if (q != std::string::npos) recorded.query = uri.substr(q + 1);
    for (const auto& [name, value] : request) recorded.headers.emplace_back(Lower(name), value);
    Poco::StreamCopier::copyToString(request.stream(), recorded.body);

    Behaviour behaviour = state_->Record(std::move(recorded));
    switch (behaviour.kind) {
      case Behaviour::Kind::kRespond:
        Answer(behaviour, response);
        return;
      case Behaviour::Kind::kNeverAnswer:
        state_->WaitUntilStopping();
        Drop(request);
        return;
      case Behaviour::Kind::kDrop:
        Drop(request);
        return;
    }
  }

 private:
  static void Answer(const Behaviour& b, Poco::Net::HTTPServerResponse& response) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(b.status));
    for (const auto& [name, value] : b.headers) response.add(name, value);
    const bool no_body = b.status < 200 || b.status == 204 || b.status == 304;
    if (no_body) {
      response.send();
      return;
    }
    response.setContentLength(static_cast<std::streamsize>(b.body.size()));
    response.send() << b.body;
  }

  // Closes the connection without a byte of answer. Poco's connection loop
  // then finds the socket at its end and finishes.
  static void Drop(Poco::Net::HTTPServerRequest& request) {
    try {
      static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().shutdown();
    } catch (const Poco::Exception&) {
      // Already closed by the peer or by the server stopping.
    }
  }

  ServerState* state_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit HandlerFactory(ServerState* state) : state_(state) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(state_);
  }

 private:
  ServerState* state_;
};

}  // namespace

struct TestHttpServer::Impl {
  ServerState state;
  int port = 0;
  // Declared before the server, so the server is destroyed first.
  Poco::ThreadPool pool{2, 40, 60};
  std::unique_ptr<Poco::Net::HTTPServer> server;
};

TestHttpServer::TestHttpServer() : impl_(std::make_unique<Impl>()) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64);
  impl_->port = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(32);
  params->setMaxQueued(64);
  params->setKeepAlive(true);
  params->setTimeout(Poco::Timespan(5, 0));
  params->setKeepAliveTimeout(Poco::Timespan(5, 0));
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(&impl_->state),
                                                          impl_->pool, socket, params);
  impl_->server->start();
}

TestHttpServer::~TestHttpServer() {
  {
    std::lock_guard lock(impl_->state.mu);
    impl_->state.stopping = true;
  }
  impl_->state.cv.notify_all();  // releases NeverAnswer handlers
  try {
    // Stops accepting and shuts down every open connection's socket, so
    // idle keep-alive connections end now rather than at their timeout.
    impl_->server->stopAll(/*abortCurrent=*/true);
  } catch (const Poco::Exception&) {
  }
  impl_->pool.joinAll();
  impl_->server.reset();
}

int TestHttpServer::port() const { return impl_->port; }

std::string TestHttpServer::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

void TestHttpServer::Respond(int status, std::string body, HeaderList headers) {
  impl_->state.SetDefault(
      Behaviour{Behaviour::Kind::kRespond, status, std::move(body), std::move(headers)});
}

void TestHttpServer::NeverAnswer() {
  impl_->state.SetDefault(Behaviour{Behaviour::Kind::kNeverAnswer, 0, {}, {}});
}

void TestHttpServer::DropConnection() {
  impl_->state.SetDefault(Behaviour{Behaviour::Kind::kDrop, 0, {}, {}});
}

void TestHttpServer::RespondAt(std::string path, int status, std::string body, HeaderList headers) {
  impl_->state.SetAt(std::move(path), Behaviour{Behaviour::Kind::kRespond, status, std::move(body),
                                                std::move(headers)});
}

void TestHttpServer::NeverAnswerAt(std::string path) {
  impl_->state.SetAt(std::move(path), Behaviour{Behaviour::Kind::kNeverAnswer, 0, {}, {}});
}

void TestHttpServer::DropConnectionAt(std::string path) {
  impl_->state.SetAt(std::move(path), Behaviour{Behaviour::Kind::kDrop, 0, {}, {}});
}

std::vector<RecordedRequest> TestHttpServer::requests() const {
  std::lock_guard lock(impl_->state.mu);
  return impl_->state.requests;
}

size_t TestHttpServer::request_count() const {
  std::lock_guard lock(impl_->state.mu);
  return impl_->state.requests.size();
}

bool TestHttpServer::WaitForRequests(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->state.mu);
  return impl_->state.cv.wait_for(lock, timeout, [&] { return impl_->state.requests.size() >= n; });
}

void TestHttpServer::ClearRequests() {
  std::lock_guard lock(impl_->state.mu);
  impl_->state.requests.clear();
}

ClosedPort::ClosedPort() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    ::close(fd_);
    throw std::system_error(err, std::generic_category(), "bind");
  }
  port_ = ntohs(addr.sin_port);
}

ClosedPort::~ClosedPort() {
  if (fd_ >= 0) ::close(fd_);
}

std::string ClosedPort::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

}  // namespace herald::testing
