// The "basic" auth type: HTTP Basic authentication (RFC 7617), a username and
// a secret password sent as "Authorization: Basic base64(username:password)".
#include <herald/sdk/plugin.hpp>

#include <Poco/Base64Encoder.h>

#include <sstream>
#include <string>
#include <vector>

#include "auth_common/http_syntax.hpp"

namespace {

using herald::sdk::AppliedAuth;
using herald::sdk::FieldSpec;
using herald::sdk::Problem;
using herald::sdk::SecurityScheme;
using herald::sdk::Values;

constexpr char kUsername[] = "username";
constexpr char kPassword[] = "password";

std::string Base64(const std::string& data) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);  // Poco breaks lines every 72 chars by default
  encoder << data;
  encoder.close();
  return out.str();
}

class Basic : public herald::sdk::AuthType {
 public:
  explicit Basic(herald::sdk::Host /*host*/) {}

  static std::vector<FieldSpec> DeclareFields() {
    return {
        FieldSpec{kUsername, "Username", /*secret=*/false, /*required=*/true, ""},
        FieldSpec{kPassword, "Password", /*secret=*/true, /*required=*/true, ""},
    };
  }

  std::vector<Problem> Validate(const Values& fields) override {
    std::vector<Problem> problems;

    if (!fields.Has(kUsername)) {
      problems.push_back({kUsername, "username is required"});
    } else {
      const std::string username = fields.Get(kUsername);
      if (username.empty()) {
        problems.push_back({kUsername, "username must not be empty"});
      } else if (username.find(':') != std::string::npos) {
        problems.push_back({kUsername, "username must not contain a colon (RFC 7617)"});
      } else if (herald::plugins::ContainsIf(username, herald::plugins::IsControl)) {
        problems.push_back({kUsername, "username contains a control character (RFC 7617)"});
      }
    }

    if (!fields.Has(kPassword)) {
      problems.push_back({kPassword, "password is required"});
    } else {
      const std::string password = fields.Get(kPassword);
      if (password.empty()) {
        problems.push_back({kPassword, "password must not be empty"});
      } else if (herald::plugins::ContainsIf(password, herald::plugins::IsControl)) {
        problems.push_back({kPassword, "password contains a control character (RFC 7617)"});
      }
    }
    return problems;
  }

  void Apply(const Values& fields, AppliedAuth& request) override {
    herald::plugins::ThrowIfInvalid(Validate(fields));
    request.headers.emplace_back(
        "Authorization", "Basic " + Base64(fields.Get(kUsername) + ":" + fields.Get(kPassword)));
  }

  bool Satisfies(const Values& /*fields*/, const SecurityScheme& scheme) override {
    return scheme.type == HERALD_SCHEME_HTTP &&
           herald::plugins::EqualsIgnoreCase(scheme.scheme, "basic");
  }
};

}  // namespace

HERALD_AUTH_TYPE_PLUGIN(Basic, "basic", "1.0.0",
                        "HTTP Basic authentication (username and password)")
