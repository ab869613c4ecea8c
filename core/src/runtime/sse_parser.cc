#include "herald/core/runtime/sse_parser.h"

namespace herald::runtime {

bool SseParser::Feed(std::string_view piece) {
  size_t start = 0;
  while (start < piece.size()) {
    size_t nl = piece.find('\n', start);
    if (nl == std::string_view::npos) {
      partial_.append(piece.substr(start));
      break;
    }
    std::string_view line = piece.substr(start, nl - start);
    bool ok;
    if (!partial_.empty()) {
      partial_.append(line);
      std::string whole = std::move(partial_);
      partial_.clear();
      ok = Line(whole);
    } else {
      ok = Line(line);
    }
    if (!ok) return false;
    start = nl + 1;
  }
  return true;
}

bool SseParser::Finish() {
  if (!partial_.empty()) {
    std::string last = std::move(partial_);
    partial_.clear();
    if (!Line(last)) return false;
  }
  return Dispatch();
}

bool SseParser::Line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return Dispatch();
  if (line.front() == ':') return true;
  size_t colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  if (field != "data") return true;
  std::string_view value =
      colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (has_data_) data_ += '\n';
  data_.append(value);
  has_data_ = true;
  return true;
}

bool SseParser::Dispatch() {
  if (!has_data_) return true;
  std::string data = std::move(data_);
  data_.clear();
  has_data_ = false;
  ++events_;
  return on_event_(data);
}

}  // namespace herald::runtime
