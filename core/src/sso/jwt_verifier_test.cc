#include "herald/core/sso/jwt_verifier.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Crypto/ECKey.h>
#include <Poco/Crypto/EVPPKey.h>
#include <Poco/Crypto/RSAKey.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/SharedPtr.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace herald::sso {
namespace {

using Poco::Crypto::RSAKey;
using Poco::JWT::Signer;

// 2026-11-29T10:00:00Z
constexpr int64_t kNow = 1795946400;
constexpr char kIssuer[] = "https://idp.example";
constexpr char kAudience[] = "herald";
// A secret that must never show in a message; the canary tests look for it.
constexpr char kSecret[] = "CANARY-hs256-secret-0123456789abcdef";

std::string Base64Url(const std::string& data) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  encoder << data;
  encoder.close();
  return out.str();
}

std::string PublicPem(const RSAKey& key) {
  std::ostringstream out;
  key.save(&out);
  return out.str();
}

// The public key as SPKI ("BEGIN PUBLIC KEY"); RSAKey::save writes PKCS#1.
std::string SpkiPem(const RSAKey& key) {
  Poco::Crypto::EVPPKey evp(key.impl()->getRSA());
  std::ostringstream out;
  evp.save(&out);
  return out.str();
}

// The three parts of a compact JWT.
std::vector<std::string> Split(const std::string& token) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(token);
  while (std::getline(in, part, '.')) parts.push_back(part);
  if (!token.empty() && token.back() == '.') parts.push_back("");
  return parts;
}

// A valid token's claims, to be changed by each test.
Poco::JWT::Token Claims() {
  Poco::JWT::Token token;
  token.setType("JWT");
  token.setIssuer(kIssuer);
  token.setAudience(std::string(kAudience));
  token.setSubject("member-42");
  token.payload().set("exp", kNow + 3600);
  token.payload().set("iat", kNow - 10);
  token.payload().set("email", std::string("ada@example.com"));
  return token;
}

std::string SignHs256(Poco::JWT::Token token, const std::string& secret = kSecret) {
  Signer signer(secret);
  return signer.sign(token, Signer::ALGO_HS256);
}

std::string SignWith(Poco::JWT::Token token, const Poco::SharedPtr<RSAKey>& key,
                     const std::string& algorithm = Signer::ALGO_RS256) {
  Signer signer(key);
  return signer.sign(token, algorithm);
}

JwtConfig Hs256Config() {
  JwtConfig config;
  config.issuer = kIssuer;
  config.audience = kAudience;
  config.hs256_secret = kSecret;
  return config;
}

JwtVerifier MustCreate(JwtConfig config) {
  StatusOr<JwtVerifier> verifier = JwtVerifier::Create(std::move(config));
  if (!verifier.ok()) {
    // No verifier to return: stop here rather than use an empty one.
    std::fprintf(stderr, "JwtVerifier::Create failed: %s\n", verifier.status().message().c_str());
    std::abort();
  }
  return std::move(verifier).value();
}

void ExpectUnauthenticated(const StatusOr<Identity>& result, const std::string& message) {
  ASSERT_FALSE(result.ok()) << "accepted; expected: " << message;
  EXPECT_EQ(result.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(result.status().message(), message);
}

void ExpectInvalid(const StatusOr<JwtVerifier>& result, const std::string& message) {
  ASSERT_FALSE(result.ok()) << "accepted; expected: " << message;
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(), message);
}

// RSA key pairs, generated on first use (once per test process).
const Poco::SharedPtr<RSAKey>& RsaKey() {
  static const Poco::SharedPtr<RSAKey> key = new RSAKey(RSAKey::KL_2048, RSAKey::EXP_LARGE);
  return key;
}
const Poco::SharedPtr<RSAKey>& OtherRsaKey() {
  static const Poco::SharedPtr<RSAKey> key = new RSAKey(RSAKey::KL_2048, RSAKey::EXP_LARGE);
  return key;
}

const std::string& RsaPublicPem() {
  static const std::string pem = PublicPem(*RsaKey());
  return pem;
}

JwtConfig Rs256Config() {
  JwtConfig config;
  config.issuer = kIssuer;
  config.audience = kAudience;
  config.rs256_public_key_pem = RsaPublicPem();
  return config;
}

// ---------------------------------------------------------------------------
// Create

TEST(JwtVerifierCreateTest, AcceptsHs256AndRs256Configs) {
  EXPECT_TRUE(JwtVerifier::Create(Hs256Config()).ok());
  EXPECT_TRUE(JwtVerifier::Create(Rs256Config()).ok());
}

