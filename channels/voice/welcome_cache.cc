#include "welcome_cache.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace herald::voice {

std::string WelcomeCache::KeyOf(const std::string& text, const Voice& voice) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  // NUL separators: none of the three may contain one where it matters.
  sha.update(text);
  sha.update('\0');
  sha.update(voice.name);
  sha.update('\0');
  sha.update(std::to_string(voice.words_per_minute));
  return Poco::DigestEngine::digestToHex(sha.digest());
}

StatusOr<std::shared_ptr<const WelcomeAudio>> WelcomeCache::Get(const std::string& text,
                                                                const Voice& voice) {
  const std::string key = KeyOf(text, voice);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      if (auto held = it->second.lock()) return held;
    }
  }
  StatusOr<std::string> wav = render_(text, voice);
  if (!wav.ok()) return wav.status();
  auto made = std::make_shared<const WelcomeAudio>(WelcomeAudio{key, std::move(*wav)});
  std::lock_guard<std::mutex> lock(mu_);
  ++renders_;
  // Drop entries nobody holds any more.
  for (auto it = entries_.begin(); it != entries_.end();) {
    it = it->second.expired() ? entries_.erase(it) : std::next(it);
  }
  auto [it, inserted] = entries_.emplace(key, made);
  if (!inserted) {
    if (auto held = it->second.lock()) return held;  // someone else stored it first
    it->second = made;
  }
  return std::shared_ptr<const WelcomeAudio>(made);
}

size_t WelcomeCache::live_entries() {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [key, entry] : entries_) n += entry.expired() ? 0 : 1;
  return n;
}

size_t WelcomeCache::renders() const {
  std::lock_guard<std::mutex> lock(mu_);
  return renders_;
}

}  // namespace herald::voice
