#include "test_http_server.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

namespace herald::testing {
namespace {

using std::chrono::milliseconds;

struct Answer {
  int status = 0;
  std::string body;
  Poco::Net::HTTPResponse response;
};

Answer Send(const TestHttpServer& server, const std::string& method, const std::string& target,
            const std::string& body = "", const HeaderList& headers = {}) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server.port()));
  session.setTimeout(Poco::Timespan(5, 0));
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers) request.add(name, value);
  if (!body.empty()) request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Answer answer;
  std::istream& in = session.receiveResponse(answer.response);
  Poco::StreamCopier::copyToString(in, answer.body);
  answer.status = answer.response.getStatus();
  return answer;
}

// Sends a raw HTTP/1.1 request on a plain socket and returns the socket.
Poco::Net::StreamSocket SendRaw(const TestHttpServer& server, const std::string& path) {
  Poco::Net::StreamSocket socket;
  socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server.port())),
                 Poco::Timespan(5, 0));
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  socket.sendBytes(request.data(), static_cast<int>(request.size()));
  return socket;
}

TEST(TestHttpServerTest, ListensOnLoopbackWithAFreePort) {
  TestHttpServer server;
  EXPECT_GT(server.port(), 0);
  EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(server.port()));
  TestHttpServer other;
  EXPECT_NE(other.port(), server.port());
}

TEST(TestHttpServerTest, AnswersTwoHundredByDefault) {
  TestHttpServer server;
  Answer answer = Send(server, "GET", "/");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, "");
}

TEST(TestHttpServerTest, RecordsMethodPathQueryHeadersAndBody) {
  TestHttpServer server;
  Send(server, "POST", "/v1/things?a=1&b=x%20y%2Bz&flag", "hello",
       {{"X-Custom-Header", "Value One"}, {"X-Twice", "1"}, {"X-Twice", "2"}});
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const RecordedRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/v1/things");
  EXPECT_EQ(r.query, "a=1&b=x%20y%2Bz&flag");
  EXPECT_EQ(r.body, "hello");
  EXPECT_EQ(r.Header("x-custom-header"), "Value One");
  EXPECT_EQ(r.Header("X-CUSTOM-HEADER"), "Value One");
  EXPECT_EQ(r.HeaderValues("x-twice"), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(r.Header("x-absent"), std::nullopt);
  for (const auto& [name, value] : r.headers) {
    for (char c : name) EXPECT_FALSE(c >= 'A' && c <= 'Z') << name;
  }
  EXPECT_EQ(r.QueryParams(), (HeaderList{{"a", "1"}, {"b", "x y+z"}, {"flag", ""}}));
}

TEST(TestHttpServerTest, RespondSetsStatusBodyAndHeaders) {
  TestHttpServer server;
  server.Respond(418, "short and stout", {{"X-Kind", "teapot"}});
  Answer answer = Send(server, "GET", "/any");
  EXPECT_EQ(answer.status, 418);
  EXPECT_EQ(answer.body, "short and stout");
  EXPECT_EQ(answer.response.get("X-Kind", ""), "teapot");
}

TEST(TestHttpServerTest, RespondAtOverridesTheDefaultForThatPathOnly) {
  TestHttpServer server;
  server.Respond(404, "nope");
  server.RespondAt("/ok", 200, "yes");
  EXPECT_EQ(Send(server, "GET", "/ok?x=1").status, 200);
  EXPECT_EQ(Send(server, "GET", "/ok/more").status, 404);
  EXPECT_EQ(Send(server, "GET", "/other").status, 404);
  EXPECT_EQ(server.request_count(), 3u);
}

TEST(TestHttpServerTest, RedirectIsSentAsIs) {
  TestHttpServer server;
  server.Respond(302, "", {{"Location", "/elsewhere"}});
  Answer answer = Send(server, "GET", "/");
  EXPECT_EQ(answer.status, 302);
  EXPECT_EQ(answer.response.get("Location", ""), "/elsewhere");
}

TEST(TestHttpServerTest, DropConnectionClosesWithoutAnswering) {
  TestHttpServer server;
  server.DropConnection();
  EXPECT_THROW(Send(server, "GET", "/drop"), Poco::Net::NoMessageException);
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].path, "/drop");
}