TEST(JwtVerifierCreateTest, AcceptsSpkiAndPkcs1PublicKeys) {
  ASSERT_NE(RsaPublicPem().find("BEGIN RSA PUBLIC KEY"), std::string::npos);
  JwtConfig config = Rs256Config();
  config.rs256_public_key_pem = SpkiPem(*RsaKey());
  ASSERT_NE(config.rs256_public_key_pem.find("BEGIN PUBLIC KEY"), std::string::npos);
  JwtVerifier verifier = MustCreate(config);
  EXPECT_TRUE(verifier.Verify(SignWith(Claims(), RsaKey()), kNow).ok());
}

TEST(JwtVerifierCreateTest, RefusesMissingIssuerAndAudience) {
  JwtConfig config = Hs256Config();
  config.issuer.clear();
  ExpectInvalid(JwtVerifier::Create(config), "sso.issuer: required");
  config = Hs256Config();
  config.audience.clear();
  ExpectInvalid(JwtVerifier::Create(config), "sso.audience: required");
}

TEST(JwtVerifierCreateTest, RefusesNoKeyOrBothKeys) {
  JwtConfig config = Hs256Config();
  config.hs256_secret.clear();
  ExpectInvalid(JwtVerifier::Create(config),
                "sso: set exactly one of hs256_secret and rs256_public_key_pem");
  config = Rs256Config();
  config.hs256_secret = kSecret;
  ExpectInvalid(JwtVerifier::Create(config),
                "sso: set exactly one of hs256_secret and rs256_public_key_pem");
}

TEST(JwtVerifierCreateTest, RefusesAShortSecretWithoutShowingIt) {
  JwtConfig config = Hs256Config();
  config.hs256_secret = "CANARY-short-secret-31-bytes-xx";
  ASSERT_EQ(config.hs256_secret.size(), 31u);
  StatusOr<JwtVerifier> result = JwtVerifier::Create(config);
  ExpectInvalid(result, "sso.hs256_secret: must be at least 32 bytes");
  EXPECT_EQ(result.status().message().find("CANARY"), std::string::npos);

  config.hs256_secret += "x";
  EXPECT_TRUE(JwtVerifier::Create(config).ok());
}

TEST(JwtVerifierCreateTest, RefusesWhatIsNotAPemRsaPublicKey) {
  JwtConfig config = Rs256Config();
  for (const std::string& pem : {
           std::string("CANARY not a key"),
           RsaPublicPem().substr(0, RsaPublicPem().size() / 2),
           std::string("-----BEGIN PUBLIC KEY-----\nQ0FOQVJZ\n-----END PUBLIC KEY-----\n"),
       }) {
    config.rs256_public_key_pem = pem;
    StatusOr<JwtVerifier> result = JwtVerifier::Create(config);
    ExpectInvalid(result, "sso.rs256_public_key_pem: not a PEM RSA public key");
    EXPECT_EQ(result.status().message().find("CANARY"), std::string::npos);
  }
}

TEST(JwtVerifierCreateTest, RefusesAnEcPublicKey) {
  Poco::Crypto::ECKey ec("prime256v1");
  std::ostringstream pem;
  ec.save(&pem);
  JwtConfig config = Rs256Config();
  config.rs256_public_key_pem = pem.str();
  ExpectInvalid(JwtVerifier::Create(config), "sso.rs256_public_key_pem: not a PEM RSA public key");
}

TEST(JwtVerifierCreateTest, RefusesAPrivateKey) {
  std::ostringstream public_pem, private_pem;
  RsaKey()->save(&public_pem, &private_pem);
  JwtConfig config = Rs256Config();
  config.rs256_public_key_pem = private_pem.str();
  StatusOr<JwtVerifier> result = JwtVerifier::Create(config);
  ExpectInvalid(result, "sso.rs256_public_key_pem: holds a private key; give only the public key");
  config.rs256_public_key_pem = public_pem.str() + private_pem.str();
  ExpectInvalid(JwtVerifier::Create(config),
                "sso.rs256_public_key_pem: holds a private key; give only the public key");
}

TEST(JwtVerifierCreateTest, RefusesAnRsaKeyUnder2048Bits) {
  RSAKey small(RSAKey::KL_1024, RSAKey::EXP_LARGE);
  JwtConfig config = Rs256Config();
  config.rs256_public_key_pem = PublicPem(small);
  ExpectInvalid(JwtVerifier::Create(config),
                "sso.rs256_public_key_pem: the RSA key must have at least 2048 bits");
}

TEST(JwtVerifierCreateTest, RefusesLeewayOutOfRange) {
  JwtConfig config = Hs256Config();
  for (int64_t leeway : {int64_t{-1}, int64_t{301}, int64_t{1} << 62}) {
    config.leeway_seconds = leeway;
    ExpectInvalid(JwtVerifier::Create(config), "sso.leeway_seconds: must be between 0 and 300");
  }
  for (int64_t leeway : {0, 300}) {
    config.leeway_seconds = leeway;
    EXPECT_TRUE(JwtVerifier::Create(config).ok());
  }
}

