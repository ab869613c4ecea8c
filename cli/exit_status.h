// The exit statuses of `herald`, part of its scripting interface.
#ifndef HERALD_CLI_EXIT_STATUS_H_
#define HERALD_CLI_EXIT_STATUS_H_

namespace herald::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitServerError = 1;  // heraldd answered with an error (or nonsense)
inline constexpr int kExitUsage = 2;        // bad command line or local configuration
inline constexpr int kExitUnreachable = 3;  // heraldd could not be reached

}  // namespace herald::cli

#endif  // HERALD_CLI_EXIT_STATUS_H_
