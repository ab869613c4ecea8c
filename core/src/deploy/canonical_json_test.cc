#include "deploy/canonical_json.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>

#include "deploy/random_json_test_util.h"
#include "herald/core/json_text.h"

namespace herald::deploy {
namespace {

using testing::PocoRoundTrip;
using testing::PocoSettings;
using testing::RandomJson;

std::string PocoString(const std::string& text) { return CompactJson(Poco::Dynamic::Var(text)); }

std::string Written(const std::string& text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

// {"a":<value>} as text.
std::string Member(const std::string& value) { return "{\"a\":" + value + "}"; }

TEST(AppendJsonStringTest, WritesEveryByteAsPocoDoes) {
  EXPECT_EQ(Written(""), PocoString(""));
  for (int c = 0; c < 256; ++c) {
    const std::string one(1, static_cast<char>(c));
    EXPECT_EQ(Written(one), PocoString(one)) << "byte " << c;
    EXPECT_EQ(Written("ab" + one + "cd" + one), PocoString("ab" + one + "cd" + one)) << c;
  }
  // Each byte at each place of text long enough to be read eight bytes at
  // a time.
  for (int c = 0; c < 256; ++c) {
    for (size_t at = 0; at < 20; ++at) {
      std::string text = "0123456789abcdefghij";
      text[at] = static_cast<char>(c);
      ASSERT_EQ(Written(text), PocoString(text)) << "byte " << c << " at " << at;
    }
  }
  const std::string awkward = "say \"hi\" \\ a/b\n\ttab caf\xc3\xa9 \xf0\x9f\x98\x80 \xff\xc3";
  EXPECT_EQ(Written(awkward), PocoString(awkward));
}

TEST(AppendJsonNumberTest, WritesIntegersAsPocoDoes) {
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{102400}, int64_t{-9999999999},
                    std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}) {
    std::string out;
    AppendJsonInt(out, v);
    EXPECT_EQ(out, Poco::Dynamic::Var(v).convert<std::string>());
  }
}

TEST(AppendJsonNumberTest, WritesDoublesAsPocoDoes) {
  const std::pair<double, const char*> known[] = {
      {1, "1"}, {1.5, "1.5"}, {0.1, "0.1"}, {2.25, "2.25"}, {0, "0"}, {-0.0, "0"}, {1e21, "1e+21"}};
  for (const auto& [value, text] : known) {
    std::string out;
    AppendJsonDouble(out, value);
    EXPECT_EQ(out, text);
  }
  RandomJson random(7);
  std::vector<double> values = {std::numeric_limits<double>::infinity(),
                                -std::numeric_limits<double>::infinity(),
                                std::numeric_limits<double>::quiet_NaN(),
                                std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::max(),
                                1e-7,
                                0.75,
                                3.0};
  for (int i = 0; i < 20000; ++i) values.push_back(random.Double());
  for (double v : values) {
    std::string out;
    AppendJsonDouble(out, v);
    EXPECT_EQ(out, Poco::Dynamic::Var(v).convert<std::string>());
  }
}

// The check must never accept text that Poco would write otherwise; and it
// should accept what Poco writes, or nothing would be saved.
TEST(IsCanonicalJsonObjectTest, AcceptsOnlyWhatPocoWritesBack) {
  const char* texts[] = {"{}", R"({"a":1})", R"({"a":1,"b":[true,false,null,{}],"c":{"d":"e"}})",
                         R"({"a":"x\u001Fy\u0000\b\f\n\r\t\"\\"})",
                         "{\"a\":\"\xc3\xa9\xf0\x9f\x98\x80\"}"};
  for (const char* t : texts) {
    EXPECT_TRUE(IsCanonicalJsonObject(t)) << t;
    EXPECT_EQ(PocoRoundTrip(t), t);
  }
  const char* refused[] = {"",
                           "[]",
                           "1",
                           "{} ",
                           " {}",
                           R"({"a": 1})",
                           R"({"b":1,"a":2})",
                           R"({"a":1,"a":2})",
                           R"({"a":"\u001f"})",
                           R"({"a":"\u0041"})",
                           R"({"a":"\/"})",
                           R"({"a":"\u00e9"})",
                           R"({"a":-0})",
                           R"({"a":1.0})",
                           R"({"a":1e2})",
                           R"({"a":01})",
                           R"({"a":9223372036854775808})",
                           "{\"a\":\"\xff\"}",
                           "{\"a\":\"\xed\xa0\x80\"}",
                           "{\"a\":\"\t\"}",
                           R"({"\u0061":1})",
                           R"({"a":tru})",
                           R"({"a":1,})",
                           R"({"a":[1,]})",
                           R"({"a":1}{)"};
  for (const char* t : refused) EXPECT_FALSE(IsCanonicalJsonObject(t)) << t;
}

TEST(IsCanonicalJsonObjectTest, KnowsEveryEscapePocoWrites) {
  for (int v = 0; v < 0x80; ++v) {
    for (const char* format : {"\\u%04x", "\\u%04X"}) {
      char escape[8];
      std::snprintf(escape, sizeof escape, format, v);
      const std::string t = Member(std::string("\"") + escape + "\"");
      EXPECT_EQ(IsCanonicalJsonObject(t), PocoRoundTrip(t) == t) << t;
    }
  }
  for (char c : std::string("bfnrt\"\\/aux0")) {
    const std::string t = Member(std::string("\"\\") + c + "\"");
    EXPECT_EQ(IsCanonicalJsonObject(t), PocoRoundTrip(t) == t) << t;
  }
}

