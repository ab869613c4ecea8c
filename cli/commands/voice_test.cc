// `herald voice` against the fake heraldd.
#include <gtest/gtest.h>

#include <string>

#include "cli/commands/common.h"
#include "cli/testing/fake_heraldd.h"
#include "cli/testing/run_herald.h"
#include "cli/testing/temp_file.h"

namespace herald::cli {
namespace {

using testing::FakeHeraldd;
using testing::RunHerald;

constexpr char kPath[] = "/v1/channels/voice/a1/turns";
// "UklGRgQAAABXQVZF" is base64 of "RIFF\x04\0\0\0WAVE".
constexpr char kTurn[] =
    R"({"agent":"a1","transcript":"what will the weather be tomorrow","reply":"Sunny.",)"
    R"("version":3,"conversation_id":"c-1","voice":{"name":"gmw/en-US","words_per_minute":175},)"
    R"("audio":{"content_type":"audio/wav","sample_rate":16000,"duration_ms":1900,)"
    R"("base64":"UklGRgQAAABXQVZF"}})";

TEST(VoiceCommandTest, SendsTheWavAndPrintsWhatWasHeardAndTheReply) {
  FakeHeraldd server;
  server.On("POST", kPath, {.status = 200, .body = kTurn});
  testing::TempFile question("q.wav", "RIFF....WAVEfmt question");
  testing::TempFile reply("reply.wav", "");
  auto run = RunHerald({"voice", "a1", "--wav", question.path(), "--out", reply.path(), "--server",
                        server.url(), "--token", "t0k"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "heard: what will the weather be tomorrow\n"
            "Sunny.\n"
            "(version 3, conversation c-1)\n"
            "reply audio: " +
                reply.path() + " (1.9 s, voice gmw/en-US)\n");
  ASSERT_EQ(server.requests().size(), 1u);
  const auto request = server.requests()[0];
  EXPECT_EQ(request.uri, kPath);
  EXPECT_EQ(request.content_type, "audio/wav");
  EXPECT_EQ(request.body, "RIFF....WAVEfmt question");
  EXPECT_EQ(request.authorization, "Bearer t0k");
  EXPECT_EQ(ReadFileOrThrow(reply.path(), "reply"), std::string("RIFF\x04\0\0\0WAVE", 12));
}

TEST(VoiceCommandTest, SendsTextAsJsonAndContinuesAConversation) {
  FakeHeraldd server;
  server.On("POST", kPath, {.status = 200, .body = kTurn});
  auto run = RunHerald({"voice", "a1", "--text", "And tomorrow?", "--conversation", "c-1",
                        "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "Sunny.\n(version 3, conversation c-1)\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].content_type, "application/json");
  EXPECT_EQ(server.requests()[0].body, R"({"conversation_id":"c-1","text":"And tomorrow?"})");
}

TEST(VoiceCommandTest, ConversationOfASpokenTurnGoesInTheQuery) {
  FakeHeraldd server;
  server.On("POST", std::string(kPath) + "?conversation_id=c%201", {.status = 200, .body = kTurn});
  testing::TempFile question("q.wav", "RIFF");
  auto run = RunHerald(
      {"voice", "a1", "--wav", question.path(), "--conversation", "c 1", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
}

TEST(VoiceCommandTest, NeedsExactlyOneOfWavAndText) {
  auto neither = RunHerald({"voice", "a1", "--server", "http://127.0.0.1:1"});
  EXPECT_EQ(neither.status, 2);
  EXPECT_NE(neither.err.find("give exactly one of --wav FILE and --text TEXT"), std::string::npos);
  testing::TempFile question("q.wav", "RIFF");
  auto both = RunHerald(
      {"voice", "a1", "--wav", question.path(), "--text", "hi", "--server", "http://127.0.0.1:1"});
  EXPECT_EQ(both.status, 2);
  auto missing =
      RunHerald({"voice", "a1", "--wav", "/nonexistent/q.wav", "--server", "http://127.0.0.1:1"});
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("cannot read audio file '/nonexistent/q.wav'"), std::string::npos)
      << missing.err;
}

TEST(VoiceCommandTest, ServerErrorsExitOne) {
  FakeHeraldd server;
  server.On("POST", kPath,
            {.status = 415,
             .body = R"({"error":{"code":"unsupported_media_type","message":"the audio must be )"
                     R"(sampled at 16000 Hz, not 44100 Hz"}})"});
  testing::TempFile question("q.wav", "RIFF");
  auto run = RunHerald({"voice", "a1", "--wav", question.path(), "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(
      run.err,
      "error: the audio must be sampled at 16000 Hz, not 44100 Hz (unsupported_media_type)\n");
}

TEST(VoiceCommandTest, JsonPrintsTheAnswerAsIs) {
  FakeHeraldd server;
  server.On("POST", kPath, {.status = 200, .body = kTurn});
  auto run = RunHerald({"voice", "a1", "--text", "hi", "--json", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, std::string(kTurn) + "\n");
}

}  // namespace
}  // namespace herald::cli
