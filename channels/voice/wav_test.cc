#include "wav.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace herald::voice {
namespace {

void Put16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v & 0xFF));
  out->push_back(static_cast<char>(v >> 8));
}
void Put32(std::string* out, uint32_t v) {
  Put16(out, static_cast<uint16_t>(v));
  Put16(out, static_cast<uint16_t>(v >> 16));
}

// A WAV with the given format and `data` as its data chunk, optionally with a
// LIST chunk (odd-sized, so padded) before the fmt chunk.
std::string MakeWav(uint16_t tag, uint16_t channels, uint32_t rate, uint16_t bits,
                    const std::string& data, bool extra_chunk = false) {
  std::string body = "WAVE";
  if (extra_chunk) {
    body += "LIST";
    Put32(&body, 3);
    body += "abc";
    body.push_back('\0');  // pad byte
  }
  body += "fmt ";
  Put32(&body, 16);
  Put16(&body, tag);
  Put16(&body, channels);
  Put32(&body, rate);
  Put32(&body, rate * channels * bits / 8);
  Put16(&body, static_cast<uint16_t>(channels * bits / 8));
  Put16(&body, bits);
  body += "data";
  Put32(&body, static_cast<uint32_t>(data.size()));
  body += data;
  std::string out = "RIFF";
  Put32(&out, static_cast<uint32_t>(body.size()));
  return out + body;
}

TEST(Wav, WritesAndReadsBack) {
  std::vector<int16_t> samples = {0, 1, -1, 32767, -32768, 1234};
  std::string wav = WriteWav(samples, kSpeechSampleRate);
  EXPECT_EQ(wav.size(), 44u + samples.size() * 2);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(wav.substr(8, 8), "WAVEfmt ");
  auto read = ReadSpeechWav(wav);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(*read, samples);
  EXPECT_EQ(SamplesOf(wav), samples);
}

TEST(Wav, HeaderDescribesTheData) {
  std::string wav = WriteWav(std::vector<int16_t>(100, 7), 22050);
  auto parsed = ParseWav(wav);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->format_tag, 1);
  EXPECT_EQ(parsed->channels, 1);
  EXPECT_EQ(parsed->sample_rate, 22050u);
  EXPECT_EQ(parsed->bits_per_sample, 16);
  EXPECT_EQ(parsed->data.size(), 200u);
}

TEST(Wav, SkipsOtherChunksWithPadding) {
  std::string data = std::string("\x01\x00\x02\x00", 4);
  auto read = ReadSpeechWav(MakeWav(1, 1, 16000, 16, data, /*extra_chunk=*/true));
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(*read, (std::vector<int16_t>{1, 2}));
}

TEST(Wav, ReadsADataChunkThatRunsPastTheEnd) {
  // Streaming writers leave the size unknown (0xFFFFFFFF).
  std::string wav = MakeWav(1, 1, 16000, 16, std::string("\x05\x00\x06\x00", 4));
  wav[40] = wav[41] = wav[42] = wav[43] = '\xFF';
  auto read = ReadSpeechWav(wav);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(*read, (std::vector<int16_t>{5, 6}));
}

TEST(Wav, IgnoresAnOddTrailingByte) {
  auto read = ReadSpeechWav(MakeWav(1, 1, 16000, 16, std::string("\x05\x00\x06", 3)));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, (std::vector<int16_t>{5}));
}

TEST(Wav, EmptyInputIsInvalid) {
  auto read = ReadSpeechWav("");
  EXPECT_EQ(read.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(read.status().message(), "the audio is empty");
}

TEST(Wav, NoSamplesIsInvalid) {
  auto read = ReadSpeechWav(MakeWav(1, 1, 16000, 16, ""));
  EXPECT_EQ(read.status().code(), Code::kInvalidArgument);
  EXPECT_NE(read.status().message().find("empty"), std::string::npos);
}

TEST(Wav, NotRiffIsUnsupported) {
  for (std::string bytes : {std::string("ID3\x03 mp3 data here"), std::string("OggS....WAVE"),
                            std::string("RIFF\0\0\0\0AVI ", 12)}) {
    auto read = ReadSpeechWav(bytes);
    EXPECT_EQ(read.status().code(), Code::kUnsupportedMediaType) << bytes;
    EXPECT_NE(read.status().message().find("not a WAV file"), std::string::npos);
  }
}

TEST(Wav, TruncatedOrIncompleteIsInvalid) {
  std::string wav = WriteWav({1, 2, 3}, 16000);
  auto truncated_fmt = ParseWav(wav.substr(0, 30));
  EXPECT_EQ(truncated_fmt.status().code(), Code::kInvalidArgument);
  EXPECT_NE(truncated_fmt.status().message().find("fmt chunk is truncated"), std::string::npos);

  auto no_data = ParseWav(wav.substr(0, 36));
  EXPECT_EQ(no_data.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(no_data.status().message(), "the WAV file has no data chunk");

  std::string no_fmt = "RIFF";
  Put32(&no_fmt, 12);
  no_fmt += "WAVEdata";
  Put32(&no_fmt, 0);
  EXPECT_EQ(ParseWav(no_fmt).status().message(), "the WAV file has no fmt chunk");
}

TEST(Wav, NamesWhatDiffersFromTheSpeechFormat) {
  std::string two = std::string(8, '\0');
  struct Case {
    std::string wav;
    std::string message;
  } cases[] = {
      {MakeWav(3, 1, 16000, 32, two), "the audio must be PCM, not IEEE float"},
      {MakeWav(7, 1, 16000, 8, two), "the audio must be PCM, not mu-law"},
      {MakeWav(1, 1, 16000, 8, two), "the audio must be 16-bit, not 8-bit"},
      {MakeWav(1, 2, 16000, 16, two), "the audio must be mono, not 2 channels"},
      {MakeWav(1, 1, 44100, 16, two), "the audio must be sampled at 16000 Hz, not 44100 Hz"},
      {MakeWav(1, 1, 22050, 16, two), "the audio must be sampled at 16000 Hz, not 22050 Hz"},
  };
  for (const auto& c : cases) {
    auto read = ReadSpeechWav(c.wav);
    EXPECT_EQ(read.status().code(), Code::kUnsupportedMediaType);
    EXPECT_EQ(read.status().message(), c.message);
  }
}

TEST(Wav, ExtensibleFormatResolvesToItsSubformat) {
  std::string body = "WAVEfmt ";
  Put32(&body, 40);
  Put16(&body, 0xFFFE);
  Put16(&body, 1);
  Put32(&body, 16000);
  Put32(&body, 32000);
  Put16(&body, 2);
  Put16(&body, 16);
  Put16(&body, 22);  // cbSize
  Put16(&body, 16);  // valid bits
  Put32(&body, 4);   // channel mask
  Put16(&body, 1);   // subformat: PCM, then the rest of the GUID
  body += std::string(14, '\x11');
  body += "data";
  Put32(&body, 2);
  body += std::string("\x09\x00", 2);
  std::string wav = "RIFF";
  Put32(&wav, static_cast<uint32_t>(body.size()));
  wav += body;
  auto read = ReadSpeechWav(wav);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(*read, (std::vector<int16_t>{9}));
}

}  // namespace
}  // namespace herald::voice