// ---------------------------------------------------------------------------
// Verify: acceptance

TEST(JwtVerifierTest, AcceptsAValidHs256Token) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  StatusOr<Identity> identity = verifier.Verify(SignHs256(Claims()), kNow);
  ASSERT_TRUE(identity.ok()) << identity.status().message();
  EXPECT_EQ(identity->subject, "member-42");
  EXPECT_EQ(identity->issuer, kIssuer);
  EXPECT_EQ(identity->expires_at_unix, kNow + 3600);
  EXPECT_EQ(identity->email, "ada@example.com");
}

TEST(JwtVerifierTest, AcceptsAValidRs256Token) {
  JwtVerifier verifier = MustCreate(Rs256Config());
  StatusOr<Identity> identity = verifier.Verify(SignWith(Claims(), RsaKey()), kNow);
  ASSERT_TRUE(identity.ok()) << identity.status().message();
  EXPECT_EQ(identity->subject, "member-42");
  EXPECT_EQ(identity->issuer, kIssuer);
  EXPECT_EQ(identity->expires_at_unix, kNow + 3600);
  EXPECT_EQ(identity->email, "ada@example.com");
}

TEST(JwtVerifierTest, AcceptsASecretLongerThanTheHmacBlock) {
  // HMAC hashes keys longer than SHA-256's 64-byte block first.
  const std::string secret(100, 's');
  JwtConfig config = Hs256Config();
  config.hs256_secret = secret;
  JwtVerifier verifier = MustCreate(config);
  EXPECT_TRUE(verifier.Verify(SignHs256(Claims(), secret), kNow).ok());
  ExpectUnauthenticated(verifier.Verify(SignHs256(Claims(), secret + "t"), kNow), "bad signature");
}

TEST(JwtVerifierTest, AcceptsExtraHeaderParameters) {
  JwtVerifier verifier = MustCreate(Rs256Config());
  Poco::JWT::Token token = Claims();
  token.header().set("kid", std::string("key-1"));
  token.header().set("typ", std::string("JWT"));
  EXPECT_TRUE(verifier.Verify(SignWith(token, RsaKey()), kNow).ok());
}

TEST(JwtVerifierTest, EmailIsEmptyWhenAbsentOrNotAString) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  Poco::JWT::Token token = Claims();
  token.payload().remove("email");
  StatusOr<Identity> identity = verifier.Verify(SignHs256(token), kNow);
  ASSERT_TRUE(identity.ok()) << identity.status().message();
  EXPECT_EQ(identity->email, "");

  token.payload().set("email", 7);
  identity = verifier.Verify(SignHs256(token), kNow);
  ASSERT_TRUE(identity.ok()) << identity.status().message();
  EXPECT_EQ(identity->email, "");
}

TEST(JwtVerifierTest, AcceptsAudienceAsAnArray) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  Poco::JWT::Token token = Claims();
  token.setAudience(std::vector<std::string>{"other", kAudience, "third"});
  EXPECT_TRUE(verifier.Verify(SignHs256(token), kNow).ok());
  token.setAudience(std::vector<std::string>{kAudience});
  EXPECT_TRUE(verifier.Verify(SignHs256(token), kNow).ok());
}

TEST(JwtVerifierTest, CopiesVerifyAlike) {
  JwtVerifier verifier = MustCreate(Rs256Config());
  const JwtVerifier copy = verifier;
  EXPECT_TRUE(copy.Verify(SignWith(Claims(), RsaKey()), kNow).ok());
}

// ---------------------------------------------------------------------------
// Verify: times

TEST(JwtVerifierTest, ExpiryHonoursTheLeeway) {
  JwtVerifier verifier = MustCreate(Hs256Config());  // leeway 60
  Poco::JWT::Token token = Claims();
  token.payload().set("exp", kNow);
  const std::string jwt = SignHs256(token);
  EXPECT_TRUE(verifier.Verify(jwt, kNow).ok());
  EXPECT_TRUE(verifier.Verify(jwt, kNow + 60).ok());
  ExpectUnauthenticated(verifier.Verify(jwt, kNow + 61), "token expired at 2026-11-29T10:00:00Z");
  ExpectUnauthenticated(verifier.Verify(jwt, kNow + 86400 * 365),
                        "token expired at 2026-11-29T10:00:00Z");
}

TEST(JwtVerifierTest, ExpiryWithoutLeeway) {
  JwtConfig config = Hs256Config();
  config.leeway_seconds = 0;
  JwtVerifier verifier = MustCreate(config);
  Poco::JWT::Token token = Claims();
  token.payload().set("exp", kNow);
  const std::string jwt = SignHs256(token);
  EXPECT_TRUE(verifier.Verify(jwt, kNow).ok());
  ExpectUnauthenticated(verifier.Verify(jwt, kNow + 1), "token expired at 2026-11-29T10:00:00Z");
}

