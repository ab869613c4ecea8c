// The helpers shared by commands, and that every built-in command registers
// and has help.
#include "cli/commands/common.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/commands/builtin.h"
#include "cli/testing/run_herald.h"

namespace herald::cli {
namespace {

TEST(CommonTest, StripTrailingNewlines) {
  EXPECT_EQ(StripTrailingNewlines("abc\n"), "abc");
  EXPECT_EQ(StripTrailingNewlines("abc\r\n\n"), "abc");
  EXPECT_EQ(StripTrailingNewlines("a\nb"), "a\nb");
  EXPECT_EQ(StripTrailingNewlines(""), "");
}

TEST(CommonTest, PrintKeyValuesAlignsValues) {
  std::ostringstream out;
  PrintKeyValues({{"A", "1"}, {"Long label", "2"}, {"Empty", ""}}, out, "  ");
  EXPECT_EQ(out.str(),
            "  A:           1\n"
            "  Long label:  2\n"
            "  Empty:\n");
}

TEST(CommonTest, PathOfEscapesEachSegment) {
  EXPECT_EQ(PathOf({"v1", "users", "a b/c"}), "/v1/users/a%20b%2Fc");
}

TEST(CommonTest, EveryBuiltinCommandRegistersAndHasHelp) {
  CommandRegistry registry;
  RegisterBuiltinCommands(registry);  // throws on a clash with the global options
  std::vector<const Command*> commands = registry.Children({});
  std::vector<std::string> names;
  for (const Command* c : commands) names.push_back(c->name);
  for (const char* expected : {"whoami",
                               "users add",
                               "users list",
                               "users remove",
                               "connections add",
                               "connections list",
                               "connections show",
                               "connections configure",
                               "connections copy-to-live",
                               "connections remove",
                               "connections set-credentials",
                               "connections clear-credentials",
                               "connections test",
                               "tools import",
                               "tools list",
                               "tools show",
                               "tools bind",
                               "tools unbind",
                               "tools remove",
                               "admin rotate-key"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
  for (const Command* c : commands) {
    std::vector<std::string> tokens = {"help"};
    std::istringstream words(c->name);
    for (std::string w; words >> w;) tokens.push_back(w);
    auto run = testing::RunHerald(tokens);
    EXPECT_EQ(run.status, 0) << c->name;
    EXPECT_EQ(run.out.rfind("Usage: herald " + c->name, 0), 0u) << run.out;
  }
}

}  // namespace
}  // namespace herald::cli
