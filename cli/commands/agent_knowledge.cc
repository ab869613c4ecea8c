// herald agents knowledge upload|list|download|remove: an agent's knowledge
// files (/v1/agents/{id}/knowledge[/{name}]). Files travel as raw bytes: an
// upload sends the file as the request body with its content type, a
// download writes the bytes as received.
#include <algorithm>
#include <cctype>
#include <filesystem>
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

std::string Id(const CommandContext& ctx) { return *ctx.args.Positional("ID"); }

// The content type of a file, by its extension; application/octet-stream
// when unknown.
std::string GuessContentType(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::pair<const char*, const char*> kTypes[] = {
      {".md", "text/markdown"},
      {".markdown", "text/markdown"},
      {".txt", "text/plain"},
      {".csv", "text/csv"},
      {".html", "text/html"},
      {".htm", "text/html"},
      {".json", "application/json"},
      {".yaml", "application/yaml"},
      {".yml", "application/yaml"},
      {".xml", "application/xml"},
      {".pdf", "application/pdf"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (ext == extension) return type;
  }
  return "application/octet-stream";
}

int RunUpload(CommandContext& ctx) {
  std::string id = Id(ctx);
  std::string file = *ctx.args.Positional("FILE");
  std::string name =
      ctx.args.Value("name").value_or(std::filesystem::path(file).filename().string());
  if (name.empty())
    throw UsageError("cannot tell the file's name from '" + file + "': give --name");
  std::string type = ctx.args.Value("content-type").value_or(GuessContentType(file));
  std::string bytes = ReadFileOrThrow(file, "file");
  ApiResponse response = ctx.api.Send(ApiRequest{.method = "PUT",
                                                 .path = AgentPath(id, {"knowledge", name}),
                                                 .raw_body = bytes,
                                                 .content_type = type,
                                                 .headers = IfMatchHeaders(ctx.args)});
  return FinishAgentAnswer(ctx, response,
                           "Uploaded " + name + " (" + std::to_string(bytes.size()) + " bytes, " +
                               type + ") to agent " + id,
                           [](const Object::Ptr& agent, std::ostream& out) {
                             PrintKnowledgeFiles(ArrayField(agent, "knowledge"), out);
                           });
}

int RunList(CommandContext& ctx) {
  std::string id = Id(ctx);
  ApiResponse response = ctx.api.Get(AgentPath(id, {"knowledge"}));
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Poco::JSON::Array::Ptr files = ArrayField(AsObject(response.json), "knowledge");
  if (files.isNull()) return ReportUnexpected("no \"knowledge\" list in the answer", ctx.err);
  if (files->size() == 0) {
    ctx.out << "No knowledge files. Upload one with 'herald agents knowledge upload " << id
            << " FILE'.\n";
    return kExitOk;
  }
  PrintKnowledgeFiles(files, ctx.out);
  return kExitOk;
}

int RunDownload(CommandContext& ctx) {
  std::string id = Id(ctx);
  std::string name = *ctx.args.Positional("NAME");
  ApiResponse response = ctx.api.Send(
      ApiRequest{.method = "GET", .path = AgentPath(id, {"knowledge", name}), .raw_answer = true});
  if (!response.ok()) return ReportError(*response.error, ctx.err);
  if (auto path = ctx.args.Value("output"); path && *path != "-") {
    WriteFileOrThrow(*path, response.body, "output file");
    ctx.out << "Saved " << name << " (" << response.body.size() << " bytes) to " << *path << ".\n";
  } else {
    ctx.out << response.body;
  }
  return kExitOk;
}

int RunRemove(CommandContext& ctx) {
  std::string id = Id(ctx);
  std::string name = *ctx.args.Positional("NAME");
  ApiResponse response = SendDraftChange(ctx, "DELETE", AgentPath(id, {"knowledge", name}));
  return FinishAgentAnswer(ctx, response, "Removed " + name + " from agent " + id,
                           [](const Object::Ptr& agent, std::ostream& out) {
                             PrintKnowledgeFiles(ArrayField(agent, "knowledge"), out);
                           });
}

PositionalSpec NameArg() {
  return {.name = "NAME", .arity = Arity::kRequired, .help = "the knowledge file's name"};
}

}  // namespace

std::vector<Command> AgentKnowledgeCommands() {
  std::vector<Command> commands;
  commands.push_back(Command{
      .name = "agents knowledge upload",
      .summary = "Upload a file to an agent's knowledge (replacing one of the same name)",
      .args = {.options = {{.name = "name",
                            .value_name = "NAME",
                            .help = "its name in the agent (default: the file's name)"},
                           {.name = "content-type",
                            .value_name = "T",
                            .help = "its media type (default: by its extension)"},
                           IfMatchOption()},
               .positionals = {AgentIdArg(),
                               {.name = "FILE", .arity = Arity::kRequired, .help = "the file"}}},
      .run = RunUpload,
      .description = "The file's bytes are sent as they are. Without --content-type the type is\n"
                     "guessed from the extension (.md text/markdown, .txt text/plain, .pdf\n"
                     "application/pdf, ...; application/octet-stream when unknown).",
  });
  commands.push_back(Command{
      .name = "agents knowledge list",
      .summary = "List an agent's knowledge files (NAME SIZE TYPE SHA256)",
      .args = {.options = {}, .positionals = {AgentIdArg()}},
      .run = RunList,
  });
  commands.push_back(Command{
      .name = "agents knowledge download",
      .summary = "Download a knowledge file: its bytes to standard output or a file",
      .args = {.options = {{.name = "output",
                            .value_name = "FILE",
                            .help = "write the bytes to FILE instead of standard output",
                            .short_name = 'o'}},
               .positionals = {AgentIdArg(), NameArg()}},
      .run = RunDownload,
      .description = "The bytes are written exactly as stored (--json does not apply).",
  });
  commands.push_back(Command{
      .name = "agents knowledge remove",
      .summary = "Remove a knowledge file from an agent",
      .args = {.options = {IfMatchOption()}, .positionals = {AgentIdArg(), NameArg()}},
      .run = RunRemove,
  });
  return commands;
}

}  // namespace herald::cli
