// The voice channel through the real heraldd: the built-in libherald_voice.so
// publishes a deployed agent (model "scripted") at
// /v1/channels/voice/{agent}/turns. The espeak-ng program speaks a question
// into a WAV file; the endpoint hears it (the transcript has its key words),
// answers from the live version, and returns the reply as valid WAV audio in
// the configured voice. Also: a transcript turn continues the conversation,
// the welcome message is served spoken, bad voice settings stop a deploy,
// `herald voice` works end to end, and after undeploy the endpoint is 404.
#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "daemon_harness.h"
#include "resample.h"
#include "wav.h"

namespace herald::testing {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;

constexpr char kNotLive[] =
    "{\"error\":{\"code\":\"not_found\",\"message\":\"agent is not live\"}}\n";
constexpr char kTurns[] = "/v1/channels/voice/weather/turns";
constexpr char kQuestion[] = "What will the weather be tomorrow?";

Object::Ptr Json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string Unbase64(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  return std::string(std::istreambuf_iterator<char>(decoder), {});
}

// The espeak-ng program says `text` into a WAV file (22050 Hz), which is then
// resampled to the 16 kHz the channel takes. The Klatt voice at 150 words per
// minute is the one PocketSphinx hears best, and it speaks the same way every
// time.
std::string SpokenQuestion(const fs::path& dir, const std::string& text) {
  const fs::path raw = dir / "question-22k.wav";
  ProcessResult said = RunProcess(HERALD_TEST_ESPEAK_NG,
                                  {"-v", "en-us+klatt", "-s", "150", "-w", raw.string(), text});
  EXPECT_EQ(said.exit_code, 0) << said.err;
  const std::string bytes = ReadFile(raw);
  auto wav = voice::ParseWav(bytes);
  EXPECT_TRUE(wav.ok()) << wav.status().message();
  if (!wav.ok()) return "";
  std::vector<int16_t> samples = voice::SamplesOf(bytes);
  return voice::WriteWav(voice::Resample(samples, wav->sample_rate, voice::kSpeechSampleRate),
                         voice::kSpeechSampleRate);
}

class VoiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<RunningDaemon>(dir_.path() / "data");
    ASSERT_TRUE(daemon_->ok()) << daemon_->error();
    ASSERT_EQ(Call("POST", "/v1/agents", R"({"id":"weather","name":"Weather"})").status, 201);
    HttpResult patched =
        Call("PATCH", "/v1/agents/weather",
             R"({"description":"tells the weather","model":"scripted",)"
             R"("voice":{"voice":"en-us","language":"en-US","speaking_rate":1.2},)"
             R"("behaviour":{"welcome_message":"Hello, this is the weather line.",)"
             R"("guidelines":"The weather tomorrow will be sunny and warm."}})");
    ASSERT_EQ(patched.status, 200) << patched.body;
    // The channel gives the agent a voice of its own: a variant of the agent's.
    SetChannel(R"({"voice":"en-us+f3"})");
  }

  HttpResult Call(const std::string& method, const std::string& path,
                  const std::string& body = "") {
    return daemon_->Call(method, path, body);
  }

  HttpResult PutChannel(const std::string& settings) {
    return Call("PUT", "/v1/agents/weather/channels/phone",
                R"({"plugin":"voice","settings":)" + settings + "}");
  }
  void SetChannel(const std::string& settings) {
    HttpResult r = PutChannel(settings);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  HttpResult Deploy() {
    return Call("POST", "/v1/agents/weather/deployments", R"({"comment":"voice test"})");
  }

  // What a caller sends: no Herald API token.
  HttpResult Turn(const std::string& content_type, const std::string& body,
                  const std::string& query = "") {
    return HttpRequest(daemon_->url(), "POST", kTurns + query, body,
                       {{"Content-Type", content_type}});
  }

  TempDir dir_;
  std::unique_ptr<RunningDaemon> daemon_;
};