TEST(JwtVerifierTest, FractionalExpiryRoundsDown) {
  JwtConfig config = Hs256Config();
  config.leeway_seconds = 0;
  JwtVerifier verifier = MustCreate(config);
  Poco::JWT::Token token = Claims();
  token.payload().set("exp", static_cast<double>(kNow) + 0.75);
  const std::string jwt = SignHs256(token);
  StatusOr<Identity> identity = verifier.Verify(jwt, kNow);
  ASSERT_TRUE(identity.ok()) << identity.status().message();
  EXPECT_EQ(identity->expires_at_unix, kNow);
  ExpectUnauthenticated(verifier.Verify(jwt, kNow + 1), "token expired at 2026-11-29T10:00:00Z");
}

TEST(JwtVerifierTest, RefusesATokenWithoutExpiry) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  Poco::JWT::Token token = Claims();
  token.payload().remove("exp");
  ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow), "token has no expiry (exp)");
}

TEST(JwtVerifierTest, RefusesAnExpiryThatIsNotATime) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  for (const Poco::Dynamic::Var& exp :
       {Poco::Dynamic::Var(std::to_string(kNow + 3600)), Poco::Dynamic::Var(true),
        Poco::Dynamic::Var(int64_t{-1}), Poco::Dynamic::Var(int64_t{1} << 40),
        Poco::Dynamic::Var(1e300)}) {
    Poco::JWT::Token token = Claims();
    token.payload().set("exp", exp);
    ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow),
                          "malformed token: exp is not a valid time");
  }
  // null
  Poco::JWT::Token token = Claims();
  token.payload().set("exp", Poco::Dynamic::Var());
  ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow),
                        "malformed token: exp is not a valid time");
}

TEST(JwtVerifierTest, NotBeforeHonoursTheLeeway) {
  JwtVerifier verifier = MustCreate(Hs256Config());  // leeway 60
  Poco::JWT::Token token = Claims();
  token.payload().set("nbf", kNow + 60);
  EXPECT_TRUE(verifier.Verify(SignHs256(token), kNow).ok());
  token.payload().set("nbf", kNow + 61);
  ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow),
                        "token not valid before 2026-11-29T10:01:01Z");
  EXPECT_TRUE(verifier.Verify(SignHs256(token), kNow + 1).ok());
  token.payload().set("nbf", std::string("soon"));
  ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow),
                        "malformed token: nbf is not a valid time");
}

// ---------------------------------------------------------------------------
// Verify: issuer, audience, subject

TEST(JwtVerifierTest, RefusesAnotherIssuer) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  Poco::JWT::Token token = Claims();
  token.setIssuer("https://evil.example");
  ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow),
                        "issuer 'https://evil.example' is not the configured "
                        "'https://idp.example'");
  token.setIssuer("https://idp.example/");
  ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow),
                        "issuer 'https://idp.example/' is not the configured "
                        "'https://idp.example'");
}

TEST(JwtVerifierTest, QuotesAClaimedIssuerSafely) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  Poco::JWT::Token token = Claims();
  token.setIssuer("evil\n" + std::string(100, 'x'));
  StatusOr<Identity> result = verifier.Verify(SignHs256(token), kNow);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(), "issuer 'evil?" + std::string(59, 'x') +
                                           "...' is not the configured 'https://idp.example'");
}

TEST(JwtVerifierTest, RefusesAMissingOrNonStringIssuer) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  Poco::JWT::Token token = Claims();
  token.payload().remove("iss");
  ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow),
                        "token has no issuer (iss); expected 'https://idp.example'");
  token.payload().set("iss", 5);
  ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow),
                        "malformed token: iss is not a string");
}

TEST(JwtVerifierTest, RefusesAnotherAudience) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  Poco::JWT::Token token = Claims();
  token.setAudience(std::string("someone-else"));
  ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow),
                        "audience does not include 'herald'");
  token.setAudience(std::vector<std::string>{"a", "b", "Herald"});
  ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow),
                        "audience does not include 'herald'");
  token.setAudience(std::vector<std::string>{});
  ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow),
                        "audience does not include 'herald'");
  token.payload().remove("aud");
  ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow),
                        "audience does not include 'herald'");
}

TEST(JwtVerifierTest, RefusesAnAudienceOfTheWrongType) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  Poco::JWT::Token token = Claims();
  Poco::JSON::Array::Ptr mixed = new Poco::JSON::Array;
  mixed->add(std::string(kAudience));
  mixed->add(7);
  token.payload().set("aud", mixed);
  ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow),
                        "malformed token: aud is not a string or an array of strings");
  token.payload().set("aud", 7);
  ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow),
                        "malformed token: aud is not a string or an array of strings");
}

