// herald health: GET /healthz, printed as "heraldd 0.1.0 at http://...: ok".
// Exits 0 only when the status is "ok"; a daemon that answers with another
// status (e.g. 503 {"status":"degraded"}) is still described, with status 1.
#include <string>

#include "cli/commands/builtin.h"
#include "cli/exit_status.h"
#include "cli/json_fields.h"
#include "cli/report.h"

namespace herald::cli {
namespace {

int RunHealth(CommandContext& ctx) {
  ApiResponse response = ctx.api.Get("/healthz");
  Poco::JSON::Object::Ptr body = AsObject(response.json);
  std::string status = StringField(body, "status");
  bool described =
      response.ok() || (response.error->kind == ApiErrorKind::kServer && !status.empty());
  if (!described) return ReportError(*response.error, ctx.err);
  if (ctx.json) {
    PrintJsonBody(response, ctx.out);
  } else {
    if (status.empty()) return ReportUnexpected("no \"status\" in /healthz answer", ctx.err);
    std::string version = StringField(body, "version");
    ctx.out << "heraldd " << (version.empty() ? "(unknown version)" : version) << " at "
            << ctx.api.server_url() << ": " << status << '\n';
  }
  return status == "ok" ? kExitOk : kExitServerError;
}

}  // namespace

Command HealthCommand() {
  return Command{
      .name = "health",
      .summary = "Show whether heraldd is up, and its version",
      .args = {},
      .run = RunHealth,
      .description = "Exits with status 0 when heraldd reports \"ok\", 1 otherwise.",
  };
}

}  // namespace herald::cli
