// The chat channel through FakeHost: the plugin is started from its
// descriptor (and once from the built module) and driven through the C ABI
// and its routes, as heraldd drives it.
#include "channels/chat/chat_channel.h"

#include <herald/sdk/client.hpp>
#include <herald/sdk/testing/fake_host.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace herald::chat {
namespace {

using sdk::Values;
using sdk::testing::FakeHost;
using sdk::testing::FakeRequest;
using sdk::testing::FakeResponse;
using sdk::testing::FakeTurn;
using sdk::testing::FakeTurnAnswer;
using sdk::testing::StartedPlugin;

constexpr char kNotLiveBody[] = R"({"error":{"code":"not_found","message":"agent is not live"}})";

FakeRequest Request(std::string method, std::string path, std::string body = {},
                    std::map<std::string, std::string> headers = {}) {
  FakeRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

const herald_plugin_descriptor* Descriptor() {
  return sdk::ChannelDescriptor<ChatChannel>(kName, kVersion, kDescription);
}

FakeTurnAnswer Hello(const FakeTurn&) {
  FakeTurnAnswer a;
  a.conversation_id = "c-1";
  a.version = 3;
  a.deltas = {"Hel", "lo"};
  return a;
}

class ChatChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plugin_ = host_.Start(Descriptor());
    ASSERT_TRUE(plugin_.ok()) << plugin_.error;
  }

  void Publish(const std::string& agent, uint64_t version, const std::string& access = "public") {
    auto r = plugin_.channel().Publish(agent, version, "hash", "{}", Values{{"access", access}});
    ASSERT_TRUE(r.ok()) << r.error;
  }

  FakeResponse Post(const std::string& agent, const std::string& body,
                    std::map<std::string, std::string> headers = {}) {
    FakeRequest request;
    request.method = "POST";
    request.path = "/" + agent + "/messages";
    request.body = body;
    request.headers = std::move(headers);
    return host_.Serve(request);
  }

  FakeResponse Stream(const std::string& agent, const std::string& body,
                      std::optional<size_t> gone_after = std::nullopt) {
    FakeRequest request;
    request.method = "POST";
    request.path = "/" + agent + "/messages";
    request.body = body;
    request.headers = {{"accept", "text/event-stream"}};
    request.client_gone_after_flushes = gone_after;
    return host_.Serve(request);
  }

  herald_channel_state StateOf(const std::string& agent, std::string* detail = nullptr) {
    herald_channel_state state = HERALD_CHANNEL_DEGRADED;
    std::string d;
    EXPECT_TRUE(plugin_.channel().Status(agent, &state, &d).ok());
    if (detail != nullptr) *detail = d;
    return state;
  }

  FakeHost host_;
  StartedPlugin plugin_;
};

// ---------------------------------------------------------------- settings

TEST_F(ChatChannelTest, DeclaresAccess) {
  EXPECT_EQ(sdk::ToView(plugin_.descriptor().name), "chat");
  auto specs = sdk::SettingSpecs(plugin_.channel().vtable());
  ASSERT_EQ(specs.size(), 1u);
  EXPECT_EQ(specs[0].name, "access");
  EXPECT_EQ(specs[0].type, HERALD_SETTING_STRING);
  EXPECT_FALSE(specs[0].required);
  EXPECT_EQ(specs[0].default_value, "public");
}

TEST_F(ChatChannelTest, ValidatesAccess) {
  for (const char* good : {"public", "sso"}) {
    std::vector<sdk::Problem> problems;
    ASSERT_TRUE(plugin_.channel().Validate(Values{{"access", good}}, &problems).ok());
    EXPECT_TRUE(problems.empty()) << good;
  }
  std::vector<sdk::Problem> problems;
  ASSERT_TRUE(plugin_.channel().Validate(Values{{"access", "private"}}, &problems).ok());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "access");
  EXPECT_EQ(problems[0].message, "must be public or sso, got 'private'");
}

TEST_F(ChatChannelTest, PublishRefusesAnUnknownAccess) {
  auto r = plugin_.channel().Publish("a1", 1, "h", "{}", Values{{"access", "open"}});
  EXPECT_EQ(r.status, HERALD_STATUS_ERROR);
  EXPECT_NE(r.error.find("access must be public or sso"), std::string::npos) << r.error;
  EXPECT_EQ(StateOf("a1"), HERALD_CHANNEL_NOT_PUBLISHED);
}

