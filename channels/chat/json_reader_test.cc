#include "channels/chat/json_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace herald::chat {
namespace {

// Reads `text` wanting "a" and "b"; the error, or "" when it reads.
struct Read {
  explicit Read(std::string_view text) {
    if (!ReadJson(text, &kind, fields, &error)) ok = false;
  }
  bool ok = true;
  JsonKind kind = JsonKind::kNull;
  JsonField fields[2] = {JsonField("a"), JsonField("b")};
  std::string error;
};

TEST(JsonReaderTest, FillsInTheWantedMembers) {
  Read r(R"( {"x":[1,{"a":"nested"}],"a":"one","b":{"deep":[true,false,null]},"c":-1.5e+3} )");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.kind, JsonKind::kObject);
  EXPECT_TRUE(r.fields[0].present);
  EXPECT_EQ(r.fields[0].kind, JsonKind::kString);
  EXPECT_EQ(r.fields[0].text, "one");  // not the nested "a"
  EXPECT_TRUE(r.fields[1].present);
  EXPECT_EQ(r.fields[1].kind, JsonKind::kObject);
  EXPECT_EQ(r.fields[1].text, "");

  Read absent(R"({"c":1})");
  ASSERT_TRUE(absent.ok);
  EXPECT_FALSE(absent.fields[0].present);
  EXPECT_FALSE(absent.fields[1].present);
}

TEST(JsonReaderTest, KindsOfValues) {
  const std::vector<std::pair<std::string, JsonKind>> cases = {
      {"null", JsonKind::kNull},          {"true", JsonKind::kBool},
      {"false", JsonKind::kBool},         {"0", JsonKind::kNumber},
      {"-0.25", JsonKind::kNumber},       {"12E-2", JsonKind::kNumber},
      {"\"s\"", JsonKind::kString},       {"[]", JsonKind::kArray},
      {"[1, [2], {}]", JsonKind::kArray}, {"{}", JsonKind::kObject}};
  for (const auto& [text, kind] : cases) {
    Read top(text);
    ASSERT_TRUE(top.ok) << text << ": " << top.error;
    EXPECT_EQ(top.kind, kind) << text;
    Read member(R"({"a":)" + text + "}");
    ASSERT_TRUE(member.ok) << text << ": " << member.error;
    EXPECT_EQ(member.fields[0].kind, kind) << text;
  }
}

TEST(JsonReaderTest, DecodesStrings) {
  Read r(R"({"a":"q\" b\\ s\/ \b\f\n\r\t \u00e9 \u20AC \ud83d\ude00 raw é €"})");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(
      r.fields[0].text,
      "q\" b\\ s/ \b\f\n\r\t \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 raw \xc3\xa9 \xe2\x82\xac");
  // Escaped names are names too.
  Read escaped(R"({"\u0061":"x"})");
  ASSERT_TRUE(escaped.ok);
  EXPECT_EQ(escaped.fields[0].text, "x");
  // \u0000 is a character like any other.
  Read nul(R"({"a":"x\u0000y"})");
  ASSERT_TRUE(nul.ok);
  EXPECT_EQ(nul.fields[0].text, std::string("x\0y", 3));
}

TEST(JsonReaderTest, TheLastOfTwoEqualNamesCounts) {
  Read r(R"({"a":"first","a":7})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.fields[0].kind, JsonKind::kNumber);
  EXPECT_EQ(r.fields[0].text, "");
  Read s(R"({"a":7,"a":"second"})");
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.fields[0].text, "second");
}

TEST(JsonReaderTest, RefusesWhatIsNotJson) {
  for (std::string text : std::vector<std::string>{
           "", " ", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[1 2]", "{a:1}",
           "{'a':1}", "{\"a\":1} x", "{\"a\":1}{}", "01", "-", "1.", ".5", "1e", "+1", "tru", "nul",
           "True", "NaN", "\"", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"tab\there\"",
           "\"line\nbreak\"", "/* c */ {}", "{\"a\":1 // c\n}",
           // Not UTF-8: a lone continuation byte, an overlong '/', a UTF-8
           // surrogate, a cut sequence, above U+10FFFF, lone \u surrogates.
           "\"\x80\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xe2\x82\"", "\"\xf4\x90\x80\x80\"",
           "\"\\ud83d\"", "\"\\ud83dx\"", "\"\\ude00\"", "\"\\ud83d\\u0041\"",
           // Bytes outside strings.
           "\xef\xbb\xbf{}", std::string("{}\0", 3)}) {
    Read r(text);
    EXPECT_FALSE(r.ok) << "accepted: " << text;
    EXPECT_FALSE(r.error.empty()) << text;
  }
}

TEST(JsonReaderTest, SaysWhatAndWhere) {
  Read r(R"({"a" 1})");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error, "expected ':' at byte 5");
  Read end("{\"a\":");
  ASSERT_FALSE(end.ok);
  EXPECT_EQ(end.error, "expected a value at the end");
  // A failed read leaves no field half filled in.
  Read half(R"({"a":"x","b":})");
  ASSERT_FALSE(half.ok);
  EXPECT_FALSE(half.fields[0].present);
  EXPECT_EQ(half.fields[0].text, "");
}

TEST(JsonReaderTest, BoundsNesting) {
  const std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(Read(ok).ok);
  const std::string deep =
      std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']');
  Read r(deep);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.rfind("nested too deeply", 0), 0u) << r.error;
  // Far deeper than any stack would allow unbounded.
  EXPECT_FALSE(Read(std::string(1 << 20, '[')).ok);
  EXPECT_FALSE(Read("{\"a\":" + std::string(1 << 20, '{')).ok);
}

}  // namespace
}  // namespace herald::chat
