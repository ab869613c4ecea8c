// A `herald` command: its name, help, argument spec and run function.
//
// The run function gets a CommandContext and returns the exit status (see
// exit_status.h). It writes its normal output to `out` and diagnostics to
// `err` — never to std::cout/std::cerr — so tests can capture both — and reads
// standard input, when it needs it, from `in`. It may
// throw UsageError for a bad argument value (exit status 2). When `json` is
// set it prints the server's JSON body as is instead of human output.
#ifndef HERALD_CLI_COMMAND_H_
#define HERALD_CLI_COMMAND_H_

#include <functional>
#include <istream>
#include <ostream>
#include <string>

#include "cli/api_client.h"
#include "cli/args.h"

namespace herald::cli {

struct CommandContext {
  const ParsedArgs& args;  // global and command options, the command's positionals
  const ApiClient& api;
  std::istream& in;  // standard input (injected, so tests can feed it)
  std::ostream& out;
  std::ostream& err;
  bool json;  // --json was given
};

struct Command {
  // One or more words separated by single spaces: "plugins", "connections add".
  std::string name{};
  // One line for the command list in `herald --help`.
  std::string summary{};
  // The command's own options and positionals; global options are added to it.
  ArgSpec args{};
  std::function<int(CommandContext&)> run{};
  // Optional paragraph for `herald help NAME`.
  std::string description{};
};

}  // namespace herald::cli

#endif  // HERALD_CLI_COMMAND_H_
