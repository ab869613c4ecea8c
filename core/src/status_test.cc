#include "herald/core/status.h"

#include <gtest/gtest.h>

#include <memory>

namespace herald {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, CarriesCodeAndMessage) {
  Status s = Status::NotFound("agent 'x' does not exist");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.ToString(), "not_found: agent 'x' does not exist");
}

TEST(StatusTest, WithContextPrefixesTheMessageOnly) {
  Status s = Status::InvalidArgument("bad").WithContext("file.yaml");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "file.yaml: bad");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

TEST(StatusTest, EveryCodeHasAStableName) {
  EXPECT_EQ(StatusCodeName(StatusCode::kInvalidArgument), "invalid_argument");
  EXPECT_EQ(StatusCodeName(StatusCode::kPermissionDenied), "permission_denied");
  EXPECT_EQ(StatusCodeName(StatusCode::kPayloadTooLarge), "payload_too_large");
}

TEST(StatusOrTest, HoldsValueOrError) {
  StatusOr<std::unique_ptr<int>> value = std::make_unique<int>(7);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(**value, 7);
  std::unique_ptr<int> moved = std::move(value).value();
  EXPECT_EQ(*moved, 7);

  StatusOr<int> error = Status::Unavailable("down");
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.status().code(), StatusCode::kUnavailable);
}

Status FailsThenNotReached(bool* reached) {
  HERALD_RETURN_IF_ERROR(Status::Internal("first"));
  *reached = true;
  return Status::Ok();
}

TEST(StatusTest, ReturnIfErrorStopsAtTheFirstError) {
  bool reached = false;
  EXPECT_EQ(FailsThenNotReached(&reached).message(), "first");
  EXPECT_FALSE(reached);
}

}  // namespace
}  // namespace herald
