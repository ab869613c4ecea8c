// herald versions|diff: the immutable versions a deploy captures of an
// agent, one version's whole snapshot, and field-level differences between
// the draft, the live version and any version (/v1/agents/{id}/versions[/{n}],
// /v1/agents/{id}/diff; see docs/api-deploy.md).
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

std::string Agent(const CommandContext& ctx) { return *ctx.args.Positional("AGENT"); }

int RunShowVersion(CommandContext& ctx, int version) {
  ApiResponse response = ctx.api.Get(AgentPath(Agent(ctx), {"versions", std::to_string(version)}));
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Object::Ptr v = ObjectField(AsObject(response.json), "version");
  if (v.isNull() || !v->has("snapshot")) {
    return ReportUnexpected("no \"version\" with a \"snapshot\" in the answer", ctx.err);
  }
  ctx.out << PrettyJson(v->get("snapshot")) << '\n';
  return kExitOk;
}

int RunVersions(CommandContext& ctx) {
  if (std::optional<int> show = PositiveIntValue(ctx.args, "show")) {
    return RunShowVersion(ctx, *show);
  }
  std::string agent = Agent(ctx);
  ApiResponse response = ctx.api.Get(AgentPath(agent, {"versions"}));
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Array::Ptr versions = ArrayField(AsObject(response.json), "versions");
  if (versions.isNull()) return ReportUnexpected("no \"versions\" list in the answer", ctx.err);
  if (versions->size() == 0) {
    ctx.out << "No versions of " << agent << " yet: 'herald deploy " << agent
            << "' makes the first.\n";
    return kExitOk;
  }
  Table table({"VERSION", "LIVE", "CREATED", "AUTHOR", "HASH", "COMMENT"});
  table.SetAlign(0, Align::kRight);
  for (std::size_t i = 0; i < versions->size(); ++i) {
    Object::Ptr v = ObjectAt(versions, i);
    table.AddRow({StringField(v, "version"), BoolField(v, "live").value_or(false) ? "✓" : "-",
                  DashIfEmpty(StringField(v, "created_at")), DashIfEmpty(StringField(v, "author")),
                  DashIfEmpty(StringField(v, "content_hash").substr(0, 12)),
                  DashIfEmpty(StringField(v, "comment"))});
  }
  table.Print(ctx.out);
  return kExitOk;
}

// --from / --to: draft, live or a version number.
std::optional<std::string> Side(const ParsedArgs& args, std::string_view option) {
  std::optional<std::string> value = args.Value(option);
  if (!value || *value == "draft" || *value == "live") return value;
  bool number = !value->empty() && value->size() <= 18 && value->front() != '0' &&
                value->find_first_not_of("0123456789") == std::string::npos;
  if (!number) {
    throw UsageError("--" + std::string(option) +
                     " expects draft, live or a version number (got '" + *value + "')");
  }
  return value;
}

// A value of a change: its JSON text, or "(none)" when absent on that side.
std::string ChangeValue(const Object::Ptr& change, const std::string& key) {
  if (change.isNull() || !change->has(key) || change->isNull(key)) return "(none)";
  return StringField(change, key);
}

int RunDiff(CommandContext& ctx) {
  std::optional<std::string> from = Side(ctx.args, "from");
  std::optional<std::string> to = Side(ctx.args, "to");
  std::string path = AgentPath(Agent(ctx), {"diff"});
  std::string query;
  if (from) query += "from=" + ApiClient::EscapeSegment(*from);
  if (to) query += (query.empty() ? "" : "&") + std::string("to=") + ApiClient::EscapeSegment(*to);
  if (!query.empty()) path += "?" + query;
  ApiResponse response = ctx.api.Get(path);
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Array::Ptr changes = ArrayField(AsObject(response.json), "changes");
  if (changes.isNull()) return ReportUnexpected("no \"changes\" list in the answer", ctx.err);
  if (changes->size() == 0) {
    ctx.out << "no differences\n";
    return kExitOk;
  }
  for (std::size_t i = 0; i < changes->size(); ++i) {
    Object::Ptr change = ObjectAt(changes, i);
    ctx.out << StringField(change, "path") << ": " << ChangeValue(change, "from") << " → "
            << ChangeValue(change, "to") << '\n';
  }
  return kExitOk;
}

PositionalSpec AgentArg() { return AgentIdArg("AGENT"); }

}  // namespace

std::vector<Command> VersionsCommands() {
  std::vector<Command> commands;
  commands.push_back(Command{
      .name = "versions",
      .summary = "List an agent's versions (VERSION LIVE CREATED AUTHOR HASH COMMENT)",
      .args = {.options = {{.name = "show",
                            .value_name = "N",
                            .help = "print version N's whole snapshot (JSON) instead"}},
               .positionals = {AgentArg()}},
      .run = RunVersions,
      .description = "Newest first; LIVE marks the version users meet, HASH is the start of the\n"
                     "snapshot's SHA-256.",
  });
  commands.push_back(Command{
      .name = "diff",
      .summary = "Show what differs between two states of an agent (default: live → draft)",
      .args = {.options = {{.name = "from",
                            .value_name = "A",
                            .help = "draft, live or a version number (default live)"},
                           {.name = "to",
                            .value_name = "B",
                            .help = "draft, live or a version number (default draft)"}},
               .positionals = {AgentArg()}},
      .run = RunDiff,
      .description = "One line per changed field: \"path: from → to\", the values as JSON;\n"
                     "(none) when the field is absent on that side.",
  });
  return commands;
}

}  // namespace herald::cli
