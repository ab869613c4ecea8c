// The commands built into `herald`. Each command, or group of commands
// ("connections add", "connections list", ...), lives in its own file under
// cli/commands/ and exposes one function returning its Command (or, for a
// group, its Commands); RegisterBuiltinCommands adds them all.
//
// To add a command: write cli/commands/NAME.cc defining `Command NameCommand()`
// (or `std::vector<Command> NameCommands()` for a group), declare it below,
// add it to RegisterBuiltinCommands in builtin.cc, and list the file in
// cli/CMakeLists.txt. Helpers shared by commands are in common.h.
#ifndef HERALD_CLI_COMMANDS_BUILTIN_H_
#define HERALD_CLI_COMMANDS_BUILTIN_H_

#include <vector>

#include "cli/command.h"
#include "cli/command_registry.h"

namespace herald::cli {

Command HealthCommand();                        // herald health
Command PluginsCommand();                       // herald plugins
Command WhoamiCommand();                        // herald whoami
std::vector<Command> UsersCommands();           // herald users add|list|remove
std::vector<Command> ConnectionsCommands();     // herald connections add|list|show|configure|...
std::vector<Command> ToolsCommands();           // herald tools import|list|show|bind|unbind|remove
std::vector<Command> AdminCommands();           // herald admin rotate-key
std::vector<Command> AgentsCommands();          // herald agents create|list|show|set|remove|history
std::vector<Command> AgentKnowledgeCommands();  // herald agents knowledge upload|list|...
std::vector<Command> AgentLinksCommands();      // herald agents add-tool|share|set-channel|...
std::vector<Command> ApplyCommands();           // herald apply|export
std::vector<Command> DeployCommands();          // herald summary|deploy|undeploy|rollback|...
std::vector<Command> VersionsCommands();        // herald versions|diff
Command PreviewCommand();                       // herald preview
Command SearchCommand();                        // herald search
std::vector<Command> WebhooksCommands();        // herald webhooks deliveries|redeliver
Command ChatCommand();                          // herald chat
Command VoiceCommand();                         // herald voice

void RegisterBuiltinCommands(CommandRegistry& registry);

}  // namespace herald::cli

#endif  // HERALD_CLI_COMMANDS_BUILTIN_H_
