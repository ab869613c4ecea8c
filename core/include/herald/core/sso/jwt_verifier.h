// JWT verification for SSO: a member's identity from an identity provider's
// signed JSON Web Token (RFC 7519), on Poco's JWT and Crypto libraries.
//
// Contract. A JwtVerifier is built from a JwtConfig that names one issuer, one
// audience and exactly one key: an HS256 shared secret (at least 32 bytes) or
// an RS256 public key in PEM (SPKI "PUBLIC KEY" or PKCS#1 "RSA PUBLIC KEY", at
// least 2048 bits). Create refuses a bad config with kInvalidArgument naming
// the field ("sso.issuer: required"). Verify accepts a compact-serialized JWT
// only when all of these hold, and otherwise returns kUnauthenticated with the
// reason:
//   - three base64url parts, header and payload JSON objects;
//   - the header's alg is exactly the configured one (HS256 or RS256): "none",
//     any other algorithm and an HS256 token against an RS256 config (the
//     key-confusion attack) are refused; so is a header with "crit";
//   - the signature verifies with the configured key (HS256 is compared in
//     constant time);
//   - exp is present and exp + leeway >= now; nbf, when present, is
//     <= now + leeway (times are NumericDate seconds; fractions are rounded
//     towards the stricter side);
//   - iss equals the configured issuer; aud (a string or an array of strings)
//     contains the configured audience;
//   - sub is a non-empty string.
// Claims are only read after the signature has verified. Error messages never
// contain the token, any part of it, the secret or the signature; values the
// token claims (issuer, alg) are quoted truncated and with non-printable bytes
// replaced. `now_unix_seconds` is a parameter so that callers and tests control
// the clock. The email claim is passed through as the identity provider states
// it; nothing here checks email_verified.
//
// Thread-safety: JwtVerifier is immutable after Create. Verify is const and may
// be called concurrently from any number of threads on one verifier (each call
// builds its own Poco::JWT::Signer; the parsed RSA public key is shared read
// only). Copies share the immutable key material.
#ifndef HERALD_CORE_SSO_JWT_VERIFIER_H_
#define HERALD_CORE_SSO_JWT_VERIFIER_H_

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "herald/core/status.h"

namespace herald::sso {

// How tokens of one identity provider are checked. Exactly one of
// hs256_secret and rs256_public_key_pem is set.
struct JwtConfig {
  std::string issuer;                // required; the token's iss must equal it
  std::string audience;              // required; the token's aud must include it
  std::string hs256_secret;          // HS256 shared secret, at least 32 bytes
  std::string rs256_public_key_pem;  // RS256 public key, PEM
  int64_t leeway_seconds = 60;       // clock skew allowed on exp and nbf, 0..300
};

// Who the token says the member is.
struct Identity {
  std::string subject;  // sub, never empty
  std::string issuer;   // iss, the configured issuer
  int64_t expires_at_unix = 0;
  std::string email;  // the email claim if the token has one (a string), else empty
};

class JwtVerifier {
 public:
  // Validates `config` and prepares the key. kInvalidArgument naming the field
  // when the config is unusable.
  static StatusOr<JwtVerifier> Create(JwtConfig config);

  // The identity in `token` if it is valid at `now_unix_seconds`; otherwise
  // kUnauthenticated with the reason. Never throws.
  StatusOr<Identity> Verify(std::string_view token, int64_t now_unix_seconds) const;

 private:
  struct Impl;
  explicit JwtVerifier(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// Reads a JwtConfig from JSON, as heraldd stores an SSO configuration (per
// connection or globally): string keys issuer, audience, hs256_secret,
// rs256_public_key_pem and integer key leeway_seconds, all optional here.
// Unknown keys and wrong types are refused with kInvalidArgument naming them
// ("sso: unknown key 'x'", "sso.leeway_seconds: must be an integer"). The
// values themselves are checked by JwtVerifier::Create.
StatusOr<JwtConfig> JwtConfigFromJson(const Poco::JSON::Object& json);

}  // namespace herald::sso

#endif  // HERALD_CORE_SSO_JWT_VERIFIER_H_
