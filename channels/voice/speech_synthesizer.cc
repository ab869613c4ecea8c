#include "speech_synthesizer.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <cstring>

#include "resample.h"
#include "wav.h"

namespace herald::voice {
namespace {

// Where the synthesis callback appends; set only while mu_ is held.
std::vector<int16_t>* g_output = nullptr;

int OnSamples(short* wav, int count, espeak_EVENT* /*events*/) {
  if (wav != nullptr && count > 0 && g_output != nullptr) {
    g_output->insert(g_output->end(), wav, wav + count);
  }
  return 0;  // go on
}

std::string Message(espeak_ng_STATUS status) {
  char buffer[512] = {0};
  espeak_ng_GetStatusCodeMessage(status, buffer, sizeof(buffer));
  return buffer;
}

// espeak-ng's `languages` field: (priority byte, NUL-terminated name) pairs,
// ended by a zero priority byte.
std::vector<std::pair<int, std::string>> Languages(const char* p) {
  std::vector<std::pair<int, std::string>> out;
  if (p == nullptr) return out;
  while (*p != 0) {
    int priority = static_cast<unsigned char>(*p++);
    std::string name(p);
    p += name.size() + 1;
    out.emplace_back(priority, std::move(name));
  }
  return out;
}

}  // namespace

SpeechSynthesizer& SpeechSynthesizer::Get(const std::string& data_dir) {
  static SpeechSynthesizer* instance = new SpeechSynthesizer(data_dir);  // never destroyed
  return *instance;
}

Status SpeechSynthesizer::EnsureStartedLocked() {
  if (started_) return start_error_;
  started_ = true;
  espeak_ng_InitializePath(data_dir_.empty() ? nullptr : data_dir_.c_str());
  espeak_ng_ERROR_CONTEXT context = nullptr;
  espeak_ng_STATUS status = espeak_ng_Initialize(&context);
  if (status != ENS_OK) {
    espeak_ng_ClearErrorContext(&context);
    start_error_ = Status::Unavailable("espeak-ng cannot start" +
                                       (data_dir_.empty() ? "" : " from " + data_dir_) + ": " +
                                       Message(status));
    return start_error_;
  }
  status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, nullptr);
  if (status != ENS_OK) {
    start_error_ = Status::Unavailable("espeak-ng cannot start its output: " + Message(status));
    return start_error_;
  }
  native_rate_ = espeak_ng_GetSampleRate();
  espeak_SetSynthCallback(&OnSamples);

  std::vector<VoiceEntry> voices;
  for (const espeak_VOICE** v = espeak_ListVoices(nullptr); v != nullptr && *v != nullptr; ++v) {
    voices.push_back(VoiceEntry{(*v)->name ? (*v)->name : "",
                                (*v)->identifier ? (*v)->identifier : "",
                                Languages((*v)->languages)});
  }
  std::vector<VariantEntry> variants;
  espeak_VOICE spec{};
  spec.languages = "variant";
  for (const espeak_VOICE** v = espeak_ListVoices(&spec); v != nullptr && *v != nullptr; ++v) {
    std::string id = (*v)->identifier ? (*v)->identifier : "";
    if (id.rfind("!v/", 0) == 0) id = id.substr(3);
    variants.push_back(VariantEntry{(*v)->name ? (*v)->name : "", id});
  }
  if (voices.empty()) {
    start_error_ = Status::Unavailable("espeak-ng has no voices (is espeak-ng-data installed?)");
    return start_error_;
  }
  catalog_ = VoiceCatalog(std::move(voices), std::move(variants));
  return Status::Ok();
}

StatusOr<VoiceCatalog> SpeechSynthesizer::Catalog() {
  std::lock_guard<std::mutex> lock(mu_);
  if (Status s = EnsureStartedLocked(); !s.ok()) return s;
  return catalog_;
}

StatusOr<std::vector<int16_t>> SpeechSynthesizer::Synthesize(std::string_view text,
                                                             const Voice& voice) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::InvalidArgument("there is no text to speak");
  }
  std::vector<int16_t> native;
  int native_rate = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (Status s = EnsureStartedLocked(); !s.ok()) return s;
    if (espeak_SetVoiceByName(voice.name.c_str()) != EE_OK) {
      return Status::InvalidArgument("espeak-ng cannot load the voice '" + voice.name + "'");
    }
    espeak_SetParameter(espeakRATE, voice.words_per_minute, 0);
    const std::string copy(text);  // espeak-ng wants it NUL-terminated
    g_output = &native;
    espeak_ERROR error = espeak_Synth(copy.c_str(), copy.size() + 1, 0, POS_CHARACTER, 0,
                                      espeakCHARS_UTF8, nullptr, nullptr);
    espeak_ng_STATUS sync = error == EE_OK ? espeak_ng_Synchronize() : ENS_OK;
    g_output = nullptr;
    if (error != EE_OK) {
      return Status::Internal("espeak-ng could not synthesise the text (error " +
                              std::to_string(error) + ")");
    }
    if (sync != ENS_OK) return Status::Internal("espeak-ng failed: " + Message(sync));
    native_rate = native_rate_;
  }
  if (native.empty()) return Status::Internal("espeak-ng produced no audio");
  return Resample(native, static_cast<uint32_t>(native_rate), kSpeechSampleRate);
}

StatusOr<std::string> SpeechSynthesizer::SynthesizeWav(std::string_view text, const Voice& voice) {
  StatusOr<std::vector<int16_t>> samples = Synthesize(text, voice);
  if (!samples.ok()) return samples.status();
  return WriteWav(*samples, kSpeechSampleRate);
}

}  // namespace herald::voice