TEST(IsCanonicalJsonObjectTest, KnowsWhichUtf8PocoReads) {
  for (int lead = 0x80; lead < 0x100; ++lead) {
    for (int second = 0; second < 0x100; ++second) {
      for (const char* tail : {"", "\x80", "\xbf\x80", "A"}) {
        const std::string bytes =
            std::string(1, static_cast<char>(lead)) + static_cast<char>(second) + tail;
        const std::string t = Member("\"" + bytes + "\"");
        ASSERT_EQ(IsCanonicalJsonObject(t), PocoRoundTrip(t) == t)
            << std::hex << lead << " " << second << " " << tail;
      }
    }
  }
}

TEST(IsCanonicalJsonObjectTest, KnowsWhichNumbersPocoWritesBack) {
  std::vector<std::string> numbers = {"0",
                                      "-0",
                                      "1",
                                      "-1",
                                      "10",
                                      "1.5",
                                      "0.1",
                                      "2.25",
                                      "1.0",
                                      "1e2",
                                      "1E2",
                                      "1e+21",
                                      "1e21",
                                      "1E+21",
                                      "-0.0",
                                      "0.0",
                                      "1.50",
                                      "1e-7",
                                      "0.0000001",
                                      "1e+300",
                                      "1e400",
                                      "5e-324",
                                      "0.30000000000000004",
                                      "123456789012345678",
                                      "-123456789012345678",
                                      "1234567890123456789",
                                      "9223372036854775807",
                                      "-9223372036854775808",
                                      "18446744073709551616",
                                      "1e+15",
                                      "1000000000000000",
                                      "1e+16"};
  RandomJson random(11);
  for (int i = 0; i < 3000; ++i) {
    numbers.push_back(Poco::Dynamic::Var(random.Double()).convert<std::string>());
    numbers.push_back(std::to_string(random.Integer()));
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*g", 1 + random.Below(17), random.Double());
    numbers.push_back(buffer);
  }
  for (const std::string& n : numbers) {
    const std::string t = Member(n);
    const bool accepted = IsCanonicalJsonObject(t);
    const bool written_back = PocoRoundTrip(t) == t;
    if (accepted) {
      EXPECT_TRUE(written_back) << t;
    }
    // Integers of more than 18 digits (15 when negative) are left to Poco,
    // written back or not.
    const bool negative = n[0] == '-';
    const bool long_integer = n.find_first_of(".eE") == std::string::npos &&
                              n.size() - (negative ? 1 : 0) > (negative ? 15u : 18u);
    if (!long_integer) {
      EXPECT_EQ(accepted, written_back) << t;
    }
  }
}

TEST(IsCanonicalJsonObjectTest, NeverAcceptsWhatPocoWritesOtherwise) {
  RandomJson random(2026);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string canonical = CompactJson(random.Object(3));
    for (const std::string& t :
         {canonical, random.Mutated(canonical), random.Mutated(random.Mutated(canonical))}) {
      if (IsCanonicalJsonObject(t)) {
        ++accepted;
        ASSERT_EQ(PocoRoundTrip(t), t);
      }
      ASSERT_EQ(CanonicalJson(t), PocoSettings(t)) << t;
    }
  }
  EXPECT_GT(accepted, 5000);  // not vacuous
}

TEST(IsCanonicalJsonObjectTest, AcceptsWhatPocoWrites) {
  RandomJson random(4);
  random.set_canonical_only(true);
  for (int i = 0; i < 20000; ++i) {
    const std::string t = CompactJson(random.Object(3));
    ASSERT_EQ(PocoRoundTrip(t), t);
    ASSERT_TRUE(IsCanonicalJsonObject(t)) << t;
  }
}

// Why stored settings are checked rather than trusted: every path that
// stores them writes Poco's condensed text of an object, but not every such
// text reads back as itself. A negative integer beyond 2^53 (from YAML, say)
// is written exactly and read back through a double.
TEST(CanonicalJsonTest, PocosOwnTextIsNotAlwaysCanonical) {
  Poco::JSON::Object::Ptr settings = new Poco::JSON::Object;
  settings->set("a", int64_t{-1234567890123456789});
  const std::string stored = CompactJson(settings);
  EXPECT_EQ(stored, R"({"a":-1234567890123456789})");
  EXPECT_EQ(PocoSettings(stored), R"({"a":-1234567890123456768})");
  EXPECT_FALSE(IsCanonicalJsonObject(stored));
  EXPECT_EQ(CanonicalJson(stored), PocoSettings(stored));
}

TEST(CanonicalJsonTest, IsWhatPocoMakesOfStoredSettings) {
  const char* texts[] = {"",
                         "{}",
                         "not json",
                         "[1,2]",
                         "5",
                         " { \"b\" : 1 , \"a\" : [ 2.50 , 1E2 ] } ",
                         R"({"title":"x\u00e9/","b":[1,2.5,-3,1e21,null,[],{}],"a":{"z":true}})",
                         R"({"a":1,"a":2})",
                         R"({"a":"\/"})",
                         R"({"a":18446744073709551616})",
                         R"({"a":1e400})"};
  for (const char* t : texts) EXPECT_EQ(CanonicalJson(t), PocoSettings(t)) << t;
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  EXPECT_EQ(CanonicalJson(Member(deep)), PocoSettings(Member(deep)));
}

}  // namespace
}  // namespace herald::deploy
