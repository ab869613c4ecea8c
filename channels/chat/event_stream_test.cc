#include "channels/chat/event_stream.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace herald::chat {
namespace {

TEST(SseFrameTest, OneLine) {
  EXPECT_EQ(SseFrame("delta", R"({"text":"hi"})"), "event: delta\ndata: {\"text\":\"hi\"}\n\n");
  EXPECT_EQ(SseFrame("ping", ""), "event: ping\ndata: \n\n");
}

TEST(SseFrameTest, EveryLineOfTheDataOnItsOwnDataLine) {
  EXPECT_EQ(SseFrame("x", "a\nb\r\nc\rd"), "event: x\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  EXPECT_EQ(SseFrame("x", "a\n"), "event: x\ndata: a\ndata: \n\n");
}

// A response that records what it is told and loses its client after
// `flushes_ok` flushes.
struct Recorder {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string pending;
  std::vector<std::string> sent;
  size_t flushes_ok = 100;
  herald_http_response table{};

  Recorder() {
    table.struct_size = sizeof(table);
    table.ctx = this;
    table.set_status = [](void* c, int s) { static_cast<Recorder*>(c)->status = s; };
    table.add_header = [](void* c, herald_str n, herald_str v) {
      static_cast<Recorder*>(c)->headers.emplace_back(sdk::ToView(n), sdk::ToView(v));
    };
    table.write = [](void* c, herald_str d) {
      static_cast<Recorder*>(c)->pending.append(sdk::ToView(d));
    };
    table.flush = [](void* c) -> int {
      auto* r = static_cast<Recorder*>(c);
      if (r->sent.size() >= r->flushes_ok) return 0;
      r->sent.push_back(std::move(r->pending));
      r->pending.clear();
      return 1;
    };
  }
};

TEST(EventStreamTest, HeadersWithTheFirstEventThenOneFlushPerEvent) {
  Recorder recorder;
  sdk::HttpResponse response(&recorder.table);
  EventStream stream(response);
  EXPECT_FALSE(stream.started());
  EXPECT_TRUE(stream.Send("begin", "{}"));
  EXPECT_TRUE(stream.started());
  EXPECT_TRUE(stream.Send("end", "{}"));
  EXPECT_EQ(recorder.status, 200);
  EXPECT_EQ(recorder.headers,
            (std::vector<std::pair<std::string, std::string>>{{"Content-Type", "text/event-stream"},
                                                              {"Cache-Control", "no-cache"}}));
  EXPECT_EQ(recorder.sent,
            (std::vector<std::string>{"event: begin\ndata: {}\n\n", "event: end\ndata: {}\n\n"}));
}

TEST(EventStreamTest, NothingMoreOnceTheClientHasGone) {
  Recorder recorder;
  recorder.flushes_ok = 1;
  sdk::HttpResponse response(&recorder.table);
  EventStream stream(response);
  EXPECT_TRUE(stream.Send("begin", "{}"));
  EXPECT_FALSE(stream.Send("delta", "1"));
  EXPECT_TRUE(stream.gone());
  recorder.pending.clear();
  EXPECT_FALSE(stream.Send("delta", "2"));
  EXPECT_EQ(recorder.pending, "");  // not even written
  EXPECT_EQ(recorder.sent.size(), 1u);
}

}  // namespace
}  // namespace herald::chat
