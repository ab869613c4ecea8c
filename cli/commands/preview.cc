// herald preview AGENT MESSAGE [--conversation ID]: one message to the
// agent's latest draft (POST /v1/agents/{id}/preview/messages). Prints the
// reply, then the tool calls made and how to continue the conversation.
#include <string>

#include "cli/commands/agents_common.h"
#include "cli/commands/builtin.h"
#include "cli/commands/common.h"
#include "cli/exit_status.h"
#include "cli/json_fields.h"
#include "cli/report.h"

namespace herald::cli {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

int RunPreview(CommandContext& ctx) {
  const std::string agent = *ctx.args.Positional("AGENT");
  Object::Ptr body = new Object;
  body->set("message", *ctx.args.Positional("MESSAGE"));
  if (auto conversation = ctx.args.Value("conversation")) {
    body->set("conversation_id", *conversation);
  }
  ApiResponse response =
      ctx.api.Post("/v1/agents/" + ApiClient::EscapeSegment(agent) + "/preview/messages", body);
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Object::Ptr out = AsObject(response.json);
  if (out.isNull() || !out->has("reply")) {
    return ReportUnexpected("no \"reply\" in the answer", ctx.err);
  }
  ctx.out << StringField(out, "reply") << "\n";
  Array::Ptr calls = ArrayField(out, "tool_calls");
  for (std::size_t i = 0; !calls.isNull() && i < calls->size(); ++i) {
    Object::Ptr c = ObjectAt(calls, i);
    ctx.out << "  tool " << StringField(c, "tool") << ": " << StringField(c, "outcome") << "\n";
  }
  ctx.out << "(draft revision " << StringField(out, "draft_revision") << "; continue with "
          << "--conversation " << StringField(out, "conversation_id") << ")\n";
  return kExitOk;
}

}  // namespace

Command PreviewCommand() {
  return Command{
      .name = "preview",
      .summary = "Talk to an agent's latest draft (with the draft connections), whatever is live",
      .args = {.options = {{.name = "conversation",
                            .value_name = "ID",
                            .help = "continue this preview conversation"}},
               .positionals = {AgentIdArg("AGENT"),
                               {.name = "MESSAGE", .help = "what to say (quote it)"}}},
      .run = RunPreview,
      .description =
          "Prints the reply, each tool call with its outcome, and the conversation id to\n"
          "pass with --conversation for the next message. Owners and editors of the\n"
          "agent (or operators) may preview.",
  };
}

}  // namespace herald::cli
