// The "key_value" auth type: any number of HTTP headers, one per field. A
// field's name is the header name and its value the header value; every value
// is treated as secret. For team credentials only, and never matched against
// a declared OpenAPI security scheme.
#include <herald/sdk/plugin.hpp>

#include <map>
#include <string>
#include <vector>

#include "auth_common/http_syntax.hpp"

namespace {

using herald::sdk::AppliedAuth;
using herald::sdk::FieldSpec;
using herald::sdk::Problem;
using herald::sdk::SecurityScheme;
using herald::sdk::Values;

// How a message refers to the header `name`: by name only when the name is a
// valid token, so that nothing unprintable (or not a name at all) is ever
// echoed. Field values are never quoted.
std::string HeaderLabel(const std::string& name) {
  return herald::plugins::IsToken(name) ? "header \"" + name + "\"" : "a header";
}

class KeyValue : public herald::sdk::AuthType {
 public:
  explicit KeyValue(herald::sdk::Host /*host*/) {}

  static uint32_t AllowedCredentialTypes() { return HERALD_CREDENTIAL_TEAM; }
  static bool ArbitraryFields() { return true; }

  std::vector<Problem> Validate(const Values& fields) override {
    std::vector<Problem> problems;
    if (fields.All().empty()) {
      problems.push_back({"", "at least one header name/value pair is required"});
      return problems;
    }
    // Lower-cased name -> the first field with that name, in field order.
    std::map<std::string, std::string> seen;
    for (const auto& [name, value] : fields.All()) {
      const std::string label = HeaderLabel(name);
      if (name.empty()) {
        problems.push_back({name, "a header name is empty"});
      } else if (!herald::plugins::IsToken(name)) {
        problems.push_back({name,
                            "a header name is not a valid HTTP header name (an RFC 7230 token: "
                            "letters, digits and !#$%&'*+-.^_`|~ only)"});
      }

      auto [it, inserted] = seen.emplace(herald::plugins::AsciiLowerCopy(name), name);
      if (!inserted) {
        problems.push_back({name, label + " duplicates " + HeaderLabel(it->second) +
                                      " (header names are case-insensitive)"});
      }

      if (value.empty()) {
        problems.push_back({name, "the value of " + label + " is empty"});
      } else if (auto p =
                     herald::plugins::ControlCharacterProblem("the value of " + label, value)) {
        problems.push_back({name, *p});
      }
    }
    return problems;
  }

  void Apply(const Values& fields, AppliedAuth& request) override {
    herald::plugins::ThrowIfInvalid(Validate(fields));
    for (const auto& [name, value] : fields.All()) request.headers.emplace_back(name, value);
  }

  // A bag of headers cannot be shown to meet any declared scheme.
  bool Satisfies(const Values& /*fields*/, const SecurityScheme& /*scheme*/) override {
    return false;
  }
};

}  // namespace

HERALD_AUTH_TYPE_PLUGIN(KeyValue, "key_value", "1.0.0",
                        "Arbitrary HTTP headers, one per name/value pair")