TEST_F(VoiceTest, HearsASpokenQuestionAndAnswersInTheConfiguredVoice) {
  const std::string question = SpokenQuestion(dir_.path(), kQuestion);
  ASSERT_FALSE(question.empty());
  EXPECT_EQ(Turn("audio/wav", question).body, kNotLive);  // not deployed yet

  HttpResult deployed = Deploy();
  ASSERT_EQ(deployed.status, 201) << deployed.body;

  HttpResult r = Turn("audio/wav", question);
  ASSERT_EQ(r.status, 200) << r.body;
  Object::Ptr turn = Json(r.body);
  const std::string transcript = turn->getValue<std::string>("transcript");
  EXPECT_NE(transcript.find("weather"), std::string::npos) << transcript;
  EXPECT_NE(transcript.find("tomorrow"), std::string::npos) << transcript;
  // The scripted model: the welcome on the first turn, then the guideline
  // line closest to what was heard.
  const std::string reply = turn->getValue<std::string>("reply");
  EXPECT_NE(reply.find("Hello, this is the weather line."), std::string::npos) << reply;
  EXPECT_NE(reply.find("sunny and warm"), std::string::npos) << reply;
  EXPECT_EQ(turn->getValue<uint64_t>("version"), 1u);
  const std::string conversation = turn->getValue<std::string>("conversation_id");
  EXPECT_FALSE(conversation.empty());

  // The configured voice: the channel's variant at the agent's rate.
  Object::Ptr voice = turn->getObject("voice");
  EXPECT_EQ(voice->getValue<std::string>("name"), "gmw/en-US+f3");
  EXPECT_EQ(voice->getValue<int>("words_per_minute"), 210);

  Object::Ptr audio = turn->getObject("audio");
  EXPECT_EQ(audio->getValue<std::string>("content_type"), "audio/wav");
  const std::string wav = Unbase64(audio->getValue<std::string>("base64"));
  auto samples = voice::ReadSpeechWav(wav);
  ASSERT_TRUE(samples.ok()) << samples.status().message();
  EXPECT_GT(samples->size(), voice::kSpeechSampleRate);  // over a second of speech
  EXPECT_EQ(audio->getValue<int64_t>("duration_ms"),
            static_cast<int64_t>(samples->size() * 1000 / voice::kSpeechSampleRate));

  // A transcript continues the conversation, from the same version.
  HttpResult text = Turn("application/json", R"({"text":"Will it be warm tomorrow?",)"
                                             R"("conversation_id":")" +
                                                 conversation + "\"}");
  ASSERT_EQ(text.status, 200) << text.body;
  Object::Ptr next = Json(text.body);
  EXPECT_EQ(next->getValue<std::string>("transcript"), "Will it be warm tomorrow?");
  EXPECT_EQ(next->getValue<std::string>("conversation_id"), conversation);
  EXPECT_EQ(next->getValue<std::string>("reply").find("Hello, this is"), std::string::npos);

  // The welcome message, spoken when the deploy published it.
  HttpResult welcome = HttpRequest(daemon_->url(), "GET", "/v1/channels/voice/weather/welcome");
  ASSERT_EQ(welcome.status, 200) << welcome.body;
  EXPECT_TRUE(voice::ReadSpeechWav(welcome.body).ok());

  // Audio it cannot take: a clear 4xx.
  HttpResult cd = Turn("audio/wav", voice::WriteWav(std::vector<int16_t>(4410, 0), 44100));
  EXPECT_EQ(cd.status, 415) << cd.body;
  EXPECT_NE(cd.body.find("the audio must be sampled at 16000 Hz, not 44100 Hz"), std::string::npos);
  EXPECT_EQ(Turn("audio/wav", "").status, 400);
  EXPECT_EQ(Turn("audio/mpeg", "ID3").status, 415);

  // Undeployed: 404, for speech and text alike.
  ASSERT_EQ(Call("POST", "/v1/agents/weather/undeploy").status, 200);
  HttpResult gone = Turn("audio/wav", question);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.body, kNotLive);
  EXPECT_EQ(Turn("application/json", R"({"text":"hello"})").body, kNotLive);
}

TEST_F(VoiceTest, TheCliSpeaksAndSavesTheReply) {
  ASSERT_EQ(Deploy().status, 201);
  const fs::path question = dir_.path() / "question.wav";
  std::ofstream(question, std::ios::binary) << SpokenQuestion(dir_.path(), kQuestion);
  const fs::path reply = dir_.path() / "reply.wav";
  ProcessResult run =
      daemon_->Cli({"voice", "weather", "--wav", question.string(), "--out", reply.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("heard: ", 0), 0u) << run.out;
  EXPECT_NE(run.out.find("weather"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("(version 1, conversation "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("voice gmw/en-US+f3)"), std::string::npos) << run.out;
  EXPECT_TRUE(voice::ReadSpeechWav(ReadFile(reply)).ok());

  ProcessResult text = daemon_->Cli({"voice", "weather", "--text", "Is it sunny tomorrow?"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("sunny"), std::string::npos) << text.out;
}

TEST_F(VoiceTest, VoiceSettingsItCannotSpeakStopTheDeploy) {
  // Channel settings the channel's validate refuses, each named.
  HttpResult refused = PutChannel(R"({"voice":"robot","language":"xx-YY","speaking_rate":3})");
  ASSERT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("settings.voice: unknown voice 'robot'"), std::string::npos)
      << refused.body;
  EXPECT_NE(refused.body.find("settings.language: unknown language 'xx-YY'"), std::string::npos)
      << refused.body;
  EXPECT_NE(refused.body.find("settings.speaking_rate: must be between 0.5 and 2.5"),
            std::string::npos)
      << refused.body;

  // The agent's own rate, outside the channel's range: the channel fails the
  // deploy, saying where the value came from.
  SetChannel("{}");
  ASSERT_EQ(Call("PATCH", "/v1/agents/weather", R"({"voice":{"speaking_rate":4}})").status, 200);
  HttpResult failed = Deploy();
  ASSERT_EQ(failed.status, 502) << failed.body;
  EXPECT_NE(failed.body.find("the agent's voice.speaking_rate 4 is outside the voice channel's"),
            std::string::npos)
      << failed.body;
  EXPECT_EQ(Turn("application/json", R"({"text":"hello"})").body, kNotLive);
}

}  // namespace
}  // namespace herald::testing
