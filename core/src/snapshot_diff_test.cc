#include "herald/core/snapshot_diff.h"

#include <gtest/gtest.h>

namespace herald {
namespace {

TEST(SnapshotDiffTest, NoChangeIsNoDifference) {
  EXPECT_TRUE(DiffSnapshots(R"({"a":1,"b":{"c":"x"}})", R"({"b":{"c":"x"},"a":1})").empty());
}

TEST(SnapshotDiffTest, NamesChangedNestedFields) {
  auto changes = DiffSnapshots(R"({"description":"old","behaviour":{"welcome_message":"hi"}})",
                               R"({"description":"new","behaviour":{"welcome_message":"hi"}})");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].path, "description");
  EXPECT_EQ(changes[0].from, "\"old\"");
  EXPECT_EQ(changes[0].to, "\"new\"");
}

TEST(SnapshotDiffTest, MatchesNamedElementsByNameNotPosition) {
  auto changes =
      DiffSnapshots(R"({"tools":[{"name":"a","connection":"x"},{"name":"b","connection":"y"}]})",
                    R"({"tools":[{"name":"b","connection":"z"},{"name":"a","connection":"x"}]})");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].path, "tools[b].connection");
}

TEST(SnapshotDiffTest, AddedAndRemovedFieldsHaveOneSideEmpty) {
  auto changes = DiffSnapshots(R"({"channels":[{"name":"chat","plugin":"chat"}]})",
                               R"({"channels":[{"name":"voice","plugin":"voice"}]})");
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].path, "channels[chat].name");
  EXPECT_FALSE(changes[0].to.has_value());
  EXPECT_EQ(changes[2].path, "channels[voice].name");
  EXPECT_FALSE(changes[2].from.has_value());
}

TEST(SnapshotDiffTest, PlainListsCompareByPositionAndEmptyContainersShow) {
  auto changes = DiffSnapshots(R"({"prompts":["a","b"],"k":[]})", R"({"prompts":["a"],"k":["x"]})");
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].path, "k");
  EXPECT_EQ(changes[0].from, "[]");
  EXPECT_EQ(changes[1].path, "k[0]");
  EXPECT_EQ(changes[2].path, "prompts[1]");
}

TEST(SnapshotDiffTest, ASecretSettingChangesAsOneFieldNamingNoValue) {
  const std::string a = R"({"channels":[{"name":"c","settings":{"token":{"$secret":"1a"}}}]})";
  const std::string b = R"({"channels":[{"name":"c","settings":{"token":{"$secret":"2b"}}}]})";
  auto changes = DiffSnapshots(a, b);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].path, "channels[c].settings.token");
  EXPECT_EQ(changes[0].from, R"({"$secret":"set"})");
  EXPECT_EQ(changes[0].to, R"({"$secret":"set"})");
  EXPECT_TRUE(DiffSnapshots(a, a).empty());
  auto added = DiffSnapshots(R"({"channels":[]})", b);
  ASSERT_EQ(added.size(), 3u);  // channels was [], and the name and the token
  for (const auto& c : added) EXPECT_EQ(c.to.value_or("").find("2b"), std::string::npos) << c.path;
}

}  // namespace
}  // namespace herald
