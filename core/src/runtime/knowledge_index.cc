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

}  // namespace

std::vector<std::string> Terms(std::string_view text) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  std::string word;
  auto end_word = [&] {
    if (word.size() >= 2 && !IsStopWord(word) && seen.insert(word).second) out.push_back(word);
    word.clear();
  };
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (IsWordByte(c)) {
      word += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : ch;
    } else {
      end_word();
    }
  }
  end_word();
  return out;
}

KnowledgeIndex::KnowledgeIndex(const std::vector<std::pair<std::string, std::string>>& files) {
  for (const auto& [name, text] : files) {
    const auto file = static_cast<uint32_t>(files_.size());
    files_.push_back(name);
    for (std::string& p : Paragraphs(text)) {
      const auto id = static_cast<uint32_t>(passages_.size());
      for (const std::string& term : Terms(p)) postings_[term].push_back(id);
      bytes_ += p.size();
      passages_.push_back({file, std::move(p)});
    }
  }
}

std::vector<Passage> KnowledgeIndex::Search(std::string_view query, size_t limit) const {
  if (passages_.empty() || limit == 0) return {};
  std::unordered_map<uint32_t, double> scores;
  const double n = static_cast<double>(passages_.size());
  for (const std::string& term : Terms(query)) {
    auto it = postings_.find(term);
    if (it == postings_.end()) continue;
    const double weight = std::log(1.0 + n / static_cast<double>(it->second.size()));
    for (uint32_t id : it->second) scores[id] += weight;
  }
  std::vector<std::pair<uint32_t, double>> ranked(scores.begin(), scores.end());
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return a.first < b.first;  // passages are in file order, then passage order
  });
  std::vector<Passage> out;
  for (size_t i = 0; i < ranked.size() && out.size() < limit; ++i) {
    const Entry& e = passages_[ranked[i].first];
    out.push_back({files_[e.file], e.text, ranked[i].second});
  }
  return out;
}

}  // namespace herald::runtime
