#include "channels/chat/chat_json.h"

#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace herald::chat {
namespace {

MessageRequest Parsed(const std::string& body) {
  MessageRequest out;
  std::string problem;
  EXPECT_TRUE(ParseMessageRequest(body, &out, &problem)) << body << ": " << problem;
  return out;
}

std::string Problem(const std::string& body) {
  MessageRequest out;
  std::string problem;
  EXPECT_FALSE(ParseMessageRequest(body, &out, &problem)) << body;
  return problem;
}

TEST(ChatJsonTest, ReadsTheRequest) {
  MessageRequest r = Parsed(R"({"message":"hi \u00e9\n","conversation_id":"c-1"})");
  EXPECT_EQ(r.message, "hi \xc3\xa9\n");
  EXPECT_EQ(r.conversation_id, "c-1");
  EXPECT_EQ(Parsed(R"({"message":"hi"})").conversation_id, "");
  EXPECT_EQ(Parsed(R"({"message":"hi","conversation_id":null})").conversation_id, "");
  // Unknown members are ignored, for clients newer than the channel.
  EXPECT_EQ(Parsed(R"({"message":"hi","stream":true})").message, "hi");
}

TEST(ChatJsonTest, NamesWhatIsWrong) {
  EXPECT_EQ(Problem("{}"), "message: required");
  EXPECT_EQ(Problem(R"({"message":null})"), "message: must not be empty");
  EXPECT_EQ(Problem(R"({"message":""})"), "message: must not be empty");
  EXPECT_EQ(Problem(R"({"message":["hi"]})"), "message: expected a string");
  EXPECT_EQ(Problem(R"({"message":"hi","conversation_id":{}})"),
            "conversation_id: expected a string");
  EXPECT_EQ(Problem(R"(["hi"])"), "body: expected a JSON object");
  EXPECT_EQ(Problem("not json").rfind("body: malformed JSON", 0), 0u);
}

// Whatever the text holds, the output is JSON that reads back to it, on one
// line (so that it fits one "data:" line of an event).
TEST(ChatJsonTest, EscapesEverything) {
  const std::string nasty = "quote \" backslash \\ newline \n cr \r tab \t nul " +
                            std::string(1, '\0') + " ctl \x01 slash / utf8 \xc3\xa9 \xe2\x82\xac";
  std::string json = TurnJson(nasty, 1, nasty, {{nasty, nasty}});
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_EQ(json.find('\r'), std::string::npos);
  Poco::JSON::Parser parser;
  auto object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(object->getValue<std::string>("reply"), nasty);
  EXPECT_EQ(object->getValue<std::string>("conversation_id"), nasty);
  auto call = object->getArray("tool_calls")->getObject(0);
  EXPECT_EQ(call->getValue<std::string>("tool"), nasty);

  std::string delta = DeltaEventJson(nasty);
  EXPECT_EQ(delta.find('\n'), std::string::npos);
  EXPECT_EQ(parser.parse(delta).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("text"),
            nasty);
}

TEST(ChatJsonTest, Shapes) {
  EXPECT_EQ(ErrorJson("not_found", "agent is not live"),
            R"({"error":{"code":"not_found","message":"agent is not live"}})");
  EXPECT_EQ(
      TurnJson("c", 18446744073709551615u, "r", {}),
      R"({"conversation_id":"c","version":18446744073709551615,"reply":"r","tool_calls":[]})");
  EXPECT_EQ(BeginEventJson("c", 2), R"({"conversation_id":"c","version":2})");
  EXPECT_EQ(ToolCallEventJson("t", "200"), R"({"tool":"t","outcome":"200"})");
  EXPECT_EQ(EndEventJson("r", 2, "c"), R"({"reply":"r","version":2,"conversation_id":"c"})");
  EXPECT_EQ(ErrorEventJson("unavailable", "m"), R"({"code":"unavailable","message":"m"})");
  EXPECT_EQ(AgentJson("a1", LiveAgent{5, Access::kPublic}),
            R"({"agent":"a1","live":true,"version":5,"access":"public"})");
}

}  // namespace
}  // namespace herald::chat
