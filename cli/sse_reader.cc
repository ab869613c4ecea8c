#include "cli/sse_reader.h"

namespace herald::cli {

void SseReader::Line(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.empty()) {
    Finish();
    return;
  }
  if (line.front() == ':') return;  // a comment
  std::string_view field = line.substr(0, line.find(':'));
  std::string_view value;
  if (field.size() < line.size()) {
    value = line.substr(field.size() + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "event") {
    event_ = std::string(value);
  } else if (field == "data") {
    if (has_data_) data_ += '\n';
    data_.append(value);
    has_data_ = true;
  }
}

void SseReader::Finish() {
  if (has_data_) on_event_(event_.empty() ? std::string("message") : event_, data_);
  event_.clear();
  data_.clear();
  has_data_ = false;
}

}  // namespace herald::cli
