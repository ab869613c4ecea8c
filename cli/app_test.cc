#include "cli/app.h"

#include <sstream>

#include <gtest/gtest.h>

#include "cli/testing/fake_heraldd.h"
#include "cli/testing/run_herald.h"
#include "cli/version.h"

namespace herald::cli {
namespace {

using testing::FakeHeraldd;
using testing::RunHerald;

TEST(AppTest, VersionAnywhere) {
  std::string expected = "herald " + std::string(Version()) + "\n";
  EXPECT_EQ(RunHerald({"--version"}).out, expected);
  EXPECT_EQ(RunHerald({"plugins", "--version"}).out, expected);
  EXPECT_EQ(RunHerald({"--version"}).status, 0);
}

TEST(AppTest, HelpListsCommandsAndGlobalOptions) {
  for (const auto& tokens : std::vector<std::vector<std::string>>{{"--help"}, {"-h"}, {"help"}}) {
    auto run = RunHerald(tokens);
    EXPECT_EQ(run.status, 0);
    EXPECT_NE(run.out.find("plugins"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("health"), std::string::npos);
    EXPECT_NE(run.out.find("--server URL"), std::string::npos);
    EXPECT_EQ(run.err, "");
  }
}

TEST(AppTest, CommandHelp) {
  for (const auto& tokens :
       std::vector<std::vector<std::string>>{{"help", "plugins"}, {"plugins", "--help"}}) {
    auto run = RunHerald(tokens);
    EXPECT_EQ(run.status, 0);
    EXPECT_EQ(run.out.rfind("Usage: herald plugins\n", 0), 0u) << run.out;
  }
}

TEST(AppTest, MissingCommandIsAUsageError) {
  auto run = RunHerald({});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, "herald: missing command\nRun 'herald --help' for usage.\n");
}

TEST(AppTest, UnknownCommandIsAUsageError) {
  auto run = RunHerald({"--json", "frobnicate", "now"});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, "herald: unknown command 'frobnicate now'\nRun 'herald --help' for usage.\n");
  EXPECT_EQ(RunHerald({"help", "frobnicate"}).status, 2);
}

TEST(AppTest, UnknownOptionIsAUsageError) {
  auto run = RunHerald({"plugins", "--bogus"});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, "herald: unknown option --bogus\nRun 'herald help plugins' for usage.\n");
  EXPECT_EQ(RunHerald({"--bogus"}).status, 2);
}

TEST(AppTest, MissingOptionValueIsAUsageError) {
  auto run = RunHerald({"plugins", "--server"});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err.rfind("herald: option --server requires a value (URL)\n", 0), 0u) << run.err;
}

TEST(AppTest, BadServerUrlIsAUsageError) {
  auto run = RunHerald({"plugins", "--server", "https://example.com"});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("invalid server URL 'https://example.com'"), std::string::npos) << run.err;
}

TEST(AppTest, UnreadableTokenFileIsAUsageError) {
  auto run = RunHerald({"plugins"}, {{"HERALD_TOKEN_FILE", "/nonexistent/herald-token"}});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("cannot read token file '/nonexistent/herald-token'"), std::string::npos)
      << run.err;
}

TEST(AppTest, GlobalOptionsBeforeOrAfterTheCommand) {
  FakeHeraldd server;
  server.On("GET", "/healthz", {.status = 200, .body = R"({"status":"ok","version":"0.1.0"})"});
  for (const auto& tokens : std::vector<std::vector<std::string>>{
           {"--server", server.url(), "--token", "t", "health"},
           {"health", "--server", server.url(), "--token=t"},
           {"--token", "t", "health", "--server=" + server.url()}}) {
    auto run = RunHerald(tokens);
    EXPECT_EQ(run.status, 0) << run.err;
  }
  for (const auto& request : server.requests()) EXPECT_EQ(request.authorization, "Bearer t");
}

// Commands with subcommands, as later ones ("connections add ID --name X") will be.
class AppGroupTest : public ::testing::Test {
 protected:
  AppGroupTest() {
    registry_.Add(Command{
        .name = "connections add",
        .summary = "Add a connection",
        .args = {.options = {{.name = "name", .value_name = "NAME", .help = "display name"}},
                 .positionals = {{.name = "ID", .arity = Arity::kRequired, .help = "its id"}}},
        .run =
            [this](CommandContext& ctx) {
              seen_ = *ctx.args.Positional("ID") + "/" + ctx.args.Value("name").value_or("-");
              ctx.out << "added\n";
              return 0;
            },
        .description = "",
    });
    registry_.Add(Command{.name = "connections list",
                          .summary = "List connections",
                          .args = {},
                          .run = [](CommandContext&) { return 0; },
                          .description = ""});
  }

  int Run(const std::vector<std::string>& tokens) {
    out_.str("");
    err_.str("");
    std::istringstream in;
    return RunCli(
        tokens, registry_, [](const std::string&) { return std::nullopt; }, in, out_, err_);
  }

  CommandRegistry registry_;
  std::ostringstream out_;
  std::ostringstream err_;
  std::string seen_;
};

TEST_F(AppGroupTest, RunsASubcommandWithItsArguments) {
  EXPECT_EQ(Run({"connections", "add", "c1", "--name", "X"}), 0) << err_.str();
  EXPECT_EQ(seen_, "c1/X");
  EXPECT_EQ(out_.str(), "added\n");
  EXPECT_EQ(Run({"--json", "connections", "add", "--name=Y", "c2"}), 0) << err_.str();
  EXPECT_EQ(seen_, "c2/Y");
}

TEST_F(AppGroupTest, MissingArgumentNamesIt) {
  EXPECT_EQ(Run({"connections", "add", "--name", "X"}), 2);
  EXPECT_EQ(err_.str(),
            "herald: missing argument ID\nRun 'herald help connections add' for usage.\n");
}

TEST_F(AppGroupTest, MissingSubcommandListsThem) {
  EXPECT_EQ(Run({"connections"}), 2);
  EXPECT_EQ(err_.str(),
            "herald: missing subcommand for 'connections' (one of: add, list)\n"
            "Run 'herald --help' for usage.\n");
}

TEST_F(AppGroupTest, UnknownSubcommand) {
  EXPECT_EQ(Run({"connections", "remove", "c1"}), 2);
  EXPECT_EQ(err_.str().rfind("herald: unknown command 'connections remove c1'\n", 0), 0u)
      << err_.str();
}

TEST_F(AppGroupTest, GroupAndSubcommandHelp) {
  EXPECT_EQ(Run({"connections", "--help"}), 0);
  EXPECT_NE(out_.str().find("connections add"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("connections list"), std::string::npos);
  EXPECT_EQ(Run({"help", "connections", "add"}), 0);
  EXPECT_NE(out_.str().find("Usage: herald connections add [OPTIONS] ID"), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("--name NAME"), std::string::npos);
  EXPECT_EQ(Run({"connections", "add", "--help"}), 0);  // no "missing argument ID"
}

}  // namespace
}  // namespace herald::cli
