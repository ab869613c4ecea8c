#include "resample.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace herald::voice {
namespace {

constexpr int kTaps = 31;

// A low-pass FIR with cutoff `cutoff` (a fraction of the sample rate, < 0.5).
std::vector<double> LowPass(double cutoff) {
  std::vector<double> taps(kTaps);
  const int mid = kTaps / 2;
  double sum = 0;
  for (int k = 0; k < kTaps; ++k) {
    double x = k - mid;
    double sinc =
        x == 0 ? 2 * cutoff : std::sin(2 * std::numbers::pi * cutoff * x) / (std::numbers::pi * x);
    double window = 0.54 - 0.46 * std::cos(2 * std::numbers::pi * k / (kTaps - 1));
    taps[k] = sinc * window;
    sum += taps[k];
  }
  for (double& t : taps) t /= sum;  // unity gain at DC
  return taps;
}

std::vector<double> Filter(const std::vector<int16_t>& in, const std::vector<double>& taps) {
  const int n = static_cast<int>(in.size());
  const int mid = kTaps / 2;
  std::vector<double> out(in.size());
  for (int i = 0; i < n; ++i) {
    double acc = 0;
    for (int k = 0; k < kTaps; ++k) {
      int j = i + k - mid;
      if (j >= 0 && j < n) acc += taps[k] * in[j];
    }
    out[i] = acc;
  }
  return out;
}

int16_t Clamp(double v) {
  return static_cast<int16_t>(std::clamp(std::lround(v), -32768L, 32767L));
}

}  // namespace

std::vector<int16_t> Resample(const std::vector<int16_t>& samples, uint32_t from_rate,
                              uint32_t to_rate) {
  if (from_rate == to_rate || samples.empty()) return samples;
  std::vector<double> source;
  if (to_rate < from_rate) {
    // Cut a little below the new Nyquist frequency: the filter is short.
    source = Filter(samples, LowPass(0.45 * to_rate / from_rate));
  } else {
    source.assign(samples.begin(), samples.end());
  }
  const size_t count =
      static_cast<size_t>(static_cast<uint64_t>(samples.size()) * to_rate / from_rate);
  std::vector<int16_t> out(count);
  const double step = static_cast<double>(from_rate) / to_rate;
  for (size_t i = 0; i < count; ++i) {
    double pos = static_cast<double>(i) * step;
    size_t j = static_cast<size_t>(pos);
    double frac = pos - static_cast<double>(j);
    double a = source[j];
    double b = j + 1 < source.size() ? source[j + 1] : a;
    out[i] = Clamp(a + (b - a) * frac);
  }
  return out;
}

}  // namespace herald::voice