// ---------------------------------------------------------------- publish

TEST_F(ChatChannelTest, NotLiveBeforePublishAndAfterUnpublish) {
  host_.SetTurnHandler(Hello);
  FakeResponse before = Post("a1", R"({"message":"hi"})");
  EXPECT_EQ(before.status, 404);
  EXPECT_EQ(before.body, kNotLiveBody);
  EXPECT_EQ(before.Header("Content-Type"), "application/json");
  EXPECT_TRUE(host_.turns().empty());

  Publish("a1", 3);
  EXPECT_EQ(Post("a1", R"({"message":"hi"})").status, 200);

  ASSERT_TRUE(plugin_.channel().Unpublish("a1").ok());
  FakeResponse after = Post("a1", R"({"message":"hi"})");
  EXPECT_EQ(after.status, 404);
  EXPECT_EQ(after.body, kNotLiveBody);
  EXPECT_EQ(host_.turns().size(), 1u);
  // Unpublishing what is not published is no error.
  EXPECT_TRUE(plugin_.channel().Unpublish("a1").ok());
}

TEST_F(ChatChannelTest, StatusFollowsPublishes) {
  EXPECT_EQ(StateOf("a1"), HERALD_CHANNEL_NOT_PUBLISHED);
  Publish("a1", 1);
  std::string detail;
  EXPECT_EQ(StateOf("a1", &detail), HERALD_CHANNEL_PUBLISHED);
  EXPECT_EQ(detail, "version 1, public access");
  Publish("a1", 2, "sso");
  EXPECT_EQ(StateOf("a1", &detail), HERALD_CHANNEL_PUBLISHED);
  EXPECT_EQ(detail, "version 2, sso access");
  EXPECT_EQ(StateOf("a2"), HERALD_CHANNEL_NOT_PUBLISHED);
  ASSERT_TRUE(plugin_.channel().Unpublish("a1").ok());
  EXPECT_EQ(StateOf("a1"), HERALD_CHANNEL_NOT_PUBLISHED);
}

TEST_F(ChatChannelTest, GetAgentSaysWhichVersionIsLive) {
  FakeResponse missing = host_.Serve(Request("GET", "/a1"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, kNotLiveBody);

  Publish("a1", 4, "sso");
  FakeResponse live = host_.Serve(Request("GET", "/a1"));
  EXPECT_EQ(live.status, 200);
  EXPECT_EQ(live.body, R"({"agent":"a1","live":true,"version":4,"access":"sso"})");
}

// ---------------------------------------------------------------- JSON turns

TEST_F(ChatChannelTest, AnswersATurnAsJson) {
  host_.SetTurnHandler([](const FakeTurn& turn) {
    FakeTurnAnswer a = Hello(turn);
    a.tool_calls = {{"crm.lookup", "200"}, {"crm.update", "error: \"denied\""}};
    return a;
  });
  Publish("a1", 3);
  FakeResponse r = Post("a1", R"({"message":"Where is my order?"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_EQ(r.body, R"({"conversation_id":"c-1","version":3,"reply":"Hello","tool_calls":[)"
                    R"({"tool":"crm.lookup","outcome":"200"},)"
                    R"({"tool":"crm.update","outcome":"error: \"denied\""}]})");
  EXPECT_TRUE(r.flushes.empty());

  ASSERT_EQ(host_.turns().size(), 1u);
  FakeTurn turn = host_.turns()[0];
  EXPECT_EQ(turn.agent_id, "a1");
  EXPECT_EQ(turn.message, "Where is my order?");
  EXPECT_EQ(turn.conversation_id, "");
  EXPECT_EQ(turn.user_id, "");
}

