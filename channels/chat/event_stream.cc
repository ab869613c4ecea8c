#include "channels/chat/event_stream.h"

namespace herald::chat {

std::string SseFrame(std::string_view event, std::string_view data) {
  std::string out;
  out.reserve(event.size() + data.size() + 16);
  out.append("event: ").append(event).append("\n");
  // Each line of the data on its own "data:" line; a client joins them with
  // "\n". \r\n, \r and \n all end a line in the event-stream format.
  size_t start = 0;
  while (true) {
    size_t end = data.find_first_of("\r\n", start);
    out.append("data: ").append(data.substr(start, end - start)).append("\n");
    if (end == std::string_view::npos) break;
    start = end + (data.compare(end, 2, "\r\n") == 0 ? 2 : 1);
  }
  out.append("\n");
  return out;
}

bool EventStream::Send(std::string_view event, std::string_view data) {
  if (gone_) return false;
  if (!started_) {
    started_ = true;
    response_.SetStatus(200);
    response_.AddHeader("Content-Type", "text/event-stream");
    response_.AddHeader("Cache-Control", "no-cache");
  }
  response_.Write(SseFrame(event, data));
  if (!response_.Flush()) gone_ = true;
  return !gone_;
}

}  // namespace herald::chat
