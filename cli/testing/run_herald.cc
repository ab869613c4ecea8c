#include "cli/testing/run_herald.h"

#include <sstream>

#include "cli/app.h"
#include "cli/commands/builtin.h"

namespace herald::cli::testing {

HeraldRun RunHerald(const std::vector<std::string>& tokens,
                    const std::map<std::string, std::string>& env, const std::string& stdin_text) {
  CommandRegistry registry;
  RegisterBuiltinCommands(registry);
  Environment lookup = [&env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  std::istringstream in(stdin_text);
  std::ostringstream out;
  std::ostringstream err;
  HeraldRun run;
  run.status = RunCli(tokens, registry, lookup, in, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

}  // namespace herald::cli::testing
