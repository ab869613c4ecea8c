// herald chat AGENT MESSAGE: one turn with an agent's live version through the
// chat channel (POST /v1/channels/chat/{agent}/messages; see
// docs/channels/chat.md). Prints the tool calls the turn made, the reply, and
// the version and conversation that answered:
//
//   [tool crm.lookup: 200]
//   Your order ships tomorrow.
//   (version 3, conversation 9f2c...)
//
// --conversation ID continues a conversation; --stream asks for server-sent
// events and prints the reply as it arrives; --sso-token-file FILE sends an
// identity provider's token, for agents published with access sso. With
// --json the server's JSON is printed as is (with --stream, one line per
// event: {"event":NAME,"data":DATA}).
#include <optional>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "cli/commands/builtin.h"
#include "cli/commands/common.h"
#include "cli/exit_status.h"
#include "cli/json_fields.h"
#include "cli/report.h"
#include "cli/sse_reader.h"

namespace herald::cli {
namespace {

using Poco::JSON::Object;

std::string MessagesPath(const CommandContext& ctx) {
  return PathOf({"v1", "channels", "chat", *ctx.args.Positional("AGENT"), "messages"});
}

ApiRequest TurnRequest(CommandContext& ctx) {
  Object::Ptr body = new Object;
  body->set("message", *ctx.args.Positional("MESSAGE"));
  if (auto id = ctx.args.Value("conversation")) body->set("conversation_id", *id);
  ApiRequest request{.method = "POST", .path = MessagesPath(ctx), .json = body};
  if (auto file = ctx.args.Value("sso-token-file")) {
    std::string token = StripTrailingNewlines(*file == "-" ? ReadAll(ctx.in)
                                                           : ReadFileOrThrow(*file, "token file"));
    if (token.empty()) throw UsageError("the token file is empty");
    request.headers.emplace_back("Authorization", "Bearer " + token);
  }
  return request;
}

std::string Footer(const Object::Ptr& o) {
  return "(version " + StringField(o, "version") + ", conversation " +
         StringField(o, "conversation_id") + ")\n";
}

void PrintToolCall(const Object::Ptr& call, std::ostream& out) {
  out << "[tool " << StringField(call, "tool") << ": " << StringField(call, "outcome") << "]\n";
}

int RunJsonTurn(CommandContext& ctx, const ApiRequest& request) {
  ApiResponse response = ctx.api.Send(request);
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Object::Ptr answer = AsObject(response.json);
  if (answer.isNull() || !answer->has("reply")) {
    return ReportUnexpected("no \"reply\" in the chat answer", ctx.err);
  }
  Poco::JSON::Array::Ptr calls = ArrayField(answer, "tool_calls");
  for (std::size_t i = 0; !calls.isNull() && i < calls->size(); ++i) {
    PrintToolCall(ObjectAt(calls, i), ctx.out);
  }
  ctx.out << StringField(answer, "reply") << '\n' << Footer(answer);
  return kExitOk;
}

Object::Ptr ParseObject(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    return AsObject(parser.parse(text));
  } catch (const Poco::Exception&) {
    return nullptr;
  }
}

int RunStreamedTurn(CommandContext& ctx, ApiRequest request) {
  request.headers.emplace_back("Accept", "text/event-stream");
  std::optional<int> status;  // set by `end` or `error`
  bool mid_line = false;      // a delta left the cursor after some text
  std::string unframed;       // what came without any event (not a stream)
  bool any_event = false;
  SseReader reader([&](const std::string& event, const std::string& data) {
    any_event = true;
    if (ctx.json) {
      ctx.out << R"({"event":)" << CompactJson(Poco::Dynamic::Var(event)) << R"(,"data":)" << data
              << "}\n"
              << std::flush;
      if (event == "end") status = kExitOk;
      if (event == "error") status = kExitServerError;
      return;
    }
    Object::Ptr o = ParseObject(data);
    if (event == "delta") {
      std::string text = StringField(o, "text");
      ctx.out << text << std::flush;
      if (!text.empty()) mid_line = text.back() != '\n';
    } else if (event == "tool_call") {
      if (mid_line) ctx.out << '\n';
      mid_line = false;
      PrintToolCall(o, ctx.out);
    } else if (event == "end") {
      if (mid_line) ctx.out << '\n';
      mid_line = false;
      ctx.out << Footer(o);
      status = kExitOk;
    } else if (event == "error") {
      if (mid_line) ctx.out << '\n';
      mid_line = false;
      status = ReportError(
          ApiError{ApiErrorKind::kServer, StringField(o, "code"), StringField(o, "message")},
          ctx.err);
    }
  });
  request.on_body_line = [&](std::string_view line) {
    if (!any_event) unframed.append(line);
    reader.Line(line);
  };
  ApiResponse response = ctx.api.Send(request);
  reader.Finish();
  if (!response.ok()) {
    if (ctx.json) PrintJsonBody(response, ctx.out);
    return ReportError(*response.error, ctx.err);
  }
  if (status) return *status;
  if (!any_event) {
    return ReportUnexpected("the chat answer was not an event stream: " + unframed, ctx.err);
  }
  if (mid_line) ctx.out << '\n';
  return ReportUnexpected("the event stream ended before its end event", ctx.err);
}

int RunChat(CommandContext& ctx) {
  ApiRequest request = TurnRequest(ctx);
  if (ctx.args.Flag("stream")) return RunStreamedTurn(ctx, std::move(request));
  return RunJsonTurn(ctx, request);
}

}  // namespace

Command ChatCommand() {
  return Command{
      .name = "chat",
      .summary = "Talk to an agent's live version on the chat channel",
      .args =
          {.options = {{.name = "conversation",
                        .value_name = "ID",
                        .help = "continue this conversation (default: a new one)"},
                       {.name = "stream",
                        .value_name = "",
                        .help = "print the reply as it is produced (server-sent events)"},
                       {.name = "sso-token-file",
                        .value_name = "FILE",
                        .help = "an identity provider's token, for agents with access sso "
                                "('-': standard input)"}},
           .positionals = {{.name = "AGENT", .arity = Arity::kRequired, .help = "agent ID"},
                           {.name = "MESSAGE", .arity = Arity::kRequired, .help = "what to say"}}},
      .run = RunChat,
      .description =
          "Sends MESSAGE to AGENT through the chat channel, POST "
          "/v1/channels/chat/AGENT/messages, and prints the tool calls the turn made, the reply, "
          "and the version and conversation that answered. Only a deployed agent whose channels "
          "include the chat plugin answers; otherwise: error: agent is not live (not_found).",
  };
}

}  // namespace herald::cli
