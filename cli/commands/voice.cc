// herald voice AGENT (--wav FILE | --text TEXT) [--out FILE] [--conversation ID]:
// one spoken turn with an agent's live version through the voice channel
// (POST /v1/channels/voice/{agent}/turns; see docs/channels/voice.md). Sends
// the caller's speech (a WAV of 16 kHz mono 16-bit PCM; '-' reads standard
// input) or a transcript, and prints what the channel heard, the reply, and
// the version and conversation that answered:
//
//   heard: what will the weather be tomorrow
//   It will be sunny.
//   (version 3, conversation 9f2c...)
//   reply audio: reply.wav (1.9 s, voice gmw/en-US)
//
// --out FILE writes the reply's audio (WAV); without it the audio is not
// kept. With --json the server's JSON is printed as is (audio in base64).
#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Object.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "cli/commands/builtin.h"
#include "cli/commands/common.h"
#include "cli/exit_status.h"
#include "cli/json_fields.h"
#include "cli/report.h"

namespace herald::cli {
namespace {

using Poco::JSON::Object;

std::string Unbase64(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  return std::string(std::istreambuf_iterator<char>(decoder), {});
}

ApiRequest TurnRequest(CommandContext& ctx) {
  std::optional<std::string> wav = ctx.args.Value("wav");
  std::optional<std::string> text = ctx.args.Value("text");
  if (wav.has_value() == text.has_value()) {
    throw UsageError("give exactly one of --wav FILE and --text TEXT");
  }
  std::string path = PathOf({"v1", "channels", "voice", *ctx.args.Positional("AGENT"), "turns"});
  std::optional<std::string> conversation = ctx.args.Value("conversation");
  if (wav) {
    std::string audio = *wav == "-" ? ReadAll(ctx.in) : ReadFileOrThrow(*wav, "audio file");
    if (conversation) path += "?conversation_id=" + ApiClient::EscapeSegment(*conversation);
    return ApiRequest{
        .method = "POST", .path = path, .raw_body = std::move(audio), .content_type = "audio/wav"};
  }
  Object::Ptr body = new Object;
  body->set("text", *text);
  if (conversation) body->set("conversation_id", *conversation);
  return ApiRequest{.method = "POST", .path = path, .json = body};
}

std::string Seconds(const std::string& milliseconds) {
  char* end = nullptr;
  double ms = std::strtod(milliseconds.c_str(), &end);
  if (end == milliseconds.c_str()) return "?";
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f", ms / 1000.0);
  return buffer;
}

int RunVoice(CommandContext& ctx) {
  ApiRequest request = TurnRequest(ctx);
  ApiResponse response = ctx.api.Send(request);
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Object::Ptr answer = AsObject(response.json);
  if (answer.isNull() || !answer->has("reply")) {
    return ReportUnexpected("no \"reply\" in the voice answer", ctx.err);
  }
  if (request.raw_body) ctx.out << "heard: " << StringField(answer, "transcript") << '\n';
  ctx.out << StringField(answer, "reply") << '\n'
          << "(version " << StringField(answer, "version") << ", conversation "
          << StringField(answer, "conversation_id") << ")\n";
  if (auto out = ctx.args.Value("out")) {
    Object::Ptr audio = ObjectField(answer, "audio");
    std::string wav = Unbase64(StringField(audio, "base64"));
    if (wav.empty()) return ReportUnexpected("no audio in the voice answer", ctx.err);
    WriteFileOrThrow(*out, wav, "audio file");
    ctx.out << "reply audio: " << *out << " (" << Seconds(StringField(audio, "duration_ms"))
            << " s, voice " << StringField(ObjectField(answer, "voice"), "name") << ")\n";
  }
  return kExitOk;
}

}  // namespace

Command VoiceCommand() {
  return Command{
      .name = "voice",
      .summary = "Speak to an agent's live version on the voice channel",
      .args = {.options = {{.name = "wav",
                            .value_name = "FILE",
                            .help = "the question, spoken: WAV, 16 kHz mono 16-bit ('-': "
                                    "standard input)"},
                           {.name = "text",
                            .value_name = "TEXT",
                            .help = "the question as text, instead of --wav"},
                           {.name = "out",
                            .value_name = "FILE",
                            .help = "write the spoken reply (WAV) here"},
                           {.name = "conversation",
                            .value_name = "ID",
                            .help = "continue this conversation (default: a new one)"}},
               .positionals = {{.name = "AGENT", .arity = Arity::kRequired, .help = "agent ID"}}},
      .run = RunVoice,
      .description =
          "Sends speech (--wav) or a transcript (--text) to AGENT through the voice channel, "
          "POST /v1/channels/voice/AGENT/turns, and prints what was heard, the reply, and the "
          "version and conversation that answered; --out writes the reply spoken in the agent's "
          "voice. Only a deployed agent whose channels include the voice plugin answers; "
          "otherwise: error: agent is not live (not_found).",
  };
}

}  // namespace herald::cli
