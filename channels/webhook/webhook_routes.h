// The webhook channel's HTTP routes, below /v1/channels/webhook:
//
//   POST /{agent}                          inbound message, signed (no token)
//   GET  /{agent}/deliveries               attempts, newest first (operator)
//   POST /deliveries/{id}/redeliver        send an event again (operator)
//   POST /{agent}/endpoints/{n}/secret     set or rotate a signing secret (operator)
//   GET  /{agent}/endpoints/{n}/secret     show a generated secret, once (operator)
//   POST /{agent}/inbound/secret           set or rotate the inbound secret (operator)
//
// "operator" routes need the Herald API token of an operator or admin: 401
// without a token, 403 for a member. Errors are {"error": {"code",
// "message"}} as in the rest of the API. Handlers are called on the host's
// server threads, many at once; everything they use is thread-safe.
#ifndef HERALD_CHANNELS_WEBHOOK_WEBHOOK_ROUTES_H_
#define HERALD_CHANNELS_WEBHOOK_WEBHOOK_ROUTES_H_

#include <herald/sdk/host.hpp>

#include <cstdint>
#include <functional>

#include "inbound_verifier.h"
#include "outbox.h"
#include "secret_store.h"

namespace herald::webhook {

struct RouteContext {
  sdk::Host host;
  Outbox* outbox;
  SecretStore* secrets;
  InboundVerifier* inbound;
  int64_t overlap_ms;
  // Called when a redelivery was queued (wakes the worker); may be empty.
  std::function<void()> kick;
};

// Adds every route. Throws std::runtime_error when the host refuses one.
// `context` and what it points to must outlive the process's serving.
void AddRoutes(const RouteContext& context);

}  // namespace herald::webhook

#endif  // HERALD_CHANNELS_WEBHOOK_WEBHOOK_ROUTES_H_
