// herald whoami: GET /v1/me, the user the token belongs to.
#include "cli/commands/builtin.h"
#include "cli/commands/common.h"
#include "cli/exit_status.h"
#include "cli/json_fields.h"
#include "cli/report.h"

namespace herald::cli {
namespace {

int RunWhoami(CommandContext& ctx) {
  ApiResponse response = ctx.api.Get("/v1/me");
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Poco::JSON::Object::Ptr user = ObjectField(AsObject(response.json), "user");
  if (user.isNull()) return ReportUnexpected("no \"user\" in /v1/me answer", ctx.err);
  PrintKeyValues({{"Name", StringField(user, "name")},
                  {"Role", StringField(user, "role")},
                  {"Created", StringField(user, "created_at")},
                  {"Server", ctx.api.server_url()}},
                 ctx.out);
  return kExitOk;
}

}  // namespace

Command WhoamiCommand() {
  return Command{
      .name = "whoami",
      .summary = "Show the user the API token belongs to, and its role",
      .args = {},
      .run = RunWhoami,
      .description = "",
  };
}

}  // namespace herald::cli
