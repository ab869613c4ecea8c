// SecretBox: authenticated encryption of secrets at rest (AES-256-GCM).
//
// Seal encrypts with the keyring's active key, a fresh random 96-bit nonce per
// call, and authenticates `associated_data` alongside: the same associated
// data must be given to Open. Bind every value to where it is stored (see
// CredentialAssociatedData) so a ciphertext copied to another record does not
// decrypt there.
//
// Sealed format (a binary string, version 0x01):
//
//   offset        size  what
//   0             1     format version, 0x01
//   1             1     key id length L (1..32)
//   2             L     key id, ASCII [a-z0-9-]
//   2+L           12    GCM nonce
//   14+L          n     ciphertext (n = plaintext length)
//   14+L+n        16    GCM tag
//
// The version byte, key id and nonce are not themselves in the GCM associated
// data, but changing any of them changes the key or nonce used, so the tag no
// longer verifies (or the key is unknown): tampering anywhere fails Open.
//
// Errors never contain the plaintext, key bytes or associated data values.
// Open refuses: truncated or malformed input and an unknown format version
// (kInvalidArgument); a key id the keyring does not hold, and an
// authentication failure (kFailedPrecondition).
//
// Thread-safety: immutable after construction; Seal, Open and KeyIdOf may run
// concurrently from any number of threads.
#ifndef HERALD_CORE_SECRETS_SECRET_BOX_H_
#define HERALD_CORE_SECRETS_SECRET_BOX_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "herald/core/secrets/keyring.h"
#include "herald/core/status.h"

namespace herald::secrets {

inline constexpr unsigned char kSealedFormatVersion = 0x01;
inline constexpr std::size_t kNonceSize = 12;
inline constexpr std::size_t kTagSize = 16;

class SecretBox {
 public:
  // Takes a copy of the keyring's keys: later Rotate or Retire on `keyring`
  // do not affect this box; build a new box to see them.
  explicit SecretBox(const Keyring& keyring) : keyring_(keyring) {}

  // Encrypts `plaintext` with the active key. kInternal if OpenSSL fails,
  // kPayloadTooLarge for a plaintext over 1 GiB.
  StatusOr<std::string> Seal(std::string_view plaintext, std::string_view associated_data) const;

  // Decrypts what Seal produced with the same associated data, using the key
  // named in `sealed`.
  StatusOr<std::string> Open(std::string_view sealed, std::string_view associated_data) const;

  // The id of the key `sealed` was sealed with (to find records to re-seal
  // after a rotation). Refuses truncated input and unknown versions.
  static StatusOr<std::string> KeyIdOf(std::string_view sealed);

  // The id of the key Seal uses.
  const std::string& active_key_id() const { return keyring_.active().id; }

 private:
  Keyring keyring_;
};

// The associated data that binds a credential value to its place: the
// connection's id, its environment, its owner ("team" or "user:<id>") and the
// credential field's name. Each part is length-prefixed (8-byte big-endian)
// after a fixed domain tag, so distinct tuples never encode alike (e.g.
// ("ab","c") vs ("a","bc")) and a ciphertext moved to another connection,
// environment, owner or field fails to Open.
std::string CredentialAssociatedData(std::string_view connection_id, std::string_view environment,
                                     std::string_view owner, std::string_view field);

}  // namespace herald::secrets

#endif  // HERALD_CORE_SECRETS_SECRET_BOX_H_