TEST_F(ChatChannelTest, ContinuesAConversation) {
  host_.SetTurnHandler([](const FakeTurn& turn) {
    FakeTurnAnswer a = Hello(turn);
    a.conversation_id = turn.conversation_id;
    return a;
  });
  Publish("a1", 3);
  FakeResponse r = Post("a1", R"({"message":"again","conversation_id":"c-77"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(host_.turns().at(0).conversation_id, "c-77");
  EXPECT_NE(r.body.find(R"("conversation_id":"c-77")"), std::string::npos) << r.body;
}

TEST_F(ChatChannelTest, RefusesBadBodiesNamingTheField) {
  host_.SetTurnHandler(Hello);
  Publish("a1", 1);
  struct Case {
    std::string body;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"{", "body: malformed JSON"},
           {"", "body: malformed JSON"},
           {"[1]", "body: expected a JSON object"},
           {"{}", "message: required"},
           {R"({"message":""})", "message: must not be empty"},
           {R"({"message":42})", "message: expected a string"},
           {R"({"message":"hi","conversation_id":7})", "conversation_id: expected a string"},
       }) {
    FakeResponse r = Post("a1", c.body);
    EXPECT_EQ(r.status, 400) << c.body;
    EXPECT_NE(r.body.find(R"({"error":{"code":"invalid_argument","message":")" + c.message),
              std::string::npos)
        << c.body << " -> " << r.body;
  }
  EXPECT_TRUE(host_.turns().empty());
}

TEST_F(ChatChannelTest, MapsHostStatusesToHttp) {
  Publish("a1", 1);
  struct Case {
    herald_status status;
    int http;
    std::string code;
  };
  for (const Case& c : std::vector<Case>{
           {HERALD_STATUS_NOT_FOUND, 404, "not_found"},
           {HERALD_STATUS_INVALID_ARGUMENT, 400, "invalid_argument"},
           {HERALD_STATUS_PERMISSION_DENIED, 403, "permission_denied"},
           {HERALD_STATUS_UNAVAILABLE, 503, "unavailable"},
           {HERALD_STATUS_TIMEOUT, 504, "deadline_exceeded"},
           {HERALD_STATUS_ERROR, 500, "internal"},
       }) {
    host_.SetTurnHandler([&](const FakeTurn&) {
      FakeTurnAnswer a;
      a.status = c.status;
      a.error = "told by the host";
      return a;
    });
    for (bool stream : {false, true}) {
      FakeResponse r =
          stream ? Stream("a1", R"({"message":"hi"})") : Post("a1", R"({"message":"hi"})");
      EXPECT_EQ(r.status, c.http) << c.code;
      // Failing before `begin`, a stream is a plain JSON error too.
      EXPECT_EQ(r.Header("Content-Type"), "application/json") << c.code;
      EXPECT_EQ(r.body, R"({"error":{"code":")" + c.code + R"(","message":"told by the host"}})");
      EXPECT_TRUE(r.flushes.empty());
    }
  }
}

TEST_F(ChatChannelTest, NotLiveOnTheHostIs404) {
  // Published here, but the host no longer serves it (a race with undeploy).
  Publish("a1", 1);
  FakeResponse r = Post("a1", R"({"message":"hi"})");  // no turn handler: NOT_FOUND
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, kNotLiveBody);
}

// ---------------------------------------------------------------- streams

TEST_F(ChatChannelTest, StreamsServerSentEventsFlushingEach) {
  host_.SetTurnHandler([](const FakeTurn& turn) {
    FakeTurnAnswer a = Hello(turn);
    a.tool_calls = {{"crm.lookup", "200"}};
    return a;
  });
  Publish("a1", 3);
  FakeResponse r = Stream("a1", R"({"message":"hi"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type"), "text/event-stream");
  EXPECT_EQ(r.Header("Cache-Control"), "no-cache");
  std::vector<std::string> want = {
      "event: begin\ndata: {\"conversation_id\":\"c-1\",\"version\":3}\n\n",
      "event: tool_call\ndata: {\"tool\":\"crm.lookup\",\"outcome\":\"200\"}\n\n",
      "event: delta\ndata: {\"text\":\"Hel\"}\n\n",
      "event: delta\ndata: {\"text\":\"lo\"}\n\n",
      "event: end\ndata: {\"reply\":\"Hello\",\"version\":3,\"conversation_id\":\"c-1\"}\n\n",
  };
  EXPECT_EQ(r.flushes, want);
  std::string all;
  for (const auto& f : want) all += f;
  EXPECT_EQ(r.body, all);
}

