#include "herald/core/channel_settings.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <map>
#include <optional>
#include <sstream>

#include "flat_channel_settings.h"
#include "herald/core/secret_settings.h"

namespace herald {
namespace {

std::string Field(const std::string& name) { return "settings." + name; }

// The text form of a JSON value of the declared type, or a problem.
bool ToText(const sdk::SettingSpec& spec, const Poco::Dynamic::Var& value, std::string* out,
            std::string* problem) {
  switch (spec.type) {
    case HERALD_SETTING_STRING:
      if (!value.isString()) {
        *problem = "expected a string";
        return false;
      }
      *out = value.extract<std::string>();
      return true;
    case HERALD_SETTING_INT:
      if (!value.isInteger() || value.isBoolean()) {
        *problem = "expected an integer";
        return false;
      }
      *out = std::to_string(value.convert<int64_t>());
      return true;
    case HERALD_SETTING_BOOL:
      if (value.type() != typeid(bool)) {
        *problem = "expected true or false";
        return false;
      }
      *out = value.extract<bool>() ? "true" : "false";
      return true;
    case HERALD_SETTING_JSON: {
      std::ostringstream text;
      Poco::JSON::Stringifier::condense(value, text);
      *out = text.str();
      return true;
    }
  }
  *problem = "has an unknown declared type";
  return false;
}

}  // namespace

sdk::Values ResolveChannelSettings(const LoadedPlugin& plugin, const std::string& settings_json,
                                   std::vector<sdk::Problem>* problems,
                                   const SecretOpener& open_secret) {
  if (std::optional<std::map<std::string, std::string>> flat =
          ResolveFlatChannelSettings(plugin.channel().vtable(), settings_json)) {
    return sdk::Values(std::move(*flat));
  }
  Poco::JSON::Object::Ptr object;
  // A parser per thread: making one costs more than parsing the few bytes of
  // a channel's settings. Reset before use (a failed parse leaves it midway)
  // and after (it would otherwise keep the settings, secrets included).
  thread_local Poco::JSON::Parser parser;
  try {
    parser.reset();
    Poco::Dynamic::Var parsed = parser.parse(settings_json.empty() ? "{}" : settings_json);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) {
      object = parsed.extract<Poco::JSON::Object::Ptr>();
    }
  } catch (const Poco::Exception&) {
  }
  parser.reset();
  if (object.isNull()) {
    problems->push_back({"settings", "expected a JSON object"});
    return {};
  }
  const std::vector<sdk::SettingSpec> specs = sdk::SettingSpecs(plugin.channel().vtable());
  std::map<std::string, std::string> values;
  for (const auto& [name, value] : *object) {
    const sdk::SettingSpec* spec = nullptr;
    for (const auto& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) {
      std::string known;
      for (const auto& s : specs) known += (known.empty() ? "" : ", ") + s.name;
      problems->push_back({Field(name), "unknown setting of channel plugin '" + plugin.info().name +
                                            "' (known: " + (known.empty() ? "none" : known) + ")"});
      continue;
    }
    std::string text;
    std::string problem;
    if (std::optional<std::string> id = SecretReferenceOf(value)) {
      if (!spec->secret) {
        problems->push_back({Field(name),
                             "{\"$secret\": ...} is only for settings the channel "
                             "declares secret"});
        continue;
      }
      if (!open_secret) continue;  // present, but not for the plugin to see
      StatusOr<std::string> opened = open_secret(name, *id);
      if (!opened.ok()) {
        problems->push_back({Field(name), opened.status().message()});
        continue;
      }
      values[name] = std::move(opened).value();
      continue;
    }
    if (spec->secret && !value.isString()) {
      problems->push_back({Field(name), "expected a string (the secret value), or " +
                                            std::string(kSecretKeptJson) +
                                            " to keep the stored one"});
      continue;
    }
    if (!ToText(*spec, value, &text, &problem)) {
      problems->push_back({Field(name), problem});
      continue;
    }
    values[name] = text;
  }
  for (const auto& s : specs) {
    if (values.count(s.name) || object->has(s.name)) continue;
    if (!s.default_value.empty()) {
      values[s.name] = s.default_value;
    } else if (s.required) {
      problems->push_back({Field(s.name), "required"});
    }
  }
  return sdk::Values(std::move(values));
}

std::vector<sdk::Problem> ValidateChannelSettings(const LoadedPlugin& plugin,
                                                  const std::string& settings_json,
                                                  const SecretOpener& open_secret) {
  std::vector<sdk::Problem> problems;
  sdk::Values values = ResolveChannelSettings(plugin, settings_json, &problems, open_secret);
  if (!problems.empty()) return problems;
  std::vector<sdk::Problem> own;
  sdk::CallResult result = plugin.channel().Validate(values, &own);
  if (!result.ok()) {
    problems.push_back({"settings", "the channel could not check them: " + result.error});
    return problems;
  }
  for (auto& p : own) {
    problems.push_back({p.field.empty() ? std::string("settings") : Field(p.field), p.message});
  }
  return problems;
}

std::string JoinProblems(const std::vector<sdk::Problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += (out.empty() ? "" : "; ") + p.field + ": " + p.message;
  return out;
}

}  // namespace herald
