// Keyring: the master keys that encrypt connection credentials at rest.
//
// A keyring holds one or more 256-bit master keys, each with an id. Exactly
// one is active: SecretBox encrypts with it. The others are kept only so that
// data sealed before a rotation still decrypts; once every record has been
// re-sealed with the active key they can be retired.
//
// Master key file format (LoadFile / SaveFile):
//
//   # comments start with '#'; blank lines are ignored
//   <id> <base64 of exactly 32 bytes>
//   <id> <base64 of exactly 32 bytes>
//
// - one key per line, id and key separated by spaces or tabs;
// - the FIRST key line is the active key, later lines are older keys kept to
//   decrypt during a rotation;
// - ids are 1 to 32 characters of [a-z0-9-] and unique within the file;
// - base64 is the standard alphabet with '=' padding (`openssl rand -base64
//   32` prints one);
// - the file must be a regular file with mode 0600 or 0400: a key file that
//   group or others can read or write is refused.
//
// HERALD_MASTER_KEY (FromEnvironmentValue) is the base64 of a single 32-byte
// key; it gets the id "env".
//
// Error messages name the file and line at fault but never contain key
// material (nor, for a malformed line, the line itself, which may be a key).
//
// Thread-safety: a value type. Const member functions may run concurrently;
// Rotate and Retire need exclusive access. SecretBox takes its own copy, so a
// box is unaffected by later changes to the Keyring it was built from.
#ifndef HERALD_CORE_SECRETS_KEYRING_H_
#define HERALD_CORE_SECRETS_KEYRING_H_

#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "herald/core/status.h"

namespace herald::secrets {

inline constexpr std::size_t kMasterKeySize = 32;  // AES-256
inline constexpr std::size_t kMaxKeyIdLength = 32;
// The id given to the key read from HERALD_MASTER_KEY.
inline constexpr std::string_view kEnvironmentKeyId = "env";

struct MasterKey {
  std::string id;
  std::array<unsigned char, kMasterKeySize> bytes{};

  // Wipes the key bytes (OPENSSL_cleanse), so copies do not linger in memory.
  ~MasterKey();
};

class Keyring {
 public:
  // Reads a master key file (format above). Refuses, naming the file: a
  // missing file (kNotFound), a file that is not regular or whose mode is not
  // 0600 or 0400 (kFailedPrecondition), a malformed line, an invalid id, a key
  // that is not exactly 32 bytes, a duplicate id, or a file with no key
  // (kInvalidArgument); a file this process may not read (kPermissionDenied)
  // or cannot read for another reason (kUnavailable).
  static StatusOr<Keyring> LoadFile(const std::filesystem::path& path);

  // Parses the value of HERALD_MASTER_KEY: the base64 of exactly 32 bytes,
  // surrounding whitespace ignored. The key's id is "env". A malformed value
  // is refused (kInvalidArgument) with a message that does not echo it.
  static StatusOr<Keyring> FromEnvironmentValue(std::string_view value);

  // A keyring of one fresh random key (OpenSSL RAND_bytes) with a random id.
  // kInternal only if the system's random source fails.
  static StatusOr<Keyring> Generate();

  // Writes the keyring in the file format above, active key first, replacing
  // `path` atomically: a temporary file in the same directory created with
  // mode 0600, written, fsynced, renamed over `path`, then the directory is
  // fsynced. On failure `path` is unchanged and the temporary file removed.
  Status SaveFile(const std::filesystem::path& path) const;

  // The key new data is sealed with.
  const MasterKey& active() const { return keys_.front(); }

  // The key with this id, or nullptr. The pointer is valid until the next
  // Rotate or Retire.
  const MasterKey* Find(std::string_view id) const;

  // Adds a fresh random key with a new random id, makes it the active key
  // and keeps the previous ones (for decryption only). Returns the new key.
  // Aborts the process if the system's random source fails, which Linux's
  // getrandom does not do once the kernel's pool is initialised.
  const MasterKey& Rotate();

  // Drops the key with this id. Does nothing for the active key (it is never
  // retired, a keyring always holds one) or an id it does not hold.
  void Retire(std::string_view id);

  // Every key's id, the active key's first.
  std::vector<std::string> ids() const;

  // True if `id` is 1 to 32 characters of [a-z0-9-].
  static bool IsValidKeyId(std::string_view id);

 private:
  Keyring() = default;

  std::vector<MasterKey> keys_;  // keys_.front() is the active key
};

}  // namespace herald::secrets

#endif  // HERALD_CORE_SECRETS_KEYRING_H_
