// C++ value types shared by both sides of the Herald plugin ABI: conversions
// between herald_str and std::string_view, and owned copies of the ABI's
// records. Header-only; nothing here crosses the boundary itself.
#ifndef HERALD_SDK_TYPES_HPP_
#define HERALD_SDK_TYPES_HPP_

#include <herald/sdk/abi.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald::sdk {

inline herald_str ToStr(std::string_view s) { return herald_str{s.data(), s.size()}; }

inline std::string_view ToView(herald_str s) {
  return s.data == nullptr ? std::string_view() : std::string_view(s.data, s.size);
}

// One validation problem: the field at fault (empty when general) and what is
// wrong with it. A message must never contain a secret value.
struct Problem {
  std::string field;
  std::string message;
  bool operator==(const Problem&) const = default;
};

// Name/value text pairs: channel settings or auth-type credential fields.
// Read-only view over what the host passed in; copies on construction, so it
// can outlive the call.
class Values {
 public:
  Values() = default;
  explicit Values(herald_kv_list list) {
    for (size_t i = 0; i < list.count; ++i) {
      values_.emplace(std::string(ToView(list.items[i].key)),
                      std::string(ToView(list.items[i].value)));
    }
  }
  explicit Values(std::map<std::string, std::string> values) : values_(std::move(values)) {}
  Values(std::initializer_list<std::pair<const std::string, std::string>> values)
      : values_(values) {}

  bool Has(std::string_view name) const { return values_.find(std::string(name)) != values_.end(); }

  // The value, or `fallback` when absent.
  std::string Get(std::string_view name, std::string_view fallback = {}) const {
    auto it = values_.find(std::string(name));
    return it == values_.end() ? std::string(fallback) : it->second;
  }

  std::optional<int64_t> GetInt(std::string_view name) const {
    auto it = values_.find(std::string(name));
    if (it == values_.end()) return std::nullopt;
    int64_t out = 0;
    const std::string& s = it->second;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return out;
  }

  std::optional<bool> GetBool(std::string_view name) const {
    auto it = values_.find(std::string(name));
    if (it == values_.end()) return std::nullopt;
    if (it->second == "true") return true;
    if (it->second == "false") return false;
    return std::nullopt;
  }

  const std::map<std::string, std::string>& All() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

// Owns herald_kv entries pointing into a Values' strings, for passing a
// Values across the boundary. Must not outlive `values`.
class KvList {
 public:
  explicit KvList(const std::map<std::string, std::string>& values) {
    items_.reserve(values.size());
    for (const auto& [k, v] : values) items_.push_back(herald_kv{ToStr(k), ToStr(v)});
  }
  herald_kv_list get() const { return herald_kv_list{items_.data(), items_.size()}; }

 private:
  std::vector<herald_kv> items_;
};

struct SettingSpec {
  std::string name;
  std::string description;
  herald_setting_type type = HERALD_SETTING_STRING;
  bool required = false;
  std::string default_value;
  // ABI 1.2: the value is a secret (a token, a password): sealed by the
  // host, never shown. Only for HERALD_SETTING_STRING.
  bool secret = false;
};

// Whether `vt` carries ABI 1.2's secret_settings list: a table from an older
// plugin ends before it, and is read only as far as its struct_size says.
inline bool HasSecretSettingsList(const herald_channel_vtable& vt) {
  return vt.struct_size >=
         offsetof(herald_channel_vtable, secret_settings_count) + sizeof(vt.secret_settings_count);
}

struct FieldSpec {
  std::string name;
  std::string label;
  bool secret = false;
  bool required = false;
  std::string default_value;
};

// An OpenAPI 3 security scheme, as far as matching needs it.
struct SecurityScheme {
  herald_scheme_type type = HERALD_SCHEME_HTTP;
  std::string in;      // apiKey: header | query | cookie
  std::string name;    // apiKey: header or parameter name
  std::string scheme;  // http: basic | bearer (lower case)

  static SecurityScheme ApiKey(std::string in, std::string name) {
    return SecurityScheme{HERALD_SCHEME_API_KEY, std::move(in), std::move(name), {}};
  }
  static SecurityScheme Http(std::string scheme) {
    return SecurityScheme{HERALD_SCHEME_HTTP, {}, {}, std::move(scheme)};
  }
};

inline SecurityScheme FromAbi(const herald_security_scheme& s) {
  return SecurityScheme{s.type, std::string(ToView(s.in)), std::string(ToView(s.name)),
                        std::string(ToView(s.scheme))};
}

// An outbound request as an auth type sees it: the method and URL it is for
// (read them to sign the request), and the headers and query parameters the
// auth type adds.
struct AppliedAuth {
  std::string method;
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::pair<std::string, std::string>> query;
};

}  // namespace herald::sdk

#endif  // HERALD_SDK_TYPES_HPP_
