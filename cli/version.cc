#include "cli/version.h"

#ifndef HERALD_CLI_VERSION
#error "HERALD_CLI_VERSION must be defined by the build"
#endif

namespace herald::cli {

std::string_view Version() { return HERALD_CLI_VERSION; }

}  // namespace herald::cli
