// The "api_key" auth type: one secret key sent under a configurable name,
// either as an HTTP header or as a query parameter (OpenAPI's apiKey scheme
// with in: header | query).
#include <herald/sdk/plugin.hpp>

#include <string>
#include <vector>

#include "auth_common/http_syntax.hpp"

namespace {

using herald::sdk::AppliedAuth;
using herald::sdk::FieldSpec;
using herald::sdk::Problem;
using herald::sdk::SecurityScheme;
using herald::sdk::Values;

constexpr char kKey[] = "key";
constexpr char kName[] = "name";
constexpr char kLocation[] = "location";
constexpr char kDefaultName[] = "x-api-key";
constexpr char kHeader[] = "header";
constexpr char kQuery[] = "query";

class ApiKey : public herald::sdk::AuthType {
 public:
  explicit ApiKey(herald::sdk::Host /*host*/) {}

  static std::vector<FieldSpec> DeclareFields() {
    return {
        FieldSpec{kKey, "API key", /*secret=*/true, /*required=*/true, ""},
        FieldSpec{kName, "Header or query parameter name", false, false, kDefaultName},
        FieldSpec{kLocation, "Where the key goes: header or query", false, false, kHeader},
    };
  }

  std::vector<Problem> Validate(const Values& fields) override {
    std::vector<Problem> problems;

    if (!fields.Has(kKey)) {
      problems.push_back({kKey, "key is required"});
    } else {
      const std::string key = fields.Get(kKey);
      if (key.empty()) {
        problems.push_back({kKey, "key must not be empty"});
      } else if (auto p = herald::plugins::ControlCharacterProblem("key", key)) {
        problems.push_back({kKey, *p});
      }
    }

    const std::string location = fields.Get(kLocation, kHeader);
    const bool in_header = location == kHeader;
    const bool in_query = location == kQuery;
    if (!in_header && !in_query) {
      problems.push_back({kLocation, "location must be \"header\" or \"query\""});
    }

    const std::string name = fields.Get(kName, kDefaultName);
    if (name.empty()) {
      problems.push_back({kName, "name must not be empty"});
    } else if (in_header && !herald::plugins::IsToken(name)) {
      problems.push_back(
          {kName,
           "name must be a valid HTTP header name (an RFC 7230 token: letters, digits and "
           "!#$%&'*+-.^_`|~ only)"});
    } else if (in_query) {
      if (auto p = herald::plugins::ControlCharacterProblem("name", name)) {
        problems.push_back({kName, *p});
      }
    }
    return problems;
  }

  void Apply(const Values& fields, AppliedAuth& request) override {
    herald::plugins::ThrowIfInvalid(Validate(fields));
    const std::string name = fields.Get(kName, kDefaultName);
    if (fields.Get(kLocation, kHeader) == kQuery) {
      request.query.emplace_back(name, fields.Get(kKey));
    } else {
      request.headers.emplace_back(name, fields.Get(kKey));
    }
  }

  // Only the non-secret fields matter here: the scheme names where the key
  // goes, and this connection must put it exactly there.
  bool Satisfies(const Values& fields, const SecurityScheme& scheme) override {
    if (scheme.type != HERALD_SCHEME_API_KEY) return false;
    const std::string location = fields.Get(kLocation, kHeader);
    const std::string name = fields.Get(kName, kDefaultName);
    if (scheme.in != location) return false;
    if (location == kHeader) {
      return herald::plugins::IsToken(name) && herald::plugins::EqualsIgnoreCase(scheme.name, name);
    }
    if (location == kQuery) return !name.empty() && scheme.name == name;
    return false;
  }
};

}  // namespace

HERALD_AUTH_TYPE_PLUGIN(ApiKey, "api_key", "1.0.0", "API key sent in a header or a query parameter")
