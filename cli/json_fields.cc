#include "cli/json_fields.h"

#include <Poco/Exception.h>

namespace herald::cli {

Poco::JSON::Object::Ptr AsObject(const Poco::Dynamic::Var& value) {
  if (value.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
  return value.extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Array::Ptr ArrayField(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  if (object.isNull()) return nullptr;
  return object->getArray(key);
}

Poco::JSON::Object::Ptr ObjectAt(const Poco::JSON::Array::Ptr& array, std::size_t index) {
  if (array.isNull() || index >= array->size()) return nullptr;
  return array->getObject(static_cast<unsigned int>(index));
}

Poco::JSON::Object::Ptr ObjectField(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  if (object.isNull()) return nullptr;
  return object->getObject(key);
}

std::optional<bool> BoolField(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  if (object.isNull() || !object->has(key)) return std::nullopt;
  Poco::Dynamic::Var value = object->get(key);
  if (value.type() != typeid(bool)) return std::nullopt;
  return value.extract<bool>();
}

std::string StringField(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  if (object.isNull() || !object->has(key)) return "";
  Poco::Dynamic::Var value = object->get(key);
  if (value.isEmpty() || value.isArray() || value.type() == typeid(Poco::JSON::Object::Ptr) ||
      value.type() == typeid(Poco::JSON::Array::Ptr)) {
    return "";
  }
  try {
    return value.convert<std::string>();
  } catch (const Poco::Exception&) {
    return "";
  }
}

}  // namespace herald::cli
