// WAV (RIFF/WAVE) files of 16-bit PCM: reading the caller's speech and
// writing the channel's replies.
//
// The channel takes exactly one audio format, the one its recognizer works
// at: 16 kHz, mono, 16-bit signed little-endian PCM (kSpeechSampleRate). It
// writes the same format.
//
// Thread-safety: pure functions.
#ifndef HERALD_CHANNELS_VOICE_WAV_H_
#define HERALD_CHANNELS_VOICE_WAV_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "status.h"

namespace herald::voice {

inline constexpr uint32_t kSpeechSampleRate = 16000;

// What a WAV file's "fmt " chunk says, and where its samples are.
struct WavFile {
  uint16_t format_tag = 0;  // 1: PCM (WAVE_FORMAT_EXTENSIBLE is resolved to its subformat)
  uint16_t channels = 0;
  uint32_t sample_rate = 0;
  uint16_t bits_per_sample = 0;
  std::string_view data;  // the "data" chunk's bytes (a view into the input)
};

// Reads the RIFF structure of `bytes`: the "fmt " and "data" chunks, in any
// order among other chunks. A data chunk whose declared size runs past the end
// (as streaming writers leave it) is read up to the end.
// Errors: kUnsupportedMediaType when `bytes` is not RIFF/WAVE at all;
// kInvalidArgument when it is, but is empty, truncated or lacks a chunk.
StatusOr<WavFile> ParseWav(std::string_view bytes);

// The samples of a WAV of the speech format (16 kHz mono 16-bit PCM).
// Errors: those of ParseWav; kUnsupportedMediaType naming what differs (not
// PCM, not 16-bit, not mono, not 16000 Hz); kInvalidArgument for no samples.
StatusOr<std::vector<int16_t>> ReadSpeechWav(std::string_view bytes);

// A mono 16-bit PCM WAV file of `samples` at `sample_rate`.
std::string WriteWav(const std::vector<int16_t>& samples, uint32_t sample_rate);

// The samples of a mono 16-bit PCM WAV, as `WriteWav` writes it (for tests and
// tools); empty when `bytes` is not one.
std::vector<int16_t> SamplesOf(std::string_view bytes);

}  // namespace herald::voice

#endif  // HERALD_CHANNELS_VOICE_WAV_H_
