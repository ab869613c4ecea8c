#include "herald/core/runtime/sse_parser.h"

#include <gtest/gtest.h>

#include <vector>

namespace herald::runtime {
namespace {

TEST(SseParserTest, EventsAcrossArbitraryPieces) {
  std::vector<std::string> events;
  SseParser parser([&](const std::string& data) {
    events.push_back(data);
    return true;
  });
  const std::string stream =
      ": a comment\r\ndata: {\"a\":1}\r\n\r\nevent: x\ndata: line1\ndata: line2\nid: 7\n\n"
      "data:[DONE]\n\n";
  // Every split point gives the same events.
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    events.clear();
    SseParser p([&](const std::string& data) {
      events.push_back(data);
      return true;
    });
    ASSERT_TRUE(p.Feed(stream.substr(0, cut)));
    ASSERT_TRUE(p.Feed(stream.substr(cut)));
    ASSERT_TRUE(p.Finish());
    ASSERT_EQ(events, (std::vector<std::string>{"{\"a\":1}", "line1\nline2", "[DONE]"}))
        << "cut at " << cut;
  }
  (void)parser;
}

TEST(SseParserTest, FinishHandsOverAnUnterminatedEventAndStopStops) {
  std::vector<std::string> events;
  SseParser parser([&](const std::string& data) {
    events.push_back(data);
    return data != "stop";
  });
  EXPECT_TRUE(parser.Feed("data: one\n\ndata: last"));
  EXPECT_TRUE(parser.Finish());
  EXPECT_EQ(events, (std::vector<std::string>{"one", "last"}));
  EXPECT_FALSE(parser.Feed("data: stop\n\ndata: after\n\n"));
  EXPECT_EQ(events.back(), "stop");
  EXPECT_EQ(parser.events(), 3u);
}

}  // namespace
}  // namespace herald::runtime
