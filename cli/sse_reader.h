// SseReader: turns the lines of a text/event-stream body into events, as the
// lines arrive (ApiRequest::on_body_line feeds it).
//
// Follows the event-stream format as far as Herald uses it: "event: NAME"
// names the event, each "data: ..." line adds a line to its data (joined with
// "\n"), a blank line dispatches it ("message" when unnamed); comment lines
// (":...") and other fields are ignored. Not thread-safe.
#ifndef HERALD_CLI_SSE_READER_H_
#define HERALD_CLI_SSE_READER_H_

#include <functional>
#include <string>
#include <string_view>

namespace herald::cli {

class SseReader {
 public:
  using Handler = std::function<void(const std::string& event, const std::string& data)>;

  explicit SseReader(Handler on_event) : on_event_(std::move(on_event)) {}

  // One line, with or without its line ending.
  void Line(std::string_view line);

  // Dispatches an event whose blank line never came (the stream ended).
  void Finish();

 private:
  Handler on_event_;
  std::string event_;
  std::string data_;
  bool has_data_ = false;
};

}  // namespace herald::cli

#endif  // HERALD_CLI_SSE_READER_H_
