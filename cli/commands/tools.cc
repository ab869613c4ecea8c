// herald tools import|list|show|bind|unbind|remove: the HTTP operations
// imported from OpenAPI documents, and the connection each one uses
// (/v1/tools, /v1/tools/import, /v1/tools/{name}[/connection]).
#include <filesystem>
#include <set>
#include <string>

#include "cli/commands/builtin.h"
#include "cli/commands/common.h"
#include "cli/exit_status.h"
#include "cli/json_fields.h"
#include "cli/report.h"
#include "cli/table.h"

namespace herald::cli {
namespace {

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

// "✓", "✗", or "-" for a tool bound to no connection (or without a verdict).
std::string MatchCell(const Poco::JSON::Object::Ptr& tool) {
  if (StringField(tool, "connection").empty()) return "-";
  std::optional<bool> satisfied = BoolField(ObjectField(tool, "match"), "satisfied");
  return satisfied ? Mark(*satisfied) : "-";
}

void PrintToolTable(const Poco::JSON::Array::Ptr& tools, std::ostream& out) {
  Table table({"NAME", "METHOD", "PATH", "CONNECTION", "MATCH"});
  for (std::size_t i = 0; i < tools->size(); ++i) {
    Poco::JSON::Object::Ptr tool = ObjectAt(tools, i);
    table.AddRow({StringField(tool, "name"), StringField(tool, "method"), StringField(tool, "path"),
                  OrDash(StringField(tool, "connection")), MatchCell(tool)});
  }
  table.Print(out);
}

// "{a AND b} OR {c}"; "none required" for no requirement at all.
std::string SecurityText(const Poco::JSON::Array::Ptr& security) {
  if (security.isNull() || security->size() == 0) return "none required";
  std::string text;
  for (std::size_t i = 0; i < security->size(); ++i) {
    if (i > 0) text += " OR ";
    text += "{";
    Poco::JSON::Array::Ptr requirement = security->getArray(static_cast<unsigned int>(i));
    for (std::size_t j = 0; !requirement.isNull() && j < requirement->size(); ++j) {
      if (j > 0) text += " AND ";
      text += StringField(ObjectAt(requirement, j), "name");
    }
    text += "}";
  }
  return text;
}

// How a scheme is used: "apiKey in header 'X-API-Key'", "http bearer".
std::string SchemeDetail(const Poco::JSON::Object::Ptr& scheme) {
  std::string text = StringField(scheme, "type");
  std::string in = StringField(scheme, "in");
  std::string param = StringField(scheme, "param_name");
  std::string http_scheme = StringField(scheme, "scheme");
  if (!in.empty()) text += " in " + in;
  if (!param.empty()) text += " '" + param + "'";
  if (!http_scheme.empty()) text += " " + http_scheme;
  return text;
}

void PrintTool(const Poco::JSON::Object::Ptr& tool, std::ostream& out) {
  std::string connection = StringField(tool, "connection");
  KeyValues lines = {
      {"Name", StringField(tool, "name")},
      {"Description", OrDash(StringField(tool, "description"))},
      {"Method", StringField(tool, "method")},
      {"Server", OrDash(StringField(tool, "server_url"))},
      {"Path", StringField(tool, "path")},
      {"Source", OrDash(StringField(tool, "source"))},
      {"Connection", connection.empty() ? "none" : connection},
      {"Security", SecurityText(ArrayField(tool, "security"))},
  };
  Poco::JSON::Object::Ptr match = ObjectField(tool, "match");
  if (!match.isNull()) {
    std::optional<bool> satisfied = BoolField(match, "satisfied");
    std::string explanation = StringField(match, "explanation");
    std::string verdict = satisfied ? Mark(*satisfied) : "?";
    lines.emplace_back("Match", explanation.empty() ? verdict : verdict + " " + explanation);
  }
  PrintKeyValues(lines, out);

  Poco::JSON::Array::Ptr parameters = ArrayField(tool, "parameters");
  if (parameters.isNull() || parameters->size() == 0) {
    out << "\nParameters: none\n";
  } else {
    Table table({"NAME", "IN", "REQUIRED", "TYPE", "DESCRIPTION"});
    for (std::size_t i = 0; i < parameters->size(); ++i) {
      Poco::JSON::Object::Ptr p = ObjectAt(parameters, i);
      std::optional<bool> required = BoolField(p, "required");
      table.AddRow({StringField(p, "name"), StringField(p, "in"), Mark(required.value_or(false)),
                    OrDash(StringField(p, "type")), StringField(p, "description")});
    }
    out << "\nParameters:\n";
    table.Print(out);
  }

  Poco::JSON::Array::Ptr security = ArrayField(tool, "security");
  Table schemes({"SCHEME", "KIND", "SUPPORTED"});
  std::set<std::string> seen;
  for (std::size_t i = 0; !security.isNull() && i < security->size(); ++i) {
    Poco::JSON::Array::Ptr requirement = security->getArray(static_cast<unsigned int>(i));
    for (std::size_t j = 0; !requirement.isNull() && j < requirement->size(); ++j) {
      Poco::JSON::Object::Ptr scheme = ObjectAt(requirement, j);
      if (!seen.insert(StringField(scheme, "name")).second) continue;
      std::optional<bool> supported = BoolField(scheme, "supported");
      schemes.AddRow(
          {StringField(scheme, "name"), SchemeDetail(scheme), supported ? Mark(*supported) : "-"});
    }
  }
  if (schemes.row_count() > 0) {
    out << "\nSecurity schemes:\n";
    schemes.Print(out);
  }
}

// The "tool" object of an answer, printed; or the error for its absence.
int PrintToolAnswer(CommandContext& ctx, const ApiResponse& response, std::string_view what) {
  Poco::JSON::Object::Ptr tool = ObjectField(AsObject(response.json), "tool");
  if (tool.isNull()) return ReportUnexpected("no \"tool\" in " + std::string(what), ctx.err);
  PrintTool(tool, ctx.out);
  return kExitOk;
}

int RunImport(CommandContext& ctx) {
  std::string file = *ctx.args.Positional("FILE");
  std::string document = ReadFileOrThrow(file, "file");
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("file_name", std::filesystem::path(file).filename().string());
  body->set("document", document);
  if (auto connection = ctx.args.Value("connection")) body->set("connection", *connection);
  if (ctx.args.Flag("replace")) body->set("replace", true);
  ApiResponse response = ctx.api.Post("/v1/tools/import", body);
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Poco::JSON::Array::Ptr tools = ArrayField(AsObject(response.json), "tools");
  if (tools.isNull()) return ReportUnexpected("no \"tools\" list in import answer", ctx.err);
  if (tools->size() == 0) {
    ctx.out << "No tools imported: " << file << " defines no operation.\n";
    return kExitOk;
  }
  ctx.out << "Imported " << tools->size() << (tools->size() == 1 ? " tool" : " tools") << " from "
          << file << ":\n";
  PrintToolTable(tools, ctx.out);
  return kExitOk;
}

int RunList(CommandContext& ctx) {
  ApiResponse response = ctx.api.Get("/v1/tools");
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Poco::JSON::Array::Ptr tools = ArrayField(AsObject(response.json), "tools");
  if (tools.isNull()) return ReportUnexpected("no \"tools\" list in /v1/tools answer", ctx.err);
  if (tools->size() == 0) {
    ctx.out << "No tools. Import some with 'herald tools import FILE'.\n";
    return kExitOk;
  }
  PrintToolTable(tools, ctx.out);
  return kExitOk;
}

int RunShow(CommandContext& ctx) {
  ApiResponse response = ctx.api.Get(PathOf({"v1", "tools", *ctx.args.Positional("NAME")}));
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  return PrintToolAnswer(ctx, response, "/v1/tools/NAME answer");
}

int RunBind(CommandContext& ctx) {
  std::string name = *ctx.args.Positional("NAME");
  std::string connection = *ctx.args.Positional("CONNECTION");
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("connection", connection);
  ApiResponse response = ctx.api.Put(PathOf({"v1", "tools", name, "connection"}), body);
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Poco::JSON::Object::Ptr tool = ObjectField(AsObject(response.json), "tool");
  if (tool.isNull()) return ReportUnexpected("no \"tool\" in bind answer", ctx.err);
  ctx.out << "Bound tool " << name << " to connection " << connection << ".\n";
  Poco::JSON::Object::Ptr match = ObjectField(tool, "match");
  if (!match.isNull()) {
    std::optional<bool> satisfied = BoolField(match, "satisfied");
    ctx.out << "Match: " << (satisfied ? Mark(*satisfied) : "?");
    std::string explanation = StringField(match, "explanation");
    if (!explanation.empty()) ctx.out << " " << explanation;
    ctx.out << '\n';
  }
  return kExitOk;
}

int RunUnbind(CommandContext& ctx) {
  std::string name = *ctx.args.Positional("NAME");
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("connection", Poco::Dynamic::Var());  // null
  ApiResponse response = ctx.api.Put(PathOf({"v1", "tools", name, "connection"}), body);
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  ctx.out << "Unbound tool " << name << ": it uses no connection now.\n";
  return kExitOk;
}

int RunRemove(CommandContext& ctx) {
  std::string name = *ctx.args.Positional("NAME");
  ApiResponse response = ctx.api.Delete(PathOf({"v1", "tools", name}));
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  ctx.out << "Removed tool " << name << ".\n";
  return kExitOk;
}

PositionalSpec ToolName() {
  return {.name = "NAME", .arity = Arity::kRequired, .help = "the tool's name"};
}

}  // namespace

std::vector<Command> ToolsCommands() {
  std::vector<Command> commands;
  commands.push_back(Command{
      .name = "tools import",
      .summary = "Import the operations of an OpenAPI 3 document (JSON or YAML) as tools",
      .args = {.options = {{.name = "connection",
                            .value_name = "ID",
                            .help = "bind the imported tools to this connection"},
                           {.name = "replace", .help = "replace existing tools of the same names"}},
               .positionals =
                   {{.name = "FILE", .arity = Arity::kRequired, .help = "the OpenAPI document"}}},
      .run = RunImport,
      .description = "The import is all or nothing: one invalid operation imports none.",
  });
  commands.push_back(Command{
      .name = "tools list",
      .summary = "List the tools (NAME METHOD PATH CONNECTION MATCH)",
      .args = {},
      .run = RunList,
      .description = "MATCH is ✓ when the tool's connection satisfies its security\n"
                     "requirements, ✗ when it does not, - when the tool has no connection.",
  });
  commands.push_back(Command{
      .name = "tools show",
      .summary = "Show a tool: its operation, parameters, security and match",
      .args = {.options = {}, .positionals = {ToolName()}},
      .run = RunShow,
      .description = "",
  });
  commands.push_back(Command{
      .name = "tools bind",
      .summary = "Make a tool use a connection",
      .args = {.options = {},
               .positionals = {ToolName(),
                               {.name = "CONNECTION",
                                .arity = Arity::kRequired,
                                .help = "the connection's ID"}}},
      .run = RunBind,
      .description = "heraldd refuses a connection that cannot satisfy the tool's security.",
  });
  commands.push_back(Command{
      .name = "tools unbind",
      .summary = "Make a tool use no connection",
      .args = {.options = {}, .positionals = {ToolName()}},
      .run = RunUnbind,
      .description = "",
  });
  commands.push_back(Command{
      .name = "tools remove",
      .summary = "Remove a tool",
      .args = {.options = {}, .positionals = {ToolName()}},
      .run = RunRemove,
      .description = "",
  });
  return commands;
}

}  // namespace herald::cli
