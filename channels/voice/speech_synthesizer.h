// Text to speech with espeak-ng, as 16 kHz mono 16-bit PCM.
//
// espeak-ng keeps its state in process globals and is not thread-safe, so
// there is one SpeechSynthesizer per process (Get), and every call into
// espeak-ng is serialised by its mutex: syntheses run one at a time. They are
// fast (far quicker than real time), so callers wait little.
//
// espeak-ng is initialised on first use (not when heraldd loads the plugin)
// from the data directory given to the first Get, or espeak-ng's built-in
// default when empty. espeak-ng makes 22050 Hz audio; it is resampled to
// kSpeechSampleRate (16 kHz), the rate the channel's callers send.
//
// Thread-safety: thread-safe.
#ifndef HERALD_CHANNELS_VOICE_SPEECH_SYNTHESIZER_H_
#define HERALD_CHANNELS_VOICE_SPEECH_SYNTHESIZER_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "status.h"
#include "voice_catalog.h"

namespace herald::voice {

// espeak-ng's words-per-minute limits, and its default rate.
inline constexpr int kMinWordsPerMinute = 80;
inline constexpr int kMaxWordsPerMinute = 450;
inline constexpr int kDefaultWordsPerMinute = 175;

// What to speak with: an espeak-ng voice name as VoiceCatalog resolves it,
// and a rate.
struct Voice {
  std::string name = "gmw/en-US";
  int words_per_minute = kDefaultWordsPerMinute;
};

class SpeechSynthesizer {
 public:
  // The process's synthesizer. `data_dir` counts on the first call only.
  static SpeechSynthesizer& Get(const std::string& data_dir = "");

  SpeechSynthesizer(const SpeechSynthesizer&) = delete;
  SpeechSynthesizer& operator=(const SpeechSynthesizer&) = delete;

  // The voices and variants espeak-ng offers (initialises it). kUnavailable
  // when espeak-ng cannot start (no data directory, say).
  StatusOr<VoiceCatalog> Catalog();

  // `text` spoken by `voice`, at 16 kHz. kInvalidArgument for an empty text or
  // a voice espeak-ng refuses; kUnavailable when espeak-ng cannot start;
  // kInternal when synthesis fails.
  StatusOr<std::vector<int16_t>> Synthesize(std::string_view text, const Voice& voice);

  // The same as a WAV file.
  StatusOr<std::string> SynthesizeWav(std::string_view text, const Voice& voice);

 private:
  explicit SpeechSynthesizer(std::string data_dir) : data_dir_(std::move(data_dir)) {}
  Status EnsureStartedLocked();

  std::mutex mu_;  // guards espeak-ng itself and the members below
  const std::string data_dir_;
  bool started_ = false;
  Status start_error_;
  int native_rate_ = 22050;
  VoiceCatalog catalog_;
};

}  // namespace herald::voice

#endif  // HERALD_CHANNELS_VOICE_SPEECH_SYNTHESIZER_H_
