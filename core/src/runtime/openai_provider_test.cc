// The openai provider against a local fake OpenAI-compatible server
// (tests/support/test_http_server.h): model listing, plain and streamed
// completions, tool calls, credentials, and errors that keep secrets out.
#include "herald/core/runtime/openai_provider.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "test_http_server.h"

namespace herald::runtime {
namespace {

using testing::TestHttpServer;

constexpr char kSecret[] = "sk-very-secret-key";

OpenAiOptions Options(const TestHttpServer& server, bool stream) {
  OpenAiOptions o;
  o.base_url = server.url() + "/v1/";
  o.stream = stream;
  o.timeout_ms = 5000;
  o.auth = [](const std::string& method, const std::string& url) -> StatusOr<sdk::AppliedAuth> {
    sdk::AppliedAuth a;
    a.method = method;
    a.url = url;
    a.headers = {{"Authorization", std::string("Bearer ") + kSecret}};
    return a;
  };
  return o;
}

ChatRequest Request() {
  ChatRequest r;
  r.model = "llama3";
  r.messages = {ChatMessage::Of("system", "You are helpful."),
                ChatMessage::Of("user", "weather in Paris?")};
  r.tools = {{"get_weather", "The weather",
              R"({"type":"object","properties":{"city":{"type":"string"}},"required":["city"]})"}};
  return r;
}

TEST(OpenAiProviderTest, ListsTheServersModelsWithTheKeyOrTheConfiguredOnes) {
  TestHttpServer server;
  server.RespondAt("/v1/models", 200,
                   R"({"object":"list","data":[{"id":"llama3"},{"id":"qwen2"}]})",
                   {{"Content-Type", "application/json"}});
  OpenAiProvider provider(Options(server, true));
  StatusOr<std::vector<std::string>> models = provider.ListModels();
  ASSERT_TRUE(models.ok()) << models.status().message();
  EXPECT_EQ(*models, (std::vector<std::string>{"llama3", "qwen2"}));
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].Header("authorization"), std::string("Bearer ") + kSecret);
  // Kept for a while: no second request.
  ASSERT_TRUE(provider.ListModels().ok());
  EXPECT_EQ(server.request_count(), 1u);

  OpenAiOptions configured = Options(server, true);
  configured.models = {"fixed"};
  EXPECT_EQ(OpenAiProvider(configured).ListModels().value(), std::vector<std::string>{"fixed"});
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(OpenAiProviderTest, PlainCompletionAndTheRequestItSends) {
  TestHttpServer server;
  server.RespondAt("/v1/chat/completions", 200,
                   R"({"choices":[{"index":0,"message":{"role":"assistant","content":"Sunny."},)"
                   R"("finish_reason":"stop"}]})",
                   {{"Content-Type", "application/json"}});
  OpenAiProvider provider(Options(server, false));
  std::string streamed;
  StatusOr<ChatResult> result = provider.Complete(Request(), [&](std::string_view d) {
    streamed += d;
    return true;
  });
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->text, "Sunny.");
  EXPECT_EQ(streamed, "Sunny.");
  EXPECT_TRUE(result->tool_calls.empty());

