// Rendered welcome messages, shared by content: one WAV per (text, voice,
// rate), named by the SHA-256 of the three. Agents (and versions) with the same
// welcome in the same voice share one rendering, and a redeploy that changes
// neither renders nothing.
//
// The cache holds weak references: a rendering lives while a published agent
// holds it (the shared_ptr Get returns), so the cache never grows past what is
// published.
//
// Thread-safety: thread-safe. Renderings of different keys may run at once;
// two callers asking for the same new key may both render it (the first one
// stored wins).
#ifndef HERALD_CHANNELS_VOICE_WELCOME_CACHE_H_
#define HERALD_CHANNELS_VOICE_WELCOME_CACHE_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "speech_synthesizer.h"
#include "status.h"

namespace herald::voice {

struct WelcomeAudio {
  std::string key;  // hex SHA-256 of text, voice and rate
  std::string wav;
};

class WelcomeCache {
 public:
  using Render = std::function<StatusOr<std::string>(const std::string& text, const Voice& voice)>;

  explicit WelcomeCache(Render render) : render_(std::move(render)) {}

  // The welcome `text` spoken by `voice`: from the cache, or rendered now.
  // The render's error when it fails.
  StatusOr<std::shared_ptr<const WelcomeAudio>> Get(const std::string& text, const Voice& voice);

  // The content key of (text, voice).
  static std::string KeyOf(const std::string& text, const Voice& voice);

  // How many renderings are held (by someone) now.
  size_t live_entries();
  // How many times Get rendered.
  size_t renders() const;

 private:
  const Render render_;
  mutable std::mutex mu_;
  std::map<std::string, std::weak_ptr<const WelcomeAudio>> entries_;  // guarded by mu_
  size_t renders_ = 0;                                                // guarded by mu_
};

}  // namespace herald::voice

#endif  // HERALD_CHANNELS_VOICE_WELCOME_CACHE_H_
