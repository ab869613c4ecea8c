// The "chat" channel: publishing an agent makes it answer users over HTTP,
// below heraldd's /v1/channels/chat/ prefix:
//
//   POST /v1/channels/chat/{agent}/messages   one turn, JSON or server-sent
//                                             events (see messages_route.h)
//   GET  /v1/channels/chat/{agent}            {"agent","live","version","access"}
//
// Only what publish made live answers; after unpublish both routes answer 404
// "agent is not live". Settings: `access`, public or sso (see access.h).
// docs/channels/chat.md describes the API for clients.
//
// Needs a host with ABI 1.1's routes and turns: on an older host init fails
// with the reason. Thread-safe: the host calls publish, unpublish, status and
// the routes from many threads at once.
#ifndef HERALD_CHANNELS_CHAT_CHAT_CHANNEL_H_
#define HERALD_CHANNELS_CHAT_CHAT_CHANNEL_H_

#include <herald/sdk/plugin.hpp>

#include <string_view>
#include <vector>

#include "channels/chat/live_agents.h"
#include "channels/chat/messages_route.h"

namespace herald::chat {

inline constexpr char kName[] = "chat";
inline constexpr char kVersion[] = "1.0.0";
inline constexpr char kDescription[] =
    "Chat over HTTP: JSON or server-sent events at /v1/channels/chat/{agent}/messages";

class ChatChannel : public sdk::Channel {
 public:
  // Registers the routes; throws (failing init) when the host cannot serve them.
  explicit ChatChannel(sdk::Host host);

  static std::vector<sdk::SettingSpec> DeclareSettings();
  std::vector<sdk::Problem> Validate(const sdk::Values& settings) override;
  void Publish(const sdk::Snapshot& snapshot, const sdk::Values& settings) override;
  void Unpublish(std::string_view agent_id) override;
  sdk::ChannelStatus Status(std::string_view agent_id) override;

 private:
  void HandleAgent(const sdk::HttpRequest& request, const sdk::HttpResponse& response) const;

  sdk::Host host_;
  LiveAgents agents_;
  MessagesRoute messages_;
};

}  // namespace herald::chat

#endif  // HERALD_CHANNELS_CHAT_CHAT_CHANNEL_H_
