// herald users add|list|remove: the users of heraldd and their API tokens
// (POST/GET /v1/users, DELETE /v1/users/{name}); admin only.
#include <string>

#include "cli/commands/builtin.h"
#include "cli/commands/common.h"
#include "cli/exit_status.h"
#include "cli/json_fields.h"
#include "cli/report.h"
#include "cli/table.h"

namespace herald::cli {
namespace {

Table UserTable() { return Table({"NAME", "ROLE", "CREATED"}); }

void AddUserRow(Table& table, const Poco::JSON::Object::Ptr& user) {
  table.AddRow(
      {StringField(user, "name"), StringField(user, "role"), StringField(user, "created_at")});
}

int RunAdd(CommandContext& ctx) {
  std::string name = *ctx.args.Positional("NAME");
  std::string role =
      OneOf("role", RequiredValue(ctx.args, "role"), {"admin", "operator", "member"});
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("name", name);
  body->set("role", role);
  ApiResponse response = ctx.api.Post("/v1/users", body);
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Poco::JSON::Object::Ptr answer = AsObject(response.json);
  Poco::JSON::Object::Ptr user = ObjectField(answer, "user");
  std::string token = StringField(answer, "token");
  if (user.isNull() || token.empty()) {
    return ReportUnexpected("no \"user\" and \"token\" in POST /v1/users answer", ctx.err);
  }
  Table table = UserTable();
  AddUserRow(table, user);
  table.Print(ctx.out);
  ctx.out << "\nToken: " << token
          << "\nThis token will not be shown again: store it now (e.g. in $HERALD_TOKEN_FILE).\n";
  return kExitOk;
}

int RunList(CommandContext& ctx) {
  ApiResponse response = ctx.api.Get("/v1/users");
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Poco::JSON::Array::Ptr users = ArrayField(AsObject(response.json), "users");
  if (users.isNull()) return ReportUnexpected("no \"users\" list in /v1/users answer", ctx.err);
  if (users->size() == 0) {
    ctx.out << "No users.\n";
    return kExitOk;
  }
  Table table = UserTable();
  for (std::size_t i = 0; i < users->size(); ++i) AddUserRow(table, ObjectAt(users, i));
  table.Print(ctx.out);
  return kExitOk;
}

int RunRemove(CommandContext& ctx) {
  std::string name = *ctx.args.Positional("NAME");
  ApiResponse response = ctx.api.Delete(PathOf({"v1", "users", name}));
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  ctx.out << "Removed user " << name << ".\n";
  return kExitOk;
}

}  // namespace

std::vector<Command> UsersCommands() {
  std::vector<Command> commands;
  commands.push_back(Command{
      .name = "users add",
      .summary = "Add a user and print its API token (shown only once)",
      .args = {.options = {{.name = "role",
                            .value_name = "ROLE",
                            .help = "admin, operator or member (required)"}},
               .positionals = {{.name = "NAME", .arity = Arity::kRequired, .help = "user name"}}},
      .run = RunAdd,
      .description = "Roles: admin (everything) > operator (connections, credentials, tools) >\n"
                     "member (reads, and their own member credentials). The new user's API\n"
                     "token is printed once; heraldd cannot show it again.",
  });
  commands.push_back(Command{
      .name = "users list",
      .summary = "List the users (NAME ROLE CREATED)",
      .args = {},
      .run = RunList,
      .description = "",
  });
  commands.push_back(Command{
      .name = "users remove",
      .summary = "Remove a user and revoke its token",
      .args = {.options = {},
               .positionals = {{.name = "NAME", .arity = Arity::kRequired, .help = "user name"}}},
      .run = RunRemove,
      .description = "heraldd refuses to remove the last admin.",
  });
  return commands;
}

}  // namespace herald::cli
