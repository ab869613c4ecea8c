#include "turn_response.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <cctype>
#include <sstream>

#include "wav.h"

namespace herald::voice {
namespace {

std::string Base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);  // Poco breaks lines every 72 characters by default
  encoder << bytes;
  encoder.close();
  return out.str();
}

std::string Stringify(const Poco::JSON::Object::Ptr& o) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(o, out);
  return out.str() + "\n";
}

// Duration of a 16 kHz mono 16-bit WAV of `wav_bytes` bytes (44-byte header).
int64_t DurationMs(size_t wav_bytes) {
  if (wav_bytes <= 44) return 0;
  return static_cast<int64_t>((wav_bytes - 44) / 2 * 1000 / kSpeechSampleRate);
}

}  // namespace

bool WantsRawAudio(std::string_view accept) {
  std::string a(accept);
  for (char& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool audio = a.find("audio/wav") != std::string::npos ||
               a.find("audio/x-wav") != std::string::npos || a.find("audio/*") != std::string::npos;
  return audio && a.find("application/json") == std::string::npos;
}

std::string TurnReplyJson(const TurnReply& r) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("agent", r.agent_id);
  o->set("transcript", r.transcript);
  o->set("reply", r.reply);
  o->set("version", r.version);
  o->set("conversation_id", r.conversation_id);
  Poco::JSON::Object::Ptr voice = new Poco::JSON::Object;
  voice->set("name", r.voice.name);
  voice->set("words_per_minute", r.voice.words_per_minute);
  o->set("voice", voice);
  Poco::JSON::Object::Ptr audio = new Poco::JSON::Object;
  audio->set("content_type", std::string("audio/wav"));
  audio->set("sample_rate", kSpeechSampleRate);
  audio->set("duration_ms", DurationMs(r.wav.size()));
  audio->set("base64", Base64(r.wav));
  o->set("audio", audio);
  return Stringify(o);
}

void WriteTurnReply(const TurnReply& r, bool raw_audio, const sdk::HttpResponse& response) {
  if (!raw_audio) {
    response.Json(200, TurnReplyJson(r));
    return;
  }
  response.SetStatus(200);
  response.AddHeader("Content-Type", "audio/wav");
  response.AddHeader("X-Herald-Transcript", PercentEncode(r.transcript));
  response.AddHeader("X-Herald-Reply", PercentEncode(r.reply));
  response.AddHeader("X-Herald-Version", std::to_string(r.version));
  response.AddHeader("X-Herald-Conversation-Id", PercentEncode(r.conversation_id));
  response.AddHeader("X-Herald-Voice", PercentEncode(r.voice.name));
  response.Write(r.wav);
}

std::string ErrorJson(Code code, std::string_view message) {
  Poco::JSON::Object::Ptr error = new Poco::JSON::Object;
  error->set("code", std::string(CodeName(code)));
  error->set("message", std::string(message));
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("error", error);
  return Stringify(body);
}

void WriteError(const Status& status, const sdk::HttpResponse& response) {
  response.Json(HttpStatusOf(status.code()), ErrorJson(status.code(), status.message()));
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace herald::voice
