// A bounded cache of values read from the store, each tagged with the
// content generation it was read at (the database's `content_generation`,
// migration 14). The database moves the generation on with every write to
// the rows such values are read from, whichever connection or node makes
// it, so an entry is good exactly while the generation read in the same
// transaction is still its own: a reader reads the generation first, and
// uses the entry only when they are equal.
//
// Entries are immutable and shared: a reader copies out of one (or keeps
// it) without the cache's lock, and replacing or evicting it frees nothing
// a reader still holds. At most `capacity` entries; past that the least
// recently used goes.
//
// Thread-safety: none of its own; used under the lock of the store that
// owns it.
#ifndef HERALD_CORE_STORE_GENERATION_CACHE_H_
#define HERALD_CORE_STORE_GENERATION_CACHE_H_

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace herald::store {

template <typename Value>
class GenerationCache {
 public:
  explicit GenerationCache(size_t capacity) : capacity_(capacity) {}
  GenerationCache(const GenerationCache&) = delete;
  GenerationCache& operator=(const GenerationCache&) = delete;

  // The value stored under `key` if it was read at `generation`, else null.
  // An entry of another generation is dropped: committed generations only
  // grow, so it can never be good again.
  std::shared_ptr<const Value> Find(std::string_view key, int64_t generation) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    if (it->second->generation != generation) {
      Erase(it);
      return nullptr;
    }
    entries_.splice(entries_.begin(), entries_, it->second);
    return it->second->value;
  }

  // Stores `value`, read at `generation`, under `key` (in place of what was
  // there). `generation` must be committed: a generation that a write
  // transaction moved on may be rolled back and later committed by other
  // writes, and an entry tagged with it would then pass for their state.
  void Put(std::string key, int64_t generation, std::shared_ptr<const Value> value) {
    if (capacity_ == 0) return;
    if (auto it = index_.find(std::string_view(key)); it != index_.end()) Erase(it);
    if (entries_.size() == capacity_) Erase(index_.find(std::string_view(entries_.back().key)));
    entries_.push_front(Entry{std::move(key), generation, std::move(value)});
    index_.emplace(std::string_view(entries_.front().key), entries_.begin());
  }

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string key;
    int64_t generation = 0;
    std::shared_ptr<const Value> value;
  };
  using Entries = std::list<Entry>;
  // The keys are views of the entries' own (list nodes never move).
  using Index = std::unordered_map<std::string_view, typename Entries::iterator>;

  void Erase(typename Index::iterator it) {
    typename Entries::iterator entry = it->second;
    index_.erase(it);
    entries_.erase(entry);
  }

  const size_t capacity_;
  Entries entries_;  // most recently used first
  Index index_;
};

}  // namespace herald::store

#endif  // HERALD_CORE_STORE_GENERATION_CACHE_H_
