// herald agents add-tool|remove-tool|share|unshare|set-channel|remove-channel:
// what an agent is linked to — its tools, its collaborators (and their
// roles), and the channels it publishes to with each channel's settings
// (/v1/agents/{id}/tools/{tool}, .../collaborators/{user}, .../channels/{name}).
#include <charconv>
#include <cstdint>
#include <set>
#include <string>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include "cli/commands/agents_common.h"
#include "cli/commands/builtin.h"
#include "cli/commands/common.h"
#include "cli/json_fields.h"

namespace herald::cli {
namespace {

using Poco::JSON::Object;

std::string Id(const CommandContext& ctx) { return *ctx.args.Positional("ID"); }

int RunAddTool(CommandContext& ctx) {
  std::string id = Id(ctx);
  std::string tool = *ctx.args.Positional("TOOL");
  ApiResponse response = SendDraftChange(ctx, "PUT", AgentPath(id, {"tools", tool}));
  return FinishAgentAnswer(ctx, response, "Added tool " + tool + " to agent " + id,
                           PrintAgentTools);
}

int RunRemoveTool(CommandContext& ctx) {
  std::string id = Id(ctx);
  std::string tool = *ctx.args.Positional("TOOL");
  ApiResponse response = SendDraftChange(ctx, "DELETE", AgentPath(id, {"tools", tool}));
  return FinishAgentAnswer(ctx, response, "Removed tool " + tool + " from agent " + id,
                           PrintAgentTools);
}

int RunShare(CommandContext& ctx) {
  std::string id = Id(ctx);
  std::string user = *ctx.args.Positional("USER");
  std::string role = OneOf("role", RequiredValue(ctx.args, "role"), {"owner", "editor", "viewer"});
  Object::Ptr body = new Object;
  body->set("role", role);
  ApiResponse response = SendDraftChange(ctx, "PUT", AgentPath(id, {"collaborators", user}), body);
  return FinishAgentAnswer(ctx, response, "Shared agent " + id + " with " + user + " as " + role,
                           PrintCollaborators);
}

int RunUnshare(CommandContext& ctx) {
  std::string id = Id(ctx);
  std::string user = *ctx.args.Positional("USER");
  ApiResponse response = SendDraftChange(ctx, "DELETE", AgentPath(id, {"collaborators", user}));
  return FinishAgentAnswer(ctx, response, "Stopped sharing agent " + id + " with " + user,
                           PrintCollaborators);
}

// A --setting VALUE as JSON: true/false as booleans, a whole number (no
// leading zeros, within 64 bits) as a number, anything else as a string.
Poco::Dynamic::Var SettingValue(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  bool integer = !digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos &&
                 (digits.size() == 1 || digits.front() != '0');
  if (integer) {
    std::int64_t number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc() && end == text.data() + text.size()) return Poco::Int64(number);
  }
  return text;
}

// The channel's settings from --setting KEY=VALUE or --settings-json, if given.
Object::Ptr SettingsFromArgs(const ParsedArgs& args) {
  std::vector<std::string> settings = args.Values("setting");
  std::optional<std::string> json = args.Value("settings-json");
  if (json && !settings.empty()) throw UsageError("give --setting or --settings-json, not both");
  if (json) {
    try {
      Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(*json);
      Object::Ptr object = AsObject(parsed);
      if (!object.isNull()) return object;
    } catch (const Poco::Exception&) {
    }
    throw UsageError("--settings-json expects a JSON object, e.g. '{\"public\":true}'");
  }
  if (settings.empty()) return nullptr;
  Object::Ptr object = new Object;
  std::set<std::string> keys;
  for (const std::string& setting : settings) {
    std::size_t eq = setting.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw UsageError("--setting expects KEY=VALUE (got '" + setting + "')");
    }
    std::string key = setting.substr(0, eq);
    if (!keys.insert(key).second) throw UsageError("--setting '" + key + "' is given twice");
    object->set(key, SettingValue(setting.substr(eq + 1)));
  }
  return object;
}

