// herald connections add|list|show|configure|copy-to-live|remove|
// set-credentials|clear-credentials|test: how tools reach an API, per
// environment (draft, live), with team or member credentials
// (/v1/connections and below; see docs/api-connections.md).
//
// Secrets: credential values given with --field may come from a file
// (NAME=@PATH) or standard input (NAME=-) so they need not appear on the
// command line. No value given with --field is ever printed, not even in an
// error message (errors name the field), and heraldd never returns secrets.
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

using Poco::JSON::Object;

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

// The strings of `array` joined with ", " (other elements skipped).
std::string JoinNames(const Poco::JSON::Array::Ptr& array) {
  std::string names;
  for (std::size_t i = 0; !array.isNull() && i < array->size(); ++i) {
    Poco::Dynamic::Var name = array->get(static_cast<unsigned int>(i));
    if (!name.isString()) continue;
    names += (names.empty() ? "" : ", ") + name.extract<std::string>();
  }
  return names;
}

std::string EnvValue(const ParsedArgs& args) {
  return OneOf("env", RequiredValue(args, "env"), {"draft", "live"});
}

// "team" for --team, "me" for --me: exactly one of them must be given.
std::string OwnerValue(const ParsedArgs& args) {
  bool team = args.Flag("team");
  bool me = args.Flag("me");
  if (team && me) throw UsageError("give --team or --me, not both");
  if (!team && !me) throw UsageError("missing --team or --me (whose credentials)");
  return team ? "team" : "me";
}

std::string ConnectionPath(const CommandContext& ctx) {
  return PathOf({"v1", "connections", *ctx.args.Positional("ID")});
}

std::string CredentialsPath(const CommandContext& ctx, const std::string& env,
                            const std::string& owner) {
  return PathOf(
      {"v1", "connections", *ctx.args.Positional("ID"), "environments", env, "credentials", owner});
}

// "ok (HTTP 200)", "auth_failed: server answered 401 Unauthorized", "untested".
std::string StatusText(const std::string& status, const std::string& detail,
                       const std::string& http_status) {
  if (status.empty()) return "untested";
  if (status != "ok" && !detail.empty()) return status + ": " + detail;
  if (!http_status.empty() && http_status != "0") return status + " (HTTP " + http_status + ")";
  return status;
}

std::string StatusText(const Poco::JSON::Object::Ptr& status) {
  return StatusText(StringField(status, "status"), StringField(status, "detail"),
                    StringField(status, "http_status"));
}

// ---- EnvConfig from the command line ----

std::vector<OptionSpec> EnvOptions(bool configure) {
  std::vector<OptionSpec> options = {
      {.name = "server-url", .value_name = "URL", .help = "the API's base URL"},
      {.name = "auth-type", .value_name = "T", .help = "auth type plugin (e.g. bearer)"},
      {.name = "credential-type",
       .value_name = "TYPE",
       .help = configure ? "team (shared) or member (per user)"
                         : "team (shared, default) or member (per user)"},
      {.name = "sso", .help = "members are identified by an SSO token"},
  };
  if (configure) options.push_back({.name = "no-sso", .help = "turn SSO off"});
  options.push_back({.name = "probe-method",
                     .value_name = "M",
                     .help = "HTTP method of the connection test (default GET)"});
  options.push_back({.name = "probe-path",
                     .value_name = "P",
                     .help = "path the connection test requests (default /)"});
  options.push_back(
      {.name = "probe-timeout", .value_name = "MS", .help = "connection test timeout"});
  if (configure) {
    options.push_back(
        {.name = "sso-issuer", .value_name = "I", .help = "SSO tokens' expected issuer"});
    options.push_back(
        {.name = "sso-audience", .value_name = "A", .help = "SSO tokens' expected audience"});
    options.push_back({.name = "sso-rs256-key-file",
                       .value_name = "PEMFILE",
                       .help = "RS256 public key (PEM) that verifies SSO tokens"});
  }
  return options;
}

