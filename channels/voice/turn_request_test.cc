#include "turn_request.h"

#include <gtest/gtest.h>

#include "turn_response.h"
#include "wav.h"

namespace herald::voice {
namespace {

sdk::HttpRequest Request(const std::string& content_type, const std::string& body) {
  sdk::HttpRequest r;
  r.method = "POST";
  if (!content_type.empty()) r.headers["content-type"] = content_type;
  r.body = body;
  return r;
}

TEST(TurnRequest, TakesWavAudioUnderEveryWavName) {
  std::string wav = WriteWav({1, 2, 3}, kSpeechSampleRate);
  for (const char* type :
       {"audio/wav", "audio/x-wav", "Audio/WAVE", "audio/vnd.wave", "audio/wav; codecs=1"}) {
    auto in = ParseTurnRequest(Request(type, wav), 1000);
    ASSERT_TRUE(in.ok()) << type << ": " << in.status().message();
    EXPECT_TRUE(in->is_audio);
    EXPECT_EQ(in->samples, (std::vector<int16_t>{1, 2, 3}));
  }
}

TEST(TurnRequest, TakesATranscriptAsJson) {
  auto in = ParseTurnRequest(
      Request("application/json; charset=utf-8", R"({"text":"hello","conversation_id":"c9"})"),
      1000);
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_FALSE(in->is_audio);
  EXPECT_EQ(in->text, "hello");
  EXPECT_EQ(in->conversation_id, "c9");
}

TEST(TurnRequest, ConversationFromTheQueryUnlessTheBodySaysOtherwise) {
  sdk::HttpRequest r = Request("audio/wav", WriteWav({1}, kSpeechSampleRate));
  r.query.emplace("conversation_id", "from-query");
  EXPECT_EQ(ParseTurnRequest(r, 1000)->conversation_id, "from-query");
  sdk::HttpRequest j = Request("application/json", R"({"text":"hi","conversation_id":"body"})");
  j.query.emplace("conversation_id", "from-query");
  EXPECT_EQ(ParseTurnRequest(j, 1000)->conversation_id, "body");
}

TEST(TurnRequest, RefusesWhatItCannotTake) {
  struct Case {
    sdk::HttpRequest request;
    Code code;
    std::string message_part;
  } cases[] = {
      {Request("audio/wav", std::string(2000, 'x')), Code::kPayloadTooLarge, "at most 1000"},
      {Request("audio/mpeg", "ID3..."), Code::kUnsupportedMediaType,
       "Content-Type 'audio/mpeg' is not supported"},
      {Request("", "..."), Code::kUnsupportedMediaType, "no Content-Type"},
      {Request("audio/wav", ""), Code::kInvalidArgument, "the audio is empty"},
      {Request("audio/wav", "ID3 not a wav at all"), Code::kUnsupportedMediaType, "not a WAV"},
      {Request("audio/wav", WriteWav({1, 2}, 44100)), Code::kUnsupportedMediaType, "44100 Hz"},
      {Request("application/json", "{"), Code::kInvalidArgument, "not valid JSON"},
      {Request("application/json", "[1]"), Code::kInvalidArgument, "a JSON object"},
      {Request("application/json", "{}"), Code::kInvalidArgument, "text: required"},
      {Request("application/json", R"({"text":"  "})"), Code::kInvalidArgument,
       "text: must not be empty"},
      {Request("application/json", R"({"text":"hi","conversation_id":5})"), Code::kInvalidArgument,
       "conversation_id: expected a string"},
  };
  for (const auto& c : cases) {
    auto in = ParseTurnRequest(c.request, 1000);
    ASSERT_FALSE(in.ok()) << c.message_part;
    EXPECT_EQ(in.status().code(), c.code) << in.status().message();
    EXPECT_NE(in.status().message().find(c.message_part), std::string::npos)
        << in.status().message();
  }
}

TEST(TurnResponse, NegotiatesRawAudio) {
  EXPECT_TRUE(WantsRawAudio("audio/wav"));
  EXPECT_TRUE(WantsRawAudio("Audio/X-WAV"));
  EXPECT_TRUE(WantsRawAudio("audio/*"));
  EXPECT_FALSE(WantsRawAudio(""));
  EXPECT_FALSE(WantsRawAudio("*/*"));
  EXPECT_FALSE(WantsRawAudio("application/json, audio/wav"));
}

TEST(TurnResponse, PercentEncodesHeaderText) {
  EXPECT_EQ(PercentEncode("it's 5°C\nsunny"), "it%27s%205%C2%B0C%0Asunny");
  EXPECT_EQ(PercentEncode("a-b_c.d~e"), "a-b_c.d~e");
}

TEST(TurnResponse, ErrorBodyHasHeralddsShape) {
  EXPECT_EQ(ErrorJson(Code::kNotFound, "agent is not live"),
            "{\"error\":{\"code\":\"not_found\",\"message\":\"agent is not live\"}}\n");
}

}  // namespace
}  // namespace herald::voice
