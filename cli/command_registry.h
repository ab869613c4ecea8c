// CommandRegistry: the set of `herald` commands, looked up by their words.
//
// Names are one or more words ("plugins", "connections add"). Lookup takes the
// leading positional words of a command line and finds the command with the
// longest matching name, so "connections add ID" finds "connections add" with
// "ID" left as its argument. A prefix shared by several commands
// ("connections") is a group: Children() lists its commands for help and for
// the "missing subcommand" error. Add() rejects, with std::logic_error, an
// empty or malformed name, a duplicate name, a missing run function, and
// options that clash with the global options.
#ifndef HERALD_CLI_COMMAND_REGISTRY_H_
#define HERALD_CLI_COMMAND_REGISTRY_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "cli/command.h"

namespace herald::cli {

class CommandRegistry {
 public:
  struct Match {
    const Command* command = nullptr;  // null if no command matched
    std::size_t words = 0;             // how many leading words its name took
  };

  void Add(Command command);

  Match Find(const std::vector<std::string>& words) const;

  // The commands whose name starts with `prefix` followed by more words, by
  // name; with an empty prefix, all commands.
  std::vector<const Command*> Children(const std::vector<std::string>& prefix) const;

 private:
  std::map<std::string, Command> commands_;  // by name, so listings are sorted
};

// "connections add" from {"connections", "add"}.
std::string JoinWords(const std::vector<std::string>& words, std::size_t count);

}  // namespace herald::cli

#endif  // HERALD_CLI_COMMAND_REGISTRY_H_
