// espeak-ng and PocketSphinx for real: what the channel says can be heard.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "speech_recognizer.h"
#include "speech_synthesizer.h"
#include "wav.h"

namespace herald::voice {
namespace {

class Speech : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto r = SpeechRecognizer::Open(kDefaultModelDir, 2);
    ASSERT_TRUE(r.ok()) << r.status().message();
    recognizer_ = r->release();
  }
  static void TearDownTestSuite() {
    delete recognizer_;
    recognizer_ = nullptr;
  }
  static SpeechRecognizer* recognizer_;
};
SpeechRecognizer* Speech::recognizer_ = nullptr;

// The question's voice: espeak-ng's Klatt variant speaks the same way every
// time (the default voice varies a little from call to call) and PocketSphinx
// hears it best of espeak-ng's US English voices.
const Voice kQuestionVoice{"gmw/en-US+klatt", 150};

bool Contains(const std::string& text, const std::string& word) {
  return (" " + text + " ").find(" " + word + " ") != std::string::npos;
}

TEST_F(Speech, CatalogListsEspeaksVoices) {
  auto catalog = SpeechSynthesizer::Get().Catalog();
  ASSERT_TRUE(catalog.ok()) << catalog.status().message();
  EXPECT_GT(catalog->size(), 50u);
  EXPECT_EQ(*catalog->ResolveVoice("en-us"), "gmw/en-US");
  EXPECT_EQ(*catalog->ResolveVoice("en-us+f3"), "gmw/en-US+f3");
  EXPECT_EQ(*catalog->ResolveLanguage("en-US"), "gmw/en-US");
  EXPECT_FALSE(catalog->ResolveVoice("no-such-voice").ok());
  EXPECT_FALSE(catalog->ResolveLanguage("xx").ok());
}

TEST_F(Speech, SynthesisMakesA16kHzWav) {
  auto wav = SpeechSynthesizer::Get().SynthesizeWav("Hello, how can I help?", Voice{});
  ASSERT_TRUE(wav.ok()) << wav.status().message();
  auto parsed = ReadSpeechWav(*wav);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  // About a second and a half of speech.
  EXPECT_GT(parsed->size(), kSpeechSampleRate / 2);
  EXPECT_LT(parsed->size(), kSpeechSampleRate * 5);
}

TEST_F(Speech, VoiceAndRateChangeTheAudio) {
  SpeechSynthesizer& s = SpeechSynthesizer::Get();
  const std::string text = "The weather today is sunny.";
  auto plain = s.Synthesize(text, Voice{"gmw/en-US", 175});
  auto female = s.Synthesize(text, Voice{"gmw/en-US+f3", 175});
  auto german = s.Synthesize(text, Voice{"gmw/de", 175});
  auto slow = s.Synthesize(text, Voice{"gmw/en-US", 100});
  ASSERT_TRUE(plain.ok() && female.ok() && german.ok() && slow.ok());
  EXPECT_NE(*plain, *female);
  EXPECT_NE(*plain, *german);
  EXPECT_GT(slow->size(), plain->size() * 3 / 2);  // 100 wpm against 175
}

TEST_F(Speech, SynthesisRefusesNothingToSayAndUnknownVoices) {
  EXPECT_EQ(SpeechSynthesizer::Get().Synthesize(" \n", Voice{}).status().code(),
            Code::kInvalidArgument);
  auto unknown = SpeechSynthesizer::Get().Synthesize("hi", Voice{"zz/none", 175});
  EXPECT_EQ(unknown.status().code(), Code::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("zz/none"), std::string::npos);
}

TEST_F(Speech, RecognizerHearsWhatEspeakSays) {
  auto spoken =
      SpeechSynthesizer::Get().Synthesize("What will the weather be tomorrow?", kQuestionVoice);
  ASSERT_TRUE(spoken.ok());
  auto heard = recognizer_->Recognize(*spoken);
  ASSERT_TRUE(heard.ok()) << heard.status().message();
  EXPECT_TRUE(Contains(*heard, "weather")) << *heard;
  EXPECT_TRUE(Contains(*heard, "tomorrow")) << *heard;
}

TEST_F(Speech, RecognizersRunAtOnceFromSeveralThreads) {
  const char* phrases[] = {"What will the weather be tomorrow?",
                           "Tell me the weather for tomorrow."};
  const char* key_words[] = {"will", "for"};
  std::vector<std::vector<int16_t>> audio;
  for (const char* p : phrases) {
    audio.push_back(*SpeechSynthesizer::Get().Synthesize(p, kQuestionVoice));
  }
  std::string heard[2];
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      auto words = recognizer_->Recognize(audio[i]);
      heard[i] = words.ok() ? *words : "error: " + words.status().message();
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 2; ++i) EXPECT_TRUE(Contains(heard[i], key_words[i])) << heard[i];
}

TEST_F(Speech, SilenceIsNoWords) {
  auto heard = recognizer_->Recognize(std::vector<int16_t>(kSpeechSampleRate, 0));
  ASSERT_TRUE(heard.ok());
  EXPECT_EQ(*heard, "");
  EXPECT_EQ(recognizer_->Recognize({}).status().code(), Code::kInvalidArgument);
}

TEST(SpeechRecognizerOpen, NamesTheMissingModelPart) {
  auto missing = SpeechRecognizer::Open("/nonexistent/model", 1);
  EXPECT_EQ(missing.status().code(), Code::kUnavailable);
  EXPECT_NE(missing.status().message().find("/nonexistent/model/en-us/ is missing"),
            std::string::npos);

  // The acoustic model there, the language model not.
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "herald_voice_model_test";
  std::filesystem::create_directories(dir / "en-us");
  auto partial = SpeechRecognizer::Open(dir.string(), 1);
  EXPECT_NE(partial.status().message().find("en-us.lm.bin is missing"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace herald::voice
