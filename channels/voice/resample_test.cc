#include "resample.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace herald::voice {
namespace {

std::vector<int16_t> Tone(double hz, uint32_t rate, size_t count, double amplitude = 10000) {
  std::vector<int16_t> out(count);
  for (size_t i = 0; i < count; ++i) {
    out[i] = static_cast<int16_t>(amplitude * std::sin(2 * std::numbers::pi * hz * i / rate));
  }
  return out;
}

double Rms(const std::vector<int16_t>& s, size_t skip) {
  double sum = 0;
  for (size_t i = skip; i + skip < s.size(); ++i) sum += static_cast<double>(s[i]) * s[i];
  return std::sqrt(sum / static_cast<double>(s.size() - 2 * skip));
}

TEST(Resample, SameRateIsIdentity) {
  std::vector<int16_t> in = {1, 2, 3};
  EXPECT_EQ(Resample(in, 16000, 16000), in);
  EXPECT_TRUE(Resample({}, 22050, 16000).empty());
}

TEST(Resample, LengthFollowsTheRatio) {
  EXPECT_EQ(Resample(std::vector<int16_t>(22050, 0), 22050, 16000).size(), 16000u);
  EXPECT_EQ(Resample(std::vector<int16_t>(8000, 0), 8000, 16000).size(), 16000u);
}

TEST(Resample, KeepsSpeechBandTonesAndRemovesWhatWouldAlias) {
  // 1 kHz passes at about its level; 10 kHz (above the new 8 kHz Nyquist) is
  // filtered out rather than folded back to 6 kHz.
  auto low = Resample(Tone(1000, 22050, 22050), 22050, 16000);
  EXPECT_NEAR(Rms(low, 100), 10000 / std::sqrt(2.0), 400);
  auto high = Resample(Tone(10000, 22050, 22050), 22050, 16000);
  EXPECT_LT(Rms(high, 100), 700);
}

TEST(Resample, ClampsInsteadOfWrapping) {
  std::vector<int16_t> loud(1000, 32767);
  for (int16_t s : Resample(loud, 22050, 16000)) EXPECT_GT(s, 0);
}

}  // namespace
}  // namespace herald::voice
