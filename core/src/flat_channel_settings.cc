#include "flat_channel_settings.h"

#include <herald/sdk/types.hpp>

#include "deploy/canonical_json.h"

namespace herald {
namespace {

// The last spec of that name, as ResolveChannelSettings picks it.
const herald_setting_spec* FindSpec(const herald_channel_vtable& vtable, std::string_view name) {
  const herald_setting_spec* found = nullptr;
  for (size_t i = 0; i < vtable.settings_count; ++i) {
    if (sdk::ToView(vtable.settings[i].name) == name) found = &vtable.settings[i];
  }
  return found;
}

bool IsSecret(const herald_channel_vtable& vtable, std::string_view name) {
  if (!sdk::HasSecretSettingsList(vtable)) return false;
  for (size_t i = 0; i < vtable.secret_settings_count; ++i) {
    if (sdk::ToView(vtable.secret_settings[i]) == name) return true;
  }
  return false;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<std::map<std::string, std::string>> ResolveFlatChannelSettings(
    const herald_channel_vtable& vtable, std::string_view json) {
  if (json.empty()) json = "{}";
  // Canonical text is well-formed, its keys strictly ascending (so each is
  // given once, in the order Poco's object iterates them) and free of
  // escapes, its integers within int64 and written as Poco writes them: what
  // is left to check below is each value's kind.
  if (!deploy::IsCanonicalJsonObject(json)) return std::nullopt;
  std::map<std::string, std::string> values;
  size_t at = 1;  // past '{'
  while (json[at] != '}') {
    if (json[at] == ',') ++at;
    const size_t key_end = json.find('"', at + 1);
    const std::string_view name = json.substr(at + 1, key_end - at - 1);
    at = key_end + 2;  // past '"' and ':'
    const herald_setting_spec* spec = FindSpec(vtable, name);
    if (spec == nullptr) return std::nullopt;  // unknown: a problem to name
    const bool secret = IsSecret(vtable, name);
    std::string_view text;  // the value as the plugin receives it
    if (json[at] == '"') {
      const size_t end = json.find_first_of("\"\\", at + 1);
      if (json[end] == '\\') return std::nullopt;
      if (spec->type != HERALD_SETTING_STRING && spec->type != HERALD_SETTING_JSON) {
        return std::nullopt;
      }
      // A JSON setting receives the string as JSON text, quotes and all.
      text = spec->type == HERALD_SETTING_STRING ? json.substr(at + 1, end - at - 1)
                                                 : json.substr(at, end + 1 - at);
      at = end + 1;
    } else if (secret) {
      return std::nullopt;  // a reference, or not the string a secret takes
    } else if (json.compare(at, 4, "true") == 0 || json.compare(at, 5, "false") == 0 ||
               json.compare(at, 4, "null") == 0) {
      const size_t length = json[at] == 'f' ? 5 : 4;
      text = json.substr(at, length);
      const bool is_bool = json[at] != 'n';
      if (!(spec->type == HERALD_SETTING_JSON || (is_bool && spec->type == HERALD_SETTING_BOOL))) {
        return std::nullopt;
      }
      at += length;
    } else if (json[at] == '-' || IsDigit(json[at])) {
      size_t end = at + 1;
      bool integral = true;
      while (IsDigit(json[end]) || json[end] == '.' || json[end] == 'e' || json[end] == 'E' ||
             json[end] == '+' || json[end] == '-') {
        integral = integral && IsDigit(json[end]);
        ++end;
      }
      text = json.substr(at, end - at);
      if (!(spec->type == HERALD_SETTING_JSON || (integral && spec->type == HERALD_SETTING_INT))) {
        return std::nullopt;
      }
      at = end;
    } else {
      return std::nullopt;  // an object or an array
    }
    values.emplace(std::string(name), std::string(text));
  }
  for (size_t i = 0; i < vtable.settings_count; ++i) {
    const herald_setting_spec& spec = vtable.settings[i];
    const std::string name(sdk::ToView(spec.name));
    if (values.count(name) != 0) continue;
    if (spec.default_value.size != 0) {
      values.emplace(name, std::string(sdk::ToView(spec.default_value)));
    } else if (spec.required != 0) {
      return std::nullopt;  // a problem to name
    }
  }
  return values;
}

}  // namespace herald