TEST(JwtVerifierTest, RefusesAMissingOrEmptySubject) {
  JwtVerifier verifier = MustCreate(Rs256Config());
  Poco::JWT::Token token = Claims();
  token.payload().remove("sub");
  ExpectUnauthenticated(verifier.Verify(SignWith(token, RsaKey()), kNow),
                        "token has no subject (sub)");
  token.setSubject("");
  ExpectUnauthenticated(verifier.Verify(SignWith(token, RsaKey()), kNow),
                        "token has no subject (sub)");
  token.payload().set("sub", 42);
  ExpectUnauthenticated(verifier.Verify(SignWith(token, RsaKey()), kNow),
                        "malformed token: sub is not a string");
}

// ---------------------------------------------------------------------------
// Verify: algorithms and signatures

TEST(JwtVerifierTest, RefusesAlgNone) {
  const std::string payload = Split(SignHs256(Claims()))[1];
  for (const char* header : {R"({"alg":"none","typ":"JWT"})", R"({"alg":"None"})"}) {
    const std::string unsigned_token = Base64Url(header) + "." + payload + ".";
    const std::string alg = Poco::JSON::Parser()
                                .parse(header)
                                .extract<Poco::JSON::Object::Ptr>()
                                ->getValue<std::string>("alg");
    ExpectUnauthenticated(MustCreate(Hs256Config()).Verify(unsigned_token, kNow),
                          "algorithm '" + alg + "' is not the configured 'HS256'");
    ExpectUnauthenticated(MustCreate(Rs256Config()).Verify(unsigned_token, kNow),
                          "algorithm '" + alg + "' is not the configured 'RS256'");
    // With a signature part stolen from a valid token, too.
    const std::string with_signature = unsigned_token + Split(SignHs256(Claims()))[2];
    ExpectUnauthenticated(MustCreate(Hs256Config()).Verify(with_signature, kNow),
                          "algorithm '" + alg + "' is not the configured 'HS256'");
  }
}

TEST(JwtVerifierTest, RefusesHs256SignedWithThePublicKeyAgainstRs256) {
  // The key-confusion attack: the attacker knows the public key and uses its
  // PEM text as an HMAC secret, hoping the verifier does the same.
  JwtVerifier verifier = MustCreate(Rs256Config());
  for (const std::string& pem : {RsaPublicPem(), SpkiPem(*RsaKey())}) {
    const std::string forged = SignHs256(Claims(), pem);
    ExpectUnauthenticated(verifier.Verify(forged, kNow),
                          "algorithm 'HS256' is not the configured 'RS256'");
  }
}

TEST(JwtVerifierTest, RefusesOtherAlgorithms) {
  JwtVerifier hs = MustCreate(Hs256Config());
  JwtVerifier rs = MustCreate(Rs256Config());
  ExpectUnauthenticated(hs.Verify(SignWith(Claims(), RsaKey()), kNow),
                        "algorithm 'RS256' is not the configured 'HS256'");
  Signer hs512(kSecret);
  hs512.addAlgorithm(Signer::ALGO_HS512);
  Poco::JWT::Token token = Claims();
  ExpectUnauthenticated(hs.Verify(hs512.sign(token, Signer::ALGO_HS512), kNow),
                        "algorithm 'HS512' is not the configured 'HS256'");
  ExpectUnauthenticated(rs.Verify(SignWith(Claims(), RsaKey(), Signer::ALGO_RS512), kNow),
                        "algorithm 'RS512' is not the configured 'RS256'");
  // Only the exact spelling.
  const std::vector<std::string> parts = Split(SignHs256(Claims()));
  const std::string lower = Base64Url(R"({"alg":"hs256"})") + "." + parts[1] + "." + parts[2];
  ExpectUnauthenticated(hs.Verify(lower, kNow), "algorithm 'hs256' is not the configured 'HS256'");
  // A claimed algorithm is quoted short and printable.
  const std::string odd = Base64Url("{\"alg\":\"HS256\\u0000" + std::string(40, 'x') + "\"}") +
                          "." + parts[1] + "." + parts[2];
  ExpectUnauthenticated(hs.Verify(odd, kNow),
                        "algorithm 'HS256?xxxxxxxxxx...' is not the configured 'HS256'");
}

TEST(JwtVerifierTest, RefusesAHeaderWithoutAlg) {
  const std::vector<std::string> parts = Split(SignHs256(Claims()));
  JwtVerifier verifier = MustCreate(Hs256Config());
  for (const char* header : {R"({"typ":"JWT"})", R"({"alg":256})", R"({"alg":null})"}) {
    ExpectUnauthenticated(
        verifier.Verify(Base64Url(header) + "." + parts[1] + "." + parts[2], kNow),
        "malformed token: the header has no alg");
  }
}

TEST(JwtVerifierTest, RefusesCriticalHeaderParameters) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  Poco::JWT::Token token = Claims();
  Poco::JSON::Array::Ptr crit = new Poco::JSON::Array;
  crit->add(std::string("exp"));
  token.header().set("crit", crit);
  ExpectUnauthenticated(verifier.Verify(SignHs256(token), kNow),
                        "unsupported critical header parameters (crit)");
}

