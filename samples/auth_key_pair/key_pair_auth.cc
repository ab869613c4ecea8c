#include "key_pair_auth.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sample_key_pair {

namespace {

constexpr std::string_view kDefaultHeader = "X-Api-Key";
constexpr size_t kMaxKeyIdLength = 128;
constexpr size_t kMinSecretLength = 16;

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool AllTokenChars(std::string_view s) { return std::all_of(s.begin(), s.end(), IsTokenChar); }

// Visible ASCII only: a header value must not carry spaces, CR or LF.
bool AllVisible(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

std::string HeaderName(const herald::sdk::Values& fields) {
  std::string header = fields.Get("header");
  return header.empty() ? std::string(kDefaultHeader) : header;
}

}  // namespace

KeyPairAuth::KeyPairAuth(herald::sdk::Host host) : host_(host) { host_.Debug("ready"); }

std::vector<herald::sdk::FieldSpec> KeyPairAuth::DeclareFields() {
  return {
      {.name = "key_id", .label = "Key ID", .secret = false, .required = true, .default_value = {}},
      {.name = "secret",
       .label = "Secret key",
       .secret = true,
       .required = true,
       .default_value = {}},
      {.name = "header",
       .label = "Header name",
       .secret = false,
       .required = false,
       .default_value = std::string(kDefaultHeader)},
  };
}

uint32_t KeyPairAuth::AllowedCredentialTypes() { return HERALD_CREDENTIAL_TEAM; }

std::vector<herald::sdk::Problem> KeyPairAuth::Validate(const herald::sdk::Values& fields) {
  std::vector<herald::sdk::Problem> problems;

  std::string key_id = fields.Get("key_id");
  if (key_id.empty()) {
    problems.push_back({"key_id", "is required"});
  } else if (key_id.size() > kMaxKeyIdLength || !AllTokenChars(key_id)) {
    problems.push_back({"key_id", "must be 1 to " + std::to_string(kMaxKeyIdLength) +
                                      " letters, digits, '.', '_' or '-'"});
  }

  // Never quote the secret, not even partly: messages are shown and logged.
  std::string secret = fields.Get("secret");
  if (secret.empty()) {
    problems.push_back({"secret", "is required"});
  } else if (secret.size() < kMinSecretLength) {
    problems.push_back(
        {"secret", "must be at least " + std::to_string(kMinSecretLength) + " characters"});
  } else if (!AllVisible(secret)) {
    problems.push_back({"secret", "must not contain spaces or control characters"});
  }

  if (fields.Has("header") && !AllTokenChars(fields.Get("header"))) {
    problems.push_back({"header", "must be a header name: letters, digits, '.', '_' or '-'"});
  }
  return problems;
}

void KeyPairAuth::Apply(const herald::sdk::Values& fields, herald::sdk::AppliedAuth& request) {
  std::string key_id = fields.Get("key_id");
  std::string secret = fields.Get("secret");
  if (key_id.empty() || secret.empty()) {
    // The message names the fields, never their values.
    throw std::invalid_argument("key_id and secret must both be set");
  }
  std::string header = HeaderName(fields);
  request.headers.emplace_back(header + "-Id", key_id);
  request.headers.emplace_back(header, secret);
}

bool KeyPairAuth::Satisfies(const herald::sdk::Values& fields,
                            const herald::sdk::SecurityScheme& scheme) {
  // An OpenAPI apiKey scheme in a header this connection sends.
  if (scheme.type != HERALD_SCHEME_API_KEY || scheme.in != "header") return false;
  std::string header = HeaderName(fields);
  return EqualsIgnoreCase(scheme.name, header) || EqualsIgnoreCase(scheme.name, header + "-Id");
}

}  // namespace sample_key_pair
