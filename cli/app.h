// RunCli: one run of `herald`, from the command line to the exit status.
//
// It finds the command among the leading words of the command line (global
// options may come before or after them), parses the rest against the global
// options plus the command's spec, resolves where heraldd is and the token,
// and runs the command. It also answers `--help`, `-h`, `help [COMMAND]` and
// `--version`. Usage errors are reported on `err` as "herald: <what>" plus a
// hint, with exit status 2. Nothing is read from std::cin nor written to
// std::cout/std::cerr and the environment is injected, so tests drive it
// exactly as main() does.
#ifndef HERALD_CLI_APP_H_
#define HERALD_CLI_APP_H_

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "cli/command_registry.h"
#include "cli/settings.h"

namespace herald::cli {

// `tokens` are the arguments without the program name.
int RunCli(const std::vector<std::string>& tokens, const CommandRegistry& registry,
           const Environment& env, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace herald::cli

#endif  // HERALD_CLI_APP_H_
