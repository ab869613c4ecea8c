// The "bearer" auth type: a secret token sent as "Authorization: Bearer
// <token>" (RFC 6750).
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

constexpr char kToken[] = "token";

class Bearer : public herald::sdk::AuthType {
 public:
  explicit Bearer(herald::sdk::Host /*host*/) {}

  static std::vector<FieldSpec> DeclareFields() {
    return {FieldSpec{kToken, "Token", /*secret=*/true, /*required=*/true, ""}};
  }

  std::vector<Problem> Validate(const Values& fields) override {
    using herald::plugins::ContainsIf;
    if (!fields.Has(kToken)) return {{kToken, "token is required"}};
    const std::string token = fields.Get(kToken);
    if (token.empty()) return {{kToken, "token must not be empty"}};
    if (ContainsIf(token, herald::plugins::IsLineBreak)) {
      return {{kToken, "token contains a line break"}};
    }
    if (ContainsIf(token, herald::plugins::IsAsciiWhitespace)) {
      return {{kToken, "token contains whitespace"}};
    }
    if (ContainsIf(token, herald::plugins::IsControl)) {
      return {{kToken, "token contains a control character"}};
    }
    return {};
  }

  void Apply(const Values& fields, AppliedAuth& request) override {
    herald::plugins::ThrowIfInvalid(Validate(fields));
    request.headers.emplace_back("Authorization", "Bearer " + fields.Get(kToken));
  }

  bool Satisfies(const Values& /*fields*/, const SecurityScheme& scheme) override {
    return scheme.type == HERALD_SCHEME_HTTP &&
           herald::plugins::EqualsIgnoreCase(scheme.scheme, "bearer");
  }
};

}  // namespace

HERALD_AUTH_TYPE_PLUGIN(Bearer, "bearer", "1.0.0", "Bearer token in the Authorization header")
