#include "cli/commands/builtin.h"

#include <utility>

namespace herald::cli {

void RegisterBuiltinCommands(CommandRegistry& registry) {
  registry.Add(HealthCommand());
  registry.Add(PluginsCommand());
  registry.Add(WhoamiCommand());
  registry.Add(SearchCommand());
  registry.Add(ChatCommand());
  registry.Add(VoiceCommand());
  registry.Add(PreviewCommand());
  for (auto* group : {UsersCommands, ConnectionsCommands, ToolsCommands, AdminCommands,
                      AgentsCommands, AgentKnowledgeCommands, AgentLinksCommands, ApplyCommands,
                      DeployCommands, VersionsCommands, WebhooksCommands}) {
    for (Command& command : group()) registry.Add(std::move(command));
  }
}

}  // namespace herald::cli