// The EnvConfig fields given on the command line, and only those.
Object::Ptr EnvConfigFromArgs(const ParsedArgs& args, bool configure) {
  Object::Ptr config = new Object;
  if (auto v = args.Value("server-url")) config->set("server_url", *v);
  if (auto v = args.Value("auth-type")) config->set("auth_type", *v);
  if (auto v = args.Value("credential-type")) {
    config->set("credential_type", OneOf("credential-type", *v, {"team", "member"}));
  }
  bool no_sso = configure && args.Flag("no-sso");
  if (args.Flag("sso") && no_sso) throw UsageError("give --sso or --no-sso, not both");
  if (args.Flag("sso")) config->set("sso", true);
  if (no_sso) config->set("sso", false);

  Object::Ptr probe = new Object;
  if (auto v = args.Value("probe-method")) probe->set("method", *v);
  if (auto v = args.Value("probe-path")) probe->set("path", *v);
  if (auto v = PositiveIntValue(args, "probe-timeout")) probe->set("timeout_ms", *v);
  if (probe->size() > 0) config->set("probe", probe);

  if (configure) {
    Object::Ptr provider = new Object;
    if (auto v = args.Value("sso-issuer")) provider->set("issuer", *v);
    if (auto v = args.Value("sso-audience")) provider->set("audience", *v);
    if (auto v = args.Value("sso-rs256-key-file")) {
      provider->set("rs256_public_key_pem", ReadFileOrThrow(*v, "key file"));
    }
    if (provider->size() > 0) config->set("sso_provider", provider);
  }
  return config;
}

// ---- Human output ----

void PrintFields(const std::string& title, const Poco::JSON::Object::Ptr& fields_object,
                 std::ostream& out, std::string_view indent) {
  Poco::JSON::Array::Ptr fields = ArrayField(fields_object, "fields");
  if (fields.isNull() || fields->size() == 0) {
    out << indent << title << ": none\n";
    return;
  }
  Table table({"FIELD", "SET", "VALUE", "UPDATED"});
  for (std::size_t i = 0; i < fields->size(); ++i) {
    Poco::JSON::Object::Ptr f = ObjectAt(fields, i);
    bool set = BoolField(f, "set").value_or(false);
    bool secret = BoolField(f, "secret").value_or(true);
    // A secret is never shown, whatever the answer holds.
    std::string value = secret ? (set ? "(secret)" : "-") : OrDash(StringField(f, "value"));
    table.AddRow({StringField(f, "name"), Mark(set), value, OrDash(StringField(f, "updated_at"))});
  }
  out << indent << title << ":\n";
  PrintTable(table, out, std::string(indent) + "  ");
}

std::string ProbeText(const Poco::JSON::Object::Ptr& probe) {
  if (probe.isNull()) return "-";
  std::string method = StringField(probe, "method");
  std::string path = StringField(probe, "path");
  std::string timeout = StringField(probe, "timeout_ms");
  std::string text = method;
  if (!path.empty()) text += (text.empty() ? "" : " ") + path;
  if (!timeout.empty())
    text += (text.empty() ? "" : ", ") + std::string("timeout ") + timeout + " ms";
  return OrDash(text);
}

std::string SsoProviderText(const Poco::JSON::Object::Ptr& provider) {
  std::string text;
  auto add = [&text](const std::string& part) { text += (text.empty() ? "" : ", ") + part; };
  if (std::string issuer = StringField(provider, "issuer"); !issuer.empty()) {
    add("issuer " + issuer);
  }
  if (std::string audience = StringField(provider, "audience"); !audience.empty()) {
    add("audience " + audience);
  }
  if (!StringField(provider, "rs256_public_key_pem").empty()) add("RS256 public key set");
  return OrDash(text);
}

void PrintEnvironment(const std::string& label, const Poco::JSON::Object::Ptr& env,
                      std::ostream& out) {
  if (env.isNull()) {
    out << label << " environment: not configured\n";
    return;
  }
  out << label << " environment:\n";
  std::optional<bool> sso = BoolField(env, "sso");
  KeyValues lines = {
      {"Server", OrDash(StringField(env, "server_url"))},
      {"Auth type", OrDash(StringField(env, "auth_type"))},
      {"Credential type", OrDash(StringField(env, "credential_type"))},
      {"SSO", sso ? (*sso ? "yes" : "no") : "-"},
      {"Probe", ProbeText(ObjectField(env, "probe"))},
  };
  Poco::JSON::Object::Ptr provider = ObjectField(env, "sso_provider");
  if (!provider.isNull()) lines.emplace_back("SSO provider", SsoProviderText(provider));
  Poco::JSON::Object::Ptr status = ObjectField(env, "status");
  std::string status_text = StatusText(status);
  if (std::string tested_at = StringField(status, "tested_at"); !tested_at.empty()) {
    status_text += ", tested at " + tested_at;
  }
  lines.emplace_back("Status", status_text);
  Poco::JSON::Object::Ptr credentials = ObjectField(env, "credentials");
  if (!credentials.isNull() && credentials->has("members_configured")) {
    lines.emplace_back("Members configured", StringField(credentials, "members_configured"));
  }
  PrintKeyValues(lines, out, "  ");
  Poco::JSON::Object::Ptr team = ObjectField(credentials, "team");
  Poco::JSON::Object::Ptr mine = ObjectField(credentials, "mine");
  if (!team.isNull()) PrintFields("Team credentials", team, out, "  ");
  if (!mine.isNull()) PrintFields("Your credentials", mine, out, "  ");
}

