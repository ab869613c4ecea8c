// The help texts of `herald`: the overview (`herald --help`), one command's
// (`herald help NAME`, `herald NAME --help`) and a group's
// (`herald connections --help`). Generated from the registry and the specs,
// so a new command needs no help text beyond its summary and option lines.
#ifndef HERALD_CLI_HELP_H_
#define HERALD_CLI_HELP_H_

#include <ostream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/command_registry.h"

namespace herald::cli {

void PrintOverviewHelp(const CommandRegistry& registry, std::ostream& out);

void PrintCommandHelp(const Command& command, std::ostream& out);

// For the commands under `prefix` ("connections").
void PrintGroupHelp(const CommandRegistry& registry, const std::vector<std::string>& prefix,
                    std::ostream& out);

// "herald connections add [OPTIONS] ID [NAME]".
std::string UsageLine(const Command& command);

}  // namespace herald::cli

#endif  // HERALD_CLI_HELP_H_
