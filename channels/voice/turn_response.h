// What POST /v1/channels/voice/{agent}/turns answers, and the error body of
// every voice route.
//
// By default, JSON:
//   {"agent": "...", "transcript": "...", "reply": "...", "version": 3,
//    "conversation_id": "...", "voice": {"name": "gmw/en-US", "words_per_minute": 175},
//    "audio": {"content_type": "audio/wav", "sample_rate": 16000,
//              "duration_ms": 2140, "base64": "UklGR..."}}
// With `Accept: audio/wav` (and not application/json), the WAV itself, the
// rest in headers: X-Herald-Transcript and X-Herald-Reply (UTF-8,
// percent-encoded as in RFC 3986), X-Herald-Version,
// X-Herald-Conversation-Id, X-Herald-Voice.
//
// Errors: {"error": {"code": "...", "message": "..."}}, as heraldd's own API.
//
// Thread-safety: pure functions.
#ifndef HERALD_CHANNELS_VOICE_TURN_RESPONSE_H_
#define HERALD_CHANNELS_VOICE_TURN_RESPONSE_H_

#include <herald/sdk/host.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "speech_synthesizer.h"
#include "status.h"

namespace herald::voice {

struct TurnReply {
  std::string agent_id;
  std::string transcript;
  std::string reply;
  uint64_t version = 0;
  std::string conversation_id;
  Voice voice;
  std::string wav;  // the reply spoken
};

// True when `accept` asks for audio/wav rather than JSON.
bool WantsRawAudio(std::string_view accept);

std::string TurnReplyJson(const TurnReply& reply);

// Writes the reply as JSON or, when `raw_audio`, as WAV with headers.
void WriteTurnReply(const TurnReply& reply, bool raw_audio, const sdk::HttpResponse& response);

std::string ErrorJson(Code code, std::string_view message);
void WriteError(const Status& status, const sdk::HttpResponse& response);

// `text` with every byte but RFC 3986's unreserved ones as %XX.
std::string PercentEncode(std::string_view text);

}  // namespace herald::voice

#endif  // HERALD_CHANNELS_VOICE_TURN_RESPONSE_H_
