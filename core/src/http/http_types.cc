#include "herald/core/http/http_types.h"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace herald::http {

std::optional<std::string> HttpRequest::Header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> HttpRequest::QueryParam(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

HttpResponse HttpResponse::Json(int status, const Poco::JSON::Object::Ptr& body) {
  return Json(status, Poco::Dynamic::Var(body));
}

HttpResponse HttpResponse::Json(int status, const Poco::Dynamic::Var& body) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(body, out);
  HttpResponse r;
  r.status = status;
  r.body = out.str();
  r.body += '\n';
  return r;
}

HttpResponse HttpResponse::Error(const Status& status) {
  return Error(HttpStatusFor(status.code()), StatusCodeName(status.code()), status.message());
}

HttpResponse HttpResponse::Error(int http_status, std::string_view code, std::string_view message) {
  Poco::JSON::Object::Ptr error = new Poco::JSON::Object;
  error->set("code", std::string(code));
  error->set("message", std::string(message));
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("error", error);
  return Json(http_status, body);
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kPayloadTooLarge:
      return 413;
    case StatusCode::kFailedPrecondition:
      return 422;
    case StatusCode::kInternal:
      return 500;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kDeadlineExceeded:
      return 504;
  }
  return 500;
}

HttpResponse HttpResponse::Stream(std::function<void(ResponseWriter&)> writer) {
  HttpResponse r;
  r.stream = std::move(writer);
  return r;
}

}  // namespace herald::http
