// The voice channel's benchmark (issue 6, section 3): the real-time factor of
// speech synthesis (espeak-ng) and of speech recognition (PocketSphinx, US
// English) for a reply of about ten seconds, through the channel's own
// classes (channels/voice). docs/benchmarks.md holds the results.
//
//   cmake --build BUILD --target herald_voice_bench && BUILD/bin/herald_voice_bench
//
// The real-time factor is processing time over audio duration: below 1 is
// faster than real time. Synthesis includes the resampling to 16 kHz; the
// recognition of one utterance excludes loading the decoder, which is timed
// on its own (the channel loads a decoder once and keeps it). Each figure is
// the median of several runs; the reply is spoken in the channel's default
// voice (US English, 175 words per minute) and in the Klatt variant the
// tests use, and the share of the reply's words heard is shown as a rough
// accuracy. No target: the issue asks for the numbers. Exits 0.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "speech_recognizer.h"
#include "speech_synthesizer.h"
#include "wav.h"

namespace herald::voice {
namespace {

using Clock = std::chrono::steady_clock;

// About ten seconds at 175 words per minute.
constexpr char kReply[] =
    "Tomorrow will be mostly sunny in the morning, with clouds moving in after lunch. "
    "The high will be around twenty degrees, and there is a small chance of rain in the "
    "evening, so you may want to take an umbrella.";
constexpr int kSynthesisRuns = 9;
constexpr int kRecognitionRuns = 3;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// This thread's CPU time: on a busy machine, wall time also counts waiting.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::set<std::string> Words(const std::string& text) {
  std::set<std::string> out;
  std::string word;
  for (char c : text + " ") {
    if (std::isalpha(static_cast<unsigned char>(c)) != 0) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!word.empty()) {
      out.insert(word);
      word.clear();
    }
  }
  return out;
}

int Run() {
  SpeechSynthesizer& synthesizer = SpeechSynthesizer::Get();
  if (auto catalog = synthesizer.Catalog(); !catalog.ok()) {
    std::fprintf(stderr, "espeak-ng: %s\n", catalog.status().message().c_str());
    return 0;
  }
  auto recognizer = SpeechRecognizer::Open(kDefaultModelDir, 1);
  if (!recognizer.ok()) {
    std::fprintf(stderr, "PocketSphinx: %s\n", recognizer.status().message().c_str());
    return 0;
  }

  // Loading the decoder: the first recognition, of a short silence.
  Clock::time_point start = Clock::now();
  (void)(*recognizer)->Recognize(std::vector<int16_t>(kSpeechSampleRate / 10, 0));
  const double load_s = Seconds(Clock::now() - start);

  std::printf("voice benchmark: a reply of %zu words\n\n", Words(kReply).size());
  std::printf("%-26s %8s %12s %10s %14s %10s %14s %s\n", "voice", "audio s", "synthesis s",
              "synth RTF", "recognition s", "recog RTF", "recog CPU RTF", "words heard");
  const std::set<std::string> reply_words = Words(kReply);
  for (const Voice& voice : {Voice{"gmw/en-US", kDefaultWordsPerMinute},
                             Voice{"gmw/en-US+klatt", kDefaultWordsPerMinute}}) {
    std::vector<double> synthesis;
    std::vector<int16_t> audio;
    for (int i = 0; i < kSynthesisRuns; ++i) {
      start = Clock::now();
      auto samples = synthesizer.Synthesize(kReply, voice);
      synthesis.push_back(Seconds(Clock::now() - start));
      if (!samples.ok()) {
        std::fprintf(stderr, "synthesis: %s\n", samples.status().message().c_str());
        return 0;
      }
      audio = std::move(*samples);
    }
    const double audio_s = static_cast<double>(audio.size()) / kSpeechSampleRate;

    std::vector<double> recognition;
    std::vector<double> recognition_cpu;
    std::string heard;
    for (int i = 0; i < kRecognitionRuns; ++i) {
      start = Clock::now();
      const double cpu_start = CpuSeconds();
      auto words = (*recognizer)->Recognize(audio);
      recognition.push_back(Seconds(Clock::now() - start));
      recognition_cpu.push_back(CpuSeconds() - cpu_start);
      heard = words.ok() ? *words : "";
    }
    size_t hits = 0;
    for (const auto& w : Words(heard)) hits += reply_words.count(w);

    const double synth_s = Median(synthesis);
    const double recog_s = Median(recognition);
    std::printf("%-26s %8.2f %12.4f %10.4f %14.3f %10.3f %14.3f %zu/%zu\n",
                (voice.name + " " + std::to_string(voice.words_per_minute) + " wpm").c_str(),
                audio_s, synth_s, synth_s / audio_s, recog_s, recog_s / audio_s,
                Median(recognition_cpu) / audio_s, hits, reply_words.size());
    std::printf("  heard: %s\n", heard.c_str());
  }
  std::printf("\nPocketSphinx decoder load (once per decoder): %.3f s\n", load_s);
  return 0;
}

}  // namespace
}  // namespace herald::voice

int main() { return herald::voice::Run(); }