TEST(JwtVerifierTest, RefusesABadHs256Signature) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  const std::string other = SignHs256(Claims(), "another-secret-of-at-least-32-bytes!");
  ExpectUnauthenticated(verifier.Verify(other, kNow), "bad signature");

  const std::vector<std::string> parts = Split(SignHs256(Claims()));
  const std::string head = parts[0] + "." + parts[1] + ".";
  ExpectUnauthenticated(verifier.Verify(head, kNow), "bad signature");
  ExpectUnauthenticated(verifier.Verify(head + parts[2].substr(0, parts[2].size() - 2), kNow),
                        "bad signature");
  ExpectUnauthenticated(verifier.Verify(head + parts[2] + "AA", kNow), "bad signature");
  std::string flipped = parts[2];
  flipped[5] = flipped[5] == 'A' ? 'B' : 'A';
  ExpectUnauthenticated(verifier.Verify(head + flipped, kNow), "bad signature");
  ExpectUnauthenticated(verifier.Verify(head + "A", kNow), "bad signature");
}

TEST(JwtVerifierTest, RefusesABadRs256Signature) {
  JwtVerifier verifier = MustCreate(Rs256Config());
  ExpectUnauthenticated(verifier.Verify(SignWith(Claims(), OtherRsaKey()), kNow), "bad signature");
  const std::vector<std::string> parts = Split(SignWith(Claims(), RsaKey()));
  const std::string head = parts[0] + "." + parts[1] + ".";
  ExpectUnauthenticated(verifier.Verify(head, kNow), "bad signature");
  ExpectUnauthenticated(verifier.Verify(head + parts[2].substr(0, 40), kNow), "bad signature");
  std::string flipped = parts[2];
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  ExpectUnauthenticated(verifier.Verify(head + flipped, kNow), "bad signature");
  ExpectUnauthenticated(verifier.Verify(head + "A", kNow), "bad signature");
}

TEST(JwtVerifierTest, RefusesATamperedPayload) {
  Poco::JWT::Token evil = Claims();
  evil.setSubject("admin");
  const std::string evil_payload = Split(SignHs256(evil))[1];
  for (bool rsa : {false, true}) {
    JwtVerifier verifier = MustCreate(rsa ? Rs256Config() : Hs256Config());
    const std::vector<std::string> parts =
        Split(rsa ? SignWith(Claims(), RsaKey()) : SignHs256(Claims()));
    ExpectUnauthenticated(verifier.Verify(parts[0] + "." + evil_payload + "." + parts[2], kNow),
                          "bad signature");
  }
}

TEST(JwtVerifierTest, RefusesATamperedHeader) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  const std::vector<std::string> parts = Split(SignHs256(Claims()));
  const std::string header = Base64Url(R"({"alg":"HS256","kid":"x"})");
  ExpectUnauthenticated(verifier.Verify(header + "." + parts[1] + "." + parts[2], kNow),
                        "bad signature");
}

// ---------------------------------------------------------------------------
// Verify: malformed tokens

TEST(JwtVerifierTest, RefusesMalformedTokens) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  const std::vector<std::string> parts = Split(SignHs256(Claims()));
  const std::string good = parts[0] + "." + parts[1] + "." + parts[2];
  const std::string shape = "malformed token: not three base64url parts separated by '.'";
  ExpectUnauthenticated(verifier.Verify("", kNow), "malformed token: empty");
  for (const std::string& token : {
           std::string("abc"),
           std::string("a.b"),
           parts[0] + "." + parts[1],
           good + ".",
           good + ".x",
           "." + parts[1] + "." + parts[2],
           parts[0] + ".." + parts[2],
           std::string(".."),
           good + "\n",
           " " + good,
           "Bearer " + good,
           parts[0] + "=." + parts[1] + "." + parts[2],
           parts[0] + "." + parts[1] + "+/." + parts[2],
       }) {
    ExpectUnauthenticated(verifier.Verify(token, kNow), shape);
  }
}

TEST(JwtVerifierTest, RefusesAHeaderOrPayloadThatIsNotAJsonObject) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  const std::vector<std::string> parts = Split(SignHs256(Claims()));
  for (const std::string& header :
       {Base64Url("not json"), Base64Url(R"(["alg","HS256"])"), Base64Url(R"("HS256")"),
        Base64Url(R"({"alg":"HS256")"), std::string("A")}) {
    ExpectUnauthenticated(verifier.Verify(header + "." + parts[1] + "." + parts[2], kNow),
                          "malformed token: the header is not a JSON object");
  }
  const std::string deep = R"({"a":)" + std::string(5000, '[') + std::string(5000, ']') + "}";
  for (const std::string& payload :
       {Base64Url("{"), Base64Url("[1,2]"), Base64Url("42"), Base64Url(deep)}) {
    ExpectUnauthenticated(verifier.Verify(parts[0] + "." + payload + "." + parts[2], kNow),
                          "malformed token: the payload is not a JSON object");
  }
}

