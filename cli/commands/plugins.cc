// herald plugins: GET /v1/plugins, shown as a table of the loaded plugins
// (NAME KIND VERSION ABI PATH) and, if any, a "Refused:" table (PATH REASON).
#include "cli/commands/builtin.h"
#include "cli/exit_status.h"
#include "cli/json_fields.h"
#include "cli/report.h"
#include "cli/table.h"

namespace herald::cli {
namespace {

int RunPlugins(CommandContext& ctx) {
  ApiResponse response = ctx.api.Get("/v1/plugins");
  if (!response.ok()) return ReportError(*response.error, ctx.err);
  if (ctx.json) {
    PrintJsonBody(response, ctx.out);
    return kExitOk;
  }
  Poco::JSON::Object::Ptr body = AsObject(response.json);
  Poco::JSON::Array::Ptr loaded = ArrayField(body, "loaded");
  Poco::JSON::Array::Ptr refused = ArrayField(body, "refused");
  if (loaded.isNull()) return ReportUnexpected("no \"loaded\" list in /v1/plugins answer", ctx.err);

  if (loaded->size() == 0) {
    ctx.out << "No plugins loaded.\n";
  } else {
    Table table({"NAME", "KIND", "VERSION", "ABI", "PATH"});
    for (std::size_t i = 0; i < loaded->size(); ++i) {
      Poco::JSON::Object::Ptr p = ObjectAt(loaded, i);
      table.AddRow({StringField(p, "name"), StringField(p, "kind"), StringField(p, "version"),
                    StringField(p, "abi"), StringField(p, "path")});
    }
    table.Print(ctx.out);
  }

  if (!refused.isNull() && refused->size() > 0) {
    Table table({"PATH", "REASON"});
    for (std::size_t i = 0; i < refused->size(); ++i) {
      Poco::JSON::Object::Ptr p = ObjectAt(refused, i);
      table.AddRow({StringField(p, "path"), StringField(p, "reason")});
    }
    ctx.out << "\nRefused:\n";
    table.Print(ctx.out);
  }
  return kExitOk;
}

}  // namespace

Command PluginsCommand() {
  return Command{
      .name = "plugins",
      .summary = "List the plugins heraldd loaded, and those it refused",
      .args = {},
      .run = RunPlugins,
      .description = "",
  };
}

}  // namespace herald::cli
