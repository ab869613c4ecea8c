// The voice channel through the C ABI, on a FakeHost: settings, publish, and
// its routes with real speech.
#include "voice_channel.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <herald/sdk/testing/fake_host.hpp>

#include <sstream>

#include "speech_synthesizer.h"
#include "wav.h"

namespace herald::voice {
namespace {

using sdk::testing::FakeHost;
using sdk::testing::FakeRequest;
using sdk::testing::FakeResponse;
using sdk::testing::FakeTurn;
using sdk::testing::FakeTurnAnswer;
using sdk::testing::StartedPlugin;

const herald_plugin_descriptor* Descriptor() {
  return sdk::ChannelDescriptor<VoiceChannel>(kName, kVersion, kDescription);
}

std::string Snapshot(const std::string& voice, double rate, const std::string& welcome) {
  return R"({"id":"a1","name":"Weather","voice":{"voice":")" + voice +
         R"(","language":"en-US","speaking_rate":)" + std::to_string(rate) +
         R"(},"behaviour":{"guidelines":"","welcome_message":")" + welcome +
         R"(","starter_prompts":[]},"channels":[]})";
}

Poco::JSON::Object::Ptr Json(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::string Unbase64(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  return std::string(std::istreambuf_iterator<char>(decoder), {});
}

std::string ErrorCode(const FakeResponse& r) {
  return Json(r.body)->getObject("error")->getValue<std::string>("code");
}
std::string ErrorMessage(const FakeResponse& r) {
  return Json(r.body)->getObject("error")->getValue<std::string>("message");
}

FakeRequest Post(const std::string& agent, const std::string& content_type,
                 const std::string& body) {
  FakeRequest r;
  r.method = "POST";
  r.path = "/" + agent + "/turns";
  if (!content_type.empty()) r.headers["content-type"] = content_type;
  r.body = body;
  return r;
}

struct ChannelState {
  herald_channel_state state = HERALD_CHANNEL_NOT_PUBLISHED;
  std::string detail;
};
ChannelState StatusOf(const StartedPlugin& plugin, const std::string& agent) {
  ChannelState out;
  EXPECT_TRUE(plugin.channel().Status(agent, &out.state, &out.detail).ok());
  return out;
}

FakeTurnAnswer Answer(const FakeTurn& turn) {
  FakeTurnAnswer a;
  a.conversation_id = turn.conversation_id.empty() ? "conv-1" : turn.conversation_id;
  a.version = 3;
  a.deltas = {"It is sunny ", "and warm."};
  return a;
}

class VoiceChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host_.SetTurnHandler(Answer);
    plugin_ = host_.Start(Descriptor());
    ASSERT_TRUE(plugin_.ok()) << plugin_.error;
  }
  void Publish(const std::string& snapshot = Snapshot("en-us", 1.0, "Hello, I am the weather."),
               sdk::Values settings = {}) {
    auto r = plugin_.channel().Publish("a1", 3, "hash", snapshot, settings);
    ASSERT_TRUE(r.ok()) << r.error;
  }
  FakeHost host_;
  StartedPlugin plugin_;
};

TEST_F(VoiceChannelTest, DeclaresItsOverrides) {
  std::vector<std::string> names;
  for (const auto& s : sdk::SettingSpecs(*plugin_.descriptor().channel)) {
    names.push_back(s.name);
    EXPECT_FALSE(s.required);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"voice", "language", "speaking_rate"}));
}

TEST_F(VoiceChannelTest, ValidateNamesEachBadSetting) {
  std::vector<sdk::Problem> problems;
  ASSERT_TRUE(
      plugin_.channel()
          .Validate({{"voice", "en-us+f3"}, {"language", "en-GB"}, {"speaking_rate", "1.3"}},
                    &problems)
          .ok());
  EXPECT_TRUE(problems.empty());
  ASSERT_TRUE(
      plugin_.channel()
          .Validate({{"voice", "robot"}, {"language", "xx-YY"}, {"speaking_rate", "9"}}, &problems)
          .ok());
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].field, "voice");
  EXPECT_EQ(problems[1].field, "language");
  EXPECT_EQ(problems[2].field, "speaking_rate");
}

