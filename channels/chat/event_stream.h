// EventStream: server-sent events (text/event-stream) on a route's response,
// each event flushed to the client as soon as it is written.
//
// The first Send sets status 200 and the stream's headers (Content-Type
// text/event-stream, Cache-Control no-cache), so a handler can still answer
// a plain error before it. Once a flush reports the client gone, Send writes
// nothing more and returns false: the caller stops producing.
//
// One EventStream per response, used from the handler's thread only.
#ifndef HERALD_CHANNELS_CHAT_EVENT_STREAM_H_
#define HERALD_CHANNELS_CHAT_EVENT_STREAM_H_

#include <herald/sdk/host.hpp>

#include <string>
#include <string_view>

namespace herald::chat {

// One event: "event: NAME\n", a "data: " line per line of `data`, and the
// blank line that ends it. `event` must not contain a line break.
std::string SseFrame(std::string_view event, std::string_view data);

class EventStream {
 public:
  explicit EventStream(const sdk::HttpResponse& response) : response_(response) {}

  // Sends one event; false when the client has gone (now or before).
  bool Send(std::string_view event, std::string_view data);

  // Whether the status and headers have been sent (the first Send).
  bool started() const { return started_; }
  // Whether a flush found the client gone.
  bool gone() const { return gone_; }

 private:
  const sdk::HttpResponse& response_;
  bool started_ = false;
  bool gone_ = false;
};

}  // namespace herald::chat

#endif  // HERALD_CHANNELS_CHAT_EVENT_STREAM_H_
