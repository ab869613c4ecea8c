#include "herald/core/runtime/http_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <array>
#include <memory>

#include "herald/core/runtime/model_provider.h"

namespace herald::runtime {

Poco::Net::Context::Ptr ClientTlsContext() {
  static const Poco::Net::Context::Ptr context = [] {
    Poco::Net::initializeSSL();  // once; never undone
    Poco::Net::Context::Params params;
    params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
    params.verificationDepth = 9;
    params.loadDefaultCAs = true;
    Poco::Net::Context::Ptr c = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    c->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    return c;
  }();
  return context;
}

namespace {

// Reads what is available (at least one byte, unless at the end).
size_t ReadSome(std::istream& in, char* buffer, size_t size) {
  int first = in.get();
  if (first == std::char_traits<char>::eof()) return 0;
  buffer[0] = static_cast<char>(first);
  std::streamsize more = in.readsome(buffer + 1, static_cast<std::streamsize>(size - 1));
  return 1 + static_cast<size_t>(more > 0 ? more : 0);
}

}  // namespace

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

StatusOr<OutboundResponse> SendHttp(const OutboundRequest& request, const BodySink& sink) {
  Poco::URI uri;
  try {
    uri = Poco::URI(request.url);
  } catch (const Poco::Exception&) {
    return Status::InvalidArgument("url: not a valid URL");
  }
  const bool https = uri.getScheme() == "https";
  if ((!https && uri.getScheme() != "http") || uri.getHost().empty()) {
    return Status::InvalidArgument("url: must be an absolute http:// or https:// URL");
  }
  if (!uri.getUserInfo().empty()) {
    return Status::InvalidArgument("url: must not contain user information");
  }
  std::string target = uri.getPathEtc();
  if (target.empty() || target.front() != '/') target = "/" + target;

  Poco::Net::HTTPRequest http_request(request.method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  http_request.set("User-Agent", "heraldd");
  http_request.set("Accept", "*/*");
  http_request.setKeepAlive(false);
  for (const auto& [name, value] : request.headers) http_request.set(name, value);
  const bool with_body = !request.body.empty() || request.method == "POST" ||
                         request.method == "PUT" || request.method == "PATCH";
  if (with_body) {
    http_request.setContentType(request.content_type);
    http_request.setContentLength(static_cast<std::streamsize>(request.body.size()));
  }
  const std::string host = uri.getHost();
  try {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (https) {
      session =
          std::make_unique<Poco::Net::HTTPSClientSession>(host, uri.getPort(), ClientTlsContext());
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(host, uri.getPort());
    }
    session->setTimeout(
        Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(request.timeout_ms) * 1000));
    std::ostream& out = session->sendRequest(http_request);
    if (with_body)
      out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
    Poco::Net::HTTPResponse http_response;
    std::istream& in = session->receiveResponse(http_response);
    OutboundResponse response;
    response.status = static_cast<int>(http_response.getStatus());
    response.content_type = http_response.getContentType();
    const bool to_sink = sink && response.status >= 200 && response.status < 300;
    std::array<char, 8192> buffer;
    while (true) {
      size_t n = ReadSome(in, buffer.data(), buffer.size());
      if (n == 0) break;
      std::string_view piece(buffer.data(), n);
      if (to_sink) {
        if (!sink(piece)) return Status::Unavailable(std::string(kCancelledMessage));
        continue;
      }
      size_t room = request.max_response_bytes - response.body.size();
      if (piece.size() > room) {
        response.truncated = true;
        piece = piece.substr(0, room);
      }
      response.body.append(piece);
    }
    return response;
  } catch (const Poco::TimeoutException&) {
    return Status::DeadlineExceeded("timed out after " + std::to_string(request.timeout_ms) +
                                    " ms");
  } catch (const Poco::Net::ConnectionRefusedException&) {
    return Status::Unavailable("connection refused");
  } catch (const Poco::Net::HostNotFoundException&) {
    return Status::Unavailable("could not resolve host '" + host + "'");
  } catch (const Poco::Net::DNSException&) {
    return Status::Unavailable("could not resolve host '" + host + "'");
  } catch (const Poco::Net::SSLException&) {
    return Status::Unavailable("TLS error");
  } catch (const Poco::Net::NoMessageException&) {
    return Status::Unavailable("the server closed the connection without answering");
  } catch (const Poco::Net::MessageException&) {
    return Status::Unavailable("the server's answer is not valid HTTP");
  } catch (const Poco::Exception&) {
    return Status::Unavailable("connection failed");
  } catch (const std::exception&) {
    return Status::Unavailable("connection failed");
  }
}

}  // namespace herald::runtime