void PrintConnection(const Poco::JSON::Object::Ptr& connection, std::ostream& out) {
  std::optional<bool> live_complete = BoolField(connection, "live_complete");
  PrintKeyValues({{"Name", StringField(connection, "display_name")},
                  {"ID", StringField(connection, "id")},
                  {"Live complete", live_complete ? Mark(*live_complete) : "-"},
                  {"Created", OrDash(StringField(connection, "created_at"))},
                  {"Updated", OrDash(StringField(connection, "updated_at"))}},
                 out);
  out << '\n';
  PrintEnvironment("Draft", ObjectField(connection, "draft"), out);
  out << '\n';
  PrintEnvironment("Live", ObjectField(connection, "live"), out);
  out << '\n';
  std::string names = JoinNames(ArrayField(connection, "tools"));
  out << "Tools: " << (names.empty() ? "none" : names) << '\n';
}

// Prints the "connection" of an answer after `headline` (unless --json), and
// warns when the answer says `env`'s stored credentials were deleted.
int FinishConnectionAnswer(CommandContext& ctx, const ApiResponse& response,
                           const std::string& headline, const std::string& env) {
  if (!response.ok()) return ReportError(*response.error, ctx.err);
  Poco::JSON::Object::Ptr answer = AsObject(response.json);
  Poco::JSON::Object::Ptr connection = ObjectField(answer, "connection");
  if (ctx.json) {
    PrintJsonBody(response, ctx.out);
  } else {
    if (connection.isNull()) return ReportUnexpected("no \"connection\" in the answer", ctx.err);
    ctx.out << headline << "\n\n";
    PrintConnection(connection, ctx.out);
  }
  if (!env.empty() && BoolField(answer, "credentials_deleted").value_or(false)) {
    std::string id = *ctx.args.Positional("ID");
    ctx.err << "warning: the stored credentials of " << id << "'s " << env
            << " environment were deleted; set them again with 'herald connections "
               "set-credentials "
            << id << " --env " << env << "'\n";
  }
  return kExitOk;
}

// ---- Commands ----

int RunAdd(CommandContext& ctx) {
  std::string id = *ctx.args.Positional("ID");
  std::string name = RequiredValue(ctx.args, "name");
  Object::Ptr draft = EnvConfigFromArgs(ctx.args, false);
  Object::Ptr body = new Object;
  body->set("id", id);
  body->set("display_name", name);
  if (draft->size() > 0) {
    if (!draft->has("server_url") || !draft->has("auth_type")) {
      throw UsageError("configuring the draft environment needs both --server-url and --auth-type");
    }
    if (!draft->has("credential_type")) draft->set("credential_type", "team");
    if (!draft->has("sso")) draft->set("sso", false);
    body->set("draft", draft);
  }
  ApiResponse response = ctx.api.Post("/v1/connections", body);
  return FinishConnectionAnswer(ctx, response, "Added connection " + id + ".", "");
}

int RunList(CommandContext& ctx) {
  ApiResponse response = ctx.api.Get("/v1/connections");
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Poco::JSON::Array::Ptr rows = ArrayField(AsObject(response.json), "connections");
  if (rows.isNull()) {
    return ReportUnexpected("no \"connections\" list in /v1/connections answer", ctx.err);
  }
  if (rows->size() == 0) {
    ctx.out << "No connections. Add one with 'herald connections add ID --name NAME'.\n";
    return kExitOk;
  }
  Table table({"ID", "NAME", "SERVER", "ASSOCIATED TOOLS", "LIVE", "STATUS"});
  for (std::size_t i = 0; i < rows->size(); ++i) {
    Poco::JSON::Object::Ptr row = ObjectAt(rows, i);
    std::string names = JoinNames(ArrayField(row, "associated_tools"));
    bool live = BoolField(row, "live").value_or(false);
    std::string live_cell = Mark(live);
    std::string reason = StringField(row, "live_reason");
    if (!live && !reason.empty()) live_cell += " " + reason;
    table.AddRow({StringField(row, "id"), StringField(row, "display_name"),
                  OrDash(StringField(row, "server")), OrDash(names), live_cell,
                  StatusText(StringField(row, "status"), StringField(row, "status_detail"), "")});
  }
  table.Print(ctx.out);
  return kExitOk;
}

