#include "herald/core/log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace herald {
namespace {

TEST(FormatEventTest, PlainValuesStayBare) {
  EXPECT_EQ(FormatEvent("plugin.loaded", {{"name", "bearer"}, {"count", 3}}),
            "event=plugin.loaded name=bearer count=3");
}

TEST(FormatEventTest, QuotesAndEscapesValuesThatNeedIt) {
  EXPECT_EQ(FormatEvent("e", {{"reason", "no such file"}, {"q", "a\"b"}, {"nl", "x\ny"}}),
            "event=e reason=\"no such file\" q=\"a\\\"b\" nl=\"x\\ny\"");
  EXPECT_EQ(FormatEvent("e", {{"empty", ""}}), "event=e empty=\"\"");
}

TEST(LoggingTest, WritesEventsToTheLogFile) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("herald_log_test_" + std::to_string(::getpid()) + ".log");
  LogOptions options;
  options.to_stderr = false;
  options.file = path.string();
  std::string error;
  ASSERT_TRUE(InitLogging(options, &error)) << error;
  LogEvent(spdlog::level::info, "test.event", {{"k", "v"}});
  LogEvent(spdlog::level::debug, "test.hidden");
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("level=info event=test.event k=v"), std::string::npos) << text.str();
  EXPECT_EQ(text.str().find("test.hidden"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(LoggingTest, ReportsAnUnopenableLogFile) {
  LogOptions options;
  // A path below a regular file can never be created, even by root.
  options.file = "/dev/null/heraldd.log";
  std::string error;
  EXPECT_FALSE(InitLogging(options, &error));
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace herald
