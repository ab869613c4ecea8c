// What a caller sends to POST /v1/channels/voice/{agent}/turns, checked:
//
//   Content-Type: audio/wav (or audio/x-wav, audio/wave, audio/vnd.wave)
//       the caller's speech, a WAV of 16 kHz mono 16-bit PCM
//   Content-Type: application/json
//       {"text": "...", "conversation_id": "..."}: a transcript instead
//
// and the optional conversation to continue, from the JSON field or the
// `conversation_id` query parameter (the field wins).
//
// Thread-safety: pure functions.
#ifndef HERALD_CHANNELS_VOICE_TURN_REQUEST_H_
#define HERALD_CHANNELS_VOICE_TURN_REQUEST_H_

#include <herald/sdk/host.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "status.h"

namespace herald::voice {

struct TurnInput {
  bool is_audio = false;
  std::vector<int16_t> samples;  // 16 kHz, when is_audio
  std::string text;              // the transcript, when !is_audio
  std::string conversation_id;   // empty: a new conversation
};

// Reads `request`. Errors: kPayloadTooLarge past `max_body_bytes`;
// kUnsupportedMediaType for another content type or another audio format
// (naming what differs); kInvalidArgument for empty audio, a corrupt WAV, JSON
// that is not an object with a non-empty string "text".
StatusOr<TurnInput> ParseTurnRequest(const sdk::HttpRequest& request, size_t max_body_bytes);

// The media type of a Content-Type value: lower case, without parameters.
std::string MediaType(const std::string& content_type);

}  // namespace herald::voice

#endif  // HERALD_CHANNELS_VOICE_TURN_REQUEST_H_