int RunShow(CommandContext& ctx) {
  ApiResponse response = ctx.api.Get(ConnectionPath(ctx));
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Poco::JSON::Object::Ptr connection = ObjectField(AsObject(response.json), "connection");
  if (connection.isNull()) return ReportUnexpected("no \"connection\" in the answer", ctx.err);
  PrintConnection(connection, ctx.out);
  return kExitOk;
}

int RunConfigure(CommandContext& ctx) {
  std::string id = *ctx.args.Positional("ID");
  Object::Ptr config = EnvConfigFromArgs(ctx.args, true);
  std::optional<std::string> name = ctx.args.Value("name");
  std::optional<std::string> env;
  if (config->size() > 0 || !name) env = EnvValue(ctx.args);
  if (config->size() == 0 && !name) {
    throw UsageError("nothing to configure: give --name or environment options");
  }
  ApiResponse response;
  if (name) {
    Object::Ptr body = new Object;
    body->set("display_name", *name);
    response = ctx.api.Patch(ConnectionPath(ctx), body);
    if (!response.ok() || config->size() == 0) {
      return FinishConnectionAnswer(ctx, response, "Renamed connection " + id + ".", "");
    }
  }
  response = ctx.api.Put(PathOf({"v1", "connections", id, "environments", *env}), config);
  return FinishConnectionAnswer(ctx, response,
                                "Configured the " + *env + " environment of " + id + ".", *env);
}

int RunCopyToLive(CommandContext& ctx) {
  std::string id = *ctx.args.Positional("ID");
  ApiResponse response = ctx.api.Post(ConnectionPath(ctx) + "/copy-to-live");
  return FinishConnectionAnswer(
      ctx, response, "Copied the draft environment of " + id + " to its live environment.", "live");
}

int RunRemove(CommandContext& ctx) {
  ApiResponse response = ctx.api.Delete(ConnectionPath(ctx));
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  ctx.out << "Removed connection " << *ctx.args.Positional("ID") << ".\n";
  return kExitOk;
}

// The --field NAME=VALUE options as {"NAME":"VALUE"}, with @PATH and - read.
// Errors name the field (or its position), never its value.
Object::Ptr FieldsFromArgs(const ParsedArgs& args, std::istream& in) {
  std::vector<std::string> raw = args.Values("field");
  if (raw.empty()) throw UsageError("missing option --field NAME=VALUE");
  std::vector<std::pair<std::string, std::string>> fields;  // name, value as given
  std::set<std::string> names;
  std::string stdin_field;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    std::size_t eq = raw[i].find('=');
    std::string ordinal = "--field #" + std::to_string(i + 1);
    if (eq == std::string::npos) {
      throw UsageError(ordinal + " is not of the form NAME=VALUE (it has no '=')");
    }
    std::string name = raw[i].substr(0, eq);
    if (name.empty()) throw UsageError(ordinal + " has an empty NAME (expected NAME=VALUE)");
    if (!names.insert(name).second) throw UsageError("--field '" + name + "' is given twice");
    std::string value = raw[i].substr(eq + 1);
    if (value == "-") {
      if (!stdin_field.empty()) {
        throw UsageError("--field '" + name + "': standard input is already read for --field '" +
                         stdin_field + "'");
      }
      stdin_field = name;
    }
    fields.emplace_back(std::move(name), std::move(value));
  }
  Object::Ptr values = new Object;
  for (const auto& [name, value] : fields) {
    if (value == "-") {
      values->set(name, StripTrailingNewlines(ReadAll(in)));
    } else if (!value.empty() && value[0] == '@') {
      std::string path = value.substr(1);
      if (path.empty()) throw UsageError("--field '" + name + "': '@' must be followed by a path");
      try {
        values->set(name, StripTrailingNewlines(ReadFileOrThrow(path, "file")));
      } catch (const UsageError& e) {
        throw UsageError("--field '" + name + "': " + e.what());
      }
    } else {
      values->set(name, value);
    }
  }
  return values;
}

