// Key check: tells at start-up whether a master key decrypts a data
// directory's existing secrets, before anything is read or written with it.
//
// When a data directory is created, heraldd stores MakeKeyCheck's output
// beside the secrets; on every later start it calls VerifyKeyCheck with the
// configured key and refuses to start on an error, instead of failing later on
// each credential. After a rotation, re-make the check with the new active key
// once every record is re-sealed, before retiring the old key.
//
// The check is a fixed, public plaintext sealed with the fixed associated data
// "herald-key-check"; it reveals nothing about the key or the secrets.
//
// Thread-safety: free functions over a (thread-safe) SecretBox.
#ifndef HERALD_CORE_SECRETS_KEY_CHECK_H_
#define HERALD_CORE_SECRETS_KEY_CHECK_H_

#include <string>
#include <string_view>

#include "herald/core/secrets/secret_box.h"
#include "herald/core/status.h"

namespace herald::secrets {

inline constexpr std::string_view kKeyCheckAssociatedData = "herald-key-check";

// Seals the known plaintext with the box's active key (SecretBox format).
StatusOr<std::string> MakeKeyCheck(const SecretBox& box);

// OK if `sealed` (from MakeKeyCheck) opens with `box` to the known plaintext.
// Otherwise kFailedPrecondition: "the master key does not decrypt this data
// directory's secrets", followed by the reason (e.g. the key id it was sealed
// with, which the keyring does not hold).
Status VerifyKeyCheck(const SecretBox& box, std::string_view sealed);

}  // namespace herald::secrets

#endif  // HERALD_CORE_SECRETS_KEY_CHECK_H_
