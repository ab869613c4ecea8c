// herald apply|export: an agent as one YAML document (agent.yaml). `apply`
// creates or updates the draft from the document, all or nothing
// (POST /v1/agents/apply, the YAML as the body); `export` prints the draft as
// such a document (GET /v1/agents/{id}/export), so that
// `herald export A -o a.yaml`, an edit, and `herald apply -f a.yaml` round-trip.
#include <string>

#include "cli/commands/agents_common.h"
#include "cli/commands/builtin.h"
#include "cli/commands/common.h"
#include "cli/exit_status.h"
#include "cli/json_fields.h"
#include "cli/report.h"

namespace herald::cli {
namespace {

using Poco::JSON::Object;

int RunApply(CommandContext& ctx) {
  std::string file = RequiredValue(ctx.args, "file");
  std::string yaml = file == "-" ? ReadAll(ctx.in) : ReadFileOrThrow(file, "file");
  ApiResponse response = ctx.api.Send(ApiRequest{.method = "POST",
                                                 .path = "/v1/agents/apply",
                                                 .raw_body = yaml,
                                                 .content_type = "application/yaml",
                                                 .headers = IfMatchHeaders(ctx.args)});
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Object::Ptr answer = AsObject(response.json);
  Object::Ptr agent = ObjectField(answer, "agent");
  if (agent.isNull()) return ReportUnexpected("no \"agent\" in the answer", ctx.err);
  std::string outcome = BoolField(answer, "created").value_or(false)   ? "created"
                        : BoolField(answer, "changed").value_or(false) ? "updated"
                                                                       : "unchanged";
  ctx.out << "Agent " << StringField(agent, "id") << ": " << outcome << " (revision "
          << DashIfEmpty(StringField(agent, "revision")) << ").\n";
  return kExitOk;
}

int RunExport(CommandContext& ctx) {
  std::string id = *ctx.args.Positional("AGENT");
  ApiResponse response = ctx.api.Send(
      ApiRequest{.method = "GET", .path = AgentPath(id, {"export"}), .raw_answer = true});
  if (!response.ok()) return ReportError(*response.error, ctx.err);
  if (auto path = ctx.args.Value("output"); path && *path != "-") {
    WriteFileOrThrow(*path, response.body, "output file");
    ctx.out << "Exported agent " << id << " to " << *path << ".\n";
  } else {
    ctx.out << response.body;
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> ApplyCommands() {
  std::vector<Command> commands;
  commands.push_back(Command{
      .name = "apply",
      .summary = "Create or update an agent from a YAML file (agent.yaml)",
      .args = {.options = {{.name = "file",
                            .value_name = "FILE",
                            .help = "the agent's YAML (- for standard input; required)",
                            .short_name = 'f'},
                           IfMatchOption()},
               .positionals = {}},
      .run = RunApply,
      .description = "The document names the agent (id); parts it leaves out stay as they are,\n"
                     "and a list it gives replaces the draft's list. Prints whether the agent was\n"
                     "created, updated or unchanged, and its draft revision.",
  });
  commands.push_back(Command{
      .name = "export",
      .summary = "Print an agent's draft as YAML, as `herald apply` takes it",
      .args = {.options = {{.name = "output",
                            .value_name = "FILE",
                            .help = "write the YAML to FILE instead of standard output",
                            .short_name = 'o'}},
               .positionals = {AgentIdArg("AGENT")}},
      .run = RunExport,
      .description = "The YAML is printed as heraldd sends it (--json does not apply).",
  });
  return commands;
}

}  // namespace herald::cli
