// How commands report the outcome of an API call: error messages on the
// error stream with the matching exit status, and --json output.
//
//   server error     "error: <message> (<code>)"                 -> kExitServerError
//   bad response     "error: <message> (bad_response)"           -> kExitServerError
//   unreachable      "error: cannot reach heraldd at URL: why"   -> kExitUnreachable
#ifndef HERALD_CLI_REPORT_H_
#define HERALD_CLI_REPORT_H_

#include <ostream>
#include <string_view>

#include "cli/api_client.h"

namespace herald::cli {

// Prints the error and returns the exit status for it.
int ReportError(const ApiError& error, std::ostream& err);

// For a 2xx answer whose JSON lacks what the command needs; returns kExitServerError.
int ReportUnexpected(std::string_view what, std::ostream& err);

// Prints the body exactly as the server sent it, ending with a newline.
void PrintJsonBody(const ApiResponse& response, std::ostream& out);

}  // namespace herald::cli

#endif  // HERALD_CLI_REPORT_H_
