// Speech to text with PocketSphinx (US English), from 16 kHz mono 16-bit PCM.
//
// A PocketSphinx decoder is not thread-safe and takes a while to load (about
// 0.3 s and tens of MB for the en-us model), so the recognizer keeps a pool:
// a call borrows an idle decoder, or loads one when fewer than
// `max_decoders` exist, or waits for one to come back. Decoders are loaded on
// first use, not when heraldd loads the plugin.
//
// Thread-safety: thread-safe; up to `max_decoders` recognitions run at once.
#ifndef HERALD_CHANNELS_VOICE_SPEECH_RECOGNIZER_H_
#define HERALD_CHANNELS_VOICE_SPEECH_RECOGNIZER_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "status.h"

namespace herald::voice {

// Debian's pocketsphinx-en-us model.
inline constexpr char kDefaultModelDir[] = "/usr/share/pocketsphinx/model/en-us";

class SpeechRecognizer {
 public:
  // A recognizer for the model in `model_dir`, which holds the acoustic model
  // `en-us/`, the language model `en-us.lm.bin` and the dictionary
  // `cmudict-en-us.dict` (Debian's layout). Checks that they exist:
  // kUnavailable naming the missing one otherwise.
  static StatusOr<std::unique_ptr<SpeechRecognizer>> Open(const std::string& model_dir,
                                                          int max_decoders);
  ~SpeechRecognizer();

  SpeechRecognizer(const SpeechRecognizer&) = delete;
  SpeechRecognizer& operator=(const SpeechRecognizer&) = delete;

  // The words heard in `samples` (16 kHz), lower case, separated by single
  // spaces; empty when none. kInvalidArgument for no samples; kUnavailable
  // when a decoder cannot be loaded; kInternal when decoding fails.
  StatusOr<std::string> Recognize(const std::vector<int16_t>& samples);

  const std::string& model_dir() const { return model_dir_; }

 private:
  struct Decoder;
  SpeechRecognizer(std::string model_dir, int max_decoders);
  StatusOr<Decoder*> Acquire();
  void Release(Decoder* decoder);

  const std::string model_dir_;
  const int max_decoders_;
  std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Decoder>> all_;  // guarded by mu_
  std::vector<Decoder*> idle_;                 // guarded by mu_
  int loading_ = 0;                            // decoders being loaded; guarded by mu_
};

}  // namespace herald::voice

#endif  // HERALD_CHANNELS_VOICE_SPEECH_RECOGNIZER_H_
