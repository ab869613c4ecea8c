#include "channels/chat/host_errors.h"

#include <gtest/gtest.h>

namespace herald::chat {
namespace {

TEST(HostErrorsTest, MapsEveryStatus) {
  struct Case {
    herald_status status;
    int http;
    const char* code;
  };
  for (const Case& c : {Case{HERALD_STATUS_NOT_FOUND, 404, "not_found"},
                        Case{HERALD_STATUS_INVALID_ARGUMENT, 400, "invalid_argument"},
                        Case{HERALD_STATUS_PERMISSION_DENIED, 403, "permission_denied"},
                        Case{HERALD_STATUS_UNAVAILABLE, 503, "unavailable"},
                        Case{HERALD_STATUS_TIMEOUT, 504, "deadline_exceeded"},
                        Case{HERALD_STATUS_ERROR, 500, "internal"},
                        Case{HERALD_STATUS_UNSUPPORTED, 500, "internal"}}) {
    HttpError e = HttpErrorFor(sdk::HostResult{c.status, "the host says"});
    EXPECT_EQ(e.status, c.http) << c.code;
    EXPECT_EQ(e.code, c.code);
    EXPECT_EQ(e.message, "the host says");
  }
}

TEST(HostErrorsTest, DefaultMessageWhenTheHostGaveNone) {
  HttpError e = HttpErrorFor(sdk::HostResult{HERALD_STATUS_UNAVAILABLE, ""});
  EXPECT_EQ(e.status, 503);
  EXPECT_FALSE(e.message.empty());
}

}  // namespace
}  // namespace herald::chat
