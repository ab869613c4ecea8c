#include "speech_recognizer.h"

#include <pocketsphinx.h>
#include <sphinxbase/err.h>

#include <filesystem>
#include <sstream>

namespace herald::voice {
namespace {

constexpr char kAcousticModel[] = "en-us";
constexpr char kLanguageModel[] = "en-us.lm.bin";
constexpr char kDictionary[] = "cmudict-en-us.dict";
// Cepstral mean normalisation over the whole utterance: the channel always has
// all of it, and "live" carries an estimate from one utterance to the next,
// so the same audio would be heard differently by different decoders.
constexpr char kCmn[] = "batch";

// PocketSphinx logs a great deal to stderr; heraldd's log is the plugin's
// place. Process-wide, once.
void SilenceSphinxLog() {
  static std::once_flag once;
  std::call_once(once, [] { err_set_logfp(nullptr); });
}

std::string Path(const std::string& dir, const char* name) {
  return (std::filesystem::path(dir) / name).string();
}

}  // namespace

struct SpeechRecognizer::Decoder {
  cmd_ln_t* config = nullptr;
  ps_decoder_t* ps = nullptr;
  ~Decoder() {
    if (ps != nullptr) ps_free(ps);
    if (config != nullptr) cmd_ln_free_r(config);
  }
};

StatusOr<std::unique_ptr<SpeechRecognizer>> SpeechRecognizer::Open(const std::string& model_dir,
                                                                   int max_decoders) {
  std::error_code ec;
  if (!std::filesystem::is_directory(Path(model_dir, kAcousticModel), ec)) {
    return Status::Unavailable("the PocketSphinx acoustic model " +
                               Path(model_dir, kAcousticModel) +
                               "/ is missing (Debian package pocketsphinx-en-us)");
  }
  for (const char* file : {kLanguageModel, kDictionary}) {
    if (!std::filesystem::is_regular_file(Path(model_dir, file), ec)) {
      return Status::Unavailable("the PocketSphinx model file " + Path(model_dir, file) +
                                 " is missing (Debian package pocketsphinx-en-us)");
    }
  }
  return std::unique_ptr<SpeechRecognizer>(
      new SpeechRecognizer(model_dir, max_decoders < 1 ? 1 : max_decoders));
}

SpeechRecognizer::SpeechRecognizer(std::string model_dir, int max_decoders)
    : model_dir_(std::move(model_dir)), max_decoders_(max_decoders) {}

SpeechRecognizer::~SpeechRecognizer() = default;

StatusOr<SpeechRecognizer::Decoder*> SpeechRecognizer::Acquire() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    returned_.wait(lock, [&] {
      return !idle_.empty() || static_cast<int>(all_.size()) + loading_ < max_decoders_;
    });
    if (!idle_.empty()) {
      Decoder* d = idle_.back();
      idle_.pop_back();
      return d;
    }
    ++loading_;
  }
  // Load outside the lock: it takes a while, and others may return decoders.
  SilenceSphinxLog();
  auto decoder = std::make_unique<Decoder>();
  const std::string hmm = Path(model_dir_, kAcousticModel);
  const std::string lm = Path(model_dir_, kLanguageModel);
  const std::string dict = Path(model_dir_, kDictionary);
  decoder->config = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", hmm.c_str(), "-lm", lm.c_str(),
                                "-dict", dict.c_str(), "-cmn", kCmn, nullptr);
  if (decoder->config != nullptr) decoder->ps = ps_init(decoder->config);
  std::lock_guard<std::mutex> lock(mu_);
  --loading_;
  if (decoder->ps == nullptr) {
    returned_.notify_one();  // another caller may try
    return Status::Unavailable("PocketSphinx could not load its model from " + model_dir_);
  }
  all_.push_back(std::move(decoder));
  return all_.back().get();
}

void SpeechRecognizer::Release(Decoder* decoder) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(decoder);
  }
  returned_.notify_one();
}

StatusOr<std::string> SpeechRecognizer::Recognize(const std::vector<int16_t>& samples) {
  if (samples.empty()) return Status::InvalidArgument("the audio is empty (no samples)");
  StatusOr<Decoder*> acquired = Acquire();
  if (!acquired.ok()) return acquired.status();
  Decoder* d = *acquired;
  std::string words;
  bool failed = ps_start_utt(d->ps) < 0 ||
                ps_process_raw(d->ps, samples.data(), samples.size(), FALSE, TRUE) < 0 ||
                ps_end_utt(d->ps) < 0;
  if (!failed) {
    int32 score = 0;
    const char* hyp = ps_get_hyp(d->ps, &score);
    if (hyp != nullptr) {
      std::istringstream in(hyp);
      for (std::string w; in >> w;) words += (words.empty() ? "" : " ") + w;
    }
  }
  Release(d);
  if (failed) return Status::Internal("PocketSphinx could not decode the audio");
  return words;
}

}  // namespace herald::voice
