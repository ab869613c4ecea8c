#include "herald/core/runtime/scripted_provider.h"

#include <gtest/gtest.h>

namespace herald::runtime {
namespace {

ChatRequest Request(const std::string& message, const std::string& guidelines = "") {
  ChatRequest r;
  r.model = "scripted";
  r.messages = {ChatMessage::Of("system", "be nice"), ChatMessage::Of("user", message)};
  r.context.guidelines = guidelines;
  return r;
}

StatusOr<ChatResult> Complete(const ChatRequest& r, std::vector<std::string>* deltas = nullptr) {
  ScriptedProvider provider;
  return provider.Complete(r, [deltas](std::string_view d) {
    if (deltas != nullptr) deltas->emplace_back(d);
    return true;
  });
}

TEST(ToolRulesTest, ParsesPhrasesToolAndArguments) {
  std::vector<ToolRule> rules = ParseToolRules(
      "Be brief.\n"
      "- When the user mentions \"weather\" or \"Forecast\", call get_weather with city=Paris, "
      "units = \"metric system\".\n"
      "when the user mentions \"order\" call get_order with id=$number\n"
      "when the user mentions weather, call x\n"  // no quotes: not a rule
      "when the user mentions \"pets\", call listpets");
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].phrases, (std::vector<std::string>{"weather", "forecast"}));
  EXPECT_EQ(rules[0].tool, "get_weather");
  ASSERT_EQ(rules[0].arguments.size(), 2u);
  EXPECT_EQ(rules[0].arguments[1], (std::pair<std::string, std::string>{"units", "metric system"}));
  EXPECT_EQ(rules[1].tool, "get_order");
  EXPECT_EQ(rules[2].tool, "listpets");
  EXPECT_TRUE(rules[2].arguments.empty());

  EXPECT_EQ(RuleArguments(rules[1], "where is order 1234 and 99?"), R"({"id":"1234"})");
  ToolRule placeholders{{"x"}, "t", {{"all", "$message"}, {"last", "$last_word"}}};
  EXPECT_EQ(RuleArguments(placeholders, "weather in Paris?"),
            R"({"all":"weather in Paris?","last":"Paris"})");
}

TEST(ScriptedProviderTest, CallsTheToolARuleNamesWhenOffered) {
  ChatRequest r =
      Request("What's the WEATHER in Lyon?",
              "when the user mentions \"weather\", call get_weather with city=$last_word");
  // Not offered by the version: no call.
  StatusOr<ChatResult> plain = Complete(r);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->tool_calls.empty());

  r.tools.push_back({"get_weather", "the weather", "{}"});
  std::vector<std::string> deltas;
  StatusOr<ChatResult> call = Complete(r, &deltas);
  ASSERT_TRUE(call.ok());
  ASSERT_EQ(call->tool_calls.size(), 1u);
  EXPECT_EQ(call->tool_calls[0].name, "get_weather");
  EXPECT_EQ(call->tool_calls[0].id, "call_1");
  EXPECT_EQ(call->tool_calls[0].arguments_json, R"({"city":"Lyon"})");
  EXPECT_TRUE(call->text.empty());
  EXPECT_TRUE(deltas.empty());

  // The result comes back: the answer includes it.
  ChatMessage asked = ChatMessage::Of("assistant", "");
  asked.tool_calls = call->tool_calls;
  r.messages.push_back(asked);
  ChatMessage result = ChatMessage::Of("tool", R"({"temp":21})");
  result.tool_call_id = "call_1";
  result.name = "get_weather";
  r.messages.push_back(result);
  StatusOr<ChatResult> answer = Complete(r);
  ASSERT_TRUE(answer.ok());
  EXPECT_TRUE(answer->tool_calls.empty());
  EXPECT_EQ(answer->text, R"(get_weather returned: {"temp":21})");
}

TEST(ScriptedProviderTest, WelcomeOnTheFirstTurnThenPassages) {
  ChatRequest r = Request("how long do refunds take?");
  r.context.welcome_message = "Hi, I'm the support bot.";
  r.context.passages = {{"faq.md", "Refunds take 30 days.", 2.0},
                        {"policy.md", "Refunds need a receipt.", 1.5},
                        {"misc.md", "Something else.", 0.5}};
  StatusOr<ChatResult> first = Complete(r);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->text,
            "Hi, I'm the support bot.\n\nFrom faq.md: Refunds take 30 days.\n\n"
            "From policy.md: Refunds need a receipt.");
  // A later turn: no welcome; the weak second passage is left out.
  r.messages = {ChatMessage::Of("system", ""), ChatMessage::Of("user", "hi"),
                ChatMessage::Of("assistant", "hello"), ChatMessage::Of("user", "refunds?")};
  r.context.passages[1].score = 0.9;
  StatusOr<ChatResult> later = Complete(r);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->text, "From faq.md: Refunds take 30 days.");
}

TEST(ScriptedProviderTest, WithoutPassagesTheClosestGuidelineElseSorry) {
  ChatRequest r = Request("can you talk about pricing?",
                          "- Always be polite.\n- Pricing questions go to sales@example.com.\n"
                          "when the user mentions \"pricing\", call nothing_offered");
  StatusOr<ChatResult> guideline = Complete(r);
  ASSERT_TRUE(guideline.ok());
  EXPECT_EQ(guideline->text, "Pricing questions go to sales@example.com.");
  StatusOr<ChatResult> sorry = Complete(Request("zebras?"));
  ASSERT_TRUE(sorry.ok());
  EXPECT_EQ(sorry->text, "Sorry, I don't know about that.");
}

TEST(ScriptedProviderTest, DeterministicAndStreamedInAFewDeltas) {
  ChatRequest r = Request("refunds");
  r.context.passages = {{"faq.md",
                         "Refunds are paid back within thirty days of the return "
                         "arriving at our warehouse, by the original payment method.",
                         1.0}};
  std::vector<std::string> deltas;
  StatusOr<ChatResult> a = Complete(r, &deltas);
  StatusOr<ChatResult> b = Complete(r);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->text, b->text);
  EXPECT_GE(deltas.size(), 2u);
  EXPECT_LE(deltas.size(), 4u);
  std::string joined;
  for (const auto& d : deltas) joined += d;
  EXPECT_EQ(joined, a->text);

  ScriptedProvider provider;
  StatusOr<ChatResult> cancelled = provider.Complete(r, [](std::string_view) { return false; });
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(provider.ListModels().value(), std::vector<std::string>{"scripted"});
}

}  // namespace
}  // namespace herald::runtime