TEST_F(VoiceChannelTest, PublishUsesTheAgentsVoiceAndRendersTheWelcome) {
  EXPECT_EQ(StatusOf(plugin_, "a1").state, HERALD_CHANNEL_NOT_PUBLISHED);
  Publish(Snapshot("en-us+f3", 1.2, "Hello, I am the weather."));
  ChannelState status = StatusOf(plugin_, "a1");
  EXPECT_EQ(status.state, HERALD_CHANNEL_PUBLISHED);
  EXPECT_EQ(status.detail, "version 3, voice gmw/en-US+f3");

  FakeRequest get;
  get.path = "/a1/welcome";
  FakeResponse welcome = host_.Serve(get);
  ASSERT_EQ(welcome.status, 200) << welcome.body;
  EXPECT_EQ(welcome.Header("Content-Type"), "audio/wav");
  auto samples = ReadSpeechWav(welcome.body);
  ASSERT_TRUE(samples.ok()) << samples.status().message();
  EXPECT_GT(samples->size(), kSpeechSampleRate / 2);
  // In the agent's voice and rate (1.2 times 175 words per minute), named by
  // its content.
  EXPECT_EQ(
      welcome.Header("ETag"),
      "\"" + WelcomeCache::KeyOf("Hello, I am the weather.", Voice{"gmw/en-US+f3", 210}) + "\"");
}

TEST_F(VoiceChannelTest, ChannelSettingsOverrideTheAgent) {
  Publish(Snapshot("en-us", 1.0, "Hi"), {{"voice", "de"}, {"speaking_rate", "0.8"}});
  EXPECT_EQ(StatusOf(plugin_, "a1").detail, "version 3, voice gmw/de");
  auto r = host_.Serve(Post("a1", "application/json", R"({"text":"hello"})"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto voice = Json(r.body)->getObject("voice");
  EXPECT_EQ(voice->getValue<std::string>("name"), "gmw/de");
  EXPECT_EQ(voice->getValue<int>("words_per_minute"), 140);
}

TEST_F(VoiceChannelTest, PublishFailsForAVoiceItCannotSpeak) {
  auto bad_voice = plugin_.channel().Publish("a1", 1, "h", Snapshot("robot", 1.0, "Hi"), {});
  EXPECT_FALSE(bad_voice.ok());
  EXPECT_NE(bad_voice.error.find("the agent's voice.voice: unknown voice 'robot'"),
            std::string::npos)
      << bad_voice.error;
  auto bad_rate = plugin_.channel().Publish("a1", 1, "h", Snapshot("en-us", 4.0, "Hi"), {});
  EXPECT_NE(bad_rate.error.find("the agent's voice.speaking_rate 4 is outside"), std::string::npos)
      << bad_rate.error;
  auto bad_setting = plugin_.channel().Publish("a1", 1, "h", Snapshot("en-us", 1.0, "Hi"),
                                               {{"speaking_rate", "\"fast\""}});
  EXPECT_NE(bad_setting.error.find("settings.speaking_rate: must be a number"), std::string::npos)
      << bad_setting.error;
  EXPECT_EQ(StatusOf(plugin_, "a1").state, HERALD_CHANNEL_NOT_PUBLISHED);
}

TEST_F(VoiceChannelTest, NoWelcomeMessageIsNoWelcomeAudio) {
  Publish(Snapshot("en-us", 1.0, ""));
  FakeRequest get;
  get.path = "/a1/welcome";
  FakeResponse r = host_.Serve(get);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorMessage(r), "the agent has no welcome message");
}

TEST_F(VoiceChannelTest, SpokenQuestionGetsTranscriptReplyAndAudio) {
  Publish();
  // espeak-ng's Klatt voice: the same audio every time, and well heard.
  auto question = SpeechSynthesizer::Get().SynthesizeWav("What will the weather be tomorrow?",
                                                         Voice{"gmw/en-US+klatt", 150});
  ASSERT_TRUE(question.ok());
  FakeRequest request = Post("a1", "audio/wav", *question);
  request.user_id = "u-olga";
  FakeResponse r = host_.Serve(request);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  auto body = Json(r.body);
  const std::string transcript = body->getValue<std::string>("transcript");
  EXPECT_NE(transcript.find("weather"), std::string::npos) << transcript;
  EXPECT_NE(transcript.find("tomorrow"), std::string::npos) << transcript;
  EXPECT_EQ(body->getValue<std::string>("reply"), "It is sunny and warm.");
  EXPECT_EQ(body->getValue<int>("version"), 3);
  EXPECT_EQ(body->getValue<std::string>("conversation_id"), "conv-1");
  auto audio = body->getObject("audio");
  EXPECT_EQ(audio->getValue<std::string>("content_type"), "audio/wav");
  EXPECT_GT(audio->getValue<int>("duration_ms"), 500);
  auto samples = ReadSpeechWav(Unbase64(audio->getValue<std::string>("base64")));
  ASSERT_TRUE(samples.ok()) << samples.status().message();
  EXPECT_GT(samples->size(), kSpeechSampleRate / 2);

  // The host ran the turn with what was heard, anonymously even for a request
  // with a Herald API token.
  auto turns = host_.turns();
  ASSERT_EQ(turns.size(), 1u);
  EXPECT_EQ(turns[0].agent_id, "a1");
  EXPECT_EQ(turns[0].message, transcript);
  EXPECT_EQ(turns[0].user_id, "");
  EXPECT_EQ(turns[0].conversation_id, "");
}

TEST_F(VoiceChannelTest, TranscriptTurnContinuesAConversation) {
  Publish();
  FakeRequest request = Post("a1", "application/json", R"({"text":"And tomorrow?"})");
  request.query.emplace("conversation_id", "conv-7");
  FakeResponse r = host_.Serve(request);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Json(r.body);
  EXPECT_EQ(body->getValue<std::string>("transcript"), "And tomorrow?");
  EXPECT_EQ(body->getValue<std::string>("conversation_id"), "conv-7");
  EXPECT_EQ(host_.turns().back().conversation_id, "conv-7");
  EXPECT_EQ(host_.turns().back().message, "And tomorrow?");
}

TEST_F(VoiceChannelTest, AcceptAudioWavGivesTheWavWithTextInHeaders) {
  Publish();
  FakeRequest request = Post("a1", "application/json", R"({"text":"Is it hot?"})");
  request.headers["accept"] = "audio/wav";
  FakeResponse r = host_.Serve(request);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "audio/wav");
  EXPECT_TRUE(ReadSpeechWav(r.body).ok());
  EXPECT_EQ(r.Header("X-Herald-Transcript"), "Is%20it%20hot%3F");
  EXPECT_EQ(r.Header("X-Herald-Reply"), "It%20is%20sunny%20and%20warm.");
  EXPECT_EQ(r.Header("X-Herald-Version"), "3");
  EXPECT_EQ(r.Header("X-Herald-Conversation-Id"), "conv-1");
}

