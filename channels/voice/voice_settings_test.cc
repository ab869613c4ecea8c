#include "voice_settings.h"

#include <gtest/gtest.h>

namespace herald::voice {
namespace {

VoiceCatalog Catalog() {
  return VoiceCatalog({{"English (America)", "gmw/en-US", {{2, "en-us"}, {3, "en"}}},
                       {"German", "gmw/de", {{5, "de"}}}},
                      {{"female3", "f3"}});
}

TEST(VoiceSettings, ReadsTheSnapshot) {
  auto s = AgentSpeechFromSnapshot(
      R"({"id":"a1","voice":{"voice":"en-us+f3","language":"en-US","speaking_rate":1.2},)"
      R"("behaviour":{"guidelines":"","welcome_message":"Hello there","starter_prompts":[]}})");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->voice.voice, "en-us+f3");
  EXPECT_EQ(s->voice.language, "en-US");
  EXPECT_DOUBLE_EQ(*s->voice.speaking_rate, 1.2);
  EXPECT_EQ(s->welcome_message, "Hello there");

  auto bare = AgentSpeechFromSnapshot("{}");
  ASSERT_TRUE(bare.ok());
  EXPECT_TRUE(bare->voice.voice.empty());
  EXPECT_FALSE(bare->voice.speaking_rate);

  EXPECT_FALSE(AgentSpeechFromSnapshot("[]").ok());
  EXPECT_FALSE(AgentSpeechFromSnapshot("not json").ok());
  EXPECT_EQ(AgentSpeechFromSnapshot(R"({"voice":{"speaking_rate":"fast"}})").status().message(),
            "voice.speaking_rate: expected a number");
}

TEST(VoiceSettings, ChannelSettingsProblemsNameTheSetting) {
  VoiceCatalog c = Catalog();
  EXPECT_TRUE(CheckChannelSettings({}, c).empty());
  EXPECT_TRUE(
      CheckChannelSettings({{"voice", "en-us+f3"}, {"language", "de"}, {"speaking_rate", "1.5"}}, c)
          .empty());

  auto problems = CheckChannelSettings(
      {{"voice", "robot"}, {"language", "klingon"}, {"speaking_rate", "3"}}, c);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].field, "voice");
  EXPECT_NE(problems[0].message.find("unknown voice 'robot'"), std::string::npos);
  EXPECT_EQ(problems[1].field, "language");
  EXPECT_NE(problems[1].message.find("unknown language 'klingon'"), std::string::npos);
  EXPECT_EQ(problems[2].field, "speaking_rate");
  EXPECT_NE(problems[2].message.find("between 0.5 and 2.5"), std::string::npos);
  EXPECT_NE(problems[2].message.find("got 3"), std::string::npos);

  auto not_number = CheckChannelSettings({{"speaking_rate", "\"fast\""}}, c);
  ASSERT_EQ(not_number.size(), 1u);
  EXPECT_EQ(not_number[0].field, "speaking_rate");
  EXPECT_NE(not_number[0].message.find("must be a number"), std::string::npos);
  EXPECT_TRUE(CheckChannelSettings({{"speaking_rate", "0.5"}}, c).empty());
  EXPECT_TRUE(CheckChannelSettings({{"speaking_rate", "\"1.2\""}}, c).empty());
  EXPECT_TRUE(CheckChannelSettings({{"speaking_rate", "2.5"}}, c).empty());
  EXPECT_EQ(CheckChannelSettings({{"speaking_rate", "0.49"}}, c).size(), 1u);
}

TEST(VoiceSettings, EffectiveVoiceFromAgentAndOverrides) {
  VoiceCatalog c = Catalog();
  // Nothing set: US English at the normal rate.
  auto plain = EffectiveVoice({}, {}, c);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->name, "gmw/en-US");
  EXPECT_EQ(plain->words_per_minute, 175);

  // The agent's voice and rate.
  auto agent = EffectiveVoice({"en-us+f3", "en-US", 2.0}, {}, c);
  ASSERT_TRUE(agent.ok());
  EXPECT_EQ(agent->name, "gmw/en-US+f3");
  EXPECT_EQ(agent->words_per_minute, 350);

  // The language picks the voice when there is none.
  EXPECT_EQ(EffectiveVoice({"", "de-DE", std::nullopt}, {}, c)->name, "gmw/de");

  // The channel's settings win.
  auto overridden = EffectiveVoice({"en-us", "en-US", 2.0}, {"de", "", 0.8}, c);
  ASSERT_TRUE(overridden.ok());
  EXPECT_EQ(overridden->name, "gmw/de");
  EXPECT_EQ(overridden->words_per_minute, 140);
}

TEST(VoiceSettings, EffectiveVoiceErrorsSayWhereTheValueCameFrom) {
  VoiceCatalog c = Catalog();
  auto agent_rate = EffectiveVoice({"en-us", "en-US", 0.25}, {}, c);
  EXPECT_EQ(agent_rate.status().code(), Code::kInvalidArgument);
  EXPECT_NE(agent_rate.status().message().find("the agent's voice.speaking_rate 0.25 is outside"),
            std::string::npos);
  auto channel_voice = EffectiveVoice({"en-us", "", std::nullopt}, {"robot", "", std::nullopt}, c);
  EXPECT_NE(
      channel_voice.status().message().find("the voice channel's setting voice: unknown voice"),
      std::string::npos);
  auto agent_language = EffectiveVoice({"en-us", "tlh", std::nullopt}, {}, c);
  EXPECT_NE(agent_language.status().message().find("the agent's voice.language: unknown language"),
            std::string::npos);
}

}  // namespace
}  // namespace herald::voice