TEST(JwtVerifierTest, RefusesAnOversizedToken) {
  JwtVerifier verifier = MustCreate(Hs256Config());
  const std::string huge = std::string(70000, 'A') + ".A.A";
  ExpectUnauthenticated(verifier.Verify(huge, kNow), "malformed token: longer than 65536 bytes");
}

// ---------------------------------------------------------------------------
// Messages never carry the token, the secret or the signature.

TEST(JwtVerifierTest, NoMessageCarriesTheTokenTheSecretOrTheSignature) {
  JwtVerifier hs = MustCreate(Hs256Config());
  JwtVerifier rs = MustCreate(Rs256Config());

  // Each case: a verifier and a token it refuses. Claims carry canaries too.
  auto canary_claims = [] {
    Poco::JWT::Token token = Claims();
    token.setId("CANARY-jti");
    token.payload().set("name", std::string("CANARY-name"));
    return token;
  };
  std::vector<std::pair<const JwtVerifier*, std::string>> cases;
  auto with = [&](const std::function<void(Poco::JWT::Token&)>& change) {
    Poco::JWT::Token token = canary_claims();
    change(token);
    return token;
  };
  const std::string valid_hs = SignHs256(canary_claims());
  const std::vector<std::string> hs_parts = Split(valid_hs);
  cases.push_back({&hs, SignHs256(canary_claims(), "CANARY-wrong-secret-0123456789abcdef")});
  cases.push_back({&hs, hs_parts[0] + "." + hs_parts[1] + "." + hs_parts[2] + "x"});
  cases.push_back({&hs, SignHs256(with([](auto& t) { t.payload().set("exp", kNow - 3600); }))});
  cases.push_back({&hs, SignHs256(with([](auto& t) { t.payload().set("nbf", kNow + 3600); }))});
  cases.push_back({&hs, SignHs256(with([](auto& t) { t.payload().remove("exp"); }))});
  cases.push_back({&hs, SignHs256(with([](auto& t) { t.setIssuer("https://evil.example"); }))});
  cases.push_back({&hs, SignHs256(with([](auto& t) { t.setAudience("CANARY-aud"); }))});
  cases.push_back({&hs, SignHs256(with([](auto& t) { t.setSubject(""); }))});
  cases.push_back({&hs, SignWith(canary_claims(), RsaKey())});
  cases.push_back({&hs, Base64Url(R"({"alg":"none"})") + "." + hs_parts[1] + "."});
  cases.push_back({&hs, hs_parts[0] + "." + Base64Url("CANARY-not-json") + "." + hs_parts[2]});
  cases.push_back({&hs, "CANARY-garbage." + hs_parts[1] + "." + hs_parts[2]});
  cases.push_back({&hs, valid_hs + ".CANARY"});
  cases.push_back({&rs, valid_hs});
  cases.push_back({&rs, SignHs256(canary_claims(), RsaPublicPem())});
  cases.push_back({&rs, SignWith(canary_claims(), OtherRsaKey())});
  cases.push_back(
      {&rs, SignWith(with([](auto& t) { t.payload().set("exp", kNow - 3600); }), RsaKey())});

  std::vector<std::string> pem_lines;
  {
    std::istringstream in(RsaPublicPem());
    for (std::string line; std::getline(in, line);) {
      if (line.size() > 20) pem_lines.push_back(line);
    }
  }
  for (const auto& [verifier, token] : cases) {
    StatusOr<Identity> result = verifier->Verify(token, kNow);
    ASSERT_FALSE(result.ok()) << "accepted a bad token";
    const std::string& message = result.status().message();
    SCOPED_TRACE(message);
    EXPECT_EQ(message.find("CANARY"), std::string::npos);
    EXPECT_EQ(message.find(kSecret), std::string::npos);
    EXPECT_EQ(message.find(token), std::string::npos);
    for (const std::string& part : Split(token)) {
      if (part.size() >= 8) {
        EXPECT_EQ(message.find(part), std::string::npos);
      }
    }
    for (const std::string& line : pem_lines) EXPECT_EQ(message.find(line), std::string::npos);
  }
}

// ---------------------------------------------------------------------------
// Thread-safety: one verifier, many threads.