std::string OwnerTitle(const std::string& owner) {
  return owner == "team" ? "Team credentials" : "Your credentials";
}

int RunSetCredentials(CommandContext& ctx) {
  std::string id = *ctx.args.Positional("ID");
  std::string env = EnvValue(ctx.args);
  std::string owner = OwnerValue(ctx.args);
  Object::Ptr body = new Object;
  body->set("fields", FieldsFromArgs(ctx.args, ctx.in));
  ApiResponse response = ctx.api.Put(CredentialsPath(ctx, env, owner), body);
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Poco::JSON::Object::Ptr credentials = ObjectField(AsObject(response.json), "credentials");
  if (credentials.isNull()) return ReportUnexpected("no \"credentials\" in the answer", ctx.err);
  PrintFields(OwnerTitle(owner) + " of " + id + " (" + env + ")", credentials, ctx.out, "");
  return kExitOk;
}

int RunClearCredentials(CommandContext& ctx) {
  std::string id = *ctx.args.Positional("ID");
  std::string env = EnvValue(ctx.args);
  std::string owner = OwnerValue(ctx.args);
  ApiResponse response = ctx.api.Delete(CredentialsPath(ctx, env, owner));
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  std::string deleted = OrDash(StringField(AsObject(response.json), "deleted"));
  ctx.out << "Deleted " << deleted << (deleted == "1" ? " field" : " fields") << " of "
          << (owner == "team" ? "the team's" : "your") << " credentials of " << id << " (" << env
          << ").\n";
  return kExitOk;
}

int RunTest(CommandContext& ctx) {
  std::string env = EnvValue(ctx.args);
  std::optional<std::string> token = ctx.args.Value("sso-token");
  std::optional<std::string> token_file = ctx.args.Value("sso-token-file");
  if (token && token_file) throw UsageError("give --sso-token or --sso-token-file, not both");
  if (token_file) {
    token = StripTrailingNewlines(*token_file == "-" ? ReadAll(ctx.in)
                                                     : ReadFileOrThrow(*token_file, "token file"));
  }
  Object::Ptr body = new Object;
  body->set("environment", env);
  if (auto as = ctx.args.Value("as")) body->set("as", *as);
  if (token) body->set("sso_token", *token);
  ApiResponse response = ctx.api.Post(ConnectionPath(ctx) + "/test", body);
  if (!response.ok()) return ReportError(*response.error, ctx.err);
  Poco::JSON::Object::Ptr answer = AsObject(response.json);
  Poco::JSON::Object::Ptr status = ObjectField(answer, "status");
  if (status.isNull()) return ReportUnexpected("no \"status\" in the test answer", ctx.err);
  if (ctx.json) {
    PrintJsonBody(response, ctx.out);
  } else {
    std::string tested = StringField(answer, "environment");
    ctx.out << (tested.empty() ? env : tested) << ": " << StatusText(status) << '\n';
  }
  return StringField(status, "status") == "ok" ? kExitOk : kExitServerError;
}

PositionalSpec IdArg() {
  return {.name = "ID", .arity = Arity::kRequired, .help = "the connection's ID"};
}

OptionSpec EnvOption() {
  return {.name = "env", .value_name = "ENV", .help = "draft or live (required)"};
}

std::vector<OptionSpec> OwnerOptions() {
  return {{.name = "team", .help = "the team's shared credentials (operator)"},
          {.name = "me", .help = "your own member credentials"}};
}

}  // namespace

