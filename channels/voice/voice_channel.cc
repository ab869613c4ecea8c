#include "voice_channel.h"

#include <charconv>
#include <stdexcept>
#include <thread>

#include "turn_request.h"
#include "turn_response.h"
#include "voice_settings.h"
#include "wav.h"

namespace herald::voice {
namespace {

// How many past versions' voices an agent keeps (for turns that straddle a
// redeploy).
constexpr size_t kVoicesKept = 4;

int64_t PositiveConfig(const sdk::Host& host, std::string_view key, int64_t fallback) {
  std::optional<std::string> text = host.Config(key);
  if (!text) return fallback;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 1) {
    throw std::invalid_argument("plugins.voice." + std::string(key) +
                                " must be a whole number >= 1, got '" + *text + "'");
  }
  return value;
}

// The host's turn error as this channel's.
voice::Status FromHost(const sdk::HostResult& r) {
  switch (r.status) {
    case HERALD_STATUS_NOT_FOUND:
      return {Code::kNotFound, r.message};
    case HERALD_STATUS_INVALID_ARGUMENT:
      return {Code::kInvalidArgument, r.message};
    case HERALD_STATUS_PERMISSION_DENIED:
      return {Code::kPermissionDenied, r.message};
    case HERALD_STATUS_UNAVAILABLE:
      return {Code::kUnavailable, r.message};
    case HERALD_STATUS_TIMEOUT:
      return {Code::kDeadlineExceeded, r.message};
    default:
      return {Code::kInternal, r.message.empty() ? "the turn failed" : r.message};
  }
}

const voice::Status kNotLive(Code::kNotFound, "agent is not live");

}  // namespace

VoiceChannel::VoiceChannel(sdk::Host host)
    : host_(host),
      synthesizer_(SpeechSynthesizer::Get(host.Config("espeak_data_dir").value_or(""))),
      welcome_cache_([this](const std::string& text, const Voice& voice) {
        return synthesizer_.SynthesizeWav(text, voice);
      }) {
  if (!host_.Has(sdk::Service::kHttpRoutes) || !host_.Has(sdk::Service::kTurns)) {
    throw std::runtime_error("the voice channel needs a host of ABI 1.1 or newer (routes, turns)");
  }
  max_audio_bytes_ =
      static_cast<size_t>(PositiveConfig(host_, "max_audio_bytes", kDefaultMaxAudioBytes));
  const int decoders = static_cast<int>(PositiveConfig(host_, "decoders", kDefaultDecoders));

  std::optional<std::string> model_dir = host_.Config("model_dir");
  auto recognizer = SpeechRecognizer::Open(model_dir.value_or(kDefaultModelDir), decoders);
  if (recognizer.ok()) {
    recognizer_ = std::move(*recognizer);
  } else if (model_dir) {
    throw std::invalid_argument("plugins.voice.model_dir: " + recognizer.status().message());
  } else {
    recognizer_error_ = recognizer.status().message();
    host_.Warn("speech recognition is unavailable (text turns still work): " + recognizer_error_);
  }

  for (auto [method, pattern, handler] :
       {std::tuple{"POST", "/{agent}/turns", &VoiceChannel::HandleTurn},
        std::tuple{"GET", "/{agent}/welcome", &VoiceChannel::HandleWelcome}}) {
    sdk::HostResult added = host_.AddRoute(
        method, pattern,
        [this, handler](const sdk::HttpRequest& request, const sdk::HttpResponse& response) {
          (this->*handler)(request, response);
        });
    if (!added.ok()) {
      throw std::runtime_error(std::string("cannot serve ") + method + " " + pattern + ": " +
                               added.message);
    }
  }
  host_.Info("ready: speech recognition " +
             (recognizer_ ? "from " + recognizer_->model_dir() : std::string("unavailable")) +
             ", audio up to " + std::to_string(max_audio_bytes_) + " bytes");
}

std::vector<sdk::SettingSpec> VoiceChannel::DeclareSettings() {
  return {
      {.name = kVoiceSetting,
       .description = "espeak-ng voice, overriding the agent's voice.voice (e.g. en-us, "
                      "en-us+f3, English (America))",
       .type = HERALD_SETTING_STRING,
       .required = false,
       .default_value = {}},
      {.name = kLanguageSetting,
       .description = "Language (BCP 47, e.g. en-US), overriding the agent's voice.language; "
                      "picks the voice when none is set",
       .type = HERALD_SETTING_STRING,
       .required = false,
       .default_value = {}},
      {.name = kSpeakingRateSetting,
       .description = "Speaking rate, a number from 0.5 to 2.5 times the normal 175 words per "
                      "minute, overriding the agent's voice.speaking_rate",
       .type = HERALD_SETTING_JSON,
       .required = false,
       .default_value = {}},
  };
}

std::vector<sdk::Problem> VoiceChannel::Validate(const sdk::Values& settings) {
  StatusOr<VoiceCatalog> catalog = synthesizer_.Catalog();
  if (!catalog.ok()) throw std::runtime_error(catalog.status().message());
  return CheckChannelSettings(settings, *catalog);
}

