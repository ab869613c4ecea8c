#include "api/json_body.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

namespace herald::api {
namespace {

std::string Field(std::string_view prefix, std::string_view key) {
  return std::string(prefix) + std::string(key);
}

}  // namespace

StatusOr<Poco::JSON::Object::Ptr> ParseObject(const http::HttpRequest& request) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  }
  try {
    Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(request.body);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
      return Status::InvalidArgument("body: expected a JSON object");
    }
    return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("body: malformed JSON: " + e.message());
  }
}

Status RejectUnknownFields(const Poco::JSON::Object& object,
                           std::initializer_list<std::string_view> allowed,
                           std::string_view prefix) {
  for (const auto& [key, value] : object) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string known;
      for (auto a : allowed) known += (known.empty() ? "" : ", ") + std::string(a);
      return Status::InvalidArgument(Field(prefix, key) + ": unknown field (known: " + known + ")");
    }
  }
  return Status::Ok();
}

StatusOr<std::optional<std::string>> GetString(const Poco::JSON::Object& object,
                                               const std::string& key, std::string_view prefix) {
  if (!object.has(key) || object.isNull(key)) return std::optional<std::string>();
  Poco::Dynamic::Var v = object.get(key);
  if (!v.isString()) return Status::InvalidArgument(Field(prefix, key) + ": expected a string");
  return std::optional<std::string>(v.extract<std::string>());
}

StatusOr<std::optional<bool>> GetBool(const Poco::JSON::Object& object, const std::string& key,
                                      std::string_view prefix) {
  if (!object.has(key) || object.isNull(key)) return std::optional<bool>();
  Poco::Dynamic::Var v = object.get(key);
  if (v.type() != typeid(bool)) {
    return Status::InvalidArgument(Field(prefix, key) + ": expected true or false");
  }
  return std::optional<bool>(v.extract<bool>());
}

StatusOr<std::optional<int64_t>> GetInt(const Poco::JSON::Object& object, const std::string& key,
                                        std::string_view prefix) {
  if (!object.has(key) || object.isNull(key)) return std::optional<int64_t>();
  Poco::Dynamic::Var v = object.get(key);
  if (!v.isInteger()) return Status::InvalidArgument(Field(prefix, key) + ": expected an integer");
  return std::optional<int64_t>(v.convert<int64_t>());
}

StatusOr<Poco::JSON::Object::Ptr> GetObject(const Poco::JSON::Object& object,
                                            const std::string& key, std::string_view prefix) {
  if (!object.has(key) || object.isNull(key)) return Poco::JSON::Object::Ptr();
  Poco::JSON::Object::Ptr o = object.getObject(key);
  if (o.isNull()) return Status::InvalidArgument(Field(prefix, key) + ": expected an object");
  return o;
}

StatusOr<std::string> RequireString(const Poco::JSON::Object& object, const std::string& key,
                                    std::string_view prefix) {
  StatusOr<std::optional<std::string>> v = GetString(object, key, prefix);
  if (!v.ok()) return v.status();
  if (!v->has_value() || (*v)->empty()) {
    return Status::InvalidArgument(Field(prefix, key) + ": required");
  }
  return **v;
}

bool IsSlug(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(s.front())) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '-' || c == '_'; });
}

Status CheckSlug(std::string_view value, std::string_view field) {
  if (IsSlug(value)) return Status::Ok();
  return Status::InvalidArgument(
      std::string(field) +
      ": must be 1 to 64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit");
}

std::string NowRfc3339() {
  return Poco::DateTimeFormatter::format(Poco::DateTime(), "%Y-%m-%dT%H:%M:%SZ");
}

}  // namespace herald::api
