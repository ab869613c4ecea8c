// The voices and languages espeak-ng offers, and how a user's names for them
// resolve to what espeak-ng loads.
//
// A voice is named `BASE` or `BASE+VARIANT`, case-insensitively:
//   BASE     a voice's identifier ("gmw/en-US"), its file name ("en-US"), its
//            display name ("English (America)") or one of its languages
//            ("en-us", "en"; a language shared by several voices picks the one
//            espeak-ng ranks first for it)
//   VARIANT  a variant's file name ("f3", "klatt") or display name
// A language is a BCP 47 tag ("en-US", "pt-BR", "de"); it resolves to the
// voice espeak-ng ranks first for the tag, or else for its primary subtag.
//
// Thread-safety: immutable after construction; share freely.
#ifndef HERALD_CHANNELS_VOICE_VOICE_CATALOG_H_
#define HERALD_CHANNELS_VOICE_VOICE_CATALOG_H_

#include <string>
#include <string_view>
#include <vector>

#include "status.h"

namespace herald::voice {

struct VoiceEntry {
  std::string name;        // "English (America)"
  std::string identifier;  // "gmw/en-US"
  // Languages with espeak-ng's priority for each (lower is preferred).
  std::vector<std::pair<int, std::string>> languages;
};

struct VariantEntry {
  std::string name;  // "Klatt"
  std::string file;  // "klatt" (the identifier without "!v/")
};

class VoiceCatalog {
 public:
  VoiceCatalog() = default;
  VoiceCatalog(std::vector<VoiceEntry> voices, std::vector<VariantEntry> variants);

  // The espeak-ng voice name for `voice` ("gmw/en-US+f3"), or kInvalidArgument
  // saying it is unknown.
  StatusOr<std::string> ResolveVoice(std::string_view voice) const;

  // The identifier of the voice for the BCP 47 `language` ("gmw/en-US"), or
  // kInvalidArgument saying it is unknown.
  StatusOr<std::string> ResolveLanguage(std::string_view language) const;

  size_t size() const { return voices_.size(); }

 private:
  const VoiceEntry* BestForLanguage(const std::string& lower_tag) const;

  std::vector<VoiceEntry> voices_;
  std::vector<VariantEntry> variants_;
};

}  // namespace herald::voice

#endif  // HERALD_CHANNELS_VOICE_VOICE_CATALOG_H_
