#include "cli/args.h"

#include <gtest/gtest.h>

namespace herald::cli {
namespace {

ArgSpec TestSpec() {
  return ArgSpec{
      .options =
          {
              {.name = "name", .value_name = "NAME", .help = "a name"},
              {.name = "tag", .value_name = "TAG", .help = "a tag", .repeatable = true},
              {.name = "force", .help = "a flag"},
              {.name = "help", .help = "help", .short_name = 'h'},
              {.name = "out", .value_name = "FILE", .help = "output", .short_name = 'o'},
          },
      .positionals =
          {
              {.name = "ID", .arity = Arity::kRequired},
              {.name = "EXTRA", .arity = Arity::kOptional},
          },
  };
}

TEST(ArgsTest, PositionalsAndOptionsInAnyOrder) {
  ParsedArgs args = ParseArgs({"--name", "x", "abc", "--force", "def"}, TestSpec());
  EXPECT_EQ(args.Positional("ID"), "abc");
  EXPECT_EQ(args.Positional("EXTRA"), "def");
  EXPECT_EQ(args.Value("name"), "x");
  EXPECT_TRUE(args.Flag("force"));
  EXPECT_FALSE(args.Flag("help"));
  EXPECT_EQ(args.positionals(), (std::vector<std::string>{"abc", "def"}));
}

TEST(ArgsTest, EqualsFormAllowsEmptyAndDashValues) {
  ParsedArgs args = ParseArgs({"--name=--weird=value", "id"}, TestSpec());
  EXPECT_EQ(args.Value("name"), "--weird=value");
  EXPECT_EQ(ParseArgs({"--name=", "id"}, TestSpec()).Value("name"), "");
}

TEST(ArgsTest, AbsentOptionalValuesAreNullopt) {
  ParsedArgs args = ParseArgs({"id"}, TestSpec());
  EXPECT_EQ(args.Value("name"), std::nullopt);
  EXPECT_EQ(args.Positional("EXTRA"), std::nullopt);
  EXPECT_TRUE(args.Values("tag").empty());
}

TEST(ArgsTest, RepeatableOptionKeepsAllValuesInOrder) {
  ParsedArgs args = ParseArgs({"--tag", "a", "id", "--tag=b", "--tag", "c"}, TestSpec());
  EXPECT_EQ(args.Values("tag"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(args.Value("tag"), "c");
}

TEST(ArgsTest, NonRepeatableOptionGivenTwiceIsAnError) {
  EXPECT_THROW(ParseArgs({"--name", "a", "--name", "b", "id"}, TestSpec()), UsageError);
}

TEST(ArgsTest, BooleanFlagGivenTwiceIsFine) {
  EXPECT_TRUE(ParseArgs({"--force", "--force", "id"}, TestSpec()).Flag("force"));
}

TEST(ArgsTest, ShortAliases) {
  ParsedArgs args = ParseArgs({"-h", "-o", "file.txt", "id"}, TestSpec());
  EXPECT_TRUE(args.Flag("help"));
  EXPECT_EQ(args.Value("out"), "file.txt");
}

TEST(ArgsTest, DoubleDashEndsOptions) {
  ParsedArgs args = ParseArgs({"--", "--force", "-h"}, TestSpec());
  EXPECT_FALSE(args.Flag("force"));
  EXPECT_EQ(args.Positional("ID"), "--force");
  EXPECT_EQ(args.Positional("EXTRA"), "-h");
}

TEST(ArgsTest, LoneDashIsPositional) {
  EXPECT_EQ(ParseArgs({"-"}, TestSpec()).Positional("ID"), "-");
}

// Each bad command line, with the message the user sees.
struct BadCase {
  std::string name;  // names the test case
  std::vector<std::string> tokens;
  std::string message;
};

// Test names show the case's name instead of its bytes.
void PrintTo(const BadCase& bad_case, std::ostream* os) { *os << bad_case.name; }

class ArgsErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ArgsErrorTest, ThrowsUsageErrorSayingWhat) {
  try {
    ParseArgs(GetParam().tokens, TestSpec());
    FAIL() << "no UsageError";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), GetParam().message);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Messages, ArgsErrorTest,
    ::testing::Values(BadCase{.name = "UnknownOption",
                              .tokens = {"id", "--bogus"},
                              .message = "unknown option --bogus"},
                      BadCase{.name = "UnknownOptionWithValue",
                              .tokens = {"id", "--bogus=1"},
                              .message = "unknown option --bogus"},
                      BadCase{.name = "UnknownShortOption",
                              .tokens = {"id", "-x"},
                              .message = "unknown option -x"},
                      BadCase{.name = "ValueMissingAtEnd",
                              .tokens = {"id", "--name"},
                              .message = "option --name requires a value (NAME)"},
                      BadCase{.name = "ValueMissingBeforeOption",
                              .tokens = {"id", "--name", "--force"},
                              .message = "option --name requires a value (NAME)"},
                      BadCase{.name = "ValueForFlag",
                              .tokens = {"id", "--force=yes"},
                              .message = "option --force takes no value"},
                      BadCase{.name = "MissingPositional",
                              .tokens = {"--force"},
                              .message = "missing argument ID"},
                      BadCase{.name = "ExtraPositional",
                              .tokens = {"a", "b", "c"},
                              .message = "unexpected argument 'c'"},
                      BadCase{.name = "OptionGivenTwice",
                              .tokens = {"id", "--name", "a", "--name=b"},
                              .message = "option --name given more than once"}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return info.param.name; });

TEST(ArgsTest, VariadicTakesTheRest) {
  ArgSpec spec{.options = {},
               .positionals = {{.name = "ID"}, {.name = "FILES", .arity = Arity::kVariadic}}};
  ParsedArgs args = ParseArgs({"x", "a", "b"}, spec);
  EXPECT_EQ(args.Positionals("FILES"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(args.Positional("FILES"), "a");
  EXPECT_TRUE(ParseArgs({"x"}, spec).Positionals("FILES").empty());
}

TEST(ArgsTest, LookingUpAnUndeclaredNameIsAProgrammingError) {
  ParsedArgs args = ParseArgs({"id"}, TestSpec());
  EXPECT_THROW(args.Flag("forse"), std::logic_error);
  EXPECT_THROW(args.Flag("name"), std::logic_error);  // a value option, not a flag
  EXPECT_THROW(args.Value("force"), std::logic_error);
  EXPECT_THROW(args.Positional("NAME"), std::logic_error);
}

TEST(ArgsTest, InvalidSpecsAreProgrammingErrors) {
  EXPECT_THROW(ParseArgs({}, ArgSpec{.options = {{.name = "a"}, {.name = "a"}}, .positionals = {}}),
               std::logic_error);
  EXPECT_THROW(ParseArgs({}, ArgSpec{.options = {},
                                     .positionals = {{.name = "A", .arity = Arity::kOptional},
                                                     {.name = "B"}}}),
               std::logic_error);
  EXPECT_THROW(ParseArgs({}, ArgSpec{.options = {},
                                     .positionals = {{.name = "A", .arity = Arity::kVariadic},
                                                     {.name = "B", .arity = Arity::kOptional}}}),
               std::logic_error);
}

TEST(ArgsTest, MergeSpecsRejectsClashes) {
  ArgSpec global{.options = {{.name = "json"}, {.name = "help", .short_name = 'h'}},
                 .positionals = {}};
  ArgSpec merged =
      MergeSpecs(global, ArgSpec{.options = {{.name = "force"}}, .positionals = {{.name = "ID"}}});
  EXPECT_EQ(merged.options.size(), 3u);
  EXPECT_EQ(merged.positionals.size(), 1u);
  EXPECT_THROW(MergeSpecs(global, ArgSpec{.options = {{.name = "json"}}, .positionals = {}}),
               std::logic_error);
  EXPECT_THROW(MergeSpecs(global, ArgSpec{.options = {{.name = "hat", .short_name = 'h'}},
                                          .positionals = {}}),
               std::logic_error);
}

TEST(ArgsTest, LeadingPositionalsSkipKnownOptionsAndStopAtUnknownOnes) {
  ArgSpec global{.options = {{.name = "server", .value_name = "URL"}, {.name = "json"}},
                 .positionals = {}};
  std::vector<std::string> tokens = {"--server", "http://x", "connections", "--json",
                                     "add",      "--name",   "N",           "id"};
  EXPECT_EQ(LeadingPositionals(tokens, global), (std::vector<std::size_t>{2, 4}));
  EXPECT_EQ(LeadingPositionals({"--server=http://x", "plugins"}, global),
            (std::vector<std::size_t>{1}));
  EXPECT_EQ(LeadingPositionals({"a", "--", "b"}, global), (std::vector<std::size_t>{0}));
  EXPECT_TRUE(LeadingPositionals({}, global).empty());
  // A value-less "--server" before an option takes no value, as in ParseArgs.
  EXPECT_EQ(LeadingPositionals({"--server", "--json", "plugins"}, global),
            (std::vector<std::size_t>{2}));
}

}  // namespace
}  // namespace herald::cli
