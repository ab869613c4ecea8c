#include "channels/chat/chat_channel.h"

#include <stdexcept>
#include <string>

#include "channels/chat/access.h"
#include "channels/chat/chat_json.h"

namespace herald::chat {

ChatChannel::ChatChannel(sdk::Host host) : host_(host), messages_(host, &agents_) {
  if (!host_.Has(sdk::Service::kHttpRoutes) || !host_.Has(sdk::Service::kTurns)) {
    throw std::runtime_error("the chat channel needs a host with HTTP routes and turns (ABI 1.1)");
  }
  // The handlers capture `this`: heraldd keeps the instance until it exits,
  // and never serves a plugin's routes after shutting it down.
  auto add = [this](std::string_view method, std::string_view pattern, sdk::HttpHandler handler) {
    sdk::HostResult r = host_.AddRoute(method, pattern, std::move(handler));
    if (!r.ok()) {
      throw std::runtime_error("cannot serve " + std::string(method) + " " + std::string(pattern) +
                               ": " + r.message);
    }
  };
  add("POST", "/{agent}/messages",
      [this](const sdk::HttpRequest& q, const sdk::HttpResponse& r) { messages_.Handle(q, r); });
  add("GET", "/{agent}",
      [this](const sdk::HttpRequest& q, const sdk::HttpResponse& r) { HandleAgent(q, r); });
}

std::vector<sdk::SettingSpec> ChatChannel::DeclareSettings() { return DeclareChatSettings(); }

std::vector<sdk::Problem> ChatChannel::Validate(const sdk::Values& settings) {
  return ValidateChatSettings(settings);
}

void ChatChannel::Publish(const sdk::Snapshot& snapshot, const sdk::Values& settings) {
  std::optional<Access> access = AccessOf(settings);
  if (!access) {
    throw std::invalid_argument("access must be public or sso, got '" +
                                settings.Get(kAccessSetting) + "'");
  }
  agents_.Publish(snapshot.agent_id, LiveAgent{snapshot.version, *access});
  host_.Info("serving agent " + snapshot.agent_id + " version " + std::to_string(snapshot.version) +
             " (" + std::string(AccessName(*access)) + ")");
}

void ChatChannel::Unpublish(std::string_view agent_id) {
  if (agents_.Unpublish(agent_id)) host_.Info("stopped serving agent " + std::string(agent_id));
}

sdk::ChannelStatus ChatChannel::Status(std::string_view agent_id) {
  std::optional<LiveAgent> live = agents_.Find(agent_id);
  if (!live) return {sdk::ChannelState::kNotPublished, {}};
  return {sdk::ChannelState::kPublished, "version " + std::to_string(live->version) + ", " +
                                             std::string(AccessName(live->access)) + " access"};
}

void ChatChannel::HandleAgent(const sdk::HttpRequest& request,
                              const sdk::HttpResponse& response) const {
  const std::string agent_id = request.Param("agent");
  std::optional<LiveAgent> live = agents_.Find(agent_id);
  if (!live) return response.Json(404, ErrorJson("not_found", kNotLive));
  response.Json(200, AgentJson(agent_id, *live));
}

}  // namespace herald::chat