  ASSERT_EQ(server.request_count(), 1u);
  auto sent = server.requests()[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.path, "/v1/chat/completions");
  EXPECT_EQ(sent.Header("authorization"), std::string("Bearer ") + kSecret);
  auto body = Poco::JSON::Parser().parse(sent.body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(body->getValue<std::string>("model"), "llama3");
  EXPECT_FALSE(body->getValue<bool>("stream"));
  EXPECT_EQ(body->getArray("messages")->size(), 2u);
  auto tool = body->getArray("tools")->getObject(0);
  EXPECT_EQ(tool->getValue<std::string>("type"), "function");
  auto fn = tool->getObject("function");
  EXPECT_EQ(fn->getValue<std::string>("name"), "get_weather");
  EXPECT_EQ(fn->getObject("parameters")->getArray("required")->getElement<std::string>(0), "city");
}

TEST(OpenAiProviderTest, StreamedTextArrivesInDeltas) {
  TestHttpServer server;
  server.RespondAt("/v1/chat/completions", 200,
                   "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n"
                   "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"It is \"}}]}\n\n"
                   ": keep-alive\n\n"
                   "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"sunny.\"}}]}\n\n"
                   "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                   "data: [DONE]\n\n",
                   {{"Content-Type", "text/event-stream"}});
  OpenAiProvider provider(Options(server, true));
  std::vector<std::string> deltas;
  StatusOr<ChatResult> result = provider.Complete(Request(), [&](std::string_view d) {
    deltas.emplace_back(d);
    return true;
  });
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(deltas, (std::vector<std::string>{"It is ", "sunny."}));
  EXPECT_EQ(result->text, "It is sunny.");
  auto body =
      Poco::JSON::Parser().parse(server.requests()[0].body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_TRUE(body->getValue<bool>("stream"));
}

TEST(OpenAiProviderTest, StreamedToolCallPiecesAreJoined) {
  TestHttpServer server;
  server.RespondAt(
      "/v1/chat/completions", 200,
      "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_abc\","
      "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}]}\n\n"
      "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
      "{\"arguments\":\"{\\\"city\\\":\"}}]}}]}\n\n"
      "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
      "{\"arguments\":\"\\\"Paris\\\"}\"}}]}}]}\n\n"
      "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
      "data: [DONE]\n\n",
      {{"Content-Type", "text/event-stream"}});
  OpenAiProvider provider(Options(server, true));
  StatusOr<ChatResult> result = provider.Complete(Request(), {});
  ASSERT_TRUE(result.ok()) << result.status().message();
  ASSERT_EQ(result->tool_calls.size(), 1u);
  EXPECT_EQ(result->tool_calls[0].id, "call_abc");
  EXPECT_EQ(result->tool_calls[0].name, "get_weather");
  EXPECT_EQ(result->tool_calls[0].arguments_json, R"({"city":"Paris"})");
  EXPECT_TRUE(result->text.empty());
}

TEST(OpenAiProviderTest, ToolMessagesAreSentBackInOpenAiShape) {
  TestHttpServer server;
  OpenAiProvider provider(Options(server, true));
  ChatRequest r = Request();
  ChatMessage asked = ChatMessage::Of("assistant", "");
  asked.tool_calls = {{"call_1", "get_weather", R"({"city":"Paris"})"}};
  r.messages.push_back(asked);
  ChatMessage tool = ChatMessage::Of("tool", "21 degrees");
  tool.tool_call_id = "call_1";
  tool.name = "get_weather";
  r.messages.push_back(tool);
  auto body =
      Poco::JSON::Parser().parse(provider.RequestBody(r)).extract<Poco::JSON::Object::Ptr>();
  auto messages = body->getArray("messages");
  ASSERT_EQ(messages->size(), 4u);
  auto call = messages->getObject(2)->getArray("tool_calls")->getObject(0);
  EXPECT_EQ(call->getValue<std::string>("id"), "call_1");
  EXPECT_EQ(call->getObject("function")->getValue<std::string>("arguments"), R"({"city":"Paris"})");
  EXPECT_EQ(messages->getObject(3)->getValue<std::string>("tool_call_id"), "call_1");
}

TEST(OpenAiProviderTest, ErrorsNameTheServerButNoSecret) {
  TestHttpServer server;
  server.RespondAt("/v1/chat/completions", 401,
                   std::string(R"({"error":{"message":"bad key )") + kSecret + R"("}})");
  OpenAiProvider provider(Options(server, true));
  StatusOr<ChatResult> result = provider.Complete(Request(), {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(result.status().message().find("HTTP 401"), std::string::npos);
  EXPECT_EQ(result.status().message().find(kSecret), std::string::npos);

  testing::ClosedPort closed;
  OpenAiOptions down = Options(server, true);
  down.base_url = closed.url();
  StatusOr<ChatResult> refused = OpenAiProvider(down).Complete(Request(), {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "model server " + closed.url() + ": connection refused");
  EXPECT_FALSE(OpenAiProvider(down).ListModels().ok());

  OpenAiOptions no_key = Options(server, true);
  no_key.auth = [](const std::string&, const std::string&) -> StatusOr<sdk::AppliedAuth> {
    return Status::FailedPrecondition("connection 'llm' has no live configuration");
  };
  StatusOr<ChatResult> keyless = OpenAiProvider(no_key).Complete(Request(), {});
  ASSERT_FALSE(keyless.ok());
  EXPECT_NE(keyless.status().message().find("connection 'llm'"), std::string::npos);
}

}  // namespace
}  // namespace herald::runtime