std::vector<Command> ConnectionsCommands() {
  std::vector<Command> commands;

  std::vector<OptionSpec> add_options = {
      {.name = "name", .value_name = "DISPLAY_NAME", .help = "display name (required)"}};
  for (OptionSpec& o : EnvOptions(false)) add_options.push_back(std::move(o));
  commands.push_back(Command{
      .name = "connections add",
      .summary = "Add a connection, optionally configuring its draft environment",
      .args = {.options = add_options, .positionals = {IdArg()}},
      .run = RunAdd,
      .description = "With --server-url and --auth-type (both needed) the draft environment is\n"
                     "configured too; its credential type is team unless --credential-type\n"
                     "says otherwise. (--server-url is the API's address; the global --server\n"
                     "is heraldd's.)",
  });

  commands.push_back(Command{
      .name = "connections list",
      .summary = "List the connections (ID NAME SERVER ASSOCIATED TOOLS LIVE STATUS)",
      .args = {},
      .run = RunList,
      .description = "LIVE is ✓ when the live environment is complete, else ✗ and why.\n"
                     "STATUS is the live environment's last test.",
  });

  commands.push_back(Command{
      .name = "connections show",
      .summary = "Show a connection: both environments, their status and credentials",
      .args = {.options = {}, .positionals = {IdArg()}},
      .run = RunShow,
      .description = "Secret credential fields are never shown, only whether they are set.",
  });

  std::vector<OptionSpec> configure_options = {
      {.name = "env", .value_name = "ENV", .help = "draft or live: the environment to change"}};
  for (OptionSpec& o : EnvOptions(true)) configure_options.push_back(std::move(o));
  configure_options.push_back(
      {.name = "name", .value_name = "DISPLAY_NAME", .help = "new display name"});
  commands.push_back(Command{
      .name = "connections configure",
      .summary = "Change an environment's configuration, or the display name",
      .args = {.options = configure_options, .positionals = {IdArg()}},
      .run = RunConfigure,
      .description =
          "Only the options given change; the first configuration of an environment\n"
          "needs --server-url and --auth-type. --env is needed unless only --name is given.\n"
          "When a change deletes the environment's stored credentials (heraldd does so\n"
          "e.g. for a new auth type), herald prints a warning. (--server-url is the\n"
          "API's address; the global --server is heraldd's.)",
  });

  commands.push_back(Command{
      .name = "connections copy-to-live",
      .summary = "Copy the draft environment's configuration to the live one",
      .args = {.options = {}, .positionals = {IdArg()}},
      .run = RunCopyToLive,
      .description = "If this deletes the live environment's stored credentials, herald warns.",
  });

  commands.push_back(Command{
      .name = "connections remove",
      .summary = "Remove a connection",
      .args = {.options = {}, .positionals = {IdArg()}},
      .run = RunRemove,
      .description = "heraldd refuses while tools use the connection, naming them.",
  });

  std::vector<OptionSpec> set_options = {EnvOption()};
  for (OptionSpec& o : OwnerOptions()) set_options.push_back(std::move(o));
  set_options.push_back({.name = "field",
                         .value_name = "NAME=VALUE",
                         .help = "a credential field; VALUE @PATH reads a file, - reads stdin",
                         .repeatable = true});
  commands.push_back(Command{
      .name = "connections set-credentials",
      .summary = "Set the team's or your own credentials of an environment",
      .args = {.options = set_options, .positionals = {IdArg()}},
      .run = RunSetCredentials,
      .description =
          "Give exactly one of --team and --me, and every field the auth type needs:\n"
          "the fields given replace the stored ones. Keep secrets off the command line\n"
          "(and out of shell history) by reading them instead:\n"
          "  --field token=@/path/to/file   the file's content, trailing newline removed\n"
          "  --field token=-                standard input (one field at most), likewise\n"
          "A VALUE starting with '@' is always a file name; put such a literal value in a\n"
          "file. herald never prints a secret value, and heraldd never returns one.",
  });

  std::vector<OptionSpec> clear_options = {EnvOption()};
  for (OptionSpec& o : OwnerOptions()) clear_options.push_back(std::move(o));
  commands.push_back(Command{
      .name = "connections clear-credentials",
      .summary = "Delete the team's or your own credentials of an environment",
      .args = {.options = clear_options, .positionals = {IdArg()}},
      .run = RunClearCredentials,
      .description = "Give exactly one of --team and --me.",
  });

  commands.push_back(Command{
      .name = "connections test",
      .summary = "Test an environment: probe its server with the credentials",
      .args = {.options = {EnvOption(),
                           {.name = "as",
                            .value_name = "USER",
                            .help = "use this member's credentials (admin)"},
                           {.name = "sso-token",
                            .value_name = "JWT",
                            .help = "test as the member this SSO token names"},
                           {.name = "sso-token-file",
                            .value_name = "PATH",
                            .help = "read the SSO token from PATH (- for stdin)"}},
               .positionals = {IdArg()}},
      .run = RunTest,
      .description = "Prints e.g. \"live: ok (HTTP 200)\". Exits with status 0 only when the\n"
                     "result is ok, 1 otherwise.",
  });
  return commands;
}

}  // namespace herald::cli
