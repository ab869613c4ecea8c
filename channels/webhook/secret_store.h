// Signing secrets, sealed in the host's secret store: one per endpoint of an
// agent (key "ep/<agent>/<n>") for outbound events and one per agent
// ("in/<agent>") for inbound messages.
//
// A secret record holds the current secret and, after a rotation, the
// previous one until the overlap ends: events are then signed with both
// (receivers can switch at their pace) and inbound messages are accepted
// under either. A secret Herald generates is shown once (RevealOnce); one an
// operator supplies is never shown back.
//
// Secret values are never logged, never in an exception's message. Records
// are cached in memory (this process is the only writer). Thread-safe.
#ifndef HERALD_CHANNELS_WEBHOOK_SECRET_STORE_H_
#define HERALD_CHANNELS_WEBHOOK_SECRET_STORE_H_

#include <herald/sdk/host.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace herald::webhook {

struct SecretRecord {
  std::string current;   // "whsec_..."
  std::string previous;  // empty when none
  int64_t previous_until_ms = 0;
  bool shown = true;  // false: generated and not yet revealed
};

class SecretStore {
 public:
  explicit SecretStore(sdk::Host host) : host_(host) {}
  SecretStore(const SecretStore&) = delete;
  SecretStore& operator=(const SecretStore&) = delete;

  static std::string EndpointKey(const std::string& agent, size_t endpoint) {
    return "ep/" + agent + "/" + std::to_string(endpoint);
  }
  static std::string InboundKey(const std::string& agent) { return "in/" + agent; }

  std::optional<SecretRecord> Load(const std::string& key);
  // The HMAC keys to sign or verify with at `now_ms`: the current one, and
  // the previous while its overlap lasts. Empty when there is no secret.
  std::vector<std::string> Keys(const std::string& key, int64_t now_ms);
  // Generates a secret (not yet shown) when there is none. True when it did.
  bool Ensure(const std::string& key);
  // Makes `given` (or a new secret when empty) current; the old current one
  // stays valid for `overlap_ms`. Returns the new secret. Throws
  // std::invalid_argument for a malformed `given` (the message does not
  // quote it).
  std::string Rotate(const std::string& key, const std::string& given, int64_t now_ms,
                     int64_t overlap_ms);
  // The current secret if it was generated and never shown; marks it shown.
  std::optional<std::string> RevealOnce(const std::string& key);

 private:
  void Save(const std::string& key, const SecretRecord& record);

  sdk::Host host_;
  std::mutex mu_;
  std::map<std::string, SecretRecord> cache_;
};

}  // namespace herald::webhook

#endif  // HERALD_CHANNELS_WEBHOOK_SECRET_STORE_H_
