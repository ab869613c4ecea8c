#include "cli/settings.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace herald::cli {
namespace {

std::optional<std::string> NonEmpty(std::optional<std::string> value) {
  if (value && value->empty()) return std::nullopt;
  return value;
}

std::string Trim(const std::string& s) {
  const char* space = " \t\r\n";
  std::size_t first = s.find_first_not_of(space);
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(space) - first + 1);
}

std::string ReadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UsageError("cannot read token file '" + path +
                     "' (HERALD_TOKEN_FILE): " + std::strerror(errno));
  }
  std::ostringstream content;
  content << in.rdbuf();
  return Trim(content.str());
}

}  // namespace

Environment ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

const ArgSpec& GlobalSpec() {
  static const ArgSpec spec{
      .options =
          {
              {.name = "server",
               .value_name = "URL",
               .help = "heraldd address (default: $HERALD_URL, else " +
                       std::string(kDefaultServerUrl) + ")"},
              {.name = "token",
               .value_name = "TOKEN",
               .help = "API token (default: $HERALD_TOKEN, else the file $HERALD_TOKEN_FILE)"},
              {.name = "json", .help = "Print the server's JSON response as is"},
              {.name = "help", .help = "Show help", .short_name = 'h'},
              {.name = "version", .help = "Show the version of herald"},
          },
      .positionals = {},
  };
  return spec;
}

ClientSettings ResolveClientSettings(const ParsedArgs& args, const Environment& env) {
  ClientSettings settings;
  settings.server_url =
      NonEmpty(args.Value("server"))
          .value_or(NonEmpty(env("HERALD_URL")).value_or(std::string(kDefaultServerUrl)));
  settings.token = NonEmpty(args.Value("token"));
  if (!settings.token) settings.token = NonEmpty(env("HERALD_TOKEN"));
  if (!settings.token) {
    if (auto file = NonEmpty(env("HERALD_TOKEN_FILE"))) {
      settings.token = NonEmpty(ReadTokenFile(*file));
    }
  }
  return settings;
}

}  // namespace herald::cli
