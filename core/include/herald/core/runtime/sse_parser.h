// An incremental parser of a server-sent event stream (text/event-stream),
// as OpenAI-compatible servers stream a chat completion: fed the body in
// arbitrary pieces, it hands over each event's data (its `data:` lines
// joined by '\n') when the blank line ending the event arrives. Comment
// lines (':') and other fields (event:, id:, retry:) are skipped; lines may
// end in "\n" or "\r\n".
//
// Thread-safety: none; one parser per stream.
#ifndef HERALD_CORE_RUNTIME_SSE_PARSER_H_
#define HERALD_CORE_RUNTIME_SSE_PARSER_H_

#include <functional>
#include <string>
#include <string_view>

namespace herald::runtime {

class SseParser {
 public:
  // Returns false to stop: Feed then returns false too.
  using EventHandler = std::function<bool(const std::string& data)>;

  explicit SseParser(EventHandler on_event) : on_event_(std::move(on_event)) {}

  // False when the handler asked to stop.
  bool Feed(std::string_view piece);
  // Ends the stream: an event not yet ended by a blank line is handed over.
  bool Finish();
  // How many events were handed over.
  size_t events() const { return events_; }

 private:
  bool Line(std::string_view line);
  bool Dispatch();

  EventHandler on_event_;
  std::string partial_;  // an unfinished line
  std::string data_;
  bool has_data_ = false;
  size_t events_ = 0;
};

}  // namespace herald::runtime

#endif  // HERALD_CORE_RUNTIME_SSE_PARSER_H_
