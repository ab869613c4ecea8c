#include "standard_webhooks.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace herald::webhook {

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  for (char c : text) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/' || c == '=';
    if (!ok) return std::nullopt;
  }
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  if (text.substr(0, text.size() - padding).find('=') != std::string_view::npos) {
    return std::nullopt;
  }
  std::string out(3 * text.size() / 4, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("the random number generator failed");
  }
  return out;
}

std::string GenerateSecret(size_t bytes) {
  if (bytes < kMinSecretBytes || bytes > kMaxSecretBytes) {
    throw std::invalid_argument("a signing secret has 24 to 64 bytes");
  }
  return std::string(kSecretPrefix) + Base64Encode(RandomBytes(bytes));
}

std::optional<std::string> SecretKey(std::string_view secret) {
  if (!secret.starts_with(kSecretPrefix)) return std::nullopt;
  std::optional<std::string> key = Base64Decode(secret.substr(kSecretPrefix.size()));
  if (!key || key->size() < kMinSecretBytes || key->size() > kMaxSecretBytes) return std::nullopt;
  return key;
}

std::string NewMessageId(int64_t now_unix_ms) {
  // Crockford base32: 10 characters of milliseconds, 16 of randomness.
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string id = "msg_";
  uint64_t ms = static_cast<uint64_t>(now_unix_ms < 0 ? 0 : now_unix_ms);
  char time_part[10];
  for (int i = 9; i >= 0; --i) {
    time_part[i] = kAlphabet[ms & 31];
    ms >>= 5;
  }
  id.append(time_part, 10);
  std::string random = RandomBytes(16);
  for (int i = 0; i < 16; ++i) id += kAlphabet[static_cast<unsigned char>(random[i]) & 31];
  return id;
}

std::string Sign(std::string_view key, std::string_view id, int64_t timestamp_s,
                 std::string_view body) {
  std::string content;
  content.reserve(id.size() + body.size() + 24);
  content.append(id).append(".").append(std::to_string(timestamp_s)).append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac,
           &mac_len) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return "v1," + Base64Encode(std::string_view(reinterpret_cast<const char*>(mac), mac_len));
}

std::string SignatureHeader(const std::vector<std::string>& keys, std::string_view id,
                            int64_t timestamp_s, std::string_view body) {
  std::string out;
  for (const std::string& key : keys) {
    if (!out.empty()) out += ' ';
    out += Sign(key, id, timestamp_s, body);
  }
  return out;
}

bool VerifySignatureHeader(const std::vector<std::string>& keys, std::string_view header,
                           std::string_view id, int64_t timestamp_s, std::string_view body) {
  std::vector<std::string> expected;
  expected.reserve(keys.size());
  for (const std::string& key : keys) expected.push_back(Sign(key, id, timestamp_s, body));
  bool ok = false;
  size_t i = 0;
  while (i < header.size()) {
    size_t j = header.find(' ', i);
    if (j == std::string_view::npos) j = header.size();
    std::string_view candidate = header.substr(i, j - i);
    i = j + 1;
    if (!candidate.starts_with("v1,")) continue;
    for (const std::string& e : expected) {
      if (e.size() == candidate.size() &&
          CRYPTO_memcmp(e.data(), candidate.data(), e.size()) == 0) {
        ok = true;
      }
    }
  }
  return ok;
}

}  // namespace herald::webhook
