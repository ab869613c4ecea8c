#include "herald/core/snapshot_diff.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "herald/core/secret_settings.h"

namespace herald {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string Text(const Var& v) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(v, out);
  return out.str();
}

bool IsObject(const Var& v) { return v.type() == typeid(Object::Ptr); }
bool IsArray(const Var& v) { return v.type() == typeid(Array::Ptr); }

// The key an array element is matched by, or "" to match by position.
std::string ElementKey(const Var& v) {
  if (!IsObject(v)) return "";
  Object::Ptr o = v.extract<Object::Ptr>();
  for (const char* key : {"name", "user"}) {
    if (o->has(key) && o->get(key).isString()) return o->getValue<std::string>(key);
  }
  return "";
}

// Leaves are compared by their text. A secret setting's reference
// ({"$secret":"<id>"}) is one leaf: a new value is a new id, so a change.
void Flatten(const Var& v, const std::string& path, std::map<std::string, std::string>* out) {
  if (SecretReferenceOf(v)) {
    (*out)[path] = Text(v);
  } else if (IsObject(v)) {
    Object::Ptr o = v.extract<Object::Ptr>();
    if (o->size() == 0) (*out)[path] = "{}";
    for (const auto& [key, value] : *o) {
      Flatten(value, path.empty() ? key : path + "." + key, out);
    }
  } else if (IsArray(v)) {
    Array::Ptr a = v.extract<Array::Ptr>();
    if (a->size() == 0) (*out)[path] = "[]";
    for (size_t i = 0; i < a->size(); ++i) {
      Var element = a->get(static_cast<unsigned>(i));
      std::string key = ElementKey(element);
      Flatten(element, path + "[" + (key.empty() ? std::to_string(i) : key) + "]", out);
    }
  } else {
    (*out)[path] = Text(v);
  }
}

}  // namespace

std::vector<FieldChange> DiffSnapshots(const std::string& from_json, const std::string& to_json) {
  std::map<std::string, std::string> a;
  std::map<std::string, std::string> b;
  Flatten(Poco::JSON::Parser().parse(from_json), "", &a);
  Flatten(Poco::JSON::Parser().parse(to_json), "", &b);
  // Compared with their references, shown masked: the change names no value.
  auto shown = [](const std::string& value) {
    return value.rfind(R"({"$secret":)", 0) == 0 ? std::string(kSecretKeptJson) : value;
  };
  std::vector<FieldChange> out;
  for (const auto& [path, value] : a) {
    auto it = b.find(path);
    if (it == b.end()) {
      out.push_back({path, shown(value), std::nullopt});
    } else if (it->second != value) {
      out.push_back({path, shown(value), shown(it->second)});
    }
  }
  for (const auto& [path, value] : b) {
    if (!a.count(path)) out.push_back({path, std::nullopt, shown(value)});
  }
  std::sort(out.begin(), out.end(),
            [](const FieldChange& x, const FieldChange& y) { return x.path < y.path; });
  return out;
}

}  // namespace herald
