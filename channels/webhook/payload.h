// The bodies the webhook channel sends, in the Standard Webhooks payload
// shape: {"type": "<event>", "timestamp": "<RFC 3339>", "data": {...}}.
// Thread-safe (pure functions).
#ifndef HERALD_CHANNELS_WEBHOOK_PAYLOAD_H_
#define HERALD_CHANNELS_WEBHOOK_PAYLOAD_H_

#include <herald/sdk/plugin.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace herald::webhook {

// The event name of a deployment event kind ("agent.deployed", ...).
std::string_view EventType(herald_deployment_event_kind kind);

// The body of an event: `data_json` is the host's event JSON (agent,
// version, previous_version, content_hash, time, author, comment, channels,
// manifest), embedded as it is when it is a JSON object.
std::string EventBody(std::string_view type, int64_t now_ms, std::string_view data_json);

// The body of a gate request, sent while the deploy is still running:
// agent.deployed with {"gate": true, "agent", "version", "content_hash",
// "time", "snapshot"} (author, comment and the channels' outcomes are not
// known yet).
std::string GateBody(const sdk::Snapshot& snapshot, int64_t now_ms);

}  // namespace herald::webhook

#endif  // HERALD_CHANNELS_WEBHOOK_PAYLOAD_H_
