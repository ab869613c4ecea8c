#include "cli/help.h"

#include <algorithm>
#include <utility>

#include "cli/settings.h"
#include "cli/table.h"

namespace herald::cli {
namespace {

using Lines = std::vector<std::pair<std::string, std::string>>;

// "  left    right" with the right-hand texts aligned.
void PrintAligned(const Lines& lines, std::ostream& out) {
  std::size_t width = 0;
  for (const auto& [left, right] : lines) width = std::max(width, DisplayWidth(left));
  for (const auto& [left, right] : lines) {
    out << "  " << left;
    if (!right.empty()) out << std::string(width - DisplayWidth(left) + 2, ' ') << right;
    out << '\n';
  }
}

Lines OptionLines(const ArgSpec& spec) {
  Lines lines;
  for (const OptionSpec& o : spec.options) {
    std::string left = o.short_name != '\0' ? std::string("-") + o.short_name + ", " : "";
    left += "--" + o.name;
    if (!o.value_name.empty()) left += " " + o.value_name;
    std::string help = o.help;
    if (o.repeatable) help += help.empty() ? "(repeatable)" : " (repeatable)";
    lines.emplace_back(std::move(left), std::move(help));
  }
  return lines;
}

Lines CommandLines(const std::vector<const Command*>& commands) {
  Lines lines;
  for (const Command* c : commands) lines.emplace_back(c->name, c->summary);
  return lines;
}

}  // namespace

std::string UsageLine(const Command& command) {
  std::string line = "herald " + command.name;
  if (!command.args.options.empty()) line += " [OPTIONS]";
  for (const PositionalSpec& p : command.args.positionals) {
    switch (p.arity) {
      case Arity::kRequired:
        line += " " + p.name;
        break;
      case Arity::kOptional:
        line += " [" + p.name + "]";
        break;
      case Arity::kVariadic:
        line += " [" + p.name + "...]";
        break;
    }
  }
  return line;
}

void PrintOverviewHelp(const CommandRegistry& registry, std::ostream& out) {
  out << "Usage: herald [GLOBAL OPTIONS] COMMAND [ARGS]\n\n"
         "Manage a heraldd daemon through its REST API.\n\n"
         "Commands:\n";
  PrintAligned(CommandLines(registry.Children({})), out);
  out << "\nGlobal options (before or after the command):\n";
  PrintAligned(OptionLines(GlobalSpec()), out);
  out << "\nExit status: 0 success, 1 heraldd answered with an error, 2 usage error,\n"
         "3 heraldd could not be reached.\n"
         "Run 'herald help COMMAND' for a command's arguments and options.\n";
}

void PrintCommandHelp(const Command& command, std::ostream& out) {
  out << "Usage: " << UsageLine(command) << "\n\n" << command.summary << "\n";
  if (!command.description.empty()) out << "\n" << command.description << "\n";
  Lines arguments;
  for (const PositionalSpec& p : command.args.positionals) arguments.emplace_back(p.name, p.help);
  if (!arguments.empty()) {
    out << "\nArguments:\n";
    PrintAligned(arguments, out);
  }
  if (!command.args.options.empty()) {
    out << "\nOptions:\n";
    PrintAligned(OptionLines(command.args), out);
  }
  out << "\nGlobal options:\n";
  PrintAligned(OptionLines(GlobalSpec()), out);
}

void PrintGroupHelp(const CommandRegistry& registry, const std::vector<std::string>& prefix,
                    std::ostream& out) {
  std::string group = JoinWords(prefix, prefix.size());
  out << "Usage: herald " << group << " SUBCOMMAND [ARGS]\n\nSubcommands:\n";
  PrintAligned(CommandLines(registry.Children(prefix)), out);
  out << "\nRun 'herald help " << group << " SUBCOMMAND' for a subcommand's options.\n";
}

}  // namespace herald::cli
