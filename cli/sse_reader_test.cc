#include "cli/sse_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace herald::cli {
namespace {

using Events = std::vector<std::pair<std::string, std::string>>;

Events Read(const std::vector<std::string>& lines, bool finish = true) {
  Events events;
  SseReader reader([&](const std::string& e, const std::string& d) { events.emplace_back(e, d); });
  for (const auto& l : lines) reader.Line(l);
  if (finish) reader.Finish();
  return events;
}

TEST(SseReaderTest, EventsAsTheirBlankLinesArrive) {
  EXPECT_EQ(Read({"event: begin\n", "data: {\"version\":3}\n", "\n", "event: delta\n",
                  "data: {\"text\":\"hi\"}\n", "\n"}),
            (Events{{"begin", "{\"version\":3}"}, {"delta", "{\"text\":\"hi\"}"}}));
}

TEST(SseReaderTest, DataLinesJoinedAndCrLfEndings) {
  EXPECT_EQ(Read({"event:x\r\n", "data: a\r\n", "data:b\r\n", "\r\n"}), (Events{{"x", "a\nb"}}));
}

TEST(SseReaderTest, CommentsIgnoredUnnamedIsMessage) {
  EXPECT_EQ(Read({": keep-alive\n", "\n", "id: 7\n", "data: x\n", "\n"}),
            (Events{{"message", "x"}}));
}

TEST(SseReaderTest, FinishDispatchesAnUnterminatedEvent) {
  EXPECT_EQ(Read({"event: end\n", "data: {}"}, /*finish=*/false), Events{});
  EXPECT_EQ(Read({"event: end\n", "data: {}"}), (Events{{"end", "{}"}}));
  EXPECT_EQ(Read({"event: lonely\n", "\n"}), Events{});  // no data: no event
}

}  // namespace
}  // namespace herald::cli
