// Which voice an agent speaks with on this channel: the agent's own voice
// settings (the snapshot's "voice": voice, language, speaking_rate), each
// overridable by the channel's settings of the same names.
//
// speaking_rate is a multiple of espeak-ng's normal rate (175 words per
// minute), as the agent's own setting is. The voice channel takes 0.5 to 2.5
// (87 to 437 words per minute, within espeak-ng's 80 to 450); the agent model
// allows a wider range, so an agent's rate outside this one fails its deploy
// to this channel and is fixed by the agent's setting or the channel's
// override.
//
// The voice, when set, decides; the language picks a voice only when the voice
// is empty; neither set means US English. Both are checked when set.
//
// Thread-safety: pure functions.
#ifndef HERALD_CHANNELS_VOICE_VOICE_SETTINGS_H_
#define HERALD_CHANNELS_VOICE_VOICE_SETTINGS_H_

#include <herald/sdk/types.hpp>

#include <optional>
#include <string>
#include <vector>

#include "speech_synthesizer.h"
#include "status.h"
#include "voice_catalog.h"

namespace herald::voice {

inline constexpr double kMinSpeakingRate = 0.5;
inline constexpr double kMaxSpeakingRate = 2.5;
inline constexpr char kDefaultLanguage[] = "en-US";

// The channel settings' names.
inline constexpr char kVoiceSetting[] = "voice";
inline constexpr char kLanguageSetting[] = "language";
inline constexpr char kSpeakingRateSetting[] = "speaking_rate";

// Voice settings, from the agent or the channel; empty or absent: not set.
struct VoiceSettings {
  std::string voice;
  std::string language;
  std::optional<double> speaking_rate;
};

// What the channel needs of a snapshot.
struct AgentSpeech {
  VoiceSettings voice;
  std::string welcome_message;  // behaviour.welcome_message; may be empty
};

// Reads the snapshot JSON. kInvalidArgument when it is not a JSON object or a
// field has the wrong type.
StatusOr<AgentSpeech> AgentSpeechFromSnapshot(const std::string& snapshot_json);

// The channel's overrides from its settings (as the host passes them: text,
// speaking_rate as JSON: a number, or a string holding one). Problems (naming
// the setting) go to `problems`.
VoiceSettings OverridesFromSettings(const sdk::Values& settings,
                                    std::vector<sdk::Problem>* problems);

// Problems with the channel's settings: an unknown voice or language, a rate
// that is not a number or out of range.
std::vector<sdk::Problem> CheckChannelSettings(const sdk::Values& settings,
                                               const VoiceCatalog& catalog);

// The voice to speak with for `agent` overridden by `overrides`. An error
// (kInvalidArgument) names the setting at fault and where it came from.
StatusOr<Voice> EffectiveVoice(const VoiceSettings& agent, const VoiceSettings& overrides,
                               const VoiceCatalog& catalog);

}  // namespace herald::voice

#endif  // HERALD_CHANNELS_VOICE_VOICE_SETTINGS_H_
