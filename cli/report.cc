#include "cli/report.h"

#include <string>

#include "cli/exit_status.h"

namespace herald::cli {

int ReportError(const ApiError& error, std::ostream& err) {
  if (error.kind == ApiErrorKind::kUnreachable) {
    err << "error: " << error.message << '\n';
    return kExitUnreachable;
  }
  err << "error: " << error.message << " (" << error.code << ")\n";
  return kExitServerError;
}

int ReportUnexpected(std::string_view what, std::ostream& err) {
  return ReportError(ApiError{ApiErrorKind::kBadResponse, "bad_response",
                              "unexpected response from heraldd: " + std::string(what)},
                     err);
}

void PrintJsonBody(const ApiResponse& response, std::ostream& out) {
  out << response.body;
  if (response.body.empty() || response.body.back() != '\n') out << '\n';
}

}  // namespace herald::cli
