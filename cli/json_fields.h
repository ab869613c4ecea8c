// Lenient reads of fields from parsed JSON (Poco::Dynamic::Var holding
// Poco::JSON::Object::Ptr / Array::Ptr), for rendering server answers. A
// missing field or one of the wrong type reads as null / empty, never throws;
// commands decide whether that is worth an error.
#ifndef HERALD_CLI_JSON_FIELDS_H_
#define HERALD_CLI_JSON_FIELDS_H_

#include <cstddef>
#include <optional>
#include <string>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace herald::cli {

// The object held by `value`; null if it holds something else.
Poco::JSON::Object::Ptr AsObject(const Poco::Dynamic::Var& value);

// The array field `key` of `object`; null if `object` is null or the field is no array.
Poco::JSON::Array::Ptr ArrayField(const Poco::JSON::Object::Ptr& object, const std::string& key);

// The object at `index` of `array`; null if out of range or not an object.
Poco::JSON::Object::Ptr ObjectAt(const Poco::JSON::Array::Ptr& array, std::size_t index);

// The object field `key` of `object`; null if `object` is null or the field is no object.
Poco::JSON::Object::Ptr ObjectField(const Poco::JSON::Object::Ptr& object, const std::string& key);

// The boolean field `key`; nullopt if missing or not a boolean.
std::optional<bool> BoolField(const Poco::JSON::Object::Ptr& object, const std::string& key);

// Field `key` as text: strings as is, numbers and booleans formatted, and ""
// for null, missing fields, objects and arrays.
std::string StringField(const Poco::JSON::Object::Ptr& object, const std::string& key);

}  // namespace herald::cli

#endif  // HERALD_CLI_JSON_FIELDS_H_