TEST_F(ChatChannelTest, AcceptWithSeveralTypesStillStreams) {
  host_.SetTurnHandler(Hello);
  Publish("a1", 3);
  FakeResponse r =
      Post("a1", R"({"message":"hi"})", {{"accept", "application/json;q=0.5, Text/Event-Stream"}});
  EXPECT_EQ(r.Header("Content-Type"), "text/event-stream");
  EXPECT_EQ(r.flushes.size(), 4u);
}

TEST_F(ChatChannelTest, StopsTheTurnWhenTheClientLeaves) {
  std::atomic<int> turns{0};
  host_.SetTurnHandler([&](const FakeTurn& turn) {
    ++turns;
    FakeTurnAnswer a = Hello(turn);
    a.deltas = {"one ", "two ", "three ", "four"};
    return a;
  });
  Publish("a1", 3);
  // The client takes `begin` and the first delta, then hangs up.
  FakeResponse r = Stream("a1", R"({"message":"hi"})", 2);
  ASSERT_EQ(r.flushes.size(), 2u);
  EXPECT_EQ(r.flushes[1], "event: delta\ndata: {\"text\":\"one \"}\n\n");
  // The delta whose flush failed cancelled the turn: no later piece was
  // produced, and neither `end` nor `error` was written for nobody.
  EXPECT_NE(r.body.find("two "), std::string::npos);
  EXPECT_EQ(r.body.find("three "), std::string::npos);
  EXPECT_EQ(r.body.find("event: end"), std::string::npos);
  EXPECT_EQ(r.body.find("event: error"), std::string::npos);
  EXPECT_EQ(turns.load(), 1);
}

// A host whose turn fails after `begin` (the model provider breaks off):
// FakeHost's own run_turn fails only before it, so this test puts its own
// run_turn in a copy of FakeHost's table.
TEST(ChatChannelStreamTest, ErrorAfterBeginIsAnErrorEvent) {
  FakeHost host;
  herald_host_api api = *host.api();
  api.run_turn = [](void*, const herald_turn_request*, const herald_turn_events* events,
                    const herald_string_sink* error) {
    events->begin(events->ctx, sdk::ToStr("c-5"), 8);
    events->delta(events->ctx, sdk::ToStr("Partial"));
    error->set(error->ctx, sdk::ToStr("the model provider stopped answering"));
    return HERALD_STATUS_UNAVAILABLE;
  };
  void* instance = nullptr;
  herald_string_sink no_error{nullptr, [](void*, herald_str) {}};
  ASSERT_EQ(Descriptor()->init(&api, &instance, &no_error), HERALD_STATUS_OK);
  sdk::ChannelClient channel(Descriptor()->channel, instance);
  ASSERT_TRUE(channel.Publish("a1", 8, "h", "{}", Values{{"access", "public"}}).ok());

  FakeResponse r = host.Serve(
      Request("POST", "/a1/messages", R"({"message":"hi"})", {{"accept", "text/event-stream"}}));
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(r.flushes.size(), 3u);
  EXPECT_EQ(r.flushes[0], "event: begin\ndata: {\"conversation_id\":\"c-5\",\"version\":8}\n\n");
  EXPECT_EQ(r.flushes[2],
            "event: error\ndata: {\"code\":\"unavailable\",\"message\":\"the model provider "
            "stopped answering\"}\n\n");
  Descriptor()->shutdown(instance);
}

// ---------------------------------------------------------------- access

TEST_F(ChatChannelTest, SsoNeedsAValidIdentityToken) {
  host_.SetTurnHandler(Hello);
  host_.AddIdentity("jwt-olga", "u-olga");
  Publish("a1", 3, "sso");

  FakeResponse none = Post("a1", R"({"message":"hi"})");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.Header("WWW-Authenticate"), "Bearer");
  EXPECT_NE(none.body.find(R"("code":"unauthenticated")"), std::string::npos) << none.body;

  FakeResponse basic = Post("a1", R"({"message":"hi"})", {{"authorization", "Basic b2xnYQ=="}});
  EXPECT_EQ(basic.status, 401);

  FakeResponse bad =
      Post("a1", R"({"message":"hi"})", {{"authorization", "Bearer jwt-forged-secret"}});
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.body.find("jwt-forged-secret"), std::string::npos) << bad.body;
  EXPECT_TRUE(host_.turns().empty());

  FakeResponse good = Post("a1", R"({"message":"hi"})", {{"authorization", "bearer  jwt-olga"}});
  EXPECT_EQ(good.status, 200) << good.body;
  ASSERT_EQ(host_.turns().size(), 1u);
  EXPECT_EQ(host_.turns()[0].user_id, "u-olga");

  // Streams too, and the 401 comes before any stream starts.
  FakeResponse stream_none = Stream("a1", R"({"message":"hi"})");
  EXPECT_EQ(stream_none.status, 401);
  EXPECT_TRUE(stream_none.flushes.empty());

  EXPECT_EQ(host_.AllLogText().find("jwt-"), std::string::npos) << host_.AllLogText();
}

