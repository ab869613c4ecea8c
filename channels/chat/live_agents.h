// LiveAgents: which agents the chat channel serves, at which version and with
// which access mode, as publish and unpublish left them.
//
// In memory only. heraldd republishes every live channel when it starts
// (start-up recovery), so the map is rebuilt before the first request is
// served; persisting it in the host's key-value store would only add a second
// source of truth that could disagree with the host's deployments after a
// crash between the two writes.
//
// The version recorded is what publish received; the version that answers a
// turn is the one the host names in the turn's `begin` (the host switches
// versions between turns, never within one).
//
// Thread-safe: request handlers read concurrently while publish and unpublish
// write.
#ifndef HERALD_CHANNELS_CHAT_LIVE_AGENTS_H_
#define HERALD_CHANNELS_CHAT_LIVE_AGENTS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "channels/chat/access.h"

namespace herald::chat {

struct LiveAgent {
  uint64_t version = 0;
  Access access = Access::kPublic;
};

class LiveAgents {
 public:
  // Records (or replaces) what the channel serves for `agent_id`.
  void Publish(std::string_view agent_id, LiveAgent agent);
  // Forgets `agent_id`; true when it was published.
  bool Unpublish(std::string_view agent_id);
  std::optional<LiveAgent> Find(std::string_view agent_id) const;

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, LiveAgent, std::less<>> agents_;  // guarded by mu_
};

}  // namespace herald::chat

#endif  // HERALD_CHANNELS_CHAT_LIVE_AGENTS_H_
