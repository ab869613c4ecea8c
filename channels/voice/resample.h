// Sample-rate conversion of mono 16-bit audio, for espeak-ng's 22050 Hz
// output to the channel's 16 kHz.
//
// Downsampling first low-passes the signal below the new Nyquist frequency (a
// 31-tap Hamming-windowed sinc filter) so that nothing aliases, then
// interpolates linearly. Good for speech, for people and the recognizer; not
// meant for music.
//
// Thread-safety: a pure function.
#ifndef HERALD_CHANNELS_VOICE_RESAMPLE_H_
#define HERALD_CHANNELS_VOICE_RESAMPLE_H_

#include <cstdint>
#include <vector>

namespace herald::voice {

// `samples` at `from_rate` Hz as samples at `to_rate` Hz (both > 0). The same
// samples when the rates are equal.
std::vector<int16_t> Resample(const std::vector<int16_t>& samples, uint32_t from_rate,
                              uint32_t to_rate);

}  // namespace herald::voice

#endif  // HERALD_CHANNELS_VOICE_RESAMPLE_H_
