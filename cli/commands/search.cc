// herald search TEXT...: the live agents whose live name or description
// matches every word (as a prefix) (GET /v1/live/agents?q=TEXT); without
// TEXT, every live agent.
#include <string>

#include "cli/commands/agents_common.h"
#include "cli/commands/builtin.h"
#include "cli/commands/common.h"
#include "cli/exit_status.h"
#include "cli/json_fields.h"
#include "cli/report.h"
#include "cli/table.h"

namespace herald::cli {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

int RunSearch(CommandContext& ctx) {
  std::string text;
  for (const std::string& word : ctx.args.Positionals("TEXT")) {
    text += (text.empty() ? "" : " ") + word;
  }
  std::string path = "/v1/live/agents";
  if (!text.empty()) path += "?q=" + ApiClient::EscapeSegment(text);
  ApiResponse response = ctx.api.Get(path);
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Array::Ptr agents = ArrayField(AsObject(response.json), "agents");
  if (agents.isNull()) return ReportUnexpected("no \"agents\" list in the answer", ctx.err);
  if (agents->size() == 0) {
    if (text.empty()) {
      ctx.out << "No live agents.\n";
    } else {
      ctx.out << "No live agents match '" << text << "'.\n";
    }
    return kExitOk;
  }
  Table table({"ID", "NAME", "VERSION", "DEPLOYED", "DESCRIPTION"});
  table.SetAlign(2, Align::kRight);
  for (std::size_t i = 0; i < agents->size(); ++i) {
    Object::Ptr a = ObjectAt(agents, i);
    table.AddRow({StringField(a, "id"), DashIfEmpty(StringField(a, "name")),
                  DashIfEmpty(StringField(a, "version")),
                  DashIfEmpty(StringField(a, "deployed_at")),
                  DashIfEmpty(StringField(a, "description"))});
  }
  table.Print(ctx.out);
  return kExitOk;
}

}  // namespace

Command SearchCommand() {
  return Command{
      .name = "search",
      .summary = "Find live agents by name or description (ID NAME VERSION DEPLOYED DESCRIPTION)",
      .args = {.options = {},
               .positionals = {{.name = "TEXT",
                                .arity = Arity::kVariadic,
                                .help = "words to match (each as a prefix); none: all"}}},
      .run = RunSearch,
      .description =
          "Only live agents are found, by what their live version says, whether or\n"
          "not you collaborate on them.",
  };
}

}  // namespace herald::cli
