// The global options every command accepts (--server, --token, --json,
// --help, --version) and how --server and --token resolve, with the
// environment, into the ClientSettings used to reach heraldd:
//   server: --server, else $HERALD_URL, else http://127.0.0.1:8480
//   token:  --token, else $HERALD_TOKEN, else the content of the file named by
//           $HERALD_TOKEN_FILE (surrounding whitespace trimmed), else none.
// Empty values count as unset. The environment is injected so tests stay
// independent of the caller's.
#ifndef HERALD_CLI_SETTINGS_H_
#define HERALD_CLI_SETTINGS_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "cli/api_client.h"
#include "cli/args.h"

namespace herald::cli {

inline constexpr std::string_view kDefaultServerUrl = "http://127.0.0.1:8480";

// Looks up an environment variable; nullopt if unset.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (getenv).
Environment ProcessEnvironment();

// Options named "server", "token" (values), "json", "help" (alias -h), "version" (flags).
const ArgSpec& GlobalSpec();

// Throws UsageError if $HERALD_TOKEN_FILE is needed but cannot be read.
ClientSettings ResolveClientSettings(const ParsedArgs& args, const Environment& env);

}  // namespace herald::cli

#endif  // HERALD_CLI_SETTINGS_H_
