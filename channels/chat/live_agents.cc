#include "channels/chat/live_agents.h"

#include <mutex>

namespace herald::chat {

void LiveAgents::Publish(std::string_view agent_id, LiveAgent agent) {
  std::unique_lock lock(mu_);
  auto it = agents_.find(agent_id);
  if (it == agents_.end()) {
    agents_.emplace(std::string(agent_id), agent);
  } else {
    it->second = agent;
  }
}

bool LiveAgents::Unpublish(std::string_view agent_id) {
  std::unique_lock lock(mu_);
  auto it = agents_.find(agent_id);
  if (it == agents_.end()) return false;
  agents_.erase(it);
  return true;
}

std::optional<LiveAgent> LiveAgents::Find(std::string_view agent_id) const {
  std::shared_lock lock(mu_);
  auto it = agents_.find(agent_id);
  if (it == agents_.end()) return std::nullopt;
  return it->second;
}

}  // namespace herald::chat