TEST(TestHttpServerTest, DropConnectionAtDropsOnlyThatPath) {
  TestHttpServer server;
  server.DropConnectionAt("/drop");
  EXPECT_THROW(Send(server, "GET", "/drop"), Poco::Net::NoMessageException);
  EXPECT_EQ(Send(server, "GET", "/fine").status, 200);
}

TEST(TestHttpServerTest, NeverAnswerHoldsTheConnectionOpen) {
  TestHttpServer server;
  server.NeverAnswer();
  Poco::Net::StreamSocket socket = SendRaw(server, "/hang");
  ASSERT_TRUE(server.WaitForRequests(1, milliseconds(5000)));
  EXPECT_EQ(server.requests()[0].path, "/hang");
  // Nothing arrives: the read times out rather than seeing an answer or EOF.
  socket.setReceiveTimeout(Poco::Timespan(0, 200 * 1000));
  char buffer[64];
  EXPECT_THROW(socket.receiveBytes(buffer, sizeof(buffer)), Poco::TimeoutException);
}

TEST(TestHttpServerTest, NeverAnswerAtHoldsOnlyThatPath) {
  TestHttpServer server;
  server.NeverAnswerAt("/hang");
  Poco::Net::StreamSocket held = SendRaw(server, "/hang");
  ASSERT_TRUE(server.WaitForRequests(1, milliseconds(5000)));
  EXPECT_EQ(Send(server, "GET", "/fine").status, 200);
}

TEST(TestHttpServerTest, DestructionReleasesHeldConnectionsPromptly) {
  auto server = std::make_unique<TestHttpServer>();
  server->NeverAnswer();
  Poco::Net::StreamSocket first = SendRaw(*server, "/a");
  Poco::Net::StreamSocket second = SendRaw(*server, "/b");
  ASSERT_TRUE(server->WaitForRequests(2, milliseconds(5000)));
  server.reset();
  // The held connections are closed without an answer: EOF, not a timeout.
  for (Poco::Net::StreamSocket* socket : {&first, &second}) {
    socket->setReceiveTimeout(Poco::Timespan(5, 0));
    char buffer[64];
    int n = 0;
    try {
      n = socket->receiveBytes(buffer, sizeof(buffer));
    } catch (const Poco::Net::ConnectionResetException&) {
      n = 0;
    }
    EXPECT_EQ(n, 0);
  }
}

TEST(TestHttpServerTest, DestructionDoesNotWaitForIdleKeepAliveConnections) {
  auto server = std::make_unique<TestHttpServer>();
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server->port()));
  session.setKeepAlive(true);
  Poco::Net::HTTPRequest request("GET", "/", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  EXPECT_EQ(response.getStatus(), 200);
  // The connection stays open and idle; the server's keep-alive timeout is
  // seconds long, and destruction must not sit it out (ctest's timeout
  // would catch a hang).
  server.reset();
}

TEST(TestHttpServerTest, WaitForRequestsTimesOutWhenNothingArrives) {
  TestHttpServer server;
  EXPECT_FALSE(server.WaitForRequests(1, milliseconds(50)));
  EXPECT_TRUE(server.WaitForRequests(0, milliseconds(0)));
}

TEST(TestHttpServerTest, ClearRequestsForgetsWhatWasRecorded) {
  TestHttpServer server;
  Send(server, "GET", "/one");
  EXPECT_EQ(server.request_count(), 1u);
  server.ClearRequests();
  EXPECT_EQ(server.request_count(), 0u);
  Send(server, "GET", "/two");
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].path, "/two");
}

TEST(TestHttpServerTest, ClosedPortRefusesConnections) {
  ClosedPort closed;
  EXPECT_GT(closed.port(), 0);
  EXPECT_EQ(closed.url(), "http://127.0.0.1:" + std::to_string(closed.port()));
  Poco::Net::StreamSocket socket;
  EXPECT_THROW(socket.connect(
                   Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(closed.port())),
                   Poco::Timespan(5, 0)),
               Poco::Net::ConnectionRefusedException);
}

}  // namespace
}  // namespace herald::testing
