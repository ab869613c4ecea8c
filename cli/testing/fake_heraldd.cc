#include "cli/testing/fake_heraldd.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

namespace herald::cli::testing {

class FakeHeraldd::Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(FakeHeraldd& owner) : owner_(owner) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in,
                     Poco::Net::HTTPServerResponse& out) override {
    Request request;
    request.method = in.getMethod();
    request.uri = in.getURI();
    request.authorization = in.get("Authorization", "");
    request.content_type = in.get("Content-Type", "");
    for (const auto& [name, value] : in) request.headers.emplace_back(name, value);
    Poco::StreamCopier::copyToString(in.stream(), request.body);
    Reply reply = owner_.Answer(request);
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    out.setContentType(reply.content_type);
    if (!reply.chunks.empty()) {
      out.setChunkedTransferEncoding(true);
      std::ostream& body = out.send();
      for (const Chunk& chunk : reply.chunks) {
        if (chunk.before) chunk.before();
        body << chunk.data;
        body.flush();
      }
      return;
    }
    out.setContentLength(static_cast<std::streamsize>(reply.body.size()));
    out.send() << reply.body;
  }

 private:
  FakeHeraldd& owner_;
};

class FakeHeraldd::Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(FakeHeraldd& owner) : owner_(owner) {}

  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(owner_);
  }

 private:
  FakeHeraldd& owner_;
};

std::string FakeHeraldd::Request::Header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (Poco::icompare(key, name) == 0) return value;
  }
  return "";
}

FakeHeraldd::FakeHeraldd() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  port_ = socket.address().port();
  auto params = Poco::AutoPtr<Poco::Net::HTTPServerParams>(new Poco::Net::HTTPServerParams);
  params->setMaxThreads(4);
  params->setKeepAlive(false);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
  server_->start();
}

FakeHeraldd::~FakeHeraldd() { server_->stopAll(true); }

void FakeHeraldd::On(const std::string& method, const std::string& path, Reply reply) {
  std::lock_guard lock(mutex_);
  replies_[method + " " + path] = std::move(reply);
}

std::string FakeHeraldd::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<FakeHeraldd::Request> FakeHeraldd::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::string FakeHeraldd::ClosedPortUrl() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  unsigned short port = socket.address().port();
  socket.close();
  return "http://127.0.0.1:" + std::to_string(port);
}

FakeHeraldd::Reply FakeHeraldd::Answer(const Request& request) {
  std::lock_guard lock(mutex_);
  requests_.push_back(request);
  auto it = replies_.find(request.method + " " + request.uri);
  if (it != replies_.end()) return it->second;
  return Reply{404, R"({"error":{"code":"not_found","message":"no route for )" + request.method +
                        " " + request.uri + R"("}})"};
}

}  // namespace herald::cli::testing
