#include "cli/command_registry.h"

#include <algorithm>
#include <stdexcept>

#include "cli/settings.h"

namespace herald::cli {

std::string JoinWords(const std::vector<std::string>& words, std::size_t count) {
  std::string joined;
  for (std::size_t i = 0; i < count && i < words.size(); ++i) {
    if (i > 0) joined += ' ';
    joined += words[i];
  }
  return joined;
}

void CommandRegistry::Add(Command command) {
  const std::string& name = command.name;
  bool malformed = name.empty() || name.front() == ' ' || name.back() == ' ' ||
                   name.find("  ") != std::string::npos || name.front() == '-';
  if (malformed) throw std::logic_error("malformed command name '" + name + "'");
  if (!command.run) throw std::logic_error("command '" + name + "' has no run function");
  MergeSpecs(GlobalSpec(), command.args);  // throws on a clash or an invalid spec
  if (!commands_.emplace(name, std::move(command)).second) {
    throw std::logic_error("command '" + name + "' registered twice");
  }
}

CommandRegistry::Match CommandRegistry::Find(const std::vector<std::string>& words) const {
  for (std::size_t n = words.size(); n > 0; --n) {
    auto it = commands_.find(JoinWords(words, n));
    if (it != commands_.end()) return Match{&it->second, n};
  }
  return Match{};
}

std::vector<const Command*> CommandRegistry::Children(
    const std::vector<std::string>& prefix) const {
  std::string start = prefix.empty() ? "" : JoinWords(prefix, prefix.size()) + " ";
  std::vector<const Command*> children;
  for (auto it = commands_.lower_bound(start);
       it != commands_.end() && it->first.starts_with(start); ++it) {
    children.push_back(&it->second);
  }
  return children;
}

}  // namespace herald::cli