TEST_F(ChatChannelTest, PublicTurnsAreAnonymous) {
  host_.SetTurnHandler(Hello);
  Publish("a1", 3);
  FakeRequest request = Request("POST", "/a1/messages", R"({"message":"hi"})");
  request.user_id = "u-admin";  // a Herald API token came along
  request.user_role = "admin";
  EXPECT_EQ(host_.Serve(request).status, 200);
  EXPECT_EQ(host_.turns().at(0).user_id, "");
}

// ---------------------------------------------------------------- threads

TEST_F(ChatChannelTest, ServesWhilePublishing) {
  host_.SetTurnHandler(Hello);
  Publish("steady", 1);
  std::atomic<bool> stop{false};
  std::thread publisher([&] {
    for (uint64_t v = 1; v <= 200; ++v) {
      EXPECT_TRUE(
          plugin_.channel().Publish("flappy", v, "h", "{}", Values{{"access", "public"}}).ok());
      EXPECT_TRUE(plugin_.channel().Unpublish("flappy").ok());
    }
    stop = true;
  });
  std::vector<std::thread> clients;
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      while (!stop) {
        if (Post("steady", R"({"message":"hi"})").status != 200) ++bad;
        int s = Post("flappy", R"({"message":"hi"})").status;
        if (s != 200 && s != 404) ++bad;
      }
    });
  }
  publisher.join();
  for (auto& c : clients) c.join();
  EXPECT_EQ(bad.load(), 0);
}

// ---------------------------------------------------------------- loading

TEST(ChatChannelLibraryTest, LoadsAsHeralddLoadsIt) {
  FakeHost host;
  host.SetTurnHandler(Hello);
  StartedPlugin plugin = host.StartLibrary(HERALD_CHAT_PLUGIN_PATH);
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  EXPECT_EQ(sdk::ToView(plugin.descriptor().name), "chat");
  EXPECT_EQ(plugin.descriptor().abi_minor, static_cast<uint32_t>(HERALD_ABI_MINOR));
  ASSERT_TRUE(plugin.channel().Publish("a1", 3, "h", "{}", Values{{"access", "public"}}).ok());
  FakeResponse r = host.Serve(Request("POST", "/a1/messages", R"({"message":"hi"})"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"conversation_id":"c-1","version":3,"reply":"Hello","tool_calls":[]})");
}

TEST(ChatChannelLibraryTest, RefusesToStartOnAnOldHost) {
  FakeHost host;
  host.SetAbiMinor(0);
  StartedPlugin plugin = host.Start(Descriptor());
  EXPECT_FALSE(plugin.ok());
  EXPECT_NE(plugin.error.find("ABI 1.1"), std::string::npos) << plugin.error;
}

// A table as large as 1.1's whose services are NULL offers none of them.
TEST(ChatChannelLibraryTest, RefusesToStartWhenTheHostLeavesTurnsOut) {
  FakeHost host;
  herald_host_api api = *host.api();
  api.run_turn = nullptr;
  void* instance = nullptr;
  std::string error;
  herald_string_sink sink{&error, [](void* ctx, herald_str v) {
                            static_cast<std::string*>(ctx)->assign(v.data, v.size);
                          }};
  EXPECT_EQ(Descriptor()->init(&api, &instance, &sink), HERALD_STATUS_ERROR);
  EXPECT_NE(error.find("ABI 1.1"), std::string::npos) << error;
}

}  // namespace
}  // namespace herald::chat
