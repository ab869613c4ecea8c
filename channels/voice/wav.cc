#include "wav.h"

#include <cstring>

namespace herald::voice {
namespace {

constexpr uint16_t kFormatPcm = 1;
constexpr uint16_t kFormatExtensible = 0xFFFE;

uint16_t Le16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) |
                               (static_cast<uint16_t>(static_cast<uint8_t>(b[at + 1])) << 8));
}

uint32_t Le32(std::string_view b, size_t at) {
  return static_cast<uint32_t>(Le16(b, at)) | (static_cast<uint32_t>(Le16(b, at + 2)) << 16);
}

void Put16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v & 0xFF));
  out->push_back(static_cast<char>(v >> 8));
}

void Put32(std::string* out, uint32_t v) {
  Put16(out, static_cast<uint16_t>(v & 0xFFFF));
  Put16(out, static_cast<uint16_t>(v >> 16));
}

std::string FormatName(uint16_t tag) {
  switch (tag) {
    case 3:
      return "IEEE float";
    case 6:
      return "A-law";
    case 7:
      return "mu-law";
    case 0x11:
      return "IMA ADPCM";
    case 0x55:
      return "MP3";
    default:
      return "format tag " + std::to_string(tag);
  }
}

}  // namespace

StatusOr<WavFile> ParseWav(std::string_view bytes) {
  if (bytes.empty()) return Status::InvalidArgument("the audio is empty");
  if (bytes.size() < 12 || bytes.substr(0, 4) != "RIFF" || bytes.substr(8, 4) != "WAVE") {
    return Status::UnsupportedMediaType(
        "the audio is not a WAV file (no RIFF/WAVE header); send 16 kHz mono 16-bit PCM WAV");
  }
  WavFile wav;
  bool have_fmt = false;
  bool have_data = false;
  size_t at = 12;
  while (at + 8 <= bytes.size() && !(have_fmt && have_data)) {
    std::string_view id = bytes.substr(at, 4);
    uint64_t size = Le32(bytes, at + 4);
    size_t body = at + 8;
    size_t available = bytes.size() - body;
    if (id == "fmt ") {
      if (size < 16 || size > available) {
        return Status::InvalidArgument("the WAV file's fmt chunk is truncated");
      }
      wav.format_tag = Le16(bytes, body);
      wav.channels = Le16(bytes, body + 2);
      wav.sample_rate = Le32(bytes, body + 4);
      wav.bits_per_sample = Le16(bytes, body + 14);
      if (wav.format_tag == kFormatExtensible) {
        // cbSize(2) validBits(2) channelMask(4) then the subformat GUID, whose
        // first two bytes are the format tag.
        if (size < 40) return Status::InvalidArgument("the WAV file's fmt chunk is truncated");
        wav.format_tag = Le16(bytes, body + 24);
      }
      have_fmt = true;
    } else if (id == "data") {
      wav.data = bytes.substr(body, size > available ? available : static_cast<size_t>(size));
      have_data = true;
    }
    if (size > available) break;
    at = body + static_cast<size_t>(size) + (size % 2);  // chunks are padded to even sizes
  }
  if (!have_fmt) return Status::InvalidArgument("the WAV file has no fmt chunk");
  if (!have_data) return Status::InvalidArgument("the WAV file has no data chunk");
  return wav;
}

StatusOr<std::vector<int16_t>> ReadSpeechWav(std::string_view bytes) {
  StatusOr<WavFile> wav = ParseWav(bytes);
  if (!wav.ok()) return wav.status();
  if (wav->format_tag != kFormatPcm) {
    return Status::UnsupportedMediaType("the audio must be PCM, not " +
                                        FormatName(wav->format_tag));
  }
  if (wav->bits_per_sample != 16) {
    return Status::UnsupportedMediaType("the audio must be 16-bit, not " +
                                        std::to_string(wav->bits_per_sample) + "-bit");
  }
  if (wav->channels != 1) {
    return Status::UnsupportedMediaType("the audio must be mono, not " +
                                        std::to_string(wav->channels) + " channels");
  }
  if (wav->sample_rate != kSpeechSampleRate) {
    return Status::UnsupportedMediaType("the audio must be sampled at 16000 Hz, not " +
                                        std::to_string(wav->sample_rate) + " Hz");
  }
  size_t count = wav->data.size() / 2;
  if (count == 0) return Status::InvalidArgument("the audio is empty (no samples)");
  std::vector<int16_t> samples(count);
  for (size_t i = 0; i < count; ++i) samples[i] = static_cast<int16_t>(Le16(wav->data, 2 * i));
  return samples;
}

std::string WriteWav(const std::vector<int16_t>& samples, uint32_t sample_rate) {
  const uint32_t data_bytes = static_cast<uint32_t>(samples.size() * 2);
  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  Put32(&out, 36 + data_bytes);
  out += "WAVEfmt ";
  Put32(&out, 16);
  Put16(&out, kFormatPcm);
  Put16(&out, 1);  // mono
  Put32(&out, sample_rate);
  Put32(&out, sample_rate * 2);  // byte rate
  Put16(&out, 2);                // block align
  Put16(&out, 16);               // bits per sample
  out += "data";
  Put32(&out, data_bytes);
  for (int16_t s : samples) Put16(&out, static_cast<uint16_t>(s));
  return out;
}

std::vector<int16_t> SamplesOf(std::string_view bytes) {
  StatusOr<WavFile> wav = ParseWav(bytes);
  if (!wav.ok() || wav->format_tag != kFormatPcm || wav->bits_per_sample != 16 ||
      wav->channels != 1) {
    return {};
  }
  std::vector<int16_t> samples(wav->data.size() / 2);
  for (size_t i = 0; i < samples.size(); ++i) {
    samples[i] = static_cast<int16_t>(Le16(wav->data, 2 * i));
  }
  return samples;
}

}  // namespace herald::voice
