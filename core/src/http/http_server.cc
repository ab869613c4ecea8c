#include "herald/core/http/http_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <charconv>

#include "herald/core/log.h"

namespace herald::http {
namespace {

void Send(Poco::Net::HTTPServerResponse& out, const HttpResponse& response) {
  out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
  out.setContentType(response.content_type);
  for (const auto& [name, value] : response.headers) out.set(name, value);
  out.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
  out.send().write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
}

// Buffers until the first Flush, then streams chunked. A write to a client
// that has gone marks the writer broken; later flushes say so.
class PocoResponseWriter final : public ResponseWriter {
 public:
  explicit PocoResponseWriter(Poco::Net::HTTPServerResponse& out) : out_(out) {}

  void SetStatus(int status) override { status_ = status; }
  void AddHeader(std::string name, std::string value) override {
    headers_.emplace_back(std::move(name), std::move(value));
  }
  void Write(std::string_view data) override { pending_.append(data); }
  bool Flush() override {
    if (broken_) return false;
    try {
      if (stream_ == nullptr) {
        PrepareHead();
        out_.setChunkedTransferEncoding(true);
        stream_ = &out_.send();
      }
      if (!pending_.empty()) {
        stream_->write(pending_.data(), static_cast<std::streamsize>(pending_.size()));
        pending_.clear();
      }
      stream_->flush();
      broken_ = !stream_->good();
    } catch (const Poco::Exception&) {
      broken_ = true;
    } catch (const std::exception&) {
      broken_ = true;
    }
    return !broken_;
  }
  bool committed() const override { return stream_ != nullptr; }

  // After the stream function: sends a response never flushed in one piece,
  // or the rest of a streamed one.
  void Finish() {
    if (stream_ == nullptr) {
      PrepareHead();
      out_.setContentLength64(static_cast<Poco::Int64>(pending_.size()));
      try {
        out_.send().write(pending_.data(), static_cast<std::streamsize>(pending_.size()));
      } catch (const Poco::Exception&) {
      }
      return;
    }
    Flush();
  }
  int status() const { return status_; }

 private:
  void PrepareHead() {
    out_.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status_));
    for (const auto& [name, value] : headers_) {
      if (Poco::icompare(name, "content-type") == 0) {
        out_.setContentType(value);
      } else {
        out_.set(name, value);
      }
    }
  }

  Poco::Net::HTTPServerResponse& out_;
  int status_ = 200;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::string pending_;
  std::ostream* stream_ = nullptr;
  bool broken_ = false;
};