int RunSetChannel(CommandContext& ctx) {
  std::string id = Id(ctx);
  std::string name = *ctx.args.Positional("NAME");
  Object::Ptr body = new Object;
  body->set("plugin", RequiredValue(ctx.args, "plugin"));
  if (Object::Ptr settings = SettingsFromArgs(ctx.args); !settings.isNull()) {
    body->set("settings", settings);
  }
  ApiResponse response = SendDraftChange(ctx, "PUT", AgentPath(id, {"channels", name}), body);
  return FinishAgentAnswer(ctx, response, "Set channel " + name + " of agent " + id, PrintChannels);
}

int RunRemoveChannel(CommandContext& ctx) {
  std::string id = Id(ctx);
  std::string name = *ctx.args.Positional("NAME");
  ApiResponse response = SendDraftChange(ctx, "DELETE", AgentPath(id, {"channels", name}));
  return FinishAgentAnswer(ctx, response, "Removed channel " + name + " from agent " + id,
                           PrintChannels);
}

PositionalSpec Arg(std::string name, std::string help) {
  return {.name = std::move(name), .arity = Arity::kRequired, .help = std::move(help)};
}

}  // namespace

std::vector<Command> AgentLinksCommands() {
  std::vector<Command> commands;
  commands.push_back(Command{
      .name = "agents add-tool",
      .summary = "Let an agent use a tool",
      .args = {.options = {IfMatchOption()},
               .positionals = {AgentIdArg(), Arg("TOOL", "the tool's name")}},
      .run = RunAddTool,
  });
  commands.push_back(Command{
      .name = "agents remove-tool",
      .summary = "Take a tool away from an agent",
      .args = {.options = {IfMatchOption()},
               .positionals = {AgentIdArg(), Arg("TOOL", "the tool's name")}},
      .run = RunRemoveTool,
  });
  commands.push_back(Command{
      .name = "agents share",
      .summary = "Make a user a collaborator of an agent, or change their role",
      .args = {.options = {{.name = "role",
                            .value_name = "ROLE",
                            .help = "owner, editor or viewer (required)"},
                           IfMatchOption()},
               .positionals = {AgentIdArg(), Arg("USER", "the user's name")}},
      .run = RunShare,
      .description = "Viewers read the agent, editors also change and deploy it, owners also\n"
                     "manage its collaborators and may remove it.",
  });
  commands.push_back(Command{
      .name = "agents unshare",
      .summary = "Remove a collaborator from an agent",
      .args = {.options = {IfMatchOption()},
               .positionals = {AgentIdArg(), Arg("USER", "the user's name")}},
      .run = RunUnshare,
      .description = "An agent always keeps at least one owner.",
  });
  commands.push_back(Command{
      .name = "agents set-channel",
      .summary = "Add or replace a channel an agent publishes to",
      .args = {.options =
                   {{.name = "plugin", .value_name = "P", .help = "the channel plugin (required)"},
                    {.name = "setting",
                     .value_name = "KEY=VALUE",
                     .help = "a setting of the channel",
                     .repeatable = true},
                    {.name = "settings-json",
                     .value_name = "JSON",
                     .help = "all settings as one JSON object"},
                    IfMatchOption()},
               .positionals = {AgentIdArg(), Arg("NAME", "the channel's name, e.g. chat")}},
      .run = RunSetChannel,
      .description = "The channel is replaced as a whole: settings not given are left to the\n"
                     "plugin's defaults. A --setting VALUE of true or false is sent as a JSON\n"
                     "boolean, a whole number as a JSON number, anything else as a string;\n"
                     "use --settings-json '{\"code\":\"007\"}' for other types or to force one.",
  });
  commands.push_back(Command{
      .name = "agents remove-channel",
      .summary = "Remove a channel from an agent's draft",
      .args = {.options = {IfMatchOption()},
               .positionals = {AgentIdArg(), Arg("NAME", "the channel's name")}},
      .run = RunRemoveChannel,
  });
  return commands;
}

}  // namespace herald::cli
