// herald agents create|list|show|set|remove|history: agent drafts and their
// own fields (/v1/agents, /v1/agents/{id}, /v1/agents/{id}/history; see
// docs/api-agents.md). Every change bumps the draft's revision; --if-match REV
// makes a change conditional on the draft still being at REV (a 409 Conflict
// otherwise, which exits 1 with the server's message).
#include <cmath>
#include <cstdlib>
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

std::string Id(const CommandContext& ctx) { return *ctx.args.Positional("ID"); }

int RunCreate(CommandContext& ctx) {
  std::string id = Id(ctx);
  Object::Ptr body = new Object;
  body->set("id", id);
  if (auto v = ctx.args.Value("name")) body->set("name", *v);
  if (auto v = ctx.args.Value("description")) body->set("description", *v);
  if (auto v = ctx.args.Value("model")) body->set("model", *v);
  ApiResponse response = ctx.api.Post("/v1/agents", body);
  return FinishAgentAnswer(ctx, response, "Created agent " + id, PrintAgent);
}

int RunList(CommandContext& ctx) {
  ApiResponse response = ctx.api.Get("/v1/agents");
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Array::Ptr agents = ArrayField(AsObject(response.json), "agents");
  if (agents.isNull()) return ReportUnexpected("no \"agents\" list in /v1/agents answer", ctx.err);
  if (agents->size() == 0) {
    ctx.out << "No agents. Create one with 'herald agents create ID --name NAME'.\n";
    return kExitOk;
  }
  Table table({"ID", "NAME", "MODEL", "REVISION", "LIVE", "ROLE", "UPDATED"});
  table.SetAlign(3, Align::kRight);
  table.SetAlign(4, Align::kRight);
  for (std::size_t i = 0; i < agents->size(); ++i) {
    Object::Ptr a = ObjectAt(agents, i);
    table.AddRow({StringField(a, "id"), DashIfEmpty(StringField(a, "name")),
                  DashIfEmpty(StringField(a, "model")), StringField(a, "revision"),
                  DashIfEmpty(StringField(a, "live_version")), DashIfEmpty(StringField(a, "role")),
                  DashIfEmpty(StringField(a, "updated_at"))});
  }
  table.Print(ctx.out);
  return kExitOk;
}

int RunShow(CommandContext& ctx) {
  ApiResponse response = ctx.api.Get(AgentPath(Id(ctx)));
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Object::Ptr agent = ObjectField(AsObject(response.json), "agent");
  if (agent.isNull()) return ReportUnexpected("no \"agent\" in the answer", ctx.err);
  PrintAgent(agent, ctx.out);
  return kExitOk;
}

double SpeakingRate(const std::string& text) {
  char* end = nullptr;
  double rate = text.empty() ? 0 : std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(rate) ||
      text.find_first_not_of("0123456789.") != std::string::npos) {
    throw UsageError("--speaking-rate expects a number such as 1.0 (got '" + text + "')");
  }
  return rate;
}

// The PATCH body: only the fields given on the command line.
Object::Ptr FieldsFromArgs(const ParsedArgs& args) {
  Object::Ptr body = new Object;
  if (auto v = args.Value("name")) body->set("name", *v);
  if (auto v = args.Value("description")) body->set("description", *v);
  if (auto v = args.Value("model")) body->set("model", *v);
  if (auto v = args.Value("instructions")) body->set("instructions", *v);

  Object::Ptr voice = new Object;
  if (auto v = args.Value("voice")) voice->set("voice", *v);
  if (auto v = args.Value("language")) voice->set("language", *v);
  if (auto v = args.Value("speaking-rate")) voice->set("speaking_rate", SpeakingRate(*v));
  if (voice->size() > 0) body->set("voice", voice);

  Object::Ptr behaviour = new Object;
  if (auto v = args.Value("guidelines")) behaviour->set("guidelines", *v);
  if (auto v = args.Value("welcome-message")) behaviour->set("welcome_message", *v);
  std::vector<std::string> prompts = args.Values("starter-prompt");
  bool no_prompts = args.Flag("no-starter-prompts");
  if (no_prompts && !prompts.empty()) {
    throw UsageError("give --starter-prompt or --no-starter-prompts, not both");
  }
  if (no_prompts || !prompts.empty()) {
    Array::Ptr list = new Array;
    for (const std::string& p : prompts) list->add(p);
    behaviour->set("starter_prompts", list);
  }
  if (behaviour->size() > 0) body->set("behaviour", behaviour);
  return body;
}

int RunSet(CommandContext& ctx) {
  std::string id = Id(ctx);
  Object::Ptr body = FieldsFromArgs(ctx.args);
  if (body->size() == 0) throw UsageError("nothing to change: give at least one field option");
  ApiResponse response = SendDraftChange(ctx, "PATCH", AgentPath(id), body);
  return FinishAgentAnswer(ctx, response, "Updated agent " + id, PrintAgent);
}

