// Retrieval over an agent's knowledge files: the files are cut into passages
// (paragraphs separated by blank lines; a paragraph over kMaxPassageChars is
// cut at the last space before it) and a query is scored against each
// passage by term overlap: every distinct query term a passage contains adds
// log(1 + passages / passages-containing-it), so rare terms count more.
// Terms are lower-cased runs of ASCII letters and digits (other bytes, e.g.
// UTF-8, join runs as they are), two characters or longer, minus a few
// English stop words. Deterministic: equal scores keep file order, then
// passage order.
//
// Passages are tokenised once, when the index is built (a term's passages
// and its weight are kept); a search tokenises the query once and scores by
// lookups.
//
// Thread-safety: immutable after construction; Search from any thread.
#ifndef HERALD_CORE_RUNTIME_KNOWLEDGE_INDEX_H_
#define HERALD_CORE_RUNTIME_KNOWLEDGE_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "herald/core/runtime/model_provider.h"

namespace herald::runtime {

// The distinct terms of `text`, in order of first appearance.
std::vector<std::string> Terms(std::string_view text);

class KnowledgeIndex {
 public:
  static constexpr size_t kMaxPassageChars = 600;

  KnowledgeIndex() = default;
  // `files`: (file name, text) in the agent's order.
  explicit KnowledgeIndex(const std::vector<std::pair<std::string, std::string>>& files);

  // At most `limit` passages with a score above zero, best first.
  std::vector<Passage> Search(std::string_view query, size_t limit) const;

  size_t passage_count() const { return passages_.size(); }
  // Bytes held (passage text), for cache accounting.
  size_t bytes() const { return bytes_; }

 private:
  struct Entry {
    uint32_t file = 0;
    std::string text;
  };
  struct Postings {
    std::vector<uint32_t> passages;  // ascending
    double weight = 0;               // log(1 + passages / passages.size())
  };
  // Lets terms_ be searched with a string_view: no string per query term.
  struct TermHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> files_;
  std::vector<Entry> passages_;
  std::unordered_map<std::string, uint32_t, TermHash, std::equal_to<>> terms_;  // -> postings_
  std::vector<Postings> postings_;
  size_t bytes_ = 0;
};

}  // namespace herald::runtime

#endif  // HERALD_CORE_RUNTIME_KNOWLEDGE_INDEX_H_
