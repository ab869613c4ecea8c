#include "herald/core/runtime/knowledge_index.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace herald::runtime {
namespace {

bool IsStopWord(std::string_view w) {
  static const std::unordered_set<std::string_view> kStop = {
      "a",    "an",   "and",  "are",  "as",   "at",   "be",    "by",    "can",  "do",
      "does", "for",  "from", "has",  "have", "how",  "i",     "in",    "is",   "it",
      "its",  "me",   "my",   "of",   "on",   "or",   "our",   "so",    "that", "the",
      "this", "to",   "was",  "we",   "what", "when", "where", "which", "who",  "why",
      "will", "with", "you",  "your", "if",   "not",  "no",    "yes",   "am",   "there"};
  return kStop.count(w) > 0;
}

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

// Paragraphs of `text` (blank-line separated; a Markdown heading joins the
// paragraph after it), long ones cut near the limit.
std::vector<std::string> Paragraphs(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    size_t start = current.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) {
      current.clear();
      return;
    }
    std::string_view rest(current);
    rest.remove_prefix(start);
    while (!rest.empty()) {
      while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\n' || rest.back() == '\r'))
        rest.remove_suffix(1);
      if (rest.size() <= KnowledgeIndex::kMaxPassageChars) {
        if (!rest.empty()) out.emplace_back(rest);
        break;
      }
      size_t cut = rest.rfind(' ', KnowledgeIndex::kMaxPassageChars);
      if (cut == std::string_view::npos || cut == 0) cut = KnowledgeIndex::kMaxPassageChars;
      out.emplace_back(rest.substr(0, cut));
      rest.remove_prefix(cut);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    }
    current.clear();
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
    // A Markdown heading alone is no passage: it stays with what follows it.
    const bool heading_alone =
        !current.empty() && current.front() == '#' && current.find('\n') == std::string::npos;
    if (blank && heading_alone) {
      // keep it
    } else if (blank) {
      flush();
    } else {
      if (!current.empty()) current += '\n';
      current += line;
    }
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  flush();
  return out;
}

// Calls `word` with each run of word bytes of `lowered` (already lower-cased).
template <typename F>
void ForEachWord(std::string_view lowered, F&& word) {
  size_t start = 0;
  for (size_t i = 0; i <= lowered.size(); ++i) {
    if (i < lowered.size() && IsWordByte(static_cast<unsigned char>(lowered[i]))) continue;
    if (i > start) word(lowered.substr(start, i - start));
    start = i + 1;
  }
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::vector<std::string> Terms(std::string_view text) {
  std::vector<std::string> out;
  std::unordered_set<std::string_view> seen;
  const std::string lowered = LowerAscii(text);
  ForEachWord(lowered, [&](std::string_view w) {
    if (w.size() >= 2 && !IsStopWord(w) && seen.insert(w).second) out.emplace_back(w);
  });
  return out;
}

KnowledgeIndex::KnowledgeIndex(const std::vector<std::pair<std::string, std::string>>& files) {
  for (const auto& [name, text] : files) {
    const auto file = static_cast<uint32_t>(files_.size());
    files_.push_back(name);
    for (std::string& p : Paragraphs(text)) {
      const auto id = static_cast<uint32_t>(passages_.size());
      for (std::string& term : Terms(p)) {
        auto [it, added] = terms_.try_emplace(std::move(term), postings_.size());
        if (added) postings_.emplace_back();
        postings_[it->second].passages.push_back(id);
      }
      bytes_ += p.size();
      passages_.push_back({file, std::move(p)});
    }
  }
  const double n = static_cast<double>(passages_.size());
  for (Postings& p : postings_) {
    p.weight = std::log(1.0 + n / static_cast<double>(p.passages.size()));
  }
}

std::vector<Passage> KnowledgeIndex::Search(std::string_view query, size_t limit) const {
  if (passages_.empty() || limit == 0) return {};
  // The query's distinct indexed terms, in order of first appearance. Stop
  // words and single characters are never indexed, so the lookup skips them.
  std::vector<uint32_t> matched;
  std::vector<bool> seen(postings_.size());
  const std::string lowered = LowerAscii(query);
  ForEachWord(lowered, [&](std::string_view w) {
    if (w.size() < 2) return;
    auto it = terms_.find(w);
    if (it == terms_.end() || seen[it->second]) return;
    seen[it->second] = true;
    matched.push_back(it->second);
  });
  if (matched.empty()) return {};
  // Every hit, sorted by passage and then by the term's place in the query,
  // so that a passage's score adds up in the same order always. A term's
  // postings are in passage order already, so one term needs no sort.
  struct Hit {
    uint32_t passage;
    uint32_t term;  // place in `matched`
    double weight;
  };
  std::vector<Hit> hits;
  for (uint32_t t = 0; t < matched.size(); ++t) {
    const Postings& p = postings_[matched[t]];
    for (uint32_t id : p.passages) hits.push_back({id, t, p.weight});
  }
  if (matched.size() > 1) {
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      return a.passage != b.passage ? a.passage < b.passage : a.term < b.term;
    });
  }
  std::vector<std::pair<uint32_t, double>> ranked;
  for (const Hit& hit : hits) {
    if (!ranked.empty() && ranked.back().first == hit.passage) {
      ranked.back().second += hit.weight;
    } else {
      ranked.emplace_back(hit.passage, hit.weight);
    }
  }
  auto better = [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return a.first < b.first;  // passages are in file order, then passage order
  };
  const size_t n = std::min(limit, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n), ranked.end(),
                    better);
  std::vector<Passage> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const Entry& e = passages_[ranked[i].first];
    out.push_back({files_[e.file], e.text, ranked[i].second});
  }
  return out;
}

}  // namespace herald::runtime