void VoiceChannel::Publish(const sdk::Snapshot& snapshot, const sdk::Values& settings) {
  StatusOr<AgentSpeech> agent = AgentSpeechFromSnapshot(snapshot.json);
  if (!agent.ok()) throw std::invalid_argument(agent.status().message());
  std::vector<sdk::Problem> problems;
  VoiceSettings overrides = OverridesFromSettings(settings, &problems);
  if (!problems.empty()) {
    throw std::invalid_argument("settings." + problems.front().field + ": " +
                                problems.front().message);
  }
  StatusOr<VoiceCatalog> catalog = synthesizer_.Catalog();
  if (!catalog.ok()) throw std::runtime_error(catalog.status().message());
  StatusOr<Voice> voice = EffectiveVoice(agent->voice, overrides, *catalog);
  if (!voice.ok()) throw std::invalid_argument(voice.status().message());

  std::shared_ptr<const WelcomeAudio> welcome;
  if (agent->welcome_message.find_first_not_of(" \t\r\n") != std::string::npos) {
    auto rendered = welcome_cache_.Get(agent->welcome_message, *voice);
    if (!rendered.ok()) {
      throw std::runtime_error("the welcome message could not be spoken: " +
                               rendered.status().message());
    }
    welcome = *rendered;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    Published& p = published_[snapshot.agent_id];
    p.version = snapshot.version;
    p.voice = *voice;
    p.voices[snapshot.version] = *voice;
    while (p.voices.size() > kVoicesKept) p.voices.erase(p.voices.begin());
    p.welcome = std::move(welcome);
  }
  host_.Info("published " + snapshot.agent_id + " version " + std::to_string(snapshot.version) +
             " with voice " + voice->name + " at " + std::to_string(voice->words_per_minute) +
             " words per minute");
}

void VoiceChannel::Unpublish(std::string_view agent_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = published_.find(agent_id);
  if (it != published_.end()) published_.erase(it);
}

sdk::ChannelStatus VoiceChannel::Status(std::string_view agent_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = published_.find(agent_id);
  if (it == published_.end()) return {sdk::ChannelState::kNotPublished, {}};
  std::string detail =
      "version " + std::to_string(it->second.version) + ", voice " + it->second.voice.name;
  if (!recognizer_) {
    return {sdk::ChannelState::kDegraded,
            detail + "; speech recognition unavailable: " + recognizer_error_};
  }
  return {sdk::ChannelState::kPublished, detail};
}

std::optional<VoiceChannel::Published> VoiceChannel::Find(const std::string& agent_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = published_.find(agent_id);
  if (it == published_.end()) return std::nullopt;
  return it->second;
}

StatusOr<std::string> VoiceChannel::Transcribe(const std::vector<int16_t>& samples) {
  if (!recognizer_) {
    return voice::Status::Unavailable("speech recognition is unavailable: " + recognizer_error_ +
                                      "; send the words as application/json {\"text\": ...}");
  }
  StatusOr<std::string> words = recognizer_->Recognize(samples);
  if (!words.ok()) return words.status();
  if (words->empty()) {
    return voice::Status(Code::kNoSpeech, "no words were recognised in the audio");
  }
  return words;
}

void VoiceChannel::HandleTurn(const sdk::HttpRequest& request, const sdk::HttpResponse& response) {
  const std::string agent_id = request.Param("agent");
  if (!Find(agent_id)) return WriteError(kNotLive, response);

  StatusOr<TurnInput> input = ParseTurnRequest(request, max_audio_bytes_);
  if (!input.ok()) return WriteError(input.status(), response);

  TurnReply reply;
  reply.agent_id = agent_id;
  if (input->is_audio) {
    StatusOr<std::string> words = Transcribe(input->samples);
    if (!words.ok()) return WriteError(words.status(), response);
    reply.transcript = *words;
  } else {
    reply.transcript = input->text;
  }

  sdk::TurnResult turn = host_.RunTurn(sdk::TurnRequest{.agent_id = agent_id,
                                                        .conversation_id = input->conversation_id,
                                                        .message = reply.transcript,
                                                        // Anonymous, as on chat's public access:
                                                        // a Herald API token is not a caller's
                                                        // identity for member credentials.
                                                        .user_id = {}});
  if (!turn.ok()) return WriteError(FromHost(turn.result), response);
  reply.reply = turn.reply;
  reply.version = turn.version;
  reply.conversation_id = turn.conversation_id;

  // Speak in the voice of the version that answered.
  std::optional<Published> published = Find(agent_id);
  if (!published) return WriteError(kNotLive, response);  // undeployed meanwhile
  auto voice = published->voices.find(turn.version);
  reply.voice = voice != published->voices.end() ? voice->second : published->voice;
  if (reply.reply.find_first_not_of(" \t\r\n") != std::string::npos) {
    StatusOr<std::string> wav = synthesizer_.SynthesizeWav(reply.reply, reply.voice);
    if (!wav.ok()) {
      return WriteError(
          voice::Status::Internal("the reply could not be spoken: " + wav.status().message()),
          response);
    }
    reply.wav = std::move(*wav);
  } else {
    reply.wav = WriteWav({}, kSpeechSampleRate);  // nothing to say: a valid, silent WAV
  }
  WriteTurnReply(reply, WantsRawAudio(request.Header("accept").value_or("")), response);
}

void VoiceChannel::HandleWelcome(const sdk::HttpRequest& request,
                                 const sdk::HttpResponse& response) {
  std::optional<Published> published = Find(request.Param("agent"));
  if (!published) return WriteError(kNotLive, response);
  if (!published->welcome) {
    return WriteError(voice::Status::NotFound("the agent has no welcome message"), response);
  }
  response.SetStatus(200);
  response.AddHeader("Content-Type", "audio/wav");
  response.AddHeader("ETag", "\"" + published->welcome->key + "\"");
  response.Write(published->welcome->wav);
}

}  // namespace herald::voice
