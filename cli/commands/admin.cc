// herald admin rotate-key: POST /v1/admin/rotate-key, a new key for the
// stored secrets, all re-encrypted with it.
#include <string>

#include "cli/commands/builtin.h"
#include "cli/commands/common.h"
#include "cli/exit_status.h"
#include "cli/json_fields.h"
#include "cli/report.h"

namespace herald::cli {
namespace {

int RunRotateKey(CommandContext& ctx) {
  ApiResponse response = ctx.api.Post("/v1/admin/rotate-key");
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Poco::JSON::Object::Ptr answer = AsObject(response.json);
  std::string key_id = StringField(answer, "key_id");
  std::string reencrypted = StringField(answer, "reencrypted");
  if (key_id.empty() || reencrypted.empty()) {
    return ReportUnexpected("no \"key_id\" and \"reencrypted\" in rotate-key answer", ctx.err);
  }
  ctx.out << "New key id: " << key_id << "\nRe-encrypted " << reencrypted
          << (reencrypted == "1" ? " secret" : " secrets") << " with it.\n";
  return kExitOk;
}

}  // namespace

std::vector<Command> AdminCommands() {
  std::vector<Command> commands;
  commands.push_back(Command{
      .name = "admin rotate-key",
      .summary = "Rotate the key that encrypts stored secrets, re-encrypting them all",
      .args = {},
      .run = RunRotateKey,
      .description = "",
  });
  return commands;
}

}  // namespace herald::cli
