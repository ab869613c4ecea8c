// herald: the command-line client of heraldd. See app.h.
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/commands/builtin.h"

int main(int argc, char** argv) {
  // A daemon closing the connection mid-request must be an error, not a kill.
  std::signal(SIGPIPE, SIG_IGN);
  herald::cli::CommandRegistry registry;
  herald::cli::RegisterBuiltinCommands(registry);
  std::vector<std::string> tokens(argv + 1, argv + argc);
  return herald::cli::RunCli(tokens, registry, herald::cli::ProcessEnvironment(), std::cin,
                             std::cout, std::cerr);
}