TEST_F(VoiceChannelTest, NotLiveIs404) {
  FakeResponse never = host_.Serve(Post("a1", "application/json", R"({"text":"hi"})"));
  EXPECT_EQ(never.status, 404);
  EXPECT_EQ(ErrorCode(never), "not_found");
  EXPECT_EQ(ErrorMessage(never), "agent is not live");
  EXPECT_TRUE(host_.turns().empty());

  Publish();
  ASSERT_TRUE(plugin_.channel().Unpublish("a1").ok());
  FakeResponse after = host_.Serve(Post("a1", "application/json", R"({"text":"hi"})"));
  EXPECT_EQ(after.status, 404);
  EXPECT_EQ(ErrorMessage(after), "agent is not live");

  // The host's word counts too.
  Publish();
  host_.SetTurnHandler([](const FakeTurn&) {
    FakeTurnAnswer a;
    a.status = HERALD_STATUS_NOT_FOUND;
    a.error = "agent is not live";
    return a;
  });
  FakeResponse host_says = host_.Serve(Post("a1", "application/json", R"({"text":"hi"})"));
  EXPECT_EQ(host_says.status, 404);
  EXPECT_EQ(ErrorMessage(host_says), "agent is not live");
}

TEST_F(VoiceChannelTest, HostErrorsKeepTheirMeaning) {
  Publish();
  host_.SetTurnHandler([](const FakeTurn&) {
    FakeTurnAnswer a;
    a.status = HERALD_STATUS_UNAVAILABLE;
    a.error = "the model provider is down";
    return a;
  });
  FakeResponse r = host_.Serve(Post("a1", "application/json", R"({"text":"hi"})"));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(ErrorMessage(r), "the model provider is down");
}

