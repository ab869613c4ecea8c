#include "voice_catalog.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <utility>

namespace herald::voice {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string FileName(const std::string& identifier) {
  size_t slash = identifier.rfind('/');
  return slash == std::string::npos ? identifier : identifier.substr(slash + 1);
}

}  // namespace

VoiceCatalog::VoiceCatalog(std::vector<VoiceEntry> voices, std::vector<VariantEntry> variants)
    : voices_(std::move(voices)), variants_(std::move(variants)) {}

const VoiceEntry* VoiceCatalog::BestForLanguage(const std::string& lower_tag) const {
  const VoiceEntry* best = nullptr;
  int best_priority = INT_MAX;
  for (const auto& v : voices_) {
    for (const auto& [priority, language] : v.languages) {
      if (Lower(language) == lower_tag && priority < best_priority) {
        best = &v;
        best_priority = priority;
      }
    }
  }
  return best;
}

StatusOr<std::string> VoiceCatalog::ResolveVoice(std::string_view voice) const {
  std::string wanted = Lower(voice);
  std::string variant;
  if (size_t plus = wanted.find('+'); plus != std::string::npos) {
    variant = wanted.substr(plus + 1);
    wanted.resize(plus);
  }
  if (wanted.empty()) return Status::InvalidArgument("the voice name is empty");
  const VoiceEntry* base = nullptr;
  for (const auto& v : voices_) {
    if (Lower(v.identifier) == wanted || Lower(FileName(v.identifier)) == wanted ||
        Lower(v.name) == wanted) {
      base = &v;
      break;
    }
  }
  if (base == nullptr) base = BestForLanguage(wanted);
  if (base == nullptr) {
    return Status::InvalidArgument("unknown voice '" + std::string(voice) +
                                   "' (espeak-ng has no such voice; `espeak-ng --voices` lists "
                                   "them)");
  }
  if (variant.empty()) return base->identifier;
  for (const auto& v : variants_) {
    if (Lower(v.file) == variant || Lower(v.name) == variant) {
      return base->identifier + "+" + v.file;
    }
  }
  return Status::InvalidArgument("unknown voice variant '" + variant + "' in '" +
                                 std::string(voice) +
                                 "' (`espeak-ng --voices=variant` lists them)");
}

StatusOr<std::string> VoiceCatalog::ResolveLanguage(std::string_view language) const {
  std::string tag = Lower(language);
  std::replace(tag.begin(), tag.end(), '_', '-');
  if (tag.empty()) return Status::InvalidArgument("the language is empty");
  const VoiceEntry* v = BestForLanguage(tag);
  if (v == nullptr) {
    size_t dash = tag.find('-');
    if (dash != std::string::npos) v = BestForLanguage(tag.substr(0, dash));
  }
  if (v == nullptr) {
    return Status::InvalidArgument("unknown language '" + std::string(language) +
                                   "' (espeak-ng has no voice for it)");
  }
  return v->identifier;
}

}  // namespace herald::voice
