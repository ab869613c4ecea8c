// API tokens: random bearer tokens for heraldd's users, kept only as hashes.
//
// A token is "hrd_" followed by 43 base64url characters (32 random bytes).
// The store keeps the SHA-256 hash (hex), so a stolen database does not yield
// a usable token.
#ifndef HERALD_CORE_AUTH_TOKENS_H_
#define HERALD_CORE_AUTH_TOKENS_H_

#include <string>
#include <string_view>

namespace herald::auth {

// A fresh token from the system's cryptographic random source.
std::string NewToken();

// Lower-case hex SHA-256 of `token`.
std::string HashToken(std::string_view token);

}  // namespace herald::auth

#endif  // HERALD_CORE_AUTH_TOKENS_H_
