// The preview endpoint through the real heraldd: the latest draft answers
// (version 0, its revision) whatever is live, with the scripted provider;
// conversations continue and belong to their user; who may preview.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <fstream>

#include "daemon_harness.h"

namespace herald::testing {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;

Object::Ptr Json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

class PreviewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<RunningDaemon>(
        dir_.path() / "data", std::vector<std::string>{"--plugin-dir", HERALD_FIXTURE_CHANNEL_DIR});
    ASSERT_TRUE(daemon_->ok()) << daemon_->error();
    ASSERT_EQ(Call("POST", "/v1/agents", R"({"id":"support","name":"Support"})").status, 201);
    Behave("Hello from draft 1!");
  }

  HttpResult Call(const std::string& method, const std::string& path, const std::string& body = "",
                  const std::string& token = "") {
    return daemon_->Call(method, path, body, token);
  }

  void Behave(const std::string& welcome) {
    HttpResult r = Call("PATCH", "/v1/agents/support",
                        R"({"description":"helps","model":"scripted","behaviour":{)"
                        R"("guidelines":"- Refunds take 30 days.\n- Be kind.",)"
                        R"("welcome_message":")" +
                            welcome + R"("}})");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  HttpResult Preview(const std::string& message, const std::string& conversation = "",
                     const std::string& token = "") {
    std::string body = R"({"message":")" + message + "\"";
    if (!conversation.empty()) body += R"(,"conversation_id":")" + conversation + "\"";
    return Call("POST", "/v1/agents/support/preview/messages", body + "}", token);
  }

  std::string AddUser(const std::string& name, const std::string& role) {
    HttpResult r = Call("POST", "/v1/users", R"({"name":")" + name + R"(","role":")" + role + "\"}");
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r.body)->getValue<std::string>("token");
  }

  int64_t Revision() {
    return Json(Call("GET", "/v1/agents/support").body)->getObject("agent")->getValue<int64_t>(
        "revision");
  }

  TempDir dir_;
  std::unique_ptr<RunningDaemon> daemon_;
};

TEST_F(PreviewTest, TheLatestDraftAnswersAndConversationsContinue) {
  HttpResult first = Preview("how long do refunds take?");
  ASSERT_EQ(first.status, 200) << first.body;
  Object::Ptr out = Json(first.body);
  EXPECT_EQ(out->getValue<int64_t>("version"), 0);
  EXPECT_EQ(out->getValue<int64_t>("draft_revision"), Revision());
  EXPECT_EQ(out->getValue<std::string>("reply"), "Hello from draft 1!\n\nRefunds take 30 days.");
  EXPECT_EQ(out->getArray("tool_calls")->size(), 0u);
  const std::string id = out->getValue<std::string>("conversation_id");
  EXPECT_EQ(id.size(), 32u);

  HttpResult again = Preview("and refunds for shoes?", id);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Json(again.body)->getValue<std::string>("conversation_id"), id);
  EXPECT_EQ(Json(again.body)->getValue<std::string>("reply"), "Refunds take 30 days.");

  // Deployed, then edited: the preview follows the draft.
  ASSERT_EQ(Call("PUT", "/v1/agents/support/channels/alpha", R"({"plugin":"alpha","settings":{}})")
                .status,
            200);
  HttpResult deployed = Call("POST", "/v1/agents/support/deployments", R"({"comment":"v1"})");
  ASSERT_EQ(deployed.status, 201) << deployed.body;
  Behave("Hello from draft 2!");
  HttpResult edited = Preview("refunds?");
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(Json(edited.body)->getValue<std::string>("reply"),
            "Hello from draft 2!\n\nRefunds take 30 days.");
  EXPECT_EQ(Json(edited.body)->getValue<int64_t>("draft_revision"), Revision());
}

TEST_F(PreviewTest, OwnersEditorsAndOperatorsPreviewOthersDoNot) {
  const std::string viewer = AddUser("vera", "member");
  const std::string editor = AddUser("ed", "member");
  const std::string stranger = AddUser("sam", "member");
  ASSERT_EQ(Call("PUT", "/v1/agents/support/collaborators/vera", R"({"role":"viewer"})").status,
            200);
  ASSERT_EQ(Call("PUT", "/v1/agents/support/collaborators/ed", R"({"role":"editor"})").status, 200);

  EXPECT_EQ(Preview("hi", "", viewer).status, 403);
  EXPECT_EQ(Preview("hi", "", stranger).status, 403);  // not a collaborator
  HttpResult mine = Preview("hi", "", editor);
  ASSERT_EQ(mine.status, 200) << mine.body;
  const std::string id = Json(mine.body)->getValue<std::string>("conversation_id");
  // The admin may preview, but not continue the editor's conversation.
  EXPECT_EQ(Preview("hi", id).status, 404);
  EXPECT_EQ(Preview("hi", id, editor).status, 200);

  EXPECT_EQ(Call("POST", "/v1/agents/support/preview/messages", "{}").status, 400);
  EXPECT_EQ(Call("POST", "/v1/agents/support/preview/messages", R"({"message":"x","extra":1})")
                .status,
            400);
  EXPECT_EQ(Call("POST", "/v1/agents/nobody/preview/messages", R"({"message":"x"})").status, 404);
}

TEST_F(PreviewTest, AsServerSentEventsWhenAsked) {
  Poco::URI uri(daemon_->url());
  Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
  Poco::Net::HTTPRequest request("POST", "/v1/agents/support/preview/messages",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("Authorization", "Bearer " + daemon_->admin_token());
  request.set("Accept", "text/event-stream");
  const std::string body = R"({"message":"refunds?"})";
  request.setContentType("application/json");
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  std::string stream;
  Poco::StreamCopier::copyToString(in, stream);
  ASSERT_EQ(response.getStatus(), 200) << stream;
  EXPECT_EQ(response.getContentType(), "text/event-stream");
  // begin, the deltas, done; the deltas make the reply.
  ASSERT_EQ(stream.rfind("event: begin\ndata: {", 0), 0u) << stream;
  std::string joined;
  std::string done;
  for (size_t at = 0; (at = stream.find("event: ", at)) != std::string::npos;) {
    size_t data = stream.find("data: ", at) + 6;
    size_t end = stream.find("\n\n", data);
    const std::string name = stream.substr(at + 7, stream.find('\n', at) - at - 7);
    const std::string json = stream.substr(data, end - data);
    if (name == "delta") joined += Json(json)->getValue<std::string>("text");
    if (name == "done") done = json;
    at = end;
  }
  ASSERT_FALSE(done.empty()) << stream;
  EXPECT_EQ(joined, Json(done)->getValue<std::string>("reply"));
  EXPECT_EQ(joined, "Hello from draft 1!\n\nRefunds take 30 days.");
  EXPECT_EQ(Json(done)->getValue<int64_t>("version"), 0);
}

}  // namespace
}  // namespace herald::testing
