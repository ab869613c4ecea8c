// RunHerald: runs `herald` in-process, as main() does (built-in commands),
// with a given environment and standard input instead of the real ones,
// capturing its exit status, stdout and stderr.
#ifndef HERALD_CLI_TESTING_RUN_HERALD_H_
#define HERALD_CLI_TESTING_RUN_HERALD_H_

#include <map>
#include <string>
#include <vector>

namespace herald::cli::testing {

struct HeraldRun {
  int status = -1;
  std::string out;
  std::string err;
};

HeraldRun RunHerald(const std::vector<std::string>& tokens,
                    const std::map<std::string, std::string>& env = {},
                    const std::string& stdin_text = "");

}  // namespace herald::cli::testing

#endif  // HERALD_CLI_TESTING_RUN_HERALD_H_