class RouterHandler : public Poco::Net::HTTPRequestHandler {
 public:
  RouterHandler(const Router& router, size_t max_body) : router_(router), max_body_(max_body) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in,
                     Poco::Net::HTTPServerResponse& out) override {
    HttpRequest request;
    request.method = Poco::toUpper(in.getMethod());
    const std::string& target = in.getURI();
    if (target.size() >= 2 && target[0] == '/' && target[1] != '/' &&
        target.find_first_of("%?#") == std::string::npos) {
      // Nothing to decode, no query and no authority ("//host/..."): the
      // target is the path, as Poco::URI would give it, without the cost of
      // parsing it (most requests).
      request.path = target;
      request.segments = SplitPath(target);
    } else {
      try {
        Poco::URI uri(target);
        request.path = uri.getPath();
        std::string raw_path = target.substr(0, target.find_first_of("?#"));
        if (raw_path.rfind("http://", 0) == 0 || raw_path.rfind("https://", 0) == 0) {
          raw_path = uri.getPath();  // absolute-form target: no raw path to keep
        }
        for (const std::string& raw : SplitPath(raw_path)) {
          std::string decoded;
          Poco::URI::decode(raw, decoded);
          request.segments.push_back(std::move(decoded));
        }
        for (auto& [k, v] : uri.getQueryParameters()) request.query.emplace(k, v);
      } catch (const Poco::Exception& e) {
        Send(out, HttpResponse::Error(Status::InvalidArgument("malformed request URI")));
        return;
      }
    }
    for (const auto& [name, value] : in) request.headers[Poco::toLower(name)] = value;

    if (in.hasContentLength() && in.getContentLength64() > static_cast<Poco::Int64>(max_body_)) {
      Send(out,
           HttpResponse::Error(Status::PayloadTooLarge("request body is larger than the limit of " +
                                                       std::to_string(max_body_) + " bytes")));
      return;
    }
    std::istream& body = in.stream();
    char buffer[8192];
    while (body.read(buffer, sizeof(buffer)) || body.gcount() > 0) {
      request.body.append(buffer, static_cast<size_t>(body.gcount()));
      if (request.body.size() > max_body_) {
        Send(out, HttpResponse::Error(
                      Status::PayloadTooLarge("request body is larger than the limit of " +
                                              std::to_string(max_body_) + " bytes")));
        return;
      }
    }
    HttpResponse response = router_.Dispatch(request);
    if (response.stream) {
      PocoResponseWriter writer(out);
      try {
        response.stream(writer);
      } catch (const std::exception& e) {
        LogEvent(spdlog::level::err, "http.handler_failed",
                 {{"method", request.method}, {"path", request.path}, {"what", e.what()}});
        if (!writer.committed()) {
          Send(out, HttpResponse::Error(Status::Internal("internal error; see the heraldd log")));
          return;
        }
      }
      writer.Finish();
      if (LogEnabled(spdlog::level::debug)) {
        LogEvent(spdlog::level::debug, "http.request",
                 {{"method", request.method}, {"path", request.path}, {"status", writer.status()}});
      }
      return;
    }
    if (LogEnabled(spdlog::level::debug)) {
      LogEvent(spdlog::level::debug, "http.request",
               {{"method", request.method}, {"path", request.path}, {"status", response.status}});
    }
    Send(out, response);
  }

 private:
  const Router& router_;
  size_t max_body_;
};

class RouterHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  RouterHandlerFactory(const Router& router, size_t max_body)
      : router_(router), max_body_(max_body) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RouterHandler(router_, max_body_);
  }

 private:
  const Router& router_;
  size_t max_body_;
};

}  // namespace

HttpServer::HttpServer(const Router& router, HttpServerOptions options)
    : router_(router), options_(std::move(options)) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  try {
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(options_.host, options_.port), /*reuseAddress=*/true);
    socket.listen(128);
    bound_port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options_.max_threads);
    params->setKeepAlive(true);
    server_ = std::make_unique<Poco::Net::HTTPServer>(
        new RouterHandlerFactory(router_, options_.max_body_bytes), socket, params);
    server_->start();
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("cannot listen on " + options_.host + ":" +
                               std::to_string(options_.port) + ": " + e.displayText());
  }
  return Status::Ok();
}

void HttpServer::Stop() {
  if (server_) {
    // Idle keep-alive connections would hold shutdown for their whole timeout.
    server_->stopAll(/*abortCurrent=*/true);
    server_.reset();
  }
}

StatusOr<std::pair<std::string, uint16_t>> ParseListenAddress(const std::string& value) {
  std::string host;
  std::string port_text;
  if (!value.empty() && value.front() == '[') {
    size_t close = value.find(']');
    if (close == std::string::npos || close + 1 >= value.size() || value[close + 1] != ':') {
      return Status::InvalidArgument("listen: expected [ipv6]:port, got '" + value + "'");
    }
    host = value.substr(1, close - 1);
    port_text = value.substr(close + 2);
  } else {
    size_t colon = value.rfind(':');
    if (colon == std::string::npos) {
      return Status::InvalidArgument("listen: expected host:port, got '" + value + "'");
    }
    host = value.substr(0, colon);
    port_text = value.substr(colon + 1);
  }
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (host.empty() || port_text.empty() || ec != std::errc() ||
      ptr != port_text.data() + port_text.size() || port > 65535) {
    return Status::InvalidArgument("listen: expected host:port with a port from 0 to 65535, got '" +
                                   value + "'");
  }
  return std::make_pair(host, static_cast<uint16_t>(port));
}

}  // namespace herald::http
