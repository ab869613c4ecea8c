// The voice channel: callers speak to an agent's live version and hear its
// answer.
//
//   POST /v1/channels/voice/{agent}/turns    speech (WAV) or a transcript in;
//                                           transcript, reply, version and the
//                                           reply spoken (WAV) out
//   GET  /v1/channels/voice/{agent}/welcome  the agent's welcome message, spoken
//
// Speech is recognised with PocketSphinx (US English) and replies are spoken
// with espeak-ng in the agent's voice (see voice_settings.h for the voice,
// language and speaking rate, and the channel settings that override them).
// Publishing renders the welcome message, so a voice or a text espeak-ng
// cannot speak fails the deploy to this channel.
//
// Configuration (plugins.voice.*):
//   model_dir        PocketSphinx model directory (default: Debian's en-us
//                    model, /usr/share/pocketsphinx/model/en-us). Set and
//                    missing: the plugin refuses to start; the default missing:
//                    speech input answers 503, text turns still work.
//   espeak_data_dir  espeak-ng's data (default: espeak-ng's own)
//   max_audio_bytes  largest request body (default 10 MiB; 413 beyond)
//   decoders         PocketSphinx decoders, i.e. recognitions at once (default 2)
//
// Thread-safety: thread-safe; routes are served on many threads at once.
#ifndef HERALD_CHANNELS_VOICE_VOICE_CHANNEL_H_
#define HERALD_CHANNELS_VOICE_VOICE_CHANNEL_H_

#include <herald/sdk/plugin.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "speech_recognizer.h"
#include "speech_synthesizer.h"
#include "status.h"
#include "welcome_cache.h"

namespace herald::voice {

inline constexpr char kName[] = "voice";
inline constexpr char kVersion[] = "1.0.0";
inline constexpr char kDescription[] =
    "Voice: callers speak to the live agent (PocketSphinx) and hear its answer (espeak-ng)";
inline constexpr size_t kDefaultMaxAudioBytes = 10 * 1024 * 1024;
inline constexpr int kDefaultDecoders = 2;

class VoiceChannel : public sdk::Channel {
 public:
  explicit VoiceChannel(sdk::Host host);

  static std::vector<sdk::SettingSpec> DeclareSettings();

  std::vector<sdk::Problem> Validate(const sdk::Values& settings) override;
  void Publish(const sdk::Snapshot& snapshot, const sdk::Values& settings) override;
  void Unpublish(std::string_view agent_id) override;
  sdk::ChannelStatus Status(std::string_view agent_id) override;

 private:
  // What the channel serves for one agent.
  struct Published {
    uint64_t version = 0;
    Voice voice;
    // The voice of recent versions too: a turn that began on the previous
    // version is spoken in that version's voice.
    std::map<uint64_t, Voice> voices;
    std::shared_ptr<const WelcomeAudio> welcome;  // null: no welcome message
  };

  void HandleTurn(const sdk::HttpRequest& request, const sdk::HttpResponse& response);
  void HandleWelcome(const sdk::HttpRequest& request, const sdk::HttpResponse& response);
  StatusOr<std::string> Transcribe(const std::vector<int16_t>& samples);
  std::optional<Published> Find(const std::string& agent_id);

  const sdk::Host host_;
  SpeechSynthesizer& synthesizer_;
  size_t max_audio_bytes_ = kDefaultMaxAudioBytes;
  std::unique_ptr<SpeechRecognizer> recognizer_;  // null when unavailable
  std::string recognizer_error_;                  // why, when null
  WelcomeCache welcome_cache_;

  std::mutex mu_;
  std::map<std::string, Published, std::less<>> published_;  // guarded by mu_
};

}  // namespace herald::voice

#endif  // HERALD_CHANNELS_VOICE_VOICE_CHANNEL_H_
