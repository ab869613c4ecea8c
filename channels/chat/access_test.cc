#include "channels/chat/access.h"

#include <gtest/gtest.h>

namespace herald::chat {
namespace {

TEST(AccessTest, PublicByDefault) {
  EXPECT_EQ(AccessOf(sdk::Values{}), Access::kPublic);
  EXPECT_EQ(AccessOf(sdk::Values{{"access", "public"}}), Access::kPublic);
  EXPECT_EQ(AccessOf(sdk::Values{{"access", "sso"}}), Access::kSso);
  EXPECT_TRUE(ValidateChatSettings(sdk::Values{}).empty());
}

TEST(AccessTest, AnythingElseIsAProblemWithTheField) {
  for (const char* bad : {"", "SSO", "Public", "private", "sso "}) {
    EXPECT_EQ(AccessOf(sdk::Values{{"access", bad}}), std::nullopt) << bad;
    auto problems = ValidateChatSettings(sdk::Values{{"access", bad}});
    ASSERT_EQ(problems.size(), 1u) << bad;
    EXPECT_EQ(problems[0].field, "access");
  }
}

TEST(AccessTest, Names) {
  EXPECT_EQ(AccessName(Access::kPublic), "public");
  EXPECT_EQ(AccessName(Access::kSso), "sso");
}

}  // namespace
}  // namespace herald::chat