TEST_F(VoiceChannelTest, ClearClientErrors) {
  Publish();
  std::string good = WriteWav(std::vector<int16_t>(1600, 0), kSpeechSampleRate);
  struct Case {
    FakeRequest request;
    int status;
    std::string code;
    std::string message_part;
  } cases[] = {
      {Post("a1", "audio/mpeg", "ID3"), 415, "unsupported_media_type", "audio/mpeg"},
      {Post("a1", "text/plain", "hello"), 415, "unsupported_media_type", "text/plain"},
      {Post("a1", "audio/wav", ""), 400, "invalid_argument", "the audio is empty"},
      {Post("a1", "audio/wav", WriteWav({}, kSpeechSampleRate)), 400, "invalid_argument",
       "no samples"},
      {Post("a1", "audio/wav", "OggS not a wav"), 415, "unsupported_media_type", "not a WAV"},
      {Post("a1", "audio/wav", WriteWav({1, 2, 3}, 8000)), 415, "unsupported_media_type",
       "16000 Hz, not 8000 Hz"},
      {Post("a1", "audio/wav", good), 422, "no_speech", "no words were recognised"},
      {Post("a1", "application/json", "{\"text\":1}"), 400, "invalid_argument", "text:"},
  };
  for (const auto& c : cases) {
    FakeResponse r = host_.Serve(c.request);
    EXPECT_EQ(r.status, c.status) << c.message_part << ": " << r.body;
    EXPECT_EQ(ErrorCode(r), c.code) << r.body;
    EXPECT_NE(ErrorMessage(r).find(c.message_part), std::string::npos) << r.body;
  }
  EXPECT_TRUE(host_.turns().empty());
}

TEST(VoiceChannelConfig, AudioSizeLimitIs413) {
  FakeHost host;
  host.SetConfig("max_audio_bytes", "1000");
  host.SetTurnHandler(Answer);
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  ASSERT_TRUE(plugin.channel().Publish("a1", 1, "h", Snapshot("en-us", 1.0, ""), {}).ok());
  FakeResponse r =
      host.Serve(Post("a1", "audio/wav", WriteWav(std::vector<int16_t>(1000, 0), 16000)));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(ErrorCode(r), "payload_too_large");
  EXPECT_NE(ErrorMessage(r).find("at most 1000"), std::string::npos);
}

TEST(VoiceChannelConfig, BadConfigurationRefusesToStart) {
  {
    FakeHost host;
    host.SetConfig("max_audio_bytes", "lots");
    StartedPlugin p = host.Start(Descriptor());
    EXPECT_FALSE(p.ok());
    EXPECT_NE(p.error.find("plugins.voice.max_audio_bytes must be a whole number"),
              std::string::npos)
        << p.error;
  }
  {
    FakeHost host;
    host.SetConfig("model_dir", "/nonexistent/model");
    StartedPlugin p = host.Start(Descriptor());
    EXPECT_FALSE(p.ok());
    EXPECT_NE(p.error.find("plugins.voice.model_dir: the PocketSphinx acoustic model"),
              std::string::npos)
        << p.error;
  }
  {
    FakeHost host;
    host.SetAbiMinor(0);
    StartedPlugin p = host.Start(Descriptor());
    EXPECT_FALSE(p.ok());
    EXPECT_NE(p.error.find("ABI 1.1"), std::string::npos) << p.error;
  }
}

TEST(VoiceChannelLibrary, LoadsAsHeralddLoadsIt) {
  FakeHost host;
  StartedPlugin plugin = host.StartLibrary(HERALD_VOICE_PLUGIN);
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  EXPECT_EQ(plugin.descriptor().kind, HERALD_PLUGIN_CHANNEL);
  EXPECT_EQ(std::string(sdk::ToView(plugin.descriptor().name)), "voice");
  EXPECT_NE(host.AllLogText().find("ready: speech recognition from "), std::string::npos);
}

}  // namespace
}  // namespace herald::voice
