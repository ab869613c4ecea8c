// A bounded least-recently-used map: at most `max_entries` entries and at
// most `max_cost` total cost (each entry's cost given on Put); the least
// recently used entries go first. An entry costing more than `max_cost` on
// its own is not kept.
//
// Thread-safety: every method takes the cache's own mutex.
#ifndef HERALD_CORE_RUNTIME_LRU_CACHE_H_
#define HERALD_CORE_RUNTIME_LRU_CACHE_H_

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace herald::runtime {

template <typename V>
class LruCache {
 public:
  LruCache(size_t max_entries, size_t max_cost) : max_entries_(max_entries), max_cost_(max_cost) {}

  std::optional<V> Get(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->value;
  }

  void Put(const std::string& key, V value, size_t cost = 1) {
    std::lock_guard<std::mutex> lock(mu_);
    EraseLocked(key);
    if (cost > max_cost_ || max_entries_ == 0) return;
    order_.push_front({key, std::move(value), cost});
    index_[key] = order_.begin();
    cost_ += cost;
    while (index_.size() > max_entries_ || cost_ > max_cost_) {
      const std::string victim = order_.back().key;
      EraseLocked(victim);
    }
  }

  void Erase(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    EraseLocked(key);
  }

  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return index_.size();
  }

 private:
  struct Entry {
    std::string key;
    V value;
    size_t cost;
  };

  void EraseLocked(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return;
    cost_ -= it->second->cost;
    order_.erase(it->second);
    index_.erase(it);
  }

  const size_t max_entries_;
  const size_t max_cost_;
  mutable std::mutex mu_;
  std::list<Entry> order_;  // most recent first
  std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
  size_t cost_ = 0;
};

}  // namespace herald::runtime

#endif  // HERALD_CORE_RUNTIME_LRU_CACHE_H_
