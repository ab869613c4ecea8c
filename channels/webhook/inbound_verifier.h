// Checks an inbound message signed by an integrator's system the Standard
// Webhooks way, with the agent's inbound secret (SecretStore::InboundKey):
// webhook-id, webhook-timestamp and webhook-signature present; the
// timestamp within the tolerance (5 minutes) of the host's clock, either
// way; a signature valid under the current secret (or the previous one
// during a rotation's overlap); and a webhook-id not seen before for the
// agent (ids are remembered, in the plugin's key-value store "seen/<agent>/
// <id>", for twice the tolerance, so a replay is refused across restarts).
//
// Thread-safe: the replay check and the record of an id are one step.
#ifndef HERALD_CHANNELS_WEBHOOK_INBOUND_VERIFIER_H_
#define HERALD_CHANNELS_WEBHOOK_INBOUND_VERIFIER_H_

#include <herald/sdk/host.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "secret_store.h"

namespace herald::webhook {

inline constexpr int64_t kInboundToleranceMs = 5 * 60 * 1000;

class InboundVerifier {
 public:
  InboundVerifier(sdk::Host host, SecretStore* secrets, int64_t tolerance_ms = kInboundToleranceMs)
      : host_(host), secrets_(secrets), tolerance_ms_(tolerance_ms) {}

  // nullopt when the message is good (its id is now recorded as seen);
  // otherwise why not, fit to answer with 401 (never quoting a secret or a
  // signature).
  std::optional<std::string> Verify(const std::string& agent,
                                    const std::map<std::string, std::string>& headers,
                                    const std::string& body);

  // Forgets ids older than twice the tolerance.
  void Prune();

 private:
  sdk::Host host_;
  SecretStore* secrets_;
  int64_t tolerance_ms_;
  std::mutex mu_;
};

}  // namespace herald::webhook

#endif  // HERALD_CHANNELS_WEBHOOK_INBOUND_VERIFIER_H_
