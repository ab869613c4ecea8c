#include "herald/core/sso/jwt_verifier.h"

#include <Poco/Crypto/DigestEngine.h>
#include <Poco/Crypto/RSAKey.h>
#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/HMACEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/SharedPtr.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

namespace herald::sso {

namespace {

constexpr std::string_view kHs256 = "HS256";
constexpr std::string_view kRs256 = "RS256";
constexpr size_t kMinHs256SecretBytes = 32;
constexpr int kMinRsaKeyBytes = 2048 / 8;
constexpr int64_t kMaxLeewaySeconds = 300;
// Larger than any identity provider's token; bounds the work on hostile input.
constexpr size_t kMaxTokenBytes = 64 * 1024;
// NumericDate range accepted: 1970-01-01 .. 9999-12-31T23:59:59Z.
constexpr int64_t kMaxNumericDate = 253402300799;

Status Unauthenticated(std::string message) { return Status::Unauthenticated(std::move(message)); }

// A value taken from the token, fit to quote in a message: printable ASCII
// only, at most `max` characters.
std::string Quote(std::string_view value, size_t max = 64) {
  std::string out;
  for (char c : value.substr(0, max)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (value.size() > max) out += "...";
  return out;
}

// "2026-11-29T10:00:00Z"; `t` is within [0, kMaxNumericDate].
std::string FormatUtc(int64_t t) {
  using namespace std::chrono;
  const sys_seconds tp{seconds{t}};
  const sys_days day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  return 63;  // '_'; callers check the alphabet first
}

// Strict unpadded base64url (RFC 7515 section 2); nullopt when not.
std::optional<std::string> DecodeBase64Url(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    if (!IsBase64UrlChar(c)) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(Base64UrlValue(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

// Equal contents, in time that depends only on the lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

// A JSON object from base64url text, or null.
Poco::JSON::Object::Ptr DecodeJsonObject(std::string_view encoded) {
  std::optional<std::string> text = DecodeBase64Url(encoded);
  if (!text) return nullptr;
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var value = parser.parse(*text);
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
    return value.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return nullptr;
  } catch (const std::exception&) {
    return nullptr;
  }
}

// HMAC needs the block and digest sizes; SHA-256 through OpenSSL, as Poco's
// JWT signer does.
class Sha256Engine : public Poco::Crypto::DigestEngine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256Engine() : Poco::Crypto::DigestEngine("SHA256") {}
};

enum class NumericDate { kAbsent, kInvalid, kPresent };

// Reads claim `name` as a NumericDate into `out`, rounding fractions down
// (round_up false) or up.
NumericDate ReadNumericDate(const Poco::JSON::Object& payload, const std::string& name,
                            bool round_up, int64_t& out) {
  if (!payload.has(name)) return NumericDate::kAbsent;
  const Poco::Dynamic::Var value = payload.get(name);
  try {
    if (value.isEmpty() || value.isBoolean() || !value.isNumeric()) return NumericDate::kInvalid;
    if (value.isInteger()) {
      if (!value.isSigned()) {
        const auto u = value.convert<uint64_t>();
        if (u > static_cast<uint64_t>(kMaxNumericDate)) return NumericDate::kInvalid;
        out = static_cast<int64_t>(u);
        return NumericDate::kPresent;
      }
      const auto i = value.convert<int64_t>();
      if (i < 0 || i > kMaxNumericDate) return NumericDate::kInvalid;
      out = i;
      return NumericDate::kPresent;
    }
    const auto d = value.convert<double>();
    if (!std::isfinite(d) || d < 0 || d > static_cast<double>(kMaxNumericDate)) {
      return NumericDate::kInvalid;
    }
    out = static_cast<int64_t>(round_up ? std::ceil(d) : std::floor(d));
    return NumericDate::kPresent;
  } catch (const Poco::Exception&) {
    return NumericDate::kInvalid;
  }
}

// The aud claim as a list; nullopt when it is neither a string nor an array of
// strings.
std::optional<std::vector<std::string>> ReadAudience(const Poco::JSON::Object& payload) {
  std::vector<std::string> result;
  if (!payload.has("aud")) return result;
  const Poco::Dynamic::Var value = payload.get("aud");
  if (value.isString()) {
    result.push_back(value.extract<std::string>());
    return result;
  }
  if (value.type() != typeid(Poco::JSON::Array::Ptr)) return std::nullopt;
  const auto array = value.extract<Poco::JSON::Array::Ptr>();
  if (!array) return std::nullopt;
  for (size_t i = 0; i < array->size(); ++i) {
    const Poco::Dynamic::Var element = array->get(static_cast<unsigned>(i));
    if (!element.isString()) return std::nullopt;
    result.push_back(element.extract<std::string>());
  }
  return result;
}

// An optional string claim: absent is "", a non-string is nullopt.
std::optional<std::string> ReadStringClaim(const Poco::JSON::Object& payload,
                                           const std::string& name) {
  if (!payload.has(name)) return std::string();
  const Poco::Dynamic::Var value = payload.get(name);
  if (!value.isString()) return std::nullopt;
  return value.extract<std::string>();
}

}  // namespace

struct JwtVerifier::Impl {
  JwtConfig config;
  std::string algorithm;                          // "HS256" or "RS256"
  Poco::SharedPtr<Poco::Crypto::RSAKey> rsa_key;  // set for RS256; used read-only

  // kUnauthenticated "bad signature" unless `signature` (base64url) signs
  // `signing_input` (header.payload) under the configured key.
  Status VerifySignature(std::string_view token, std::string_view signing_input,
                         std::string_view signature) const;

  // JwtVerifier::Verify, which may throw on a Poco surprise.
  StatusOr<Identity> Verify(std::string_view token, int64_t now_unix_seconds) const;
};

JwtVerifier::JwtVerifier(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

StatusOr<JwtVerifier> JwtVerifier::Create(JwtConfig config) {
  if (config.issuer.empty()) return Status::InvalidArgument("sso.issuer: required");
  if (config.audience.empty()) return Status::InvalidArgument("sso.audience: required");
  const bool has_secret = !config.hs256_secret.empty();
  const bool has_pem = !config.rs256_public_key_pem.empty();
  if (has_secret == has_pem) {
    return Status::InvalidArgument("sso: set exactly one of hs256_secret and rs256_public_key_pem");
  }
  if (config.leeway_seconds < 0 || config.leeway_seconds > kMaxLeewaySeconds) {
    return Status::InvalidArgument("sso.leeway_seconds: must be between 0 and " +
                                   std::to_string(kMaxLeewaySeconds));
  }

  auto impl = std::make_shared<Impl>();
  if (has_secret) {
    if (config.hs256_secret.size() < kMinHs256SecretBytes) {
      return Status::InvalidArgument("sso.hs256_secret: must be at least " +
                                     std::to_string(kMinHs256SecretBytes) + " bytes");
    }
    impl->algorithm = std::string(kHs256);
  } else {
    if (config.rs256_public_key_pem.find("PRIVATE KEY") != std::string::npos) {
      return Status::InvalidArgument(
          "sso.rs256_public_key_pem: holds a private key; give only the public key");
    }
    try {
      std::istringstream in(config.rs256_public_key_pem);
      impl->rsa_key = new Poco::Crypto::RSAKey(&in);
    } catch (const Poco::Exception&) {
      return Status::InvalidArgument("sso.rs256_public_key_pem: not a PEM RSA public key");
    } catch (const std::exception&) {
      return Status::InvalidArgument("sso.rs256_public_key_pem: not a PEM RSA public key");
    }
    if (impl->rsa_key->size() < kMinRsaKeyBytes) {
      return Status::InvalidArgument("sso.rs256_public_key_pem: the RSA key must have at least " +
                                     std::to_string(kMinRsaKeyBytes * 8) + " bits");
    }
    impl->algorithm = std::string(kRs256);
  }
  impl->config = std::move(config);
  return JwtVerifier(std::move(impl));
}

Status JwtVerifier::Impl::VerifySignature(std::string_view token, std::string_view signing_input,
                                          std::string_view signature) const {
  static const Status kBadSignature = Status::Unauthenticated("bad signature");
  if (algorithm == kHs256) {
    // Poco's HMAC verification compares with ==, which leaks timing; compute
    // the MAC and compare in constant time instead.
    std::optional<std::string> given = DecodeBase64Url(signature);
    if (!given) return kBadSignature;
    Poco::HMACEngine<Sha256Engine> hmac(config.hs256_secret);
    hmac.update(signing_input.data(), signing_input.size());
    const Poco::DigestEngine::Digest& expected = hmac.digest();
    const std::string_view expected_view(reinterpret_cast<const char*>(expected.data()),
                                         expected.size());
    return ConstantTimeEquals(*given, expected_view) ? Status::Ok() : kBadSignature;
  }
  // RS256 through Poco's signer. A Signer per call: it is cheap, and nothing
  // then depends on Signer being safe to share between threads.
  try {
    Poco::JWT::Signer signer(rsa_key);
    signer.setAlgorithms({std::string(kRs256)});
    Poco::JWT::Token parsed;
    return signer.tryVerify(std::string(token), parsed) ? Status::Ok() : kBadSignature;
  } catch (const Poco::Exception&) {
    return kBadSignature;
  } catch (const std::exception&) {
    return kBadSignature;
  }
}

StatusOr<Identity> JwtVerifier::Impl::Verify(std::string_view token,
                                             int64_t now_unix_seconds) const {
  // Shape: header.payload.signature, base64url each.
  if (token.empty()) return Unauthenticated("malformed token: empty");
  if (token.size() > kMaxTokenBytes) {
    return Unauthenticated("malformed token: longer than " + std::to_string(kMaxTokenBytes) +
                           " bytes");
  }
  const size_t dot1 = token.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return Unauthenticated("malformed token: not three base64url parts separated by '.'");
  }
  const std::string_view header_part = token.substr(0, dot1);
  const std::string_view payload_part = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view signature_part = token.substr(dot2 + 1);
  for (std::string_view part : {header_part, payload_part, signature_part}) {
    for (char c : part) {
      if (!IsBase64UrlChar(c)) {
        return Unauthenticated("malformed token: not three base64url parts separated by '.'");
      }
    }
  }
  if (header_part.empty() || payload_part.empty()) {
    return Unauthenticated("malformed token: not three base64url parts separated by '.'");
  }

  // Structure (nothing in it is believed before the signature has verified).
  const Poco::JSON::Object::Ptr header = DecodeJsonObject(header_part);
  if (!header) return Unauthenticated("malformed token: the header is not a JSON object");
  const Poco::JSON::Object::Ptr payload = DecodeJsonObject(payload_part);
  if (!payload) return Unauthenticated("malformed token: the payload is not a JSON object");

  // The algorithm must be the configured one, whatever the token says.
  const Poco::Dynamic::Var alg = header->get("alg");
  if (!alg.isString()) return Unauthenticated("malformed token: the header has no alg");
  const std::string alg_name = alg.extract<std::string>();
  if (alg_name != algorithm) {
    return Unauthenticated("algorithm '" + Quote(alg_name, 16) + "' is not the configured '" +
                           algorithm + "'");
  }
  if (header->has("crit")) {
    return Unauthenticated("unsupported critical header parameters (crit)");
  }

  // Signature, before any claim is read.
  HERALD_RETURN_IF_ERROR(VerifySignature(token, token.substr(0, dot2), signature_part));

  // Times.
  int64_t exp = 0;
  switch (ReadNumericDate(*payload, "exp", /*round_up=*/false, exp)) {
    case NumericDate::kAbsent:
      return Unauthenticated("token has no expiry (exp)");
    case NumericDate::kInvalid:
      return Unauthenticated("malformed token: exp is not a valid time");
    case NumericDate::kPresent:
      break;
  }
  // exp and leeway are bounded, so the sum cannot overflow.
  if (exp + config.leeway_seconds < now_unix_seconds) {
    return Unauthenticated("token expired at " + FormatUtc(exp));
  }
  int64_t nbf = 0;
  switch (ReadNumericDate(*payload, "nbf", /*round_up=*/true, nbf)) {
    case NumericDate::kAbsent:
      break;
    case NumericDate::kInvalid:
      return Unauthenticated("malformed token: nbf is not a valid time");
    case NumericDate::kPresent:
      if (nbf - config.leeway_seconds > now_unix_seconds) {
        return Unauthenticated("token not valid before " + FormatUtc(nbf));
      }
      break;
  }

  // Issuer and audience.
  const std::optional<std::string> iss = ReadStringClaim(*payload, "iss");
  if (!iss) return Unauthenticated("malformed token: iss is not a string");
  if (iss->empty()) {
    return Unauthenticated("token has no issuer (iss); expected '" + config.issuer + "'");
  }
  if (*iss != config.issuer) {
    return Unauthenticated("issuer '" + Quote(*iss) + "' is not the configured '" + config.issuer +
                           "'");
  }
  const std::optional<std::vector<std::string>> aud = ReadAudience(*payload);
  if (!aud) return Unauthenticated("malformed token: aud is not a string or an array of strings");
  bool audience_ok = false;
  for (const std::string& a : *aud) audience_ok = audience_ok || a == config.audience;
  if (!audience_ok) {
    return Unauthenticated("audience does not include '" + config.audience + "'");
  }

  // Who.
  const std::optional<std::string> sub = ReadStringClaim(*payload, "sub");
  if (!sub) return Unauthenticated("malformed token: sub is not a string");
  if (sub->empty()) return Unauthenticated("token has no subject (sub)");
  const std::optional<std::string> email = ReadStringClaim(*payload, "email");

  Identity identity;
  identity.subject = *sub;
  identity.issuer = *iss;
  identity.expires_at_unix = exp;
  if (email) identity.email = *email;
  return identity;
}

StatusOr<Identity> JwtVerifier::Verify(std::string_view token, int64_t now_unix_seconds) const {
  // Poco's JSON values throw on unexpected types; every read above checks the
  // type first, so this is a backstop that keeps Verify from throwing.
  try {
    return impl_->Verify(token, now_unix_seconds);
  } catch (const Poco::Exception&) {
  } catch (const std::exception&) {
  }
  return Unauthenticated("malformed token: unreadable claims");
}

StatusOr<JwtConfig> JwtConfigFromJson(const Poco::JSON::Object& json) {
  static const std::set<std::string> kKnown = {"issuer", "audience", "hs256_secret",
                                               "rs256_public_key_pem", "leeway_seconds"};
  std::vector<std::string> unknown;
  for (const auto& entry : json) {
    if (!kKnown.contains(entry.first)) unknown.push_back("'" + Quote(entry.first) + "'");
  }
  if (!unknown.empty()) {
    std::string names;
    for (const std::string& name : unknown) names += (names.empty() ? "" : ", ") + name;
    return Status::InvalidArgument(
        std::string(unknown.size() == 1 ? "sso: unknown key " : "sso: unknown keys ") + names +
        " (known: audience, hs256_secret, issuer, "
        "leeway_seconds, rs256_public_key_pem)");
  }

  JwtConfig config;
  for (auto [key, field] : {std::pair<const char*, std::string*>{"issuer", &config.issuer},
                            {"audience", &config.audience},
                            {"hs256_secret", &config.hs256_secret},
                            {"rs256_public_key_pem", &config.rs256_public_key_pem}}) {
    if (!json.has(key)) continue;
    const Poco::Dynamic::Var value = json.get(key);
    if (!value.isString()) {
      return Status::InvalidArgument(std::string("sso.") + key + ": must be a string");
    }
    *field = value.extract<std::string>();
  }
  if (json.has("leeway_seconds")) {
    const Poco::Dynamic::Var value = json.get("leeway_seconds");
    const Status not_integer = Status::InvalidArgument("sso.leeway_seconds: must be an integer");
    if (value.isEmpty() || value.isBoolean() || !value.isInteger()) return not_integer;
    try {
      if (value.isSigned()) {
        config.leeway_seconds = value.convert<int64_t>();
      } else {
        const auto u = value.convert<uint64_t>();
        if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return not_integer;
        config.leeway_seconds = static_cast<int64_t>(u);
      }
    } catch (const Poco::Exception&) {
      return not_integer;
    }
  }
  return config;
}

}  // namespace herald::sso