TEST(JwtVerifierTest, VerifiesConcurrently) {
  const JwtVerifier hs = MustCreate(Hs256Config());
  const JwtVerifier rs = MustCreate(Rs256Config());
  const std::string good_hs = SignHs256(Claims());
  const std::string good_rs = SignWith(Claims(), RsaKey());
  const std::string bad_rs = SignWith(Claims(), OtherRsaKey());
  const std::string forged = SignHs256(Claims(), RsaPublicPem());
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (!hs.Verify(good_hs, kNow).ok()) ++wrong;
        if (!rs.Verify(good_rs, kNow).ok()) ++wrong;
        if (rs.Verify(bad_rs, kNow).ok()) ++wrong;
        if (rs.Verify(forged, kNow).ok()) ++wrong;
        if (hs.Verify(good_hs, kNow + 7200).ok()) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

// ---------------------------------------------------------------------------
// JwtConfigFromJson

Poco::JSON::Object::Ptr ParseObject(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

void ExpectConfigRefused(const std::string& json, const std::string& message) {
  StatusOr<JwtConfig> config = JwtConfigFromJson(*ParseObject(json));
  ASSERT_FALSE(config.ok()) << json;
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().message(), message);
}

TEST(JwtConfigFromJsonTest, ReadsEveryKey) {
  StatusOr<JwtConfig> config = JwtConfigFromJson(
      *ParseObject(R"({"issuer":"https://idp.example","audience":"herald","hs256_secret":"s3cret",)"
                   R"("rs256_public_key_pem":"-----BEGIN PUBLIC KEY-----","leeway_seconds":30})"));
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->issuer, "https://idp.example");
  EXPECT_EQ(config->audience, "herald");
  EXPECT_EQ(config->hs256_secret, "s3cret");
  EXPECT_EQ(config->rs256_public_key_pem, "-----BEGIN PUBLIC KEY-----");
  EXPECT_EQ(config->leeway_seconds, 30);
}

TEST(JwtConfigFromJsonTest, LeewayDefaultsToSixty) {
  StatusOr<JwtConfig> config = JwtConfigFromJson(*ParseObject(R"({"issuer":"i"})"));
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->leeway_seconds, 60);
  EXPECT_EQ(config->audience, "");
}

TEST(JwtConfigFromJsonTest, FeedsCreate) {
  StatusOr<JwtConfig> config = JwtConfigFromJson(*ParseObject(
      std::string(R"({"issuer":"https://idp.example","audience":"herald","hs256_secret":")") +
      kSecret + R"(","leeway_seconds":0})"));
  ASSERT_TRUE(config.ok()) << config.status().message();
  StatusOr<JwtVerifier> verifier = JwtVerifier::Create(*config);
  ASSERT_TRUE(verifier.ok()) << verifier.status().message();
  EXPECT_TRUE(verifier->Verify(SignHs256(Claims()), kNow).ok());

  config = JwtConfigFromJson(*ParseObject(R"({"issuer":"https://idp.example"})"));
  ASSERT_TRUE(config.ok());
  ExpectInvalid(JwtVerifier::Create(*config), "sso.audience: required");
}

TEST(JwtConfigFromJsonTest, RefusesUnknownKeysNamingThem) {
  ExpectConfigRefused(R"({"issuer":"i","issuer_url":"x"})",
                      "sso: unknown key 'issuer_url' (known: audience, hs256_secret, issuer, "
                      "leeway_seconds, rs256_public_key_pem)");
  ExpectConfigRefused(R"({"secret":"x","algorithm":"HS256"})",
                      "sso: unknown keys 'algorithm', 'secret' (known: audience, hs256_secret, "
                      "issuer, leeway_seconds, rs256_public_key_pem)");
}

TEST(JwtConfigFromJsonTest, RefusesStringsOfTheWrongType) {
  ExpectConfigRefused(R"({"issuer":5})", "sso.issuer: must be a string");
  ExpectConfigRefused(R"({"audience":["herald"]})", "sso.audience: must be a string");
  ExpectConfigRefused(R"({"hs256_secret":null})", "sso.hs256_secret: must be a string");
  ExpectConfigRefused(R"({"rs256_public_key_pem":{}})",
                      "sso.rs256_public_key_pem: must be a string");
}

TEST(JwtConfigFromJsonTest, RefusesALeewayThatIsNotAnInteger) {
  for (const char* leeway : {R"("60")", "1.5", "true", "null", "[60]", "18446744073709551615"}) {
    ExpectConfigRefused(std::string(R"({"leeway_seconds":)") + leeway + "}",
                        "sso.leeway_seconds: must be an integer");
  }
  StatusOr<JwtConfig> config = JwtConfigFromJson(*ParseObject(R"({"leeway_seconds":-5})"));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->leeway_seconds, -5);  // read as given; Create refuses it
}

TEST(JwtConfigFromJsonTest, NeverEchoesTheSecret) {
  StatusOr<JwtConfig> config = JwtConfigFromJson(*ParseObject(
      R"({"hs256_secret":"CANARY-secret-0123456789abcdef-xyz","leeway_seconds":"x"})"));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message().find("CANARY"), std::string::npos);
}

}  // namespace
}  // namespace herald::sso
