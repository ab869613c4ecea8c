// The commands built into `herald`. Each lives in its own file under
// cli/commands/ and exposes one function returning its Command;
// RegisterBuiltinCommands adds them all.
//
// To add a command: write cli/commands/NAME.cc defining `Command NameCommand()`,
// declare it below, add it to RegisterBuiltinCommands in builtin.cc, and list
// the file in cli/CMakeLists.txt.
#ifndef HERALD_CLI_COMMANDS_BUILTIN_H_
#define HERALD_CLI_COMMANDS_BUILTIN_H_

#include "cli/command.h"
#include "cli/command_registry.h"

namespace herald::cli {

Command HealthCommand();   // herald health
Command PluginsCommand();  // herald plugins

void RegisterBuiltinCommands(CommandRegistry& registry);

}  // namespace herald::cli

#endif  // HERALD_CLI_COMMANDS_BUILTIN_H_
