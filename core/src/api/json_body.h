// Reading JSON request bodies with errors that name the field at fault.
#ifndef HERALD_CORE_API_JSON_BODY_H_
#define HERALD_CORE_API_JSON_BODY_H_

#include <Poco/JSON/Object.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "herald/core/http/http_types.h"
#include "herald/core/status.h"

namespace herald::api {

// The body as a JSON object; an empty body is an empty object.
StatusOr<Poco::JSON::Object::Ptr> ParseObject(const http::HttpRequest& request);

// InvalidArgument naming the first key of `object` not in `allowed`
// (with `prefix`, e.g. "draft.", before it).
Status RejectUnknownFields(const Poco::JSON::Object& object,
                           std::initializer_list<std::string_view> allowed,
                           std::string_view prefix = "");

// Typed reads: absent gives nullopt; present with the wrong type is an error
// naming `prefix` + `key`.
StatusOr<std::optional<std::string>> GetString(const Poco::JSON::Object& object,
                                               const std::string& key,
                                               std::string_view prefix = "");
StatusOr<std::optional<bool>> GetBool(const Poco::JSON::Object& object, const std::string& key,
                                      std::string_view prefix = "");
StatusOr<std::optional<int64_t>> GetInt(const Poco::JSON::Object& object, const std::string& key,
                                        std::string_view prefix = "");
StatusOr<Poco::JSON::Object::Ptr> GetObject(const Poco::JSON::Object& object,
                                            const std::string& key, std::string_view prefix = "");
// A present, non-empty string.
StatusOr<std::string> RequireString(const Poco::JSON::Object& object, const std::string& key,
                                    std::string_view prefix = "");

// "a-z0-9" words joined by '-' or '_', 1 to 64 characters, starting with a
// letter or digit: ids of connections, tools and agents.
bool IsSlug(std::string_view s);
Status CheckSlug(std::string_view value, std::string_view field);

// Current UTC time, RFC 3339 with seconds.
std::string NowRfc3339();

}  // namespace herald::api

#endif  // HERALD_CORE_API_JSON_BODY_H_
