#include "herald/core/utf8.h"

#include <gtest/gtest.h>

namespace herald {
namespace {

TEST(FirstNonUtf8ByteTest, AcceptsWellFormedText) {
  for (std::string_view text : {"", "plain", "caf\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac",
                                "\xf0\x9f\x98\x80 smile", "\xf4\x8f\xbf\xbf", "\xef\xbf\xbf"}) {
    EXPECT_EQ(FirstNonUtf8Byte(text), std::nullopt) << text;
  }
}

TEST(FirstNonUtf8ByteTest, NamesTheFirstBadByte) {
  EXPECT_EQ(FirstNonUtf8Byte("caf\xff"), 3u);
  EXPECT_EQ(FirstNonUtf8Byte("a\xc0\x80"), 1u);            // overlong NUL
  EXPECT_EQ(FirstNonUtf8Byte("ab\xed\xa0\x80"), 2u);       // a surrogate
  EXPECT_EQ(FirstNonUtf8Byte("\xf4\x90\x80\x80"), 0u);     // past U+10FFFF
  EXPECT_EQ(FirstNonUtf8Byte("ok \xe6\x97"), 3u);          // cut short
  EXPECT_EQ(FirstNonUtf8Byte("\xc3\xa9\x80"), 2u);         // a lone continuation
  EXPECT_EQ(FirstNonUtf8Byte("\xe6\x97\xa5x\xe6(x"), 4u);  // a bad second byte
}

}  // namespace
}  // namespace herald