int RunRemove(CommandContext& ctx) {
  ApiResponse response = SendDraftChange(ctx, "DELETE", AgentPath(Id(ctx)));
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  ctx.out << "Removed agent " << Id(ctx) << ".\n";
  return kExitOk;
}

int RunHistory(CommandContext& ctx) {
  std::string id = Id(ctx);
  ApiResponse response = ctx.api.Get(AgentPath(id, {"history"}));
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Object::Ptr answer = AsObject(response.json);
  Array::Ptr history = ArrayField(answer, "history");
  if (history.isNull()) return ReportUnexpected("no \"history\" list in the answer", ctx.err);
  ctx.out << "Agent " << id << " is at revision " << DashIfEmpty(StringField(answer, "revision"))
          << ".\n";
  if (history->size() == 0) {
    ctx.out << "No changes recorded.\n";
    return kExitOk;
  }
  ctx.out << '\n';
  Table table({"REVISION", "AT", "USER", "CHANGE"});
  table.SetAlign(0, Align::kRight);
  for (std::size_t i = 0; i < history->size(); ++i) {
    Object::Ptr change = ObjectAt(history, i);
    table.AddRow({StringField(change, "revision"), DashIfEmpty(StringField(change, "at")),
                  DashIfEmpty(StringField(change, "user")),
                  DashIfEmpty(StringField(change, "summary"))});
  }
  table.Print(ctx.out);
  return kExitOk;
}

}  // namespace

std::vector<Command> AgentsCommands() {
  std::vector<Command> commands;
  commands.push_back(Command{
      .name = "agents create",
      .summary = "Create an agent (you become its owner)",
      .args = {.options = {{.name = "name", .value_name = "N", .help = "display name"},
                           {.name = "description", .value_name = "D", .help = "what it does"},
                           {.name = "model", .value_name = "M", .help = "the model it uses"}},
               .positionals = {AgentIdArg()}},
      .run = RunCreate,
      .description = "ID is a slug (lowercase letters, digits, '-'). Creating agents needs the\n"
                     "operator role.",
  });
  commands.push_back(Command{
      .name = "agents list",
      .summary = "List the agents you may read (ID NAME MODEL REVISION LIVE ROLE UPDATED)",
      .args = {},
      .run = RunList,
      .description = "LIVE is the live version, ROLE your role on the agent ('-' when you read\n"
                     "it as an operator).",
  });
  commands.push_back(Command{
      .name = "agents show",
      .summary = "Show an agent's draft: every field, knowledge, tools, collaborators, channels",
      .args = {.options = {}, .positionals = {AgentIdArg()}},
      .run = RunShow,
  });
  commands.push_back(Command{
      .name = "agents set",
      .summary = "Change some of an agent's fields (only those given)",
      .args = {.options = {{.name = "name", .value_name = "N", .help = "display name"},
                           {.name = "description", .value_name = "D", .help = "what it does"},
                           {.name = "model", .value_name = "M", .help = "the model it uses"},
                           {.name = "voice", .value_name = "V", .help = "voice (empty: none)"},
                           {.name = "language", .value_name = "L", .help = "BCP 47, e.g. en-US"},
                           {.name = "speaking-rate", .value_name = "R", .help = "e.g. 1.0"},
                           {.name = "instructions", .value_name = "TEXT", .help = "instructions"},
                           {.name = "guidelines", .value_name = "TEXT", .help = "guidelines"},
                           {.name = "welcome-message",
                            .value_name = "TEXT",
                            .help = "first message users see"},
                           {.name = "starter-prompt",
                            .value_name = "P",
                            .help = "a starter prompt; the given ones replace the list",
                            .repeatable = true},
                           {.name = "no-starter-prompts", .help = "remove every starter prompt"},
                           IfMatchOption()},
               .positionals = {AgentIdArg()}},
      .run = RunSet,
      .description = "Sends only the fields given (PATCH). With --if-match REV the change is made\n"
                     "only if the draft is still at revision REV; otherwise heraldd refuses it\n"
                     "(conflict, exit status 1) and nothing changes: read the agent again, retry.",
  });
  commands.push_back(Command{
      .name = "agents remove",
      .summary = "Remove an agent (owners; a live agent must be undeployed first)",
      .args = {.options = {IfMatchOption()}, .positionals = {AgentIdArg()}},
      .run = RunRemove,
  });
  commands.push_back(Command{
      .name = "agents history",
      .summary =
          "Show who changed an agent's draft, and what, oldest first (REVISION AT USER CHANGE)",
      .args = {.options = {}, .positionals = {AgentIdArg()}},
      .run = RunHistory,
  });
  return commands;
}

}  // namespace herald::cli
