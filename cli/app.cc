#include "cli/app.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>

#include "cli/exit_status.h"
#include "cli/help.h"
#include "cli/version.h"

namespace herald::cli {
namespace {

// `help_hint` is the help command that explains the usage: "herald help plugins".
int ReportUsage(std::string_view message, std::string_view help_hint, std::ostream& err) {
  err << "herald: " << message << "\nRun '" << help_hint << "' for usage.\n";
  return kExitUsage;
}

// True if one of `spellings` occurs before any "--".
bool HasOption(const std::vector<std::string>& tokens,
               std::initializer_list<std::string_view> spellings) {
  for (const std::string& token : tokens) {
    if (token == "--") return false;
    if (std::find(spellings.begin(), spellings.end(), token) != spellings.end()) return true;
  }
  return false;
}

int RunCommand(const Command& command, const std::vector<std::string>& rest, const Environment& env,
               std::istream& in, std::ostream& out, std::ostream& err) {
  if (HasOption(rest, {"--help", "-h"})) {
    PrintCommandHelp(command, out);
    return kExitOk;
  }
  if (HasOption(rest, {"--version"})) {
    out << "herald " << Version() << '\n';
    return kExitOk;
  }
  ParsedArgs args = ParseArgs(rest, MergeSpecs(GlobalSpec(), command.args));
  ClientSettings settings = ResolveClientSettings(args, env);
  std::optional<ApiClient> api;
  try {
    api.emplace(std::move(settings));
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  CommandContext context{args, *api, in, out, err, args.Flag("json")};
  return command.run(context);
}

// No command matched: `words` is empty, a group ("connections"), or unknown.
int RunWithoutCommand(const CommandRegistry& registry, const std::vector<std::string>& words,
                      bool help_requested, const std::vector<std::string>& rest,
                      std::ostream& out) {
  bool is_group = !words.empty() && !registry.Children(words).empty();
  if (!words.empty() && !is_group) {
    throw UsageError("unknown command '" + JoinWords(words, words.size()) + "'");
  }
  ParsedArgs args = ParseArgs(rest, GlobalSpec());
  if (args.Flag("version") && !help_requested) {
    out << "herald " << Version() << '\n';
    return kExitOk;
  }
  if (help_requested || args.Flag("help")) {
    if (is_group) {
      PrintGroupHelp(registry, words, out);
    } else {
      PrintOverviewHelp(registry, out);
    }
    return kExitOk;
  }
  if (!is_group) throw UsageError("missing command");
  const std::string group = JoinWords(words, words.size());
  std::string subcommands;
  for (const Command* c : registry.Children(words)) {
    if (!subcommands.empty()) subcommands += ", ";
    subcommands += c->name.substr(group.size() + 1);
  }
  throw UsageError("missing subcommand for '" + group + "' (one of: " + subcommands + ")");
}

}  // namespace

int RunCli(const std::vector<std::string>& tokens, const CommandRegistry& registry,
           const Environment& env, std::istream& in, std::ostream& out, std::ostream& err) {
  std::string help_hint = "herald --help";
  try {
    std::vector<std::size_t> word_indexes = LeadingPositionals(tokens, GlobalSpec());
    std::vector<std::string> words;
    for (std::size_t i : word_indexes) words.push_back(tokens[i]);
    bool help_command = !words.empty() && words.front() == "help";
    if (help_command) words.erase(words.begin());

    CommandRegistry::Match match = registry.Find(words);
    // The tokens left for the parser: all but "help" and the command's words.
    std::size_t consumed = (help_command ? 1 : 0) + (match.command ? match.words : words.size());
    std::set<std::size_t> consumed_indexes(
        word_indexes.begin(), word_indexes.begin() + static_cast<std::ptrdiff_t>(consumed));
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (!consumed_indexes.contains(i)) rest.push_back(tokens[i]);
    }

    if (match.command == nullptr) {
      return RunWithoutCommand(registry, words, help_command, rest, out);
    }
    help_hint = "herald help " + match.command->name;
    if (help_command) {
      PrintCommandHelp(*match.command, out);
      return kExitOk;
    }
    return RunCommand(*match.command, rest, env, in, out, err);
  } catch (const UsageError& e) {
    return ReportUsage(e.what(), help_hint, err);
  } catch (const std::exception& e) {
    err << "herald: internal error: " << e.what() << '\n';
    return kExitServerError;
  }
}

}  // namespace herald::cli
