#include "cli/command_registry.h"

#include <gtest/gtest.h>

#include "cli/commands/builtin.h"

namespace herald::cli {
namespace {

Command Named(std::string name) {
  return Command{.name = std::move(name),
                 .summary = "test",
                 .args = {},
                 .run = [](CommandContext&) { return 0; },
                 .description = ""};
}

TEST(CommandRegistryTest, FindsTheLongestMatchingName) {
  CommandRegistry registry;
  registry.Add(Named("connections"));
  registry.Add(Named("connections add"));
  registry.Add(Named("plugins"));

  auto match = registry.Find({"connections", "add", "ID"});
  ASSERT_NE(match.command, nullptr);
  EXPECT_EQ(match.command->name, "connections add");
  EXPECT_EQ(match.words, 2u);

  match = registry.Find({"connections", "list"});
  ASSERT_NE(match.command, nullptr);
  EXPECT_EQ(match.command->name, "connections");
  EXPECT_EQ(match.words, 1u);

  EXPECT_EQ(registry.Find({"users"}).command, nullptr);
  EXPECT_EQ(registry.Find({}).command, nullptr);
}

TEST(CommandRegistryTest, ChildrenListsAGroupSortedByName) {
  CommandRegistry registry;
  registry.Add(Named("users remove"));
  registry.Add(Named("users add"));
  registry.Add(Named("usersx"));
  std::vector<const Command*> children = registry.Children({"users"});
  ASSERT_EQ(children.size(), 2u);
  EXPECT_EQ(children[0]->name, "users add");
  EXPECT_EQ(children[1]->name, "users remove");
  EXPECT_EQ(registry.Children({}).size(), 3u);
  EXPECT_TRUE(registry.Children({"usersx"}).empty());
}

TEST(CommandRegistryTest, RejectsBadRegistrations) {
  CommandRegistry registry;
  registry.Add(Named("plugins"));
  EXPECT_THROW(registry.Add(Named("plugins")), std::logic_error);
  EXPECT_THROW(registry.Add(Named("")), std::logic_error);
  EXPECT_THROW(registry.Add(Named("a  b")), std::logic_error);
  EXPECT_THROW(registry.Add(Named("--x")), std::logic_error);
  Command no_run = Named("norun");
  no_run.run = nullptr;
  EXPECT_THROW(registry.Add(no_run), std::logic_error);
  Command clash = Named("clash");
  clash.args.options.push_back({.name = "server", .value_name = "URL"});
  EXPECT_THROW(registry.Add(clash), std::logic_error);
}

TEST(CommandRegistryTest, BuiltinCommandsRegister) {
  CommandRegistry registry;
  RegisterBuiltinCommands(registry);
  EXPECT_NE(registry.Find({"plugins"}).command, nullptr);
  EXPECT_NE(registry.Find({"health"}).command, nullptr);
}

}  // namespace
}  // namespace herald::cli
