#include "cli/commands/builtin.h"

namespace herald::cli {

void RegisterBuiltinCommands(CommandRegistry& registry) {
  registry.Add(HealthCommand());
  registry.Add(PluginsCommand());
}

}  // namespace herald::cli
