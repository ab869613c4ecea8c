#include "cli/commands/agents_common.h"

#include <sstream>

#include "cli/commands/common.h"
#include "cli/exit_status.h"
#include "cli/json_fields.h"
#include "cli/report.h"
#include "cli/table.h"

namespace herald::cli {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// `text` on one line: line breaks become spaces.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

// "Title:" and the text's lines indented, or "Title: none".
void PrintTextBlock(const std::string& title, const std::string& text, std::ostream& out) {
  if (text.empty()) {
    out << title << ": none\n";
    return;
  }
  out << title << ":\n";
  std::istringstream lines(StripTrailingNewlines(text));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out << (line.empty() ? "" : "  " + line) << '\n';
  }
}

std::vector<std::string> Strings(const Array::Ptr& array) {
  std::vector<std::string> strings;
  for (std::size_t i = 0; !array.isNull() && i < array->size(); ++i) {
    Poco::Dynamic::Var value = array->get(static_cast<unsigned int>(i));
    if (value.isString()) strings.push_back(value.extract<std::string>());
  }
  return strings;
}

void PrintStarterPrompts(const Array::Ptr& prompts, std::ostream& out) {
  std::vector<std::string> list = Strings(prompts);
  if (list.empty()) {
    out << "Starter prompts: none\n";
    return;
  }
  out << "Starter prompts:\n";
  for (const std::string& p : list) out << "  - " << OneLine(p) << '\n';
}

std::string ShortHash(const std::string& hash) { return hash.substr(0, 12); }

}  // namespace

std::string AgentPath(std::string_view id, std::initializer_list<std::string_view> more) {
  std::string path = PathOf({"v1", "agents", id});
  for (std::string_view segment : more) path += "/" + ApiClient::EscapeSegment(segment);
  return path;
}

PositionalSpec AgentIdArg(std::string name) {
  return {.name = std::move(name), .arity = Arity::kRequired, .help = "the agent's ID"};
}

OptionSpec IfMatchOption() {
  return {.name = "if-match",
          .value_name = "REV",
          .help = "change only if the draft is still at revision REV"};
}

std::vector<std::pair<std::string, std::string>> IfMatchHeaders(const ParsedArgs& args) {
  std::optional<std::string> rev = args.Value("if-match");
  if (!rev) return {};
  if (rev->empty() || rev->size() > 18 ||
      rev->find_first_not_of("0123456789") != std::string::npos) {
    throw UsageError("--if-match expects a revision number (got '" + *rev + "')");
  }
  return {{"If-Match", *rev}};
}

ApiResponse SendDraftChange(const CommandContext& ctx, const std::string& method,
                            const std::string& path, const Poco::Dynamic::Var& body) {
  return ctx.api.Send(ApiRequest{
      .method = method, .path = path, .json = body, .headers = IfMatchHeaders(ctx.args)});
}

std::string DashIfEmpty(const std::string& text) { return text.empty() ? "-" : text; }

void PrintKnowledgeFiles(const Array::Ptr& files, std::ostream& out) {
  if (files.isNull() || files->size() == 0) {
    out << "Knowledge: none\n";
    return;
  }
  Table table({"NAME", "SIZE", "TYPE", "SHA256"});
  table.SetAlign(1, Align::kRight);
  for (std::size_t i = 0; i < files->size(); ++i) {
    Object::Ptr f = ObjectAt(files, i);
    table.AddRow({StringField(f, "name"), StringField(f, "size"),
                  DashIfEmpty(StringField(f, "content_type")),
                  DashIfEmpty(ShortHash(StringField(f, "sha256")))});
  }
  out << "Knowledge:\n";
  PrintTable(table, out, "  ");
}

void PrintAgentTools(const Object::Ptr& agent, std::ostream& out) {
  std::string names;
  for (const std::string& t : Strings(ArrayField(agent, "tools"))) {
    names += (names.empty() ? "" : ", ") + t;
  }
  out << "Tools: " << (names.empty() ? "none" : names) << '\n';
}

