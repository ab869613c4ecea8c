// The helpers shared by commands, and that every built-in command registers
// and has help.
#include "cli/commands/common.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "cli/commands/builtin.h"
#include "cli/testing/run_herald.h"
#include "cli/testing/temp_file.h"

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

TEST(CommonTest, CompactAndPrettyJson) {
  Poco::Dynamic::Var value = Poco::JSON::Parser().parse(
      R"({"b":[1,{"c":null}],"a":"x/\"y\"","e":{},"f":[],"g":true,"h":1.5})");
  EXPECT_EQ(CompactJson(value),
            R"({"a":"x/\"y\"","b":[1,{"c":null}],"e":{},"f":[],"g":true,"h":1.5})");
  EXPECT_EQ(CompactJson(Poco::Dynamic::Var()), "");
  EXPECT_EQ(PrettyJson(value),
            "{\n"
            "  \"a\": \"x/\\\"y\\\"\",\n"
            "  \"b\": [\n"
            "    1,\n"
            "    {\n"
            "      \"c\": null\n"
            "    }\n"
            "  ],\n"
            "  \"e\": {},\n"
            "  \"f\": [],\n"
            "  \"g\": true,\n"
            "  \"h\": 1.5\n"
            "}");
  EXPECT_EQ(PrettyJson(Poco::Dynamic::Var(std::string("s"))), "\"s\"");
}

TEST(CommonTest, WriteFileOrThrowWritesBytesOrSaysWhy) {
  testing::TempFile dir("placeholder", "");
  const std::string path = dir.dir() + "/out.bin";
  const std::string bytes("a\0b\n", 4);
  WriteFileOrThrow(path, bytes, "output file");
  EXPECT_EQ(ReadFileOrThrow(path, "file"), bytes);
  try {
    WriteFileOrThrow(dir.dir() + "/missing/out.bin", bytes, "output file");
    ADD_FAILURE() << "no UsageError";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write output file '" + dir.dir() +
                                         "/missing/out.bin': No such file or directory");
  }
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
                               "admin rotate-key",
                               "agents create",
                               "agents list",
                               "agents show",
                               "agents set",
                               "agents remove",
                               "agents history",
                               "agents knowledge upload",
                               "agents knowledge list",
                               "agents knowledge download",
                               "agents knowledge remove",
                               "agents add-tool",
                               "agents remove-tool",
                               "agents share",
                               "agents unshare",
                               "agents set-channel",
                               "agents remove-channel",
                               "apply",
                               "export",
                               "summary",
                               "deploy",
                               "undeploy",
                               "rollback",
                               "versions",
                               "diff",
                               "deployments",
                               "search"}) {
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
