// The Standard Webhooks signing scheme (https://www.standardwebhooks.com):
// secrets, message ids and the `webhook-signature` header.
//
//   signed content  = "<webhook-id>.<webhook-timestamp>.<body>"
//   one signature   = "v1," + base64(HMAC-SHA256(key, signed content))
//   the header      = one signature per key, separated by single spaces
//
// A secret is "whsec_" + base64 of its key bytes (24 to 64 random bytes when
// Herald makes one); the HMAC key is the decoded bytes, not the text.
//
// Stateless and thread-safe. Nothing here logs; error results never carry a
// secret.
#ifndef HERALD_CHANNELS_WEBHOOK_STANDARD_WEBHOOKS_H_
#define HERALD_CHANNELS_WEBHOOK_STANDARD_WEBHOOKS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::webhook {

inline constexpr std::string_view kSecretPrefix = "whsec_";
inline constexpr size_t kMinSecretBytes = 24;
inline constexpr size_t kMaxSecretBytes = 64;
inline constexpr size_t kDefaultSecretBytes = 32;

std::string Base64Encode(std::string_view bytes);
// Standard alphabet with padding; nullopt when `text` is not base64.
std::optional<std::string> Base64Decode(std::string_view text);

// Cryptographically random bytes (OpenSSL RAND_bytes). Throws
// std::runtime_error when the generator fails.
std::string RandomBytes(size_t n);

// A new secret of `bytes` random bytes: "whsec_" + base64.
std::string GenerateSecret(size_t bytes = kDefaultSecretBytes);

// The HMAC key of a "whsec_..." secret; nullopt when it is not one, or its
// key is not 24 to 64 bytes.
std::optional<std::string> SecretKey(std::string_view secret);

// A new message id: "msg_" + 26 characters, sortable by creation time
// (milliseconds, then randomness), so ids listed in key order are oldest first.
std::string NewMessageId(int64_t now_unix_ms);

// "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>".
std::string Sign(std::string_view key, std::string_view id, int64_t timestamp_s,
                 std::string_view body);

// The header value: one signature per key, in order, space separated.
std::string SignatureHeader(const std::vector<std::string>& keys, std::string_view id,
                            int64_t timestamp_s, std::string_view body);

// Whether any "v1," signature in `header` (space separated; other versions
// ignored) is valid for any of `keys`. Compares in constant time.
bool VerifySignatureHeader(const std::vector<std::string>& keys, std::string_view header,
                           std::string_view id, int64_t timestamp_s, std::string_view body);

}  // namespace herald::webhook

#endif  // HERALD_CHANNELS_WEBHOOK_STANDARD_WEBHOOKS_H_