void PrintCollaborators(const Object::Ptr& agent, std::ostream& out) {
  Array::Ptr list = ArrayField(agent, "collaborators");
  if (list.isNull() || list->size() == 0) {
    out << "Collaborators: none\n";
    return;
  }
  Table table({"USER", "ROLE"});
  for (std::size_t i = 0; i < list->size(); ++i) {
    Object::Ptr c = ObjectAt(list, i);
    table.AddRow({StringField(c, "user"), StringField(c, "role")});
  }
  out << "Collaborators:\n";
  PrintTable(table, out, "  ");
}

void PrintChannels(const Object::Ptr& agent, std::ostream& out) {
  Array::Ptr list = ArrayField(agent, "channels");
  if (list.isNull() || list->size() == 0) {
    out << "Channels: none\n";
    return;
  }
  Table table({"NAME", "PLUGIN", "SETTINGS"});
  for (std::size_t i = 0; i < list->size(); ++i) {
    Object::Ptr c = ObjectAt(list, i);
    std::string settings = c.isNull() || !c->has("settings") ? "" : CompactJson(c->get("settings"));
    table.AddRow({StringField(c, "name"), StringField(c, "plugin"),
                  settings.empty() || settings == "null" ? "{}" : settings});
  }
  out << "Channels:\n";
  PrintTable(table, out, "  ");
}

void PrintAgent(const Object::Ptr& agent, std::ostream& out) {
  Object::Ptr voice = ObjectField(agent, "voice");
  Object::Ptr behaviour = ObjectField(agent, "behaviour");
  std::string live = StringField(agent, "live_version");
  std::string updated = DashIfEmpty(StringField(agent, "updated_at"));
  if (std::string by = StringField(agent, "updated_by"); !by.empty()) updated += " by " + by;
  PrintKeyValues({{"ID", StringField(agent, "id")},
                  {"Name", DashIfEmpty(OneLine(StringField(agent, "name")))},
                  {"Description", DashIfEmpty(OneLine(StringField(agent, "description")))},
                  {"Model", DashIfEmpty(StringField(agent, "model"))},
                  {"Voice", DashIfEmpty(StringField(voice, "voice"))},
                  {"Language", DashIfEmpty(StringField(voice, "language"))},
                  {"Speaking rate", DashIfEmpty(StringField(voice, "speaking_rate"))},
                  {"Revision", DashIfEmpty(StringField(agent, "revision"))},
                  {"Live version", live.empty() ? "not live" : live},
                  {"Created", DashIfEmpty(StringField(agent, "created_at"))},
                  {"Updated", updated}},
                 out);
  out << '\n';
  PrintTextBlock("Instructions", StringField(agent, "instructions"), out);
  out << '\n';
  PrintTextBlock("Guidelines", StringField(behaviour, "guidelines"), out);
  out << '\n';
  PrintTextBlock("Welcome message", StringField(behaviour, "welcome_message"), out);
  out << '\n';
  PrintStarterPrompts(ArrayField(behaviour, "starter_prompts"), out);
  out << '\n';
  PrintKnowledgeFiles(ArrayField(agent, "knowledge"), out);
  out << '\n';
  PrintAgentTools(agent, out);
  out << '\n';
  PrintCollaborators(agent, out);
  out << '\n';
  PrintChannels(agent, out);
}

int FinishAgentAnswer(CommandContext& ctx, const ApiResponse& response, const std::string& headline,
                      const AgentPrinter& details) {
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Object::Ptr agent = ObjectField(AsObject(response.json), "agent");
  if (agent.isNull()) return ReportUnexpected("no \"agent\" in the answer", ctx.err);
  ctx.out << headline << " (revision " << DashIfEmpty(StringField(agent, "revision")) << ").\n";
  if (details) {
    ctx.out << '\n';
    details(agent, ctx.out);
  }
  return kExitOk;
}

}  // namespace herald::cli
