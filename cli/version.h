// The version of this `herald` build (the project version, e.g. "0.1.0"),
// shown by `herald --version` and sent in the User-Agent header.
#ifndef HERALD_CLI_VERSION_H_
#define HERALD_CLI_VERSION_H_

#include <string_view>

namespace herald::cli {

std::string_view Version();

}  // namespace herald::cli

#endif  // HERALD_CLI_VERSION_H_
