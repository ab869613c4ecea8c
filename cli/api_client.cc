#include "cli/api_client.h"

#include <sstream>
#include <stdexcept>
#include <utility>

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>

#include "cli/version.h"

namespace herald::cli {
namespace {

// The reason a request got no answer, short enough to follow "cannot reach ...: ".
std::string UnreachableReason(const Poco::Exception& e) {
  // These carry only the peer address as their message, which the URL already says.
  if (dynamic_cast<const Poco::Net::ConnectionRefusedException*>(&e) != nullptr ||
      dynamic_cast<const Poco::Net::ConnectionResetException*>(&e) != nullptr ||
      dynamic_cast<const Poco::Net::ConnectionAbortedException*>(&e) != nullptr ||
      dynamic_cast<const Poco::TimeoutException*>(&e) != nullptr) {
    return e.name();
  }
  return e.displayText();
}

// The error object of a body {"error":{"code":"...","message":"..."}}, if it has one.
std::optional<ApiError> ErrorFromBody(const Poco::Dynamic::Var& json) {
  if (json.type() != typeid(Poco::JSON::Object::Ptr)) return std::nullopt;
  Poco::JSON::Object::Ptr error = json.extract<Poco::JSON::Object::Ptr>()->getObject("error");
  if (error.isNull()) return std::nullopt;
  try {
    ApiError out{ApiErrorKind::kServer, error->optValue<std::string>("code", ""),
                 error->optValue<std::string>("message", "")};
    if (out.code.empty() && out.message.empty()) return std::nullopt;
    return out;
  } catch (const Poco::Exception&) {  // code or message is not a scalar
    return std::nullopt;
  }
}

bool Parse(const std::string& text, Poco::Dynamic::Var& json, std::string& problem) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return true;  // no body
  try {
    Poco::JSON::Parser parser;
    json = parser.parse(text);
    return true;
  } catch (const Poco::Exception& e) {
    problem = e.displayText();
  }
  return false;
}

}  // namespace

ApiClient::ApiClient(ClientSettings settings) : settings_(std::move(settings)) {
  try {
    base_ = Poco::URI(settings_.server_url);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("invalid server URL '" + settings_.server_url +
                                "': " + e.displayText());
  }
  if (base_.getScheme() != "http" || base_.getHost().empty()) {
    throw std::invalid_argument("invalid server URL '" + settings_.server_url +
                                "': expected http://HOST[:PORT]");
  }
  if (!base_.getRawQuery().empty() || !base_.getFragment().empty()) {
    throw std::invalid_argument("invalid server URL '" + settings_.server_url +
                                "': no query or fragment allowed");
  }
  base_path_ = base_.getPath();
  while (!base_path_.empty() && base_path_.back() == '/') base_path_.pop_back();
}

ApiResponse ApiClient::Get(std::string_view path) const {
  return Send(ApiRequest{
      .method = Poco::Net::HTTPRequest::HTTP_GET, .path = std::string(path), .json = {}});
}
ApiResponse ApiClient::Post(std::string_view path, const Poco::Dynamic::Var& body) const {
  return Send(ApiRequest{
      .method = Poco::Net::HTTPRequest::HTTP_POST, .path = std::string(path), .json = body});
}
ApiResponse ApiClient::Put(std::string_view path, const Poco::Dynamic::Var& body) const {
  return Send(ApiRequest{
      .method = Poco::Net::HTTPRequest::HTTP_PUT, .path = std::string(path), .json = body});
}
ApiResponse ApiClient::Patch(std::string_view path, const Poco::Dynamic::Var& body) const {
  return Send(ApiRequest{
      .method = Poco::Net::HTTPRequest::HTTP_PATCH, .path = std::string(path), .json = body});
}
ApiResponse ApiClient::Delete(std::string_view path, const Poco::Dynamic::Var& body) const {
  return Send(ApiRequest{
      .method = Poco::Net::HTTPRequest::HTTP_DELETE, .path = std::string(path), .json = body});
}

std::string ApiClient::EscapeSegment(std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : segment) {
    auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

ApiResponse ApiClient::Send(const ApiRequest& request_spec) const {
  const std::string& method = request_spec.method;
  const std::string target = base_path_ + request_spec.path;
  const std::string what = method + " " + target;
  const bool has_body = request_spec.raw_body.has_value() || !request_spec.json.isEmpty();
  std::string payload;
  if (request_spec.raw_body) {
    payload = *request_spec.raw_body;
  } else if (!request_spec.json.isEmpty()) {
    std::ostringstream os;
    Poco::JSON::Stringifier::condense(request_spec.json, os);
    payload = os.str();
  }

  ApiResponse response;
  std::string reason;
  try {
    Poco::Net::HTTPClientSession session(base_.getHost(), base_.getPort());
    session.setTimeout(Poco::Timespan(
        std::chrono::duration_cast<std::chrono::microseconds>(settings_.timeout).count()));
    Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Accept", request_spec.raw_answer ? "*/*" : "application/json");
    request.set("User-Agent", "herald/" + std::string(Version()));
    if (settings_.token) request.set("Authorization", "Bearer " + *settings_.token);
    if (has_body) {
      request.setContentType(request_spec.raw_body ? request_spec.content_type
                                                   : std::string("application/json"));
    }
    for (const auto& [name, value] : request_spec.headers) request.set(name, value);
    if (has_body || method != Poco::Net::HTTPRequest::HTTP_GET) {
      request.setContentLength(static_cast<std::streamsize>(payload.size()));
    }
    session.sendRequest(request) << payload;

    Poco::Net::HTTPResponse answer;
    std::istream& in = session.receiveResponse(answer);
    response.status = static_cast<int>(answer.getStatus());
    if (request_spec.on_body_line && response.status >= 200 && response.status < 300) {
      for (std::string line; std::getline(in, line);) {
        if (!in.eof()) line += '\n';
        request_spec.on_body_line(line);
      }
    } else {
      Poco::StreamCopier::copyToString(in, response.body);
    }
    reason = answer.getReason().empty()
                 ? Poco::Net::HTTPResponse::getReasonForStatus(answer.getStatus())
                 : answer.getReason();
  } catch (const Poco::Exception& e) {
    response.status = 0;
    response.error =
        ApiError{ApiErrorKind::kUnreachable, "unreachable",
                 "cannot reach heraldd at " + settings_.server_url + ": " + UnreachableReason(e)};
    return response;
  }

  std::string problem;
  const bool success = response.status >= 200 && response.status < 300;
  // A raw answer's bytes are not JSON; an error's body still may be.
  bool parsed = ((request_spec.raw_answer || request_spec.on_body_line) && success) ||
                Parse(response.body, response.json, problem);
  const std::string status_text = "HTTP " + std::to_string(response.status) + " " + reason;
  if (response.status >= 400) {
    std::optional<ApiError> error = ErrorFromBody(response.json);
    response.error = error ? *error
                           : ApiError{ApiErrorKind::kServer,
                                      "http_" + std::to_string(response.status), status_text};
  } else if (response.status < 200 || response.status >= 300) {
    response.error = ApiError{ApiErrorKind::kBadResponse, "bad_response",
                              "unexpected " + status_text + " for " + what};
  } else if (!parsed) {
    response.error = ApiError{ApiErrorKind::kBadResponse, "bad_response",
                              "invalid JSON in response to " + what + ": " + problem};
  }
  return response;
}

}  // namespace herald::cli
