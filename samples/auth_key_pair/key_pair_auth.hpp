// sample_key_pair: a Herald auth type for APIs that identify a caller by an
// application key pair sent as two headers, e.g.
//
//   X-Api-Key-Id: app-1234
//   X-Api-Key:    <the secret key>
//
// The header name is a field too (default "X-Api-Key"; the id goes in
// "<header>-Id"), since every API picks its own.
#ifndef HERALD_SAMPLES_AUTH_KEY_PAIR_KEY_PAIR_AUTH_HPP_
#define HERALD_SAMPLES_AUTH_KEY_PAIR_KEY_PAIR_AUTH_HPP_

#include <herald/sdk/plugin.hpp>

#include <cstdint>
#include <vector>

namespace sample_key_pair {

inline constexpr char kName[] = "sample_key_pair";
inline constexpr char kVersion[] = "1.0.0";
inline constexpr char kDescription[] = "Sample auth type: an application key id and secret key";

class KeyPairAuth : public herald::sdk::AuthType {
 public:
  explicit KeyPairAuth(herald::sdk::Host host);

  // key_id (not secret), secret (secret), header (optional).
  static std::vector<herald::sdk::FieldSpec> DeclareFields();
  // Key pairs are issued to an application, so only team credentials.
  static uint32_t AllowedCredentialTypes();

  std::vector<herald::sdk::Problem> Validate(const herald::sdk::Values& fields) override;
  void Apply(const herald::sdk::Values& fields, herald::sdk::AppliedAuth& request) override;
  bool Satisfies(const herald::sdk::Values& fields,
                 const herald::sdk::SecurityScheme& scheme) override;

 private:
  // No mutable state: Apply runs for many requests at once and needs no lock.
  herald::sdk::Host host_;
};

}  // namespace sample_key_pair

#endif  // HERALD_SAMPLES_AUTH_KEY_PAIR_KEY_PAIR_AUTH_HPP_
