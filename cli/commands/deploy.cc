// herald summary|deploy|undeploy|rollback|deployments: whether an agent can
// go live and why not, publishing a version to its channels, taking it down,
// going back to an earlier version, and the history of all that
// (/v1/agents/{id}/summary, .../deployments, .../undeploy, .../rollback; see
// docs/api-deploy.md).
//
// deploy, undeploy and rollback ask for server-sent events and print each
// channel's outcome as it arrives, one line each (CHANNEL PLUGIN OUTCOME
// MESSAGE LATENCY, as a row of the outcome table), then the deployment's
// state and version; a failed deploy's put-back channels come again as
// rolled_back. With --json they ask for the plain answer and print it.
//
// Exit status: summary exits 1 when the agent is not deployable; deploy,
// undeploy and rollback exit 0 only when the deployment succeeded (or, for
// `deploy --partial`, partly succeeded), and 1 when it failed (the channels'
// outcomes are still printed) or was refused (the blockers are printed, each
// with its fix).
#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/JSON/Parser.h>

#include "cli/commands/agents_common.h"
#include "cli/commands/builtin.h"
#include "cli/commands/common.h"
#include "cli/exit_status.h"
#include "cli/json_fields.h"
#include "cli/report.h"
#include "cli/sse_reader.h"
#include "cli/table.h"

namespace herald::cli {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string Agent(const CommandContext& ctx) { return *ctx.args.Positional("AGENT"); }

std::string LatencyText(const Object::Ptr& outcome) {
  std::string ms = StringField(outcome, "latency_ms");
  return ms.empty() ? "-" : ms + " ms";
}

// One row per channel: CHANNEL PLUGIN OUTCOME MESSAGE LATENCY, under
// `headers` (empty strings for a table printed without its header).
Table OutcomeTable(const Array::Ptr& channels, std::vector<std::string> headers) {
  Table table(std::move(headers));
  table.SetAlign(4, Align::kRight);
  for (std::size_t i = 0; !channels.isNull() && i < channels->size(); ++i) {
    Object::Ptr c = ObjectAt(channels, i);
    table.AddRow({StringField(c, "channel"), DashIfEmpty(StringField(c, "plugin")),
                  DashIfEmpty(StringField(c, "outcome")), DashIfEmpty(StringField(c, "message")),
                  LatencyText(c)});
  }
  return table;
}

Table OutcomeTable(const Array::Ptr& channels) {
  return OutcomeTable(channels, {"CHANNEL", "PLUGIN", "OUTCOME", "MESSAGE", "LATENCY"});
}

// One channel's outcome on a line of its own, as it arrives: the cells of its
// row in the outcome table, two spaces apart.
std::string OutcomeLine(const Object::Ptr& c) {
  return StringField(c, "channel") + "  " + DashIfEmpty(StringField(c, "plugin")) + "  " +
         DashIfEmpty(StringField(c, "outcome")) + "  " + DashIfEmpty(StringField(c, "message")) +
         "  " + LatencyText(c);
}

std::string VersionText(const Object::Ptr& object, const std::string& key) {
  return object.isNull() || !object->has(key) || object->isNull(key) ? "none"
                                                                     : StringField(object, key);
}

// "7 (deploy of version 4) succeeded, by alice at T".
std::string DeploymentLine(const Object::Ptr& d) {
  std::string kind = StringField(d, "kind");
  std::string text = StringField(d, "id") + " (" + kind;
  if (std::string v = StringField(d, "version"); !v.empty()) text += " of version " + v;
  text += ") " + StringField(d, "state");
  if (std::string author = StringField(d, "author"); !author.empty()) text += ", by " + author;
  if (std::string at = StringField(d, "started_at"); !at.empty()) text += " at " + at;
  return text;
}

void PrintBlockers(const Array::Ptr& blockers, std::ostream& out) {
  if (blockers.isNull() || blockers->size() == 0) {
    out << "Blockers: none\n";
    return;
  }
  out << "Blockers:\n";
  for (std::size_t i = 0; i < blockers->size(); ++i) {
    Object::Ptr b = ObjectAt(blockers, i);
    out << "  " << StringField(b, "code") << ": " << StringField(b, "message") << '\n';
    if (std::string fix = StringField(b, "fix"); !fix.empty()) out << "    fix: " << fix << '\n';
  }
}

// A deployment's channel outcomes (unless they were shown as they arrived),
// then its id, state and versions.
void PrintDeploymentResult(const Object::Ptr& d, bool outcomes_shown, std::ostream& out) {
  Array::Ptr channels = ArrayField(d, "channels");
  if (outcomes_shown) {
    // Already on the screen, line by line.
  } else if (channels.isNull() || channels->size() == 0) {
    out << "No channels.\n";
  } else {
    OutcomeTable(channels).Print(out);
  }
  out << '\n';
  KeyValues lines = {
      {"Deployment", StringField(d, "id") + " (" + StringField(d, "kind") + ")"},
      {"State", StringField(d, "state")},
      {"Version",
       VersionText(d, "version") + " (previously " + VersionText(d, "previous_version") + ")"},
  };
  if (std::string comment = StringField(d, "comment"); !comment.empty()) {
    lines.emplace_back("Comment", comment);
  }
  PrintKeyValues(lines, out);
}

// What deploy, undeploy and rollback do with the answer; `outcomes_shown`
// when the channels' lines were printed as they arrived.
int FinishDeployment(CommandContext& ctx, const ApiResponse& response, bool partial_ok,
                     bool outcomes_shown = false) {
  if (!response.ok()) {
    Object::Ptr body = AsObject(response.json);
    Object::Ptr deployment = ObjectField(body, "deployment");
    Array::Ptr blockers = ArrayField(body, "blockers");
    bool has_details = !deployment.isNull() || !blockers.isNull();
    if (ctx.json && has_details) {
      PrintJsonBody(response, ctx.out);
    } else if (!deployment.isNull()) {
      PrintDeploymentResult(deployment, outcomes_shown, ctx.out);
    }
    int status = ReportError(*response.error, ctx.err);
    if (!ctx.json && !blockers.isNull()) PrintBlockers(blockers, ctx.err);
    return status;
  }
  Object::Ptr deployment = ObjectField(AsObject(response.json), "deployment");
  if (deployment.isNull()) return ReportUnexpected("no \"deployment\" in the answer", ctx.err);
  if (ctx.json) {
    PrintJsonBody(response, ctx.out);
  } else {
    PrintDeploymentResult(deployment, outcomes_shown, ctx.out);
  }
  std::string state = StringField(deployment, "state");
  if (state == "succeeded" || (state == "partial" && partial_ok)) return kExitOk;
  ctx.err << "error: deployment " << StringField(deployment, "id") << " ended " << state
          << (state == "partial" ? " (some channels were not published)" : "") << '\n';
  return kExitServerError;
}

Poco::Dynamic::Var ParseJson(const std::string& text) {
  try {
    return Poco::JSON::Parser().parse(text);
  } catch (const Poco::Exception&) {
    return {};
  }
}

// The "deployment" event as the plain answer it stands for: its "status"
// field is the HTTP status, an "error" object the error.
ApiResponse AnswerOfEvent(const std::string& data) {
  ApiResponse answer;
  answer.body = data;
  answer.json = ParseJson(data);
  Object::Ptr o = AsObject(answer.json);
  try {
    answer.status = std::stoi(StringField(o, "status"));
  } catch (const std::exception&) {
    answer.status = 0;  // reported below as an answer the API does not give
  }
  if (answer.status >= 400) {
    Object::Ptr error = ObjectField(o, "error");
    std::string code = StringField(error, "code");
    answer.error = ApiError{ApiErrorKind::kServer,
                            code.empty() ? "http_" + std::to_string(answer.status) : code,
                            StringField(error, "message")};
  } else if (answer.status < 200 || answer.status >= 300) {
    answer.error = ApiError{ApiErrorKind::kBadResponse, "bad_response",
                            "the deployment event has no HTTP status: " + data};
  }
  return answer;
}

// Deploy, undeploy or rollback as server-sent events: each channel's line as
// it arrives, then the result as FinishDeployment prints a plain answer. A
// refusal (blockers, not found, not live) comes as a plain error answer.
int StreamDeployment(CommandContext& ctx, ApiRequest request, bool partial_ok) {
  request.headers.emplace_back("Accept", "text/event-stream");
  std::optional<ApiResponse> result;  // from the "deployment" event
  bool any_event = false;
  bool outcomes_shown = false;
  std::string unframed;  // what came without any event (a plain answer)
  SseReader reader([&](const std::string& event, const std::string& data) {
    any_event = true;
    if (event == "channel") {
      ctx.out << OutcomeLine(AsObject(ParseJson(data))) << '\n' << std::flush;
      outcomes_shown = true;
    } else if (event == "deployment") {
      result = AnswerOfEvent(data);
    }
  });
  request.on_body_line = [&](std::string_view line) {
    if (!any_event) unframed.append(line);
    reader.Line(line);
  };
  ApiResponse response = ctx.api.Send(request);
  reader.Finish();
  if (!response.ok()) return FinishDeployment(ctx, response, partial_ok);
  if (!any_event) {
    // A server that answered the plain way.
    response.body = unframed;
    response.json = ParseJson(unframed);
    return FinishDeployment(ctx, response, partial_ok);
  }
  if (!result) {
    return ReportUnexpected(
        "the event stream ended before the deployment event; see 'herald deployments " +
            *ctx.args.Positional("AGENT") + "'",
        ctx.err);
  }
  return FinishDeployment(ctx, *result, partial_ok, outcomes_shown);
}

// The plain call with --json, the event stream otherwise.
int RunDeployment(CommandContext& ctx, const std::string& path, const Poco::Dynamic::Var& body,
                  bool partial_ok) {
  if (ctx.json) return FinishDeployment(ctx, ctx.api.Post(path, body), partial_ok);
  return StreamDeployment(ctx, ApiRequest{.method = "POST", .path = path, .json = body},
                          partial_ok);
}

std::string Capitalized(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

void PrintSections(const Array::Ptr& sections, std::ostream& out) {
  std::size_t width = 0;
  for (std::size_t i = 0; !sections.isNull() && i < sections->size(); ++i) {
    Array::Ptr lines = ArrayField(ObjectAt(sections, i), "lines");
    for (std::size_t j = 0; !lines.isNull() && j < lines->size(); ++j) {
      width = std::max(width, DisplayWidth(StringField(ObjectAt(lines, j), "label")));
    }
  }
  for (std::size_t i = 0; !sections.isNull() && i < sections->size(); ++i) {
    Object::Ptr section = ObjectAt(sections, i);
    out << Capitalized(StringField(section, "name")) << ":\n";
    Array::Ptr lines = ArrayField(section, "lines");
    for (std::size_t j = 0; !lines.isNull() && j < lines->size(); ++j) {
      Object::Ptr line = ObjectAt(lines, j);
      std::string label = StringField(line, "label");
      std::string detail = StringField(line, "detail");
      out << "  " << Mark(BoolField(line, "ok").value_or(false)) << ' ' << label;
      if (!detail.empty()) out << std::string(width - DisplayWidth(label) + 2, ' ') << detail;
      out << '\n';
    }
  }
}

void PrintLive(const Object::Ptr& live, std::ostream& out) {
  std::string version = StringField(live, "version");
  if (version.empty()) {
    out << "Live: not deployed\n";
    return;
  }
  out << "Live: version " << version;
  if (std::string at = StringField(live, "deployed_at"); !at.empty()) out << ", deployed at " << at;
  out << '\n';
  Array::Ptr channels = ArrayField(live, "channels");
  if (channels.isNull() || channels->size() == 0) return;
  Table table({"CHANNEL", "PLUGIN", "VERSION", "STATUS"});
  for (std::size_t i = 0; i < channels->size(); ++i) {
    Object::Ptr c = ObjectAt(channels, i);
    std::string status = DashIfEmpty(StringField(c, "status"));
    if (std::string detail = StringField(c, "status_detail"); !detail.empty()) {
      status += ": " + detail;
    }
    table.AddRow({StringField(c, "channel"), DashIfEmpty(StringField(c, "plugin")),
                  DashIfEmpty(StringField(c, "version")), status});
  }
  PrintTable(table, out, "  ");
}

int RunSummary(CommandContext& ctx) {
  ApiResponse response = ctx.api.Get(AgentPath(Agent(ctx), {"summary"}));
  if (!response.ok()) return ReportError(*response.error, ctx.err);
  Object::Ptr summary = AsObject(response.json);
  std::optional<bool> deployable = BoolField(summary, "deployable");
  if (!deployable) return ReportUnexpected("no \"deployable\" in the summary", ctx.err);
  if (ctx.json) {
    PrintJsonBody(response, ctx.out);
    return *deployable ? kExitOk : kExitServerError;
  }
  std::string agent = StringField(summary, "agent");
  ctx.out << "Agent " << (agent.empty() ? Agent(ctx) : agent) << " (draft revision "
          << DashIfEmpty(StringField(summary, "draft_revision"))
          << "): " << (*deployable ? "deployable" : "not deployable") << "\n\n";
  PrintSections(ArrayField(summary, "sections"), ctx.out);
  ctx.out << '\n';
  PrintBlockers(ArrayField(summary, "blockers"), ctx.out);
  ctx.out << '\n';
  PrintLive(ObjectField(summary, "live"), ctx.out);
  ctx.out << '\n';
  Object::Ptr last = ObjectField(summary, "last_deployment");
  if (last.isNull()) {
    ctx.out << "Last deployment: none\n";
  } else {
    ctx.out << "Last deployment: " << DeploymentLine(last) << '\n';
    Array::Ptr channels = ArrayField(last, "channels");
    if (!channels.isNull() && channels->size() > 0) {
      PrintTable(OutcomeTable(channels), ctx.out, "  ");
    }
  }
  return *deployable ? kExitOk : kExitServerError;
}

Object::Ptr CommentBody(const ParsedArgs& args) {
  Object::Ptr body = new Object;
  if (auto comment = args.Value("comment")) body->set("comment", *comment);
  return body;
}

int RunDeploy(CommandContext& ctx) {
  Object::Ptr body = CommentBody(ctx.args);
  bool partial = ctx.args.Flag("partial");
  if (partial) body->set("partial", true);
  return RunDeployment(ctx, AgentPath(Agent(ctx), {"deployments"}), body, partial);
}

int RunUndeploy(CommandContext& ctx) {
  return RunDeployment(ctx, AgentPath(Agent(ctx), {"undeploy"}), {}, false);
}

int RunRollback(CommandContext& ctx) {
  std::optional<int> version = PositiveIntValue(ctx.args, "to");
  if (!version) throw UsageError("missing option --to");
  Object::Ptr body = CommentBody(ctx.args);
  body->set("version", *version);
  return RunDeployment(ctx, AgentPath(Agent(ctx), {"rollback"}), body, false);
}

int RunDeployments(CommandContext& ctx) {
  std::string agent = Agent(ctx);
  ApiResponse response = ctx.api.Get(AgentPath(agent, {"deployments"}));
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Array::Ptr list = ArrayField(AsObject(response.json), "deployments");
  if (list.isNull()) return ReportUnexpected("no \"deployments\" list in the answer", ctx.err);
  if (list->size() == 0) {
    ctx.out << "No deployments of " << agent << " yet. Deploy with 'herald deploy " << agent
            << "'.\n";
    return kExitOk;
  }
  // The deployments' table, and every channel outcome in one header-less
  // table so that they line up; each deployment's outcomes follow its row.
  Table table({"ID", "KIND", "VERSION", "STATE", "AUTHOR", "STARTED", "COMMENT"});
  table.SetAlign(0, Align::kRight);
  table.SetAlign(2, Align::kRight);
  Array::Ptr all_outcomes = new Array;
  std::vector<std::size_t> counts;
  for (std::size_t i = 0; i < list->size(); ++i) {
    Object::Ptr d = ObjectAt(list, i);
    table.AddRow({StringField(d, "id"), StringField(d, "kind"),
                  DashIfEmpty(StringField(d, "version")), StringField(d, "state"),
                  DashIfEmpty(StringField(d, "author")), DashIfEmpty(StringField(d, "started_at")),
                  DashIfEmpty(StringField(d, "comment"))});
    Array::Ptr channels = ArrayField(d, "channels");
    counts.push_back(channels.isNull() ? 0 : channels->size());
    for (std::size_t j = 0; j < counts.back(); ++j)
      all_outcomes->add(channels->get(static_cast<unsigned int>(j)));
  }
  auto lines_of = [](const Table& t) {
    std::ostringstream text;
    t.Print(text);
    std::vector<std::string> lines;
    std::istringstream in(text.str());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  };
  std::vector<std::string> rows = lines_of(table);
  std::vector<std::string> outcomes = lines_of(OutcomeTable(all_outcomes, {"", "", "", "", ""}));
  ctx.out << rows[0] << '\n';
  std::size_t next = 1;  // outcomes[0] is the empty header
  for (std::size_t i = 0; i < counts.size(); ++i) {
    ctx.out << rows[i + 1] << '\n';
    for (std::size_t j = 0; j < counts[i]; ++j) ctx.out << "    " << outcomes[next++] << '\n';
  }
  return kExitOk;
}

PositionalSpec AgentArg() { return AgentIdArg("AGENT"); }

OptionSpec CommentOption() {
  return {.name = "comment", .value_name = "TEXT", .help = "why, for the history"};
}

}  // namespace

std::vector<Command> DeployCommands() {
  std::vector<Command> commands;
  commands.push_back(Command{
      .name = "summary",
      .summary = "Check an agent before deploying: every section, blockers and fixes, live state",
      .args = {.options = {}, .positionals = {AgentArg()}},
      .run = RunSummary,
      .description = "Each section's lines are marked ✓ or ✗; each blocker comes with the fix.\n"
                     "Exits with status 1 when the agent is not deployable, 0 when it is.",
  });
  commands.push_back(Command{
      .name = "deploy",
      .summary = "Publish the agent's draft as a new version to all its channels",
      .args = {.options = {CommentOption(),
                           {.name = "partial",
                            .help = "keep the channels that published even if others fail"}},
               .positionals = {AgentArg()}},
      .run = RunDeploy,
      .description =
          "Prints each channel's outcome as it arrives (CHANNEL PLUGIN OUTCOME MESSAGE\n"
          "LATENCY), then the deployment's state and version. Without --partial a failing\n"
          "channel puts the others back (each shown again as rolled_back) and the live\n"
          "version stays. With --json, prints only the final answer. Exit status 0 when\n"
          "the deployment succeeded (or, with --partial, partly succeeded); 1 when it\n"
          "failed or was refused: then the blockers are printed, each with its fix.",
  });
  commands.push_back(Command{
      .name = "undeploy",
      .summary = "Take the agent's live version down from all its channels",
      .args = {.options = {}, .positionals = {AgentArg()}},
      .run = RunUndeploy,
      .description = "Output and exit status as for deploy.",
  });
  commands.push_back(Command{
      .name = "rollback",
      .summary = "Publish an earlier version of the agent again",
      .args = {.options = {{.name = "to",
                            .value_name = "N",
                            .help = "the version to go back to (required)"},
                           CommentOption()},
               .positionals = {AgentArg()}},
      .run = RunRollback,
      .description = "Output and exit status as for deploy. 'herald versions AGENT' lists the\n"
                     "versions.",
  });
  commands.push_back(Command{
      .name = "deployments",
      .summary = "List an agent's deployments, newest first, with each channel's outcome",
      .args = {.options = {}, .positionals = {AgentArg()}},
      .run = RunDeployments,
      .description = "Columns ID KIND VERSION STATE AUTHOR STARTED COMMENT; under each\n"
                     "deployment, its channels: CHANNEL PLUGIN OUTCOME MESSAGE LATENCY.",
  });
  return commands;
}

}  // namespace herald::cli
