// Zero downtime (issue 5, section 5): 50 concurrent chat clients on loopback,
// half asking for JSON and half for server-sent events, keep talking to an
// agent while it is redeployed, rolled back, and undeployed then deployed
// again. No answer may be a 5xx, no stream may break off, every reply must
// name exactly one version and say what that version says (each version's
// welcome message names it), and turns that start after a switch has returned
// must come from the new version.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "daemon_harness.h"

namespace herald::testing {
namespace {

using Poco::JSON::Object;

Object::Ptr Json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

constexpr int kClients = 50;

// What one turn gave: its HTTP status, the version it names (0 for none),
// and whether its reply is the one that version gives.
struct Turn {
  int status = 0;
  int64_t version = 0;
  bool consistent = false;
  bool stream_complete = true;
  std::string problem;
  std::chrono::steady_clock::time_point started;
  std::chrono::steady_clock::time_point finished;
};

// The version a reply's welcome message names ("... (welcome of version N)").
int64_t VersionInReply(const std::string& reply) {
  const std::string marker = "welcome of version ";
  size_t at = reply.find(marker);
  if (at == std::string::npos) return 0;
  return std::stoll(reply.substr(at + marker.size()));
}

class ChatClient {
 public:
  ChatClient(const Poco::URI& server, bool stream)
      : session_(server.getHost(), server.getPort()), stream_(stream) {
    session_.setKeepAlive(true);
    session_.setTimeout(Poco::Timespan(20, 0));
  }

  Turn Ask() {
    Turn t;
    t.started = std::chrono::steady_clock::now();
    try {
      Poco::Net::HTTPRequest request("POST", "/v1/channels/chat/shop/messages",
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      request.setKeepAlive(true);
      request.setContentType("application/json");
      if (stream_) request.set("Accept", "text/event-stream");
      const std::string body = R"({"message":"hello there"})";
      request.setContentLength(static_cast<std::streamsize>(body.size()));
      session_.sendRequest(request) << body;
      Poco::Net::HTTPResponse response;
      std::istream& in = session_.receiveResponse(response);
      std::stringstream text;
      text << in.rdbuf();
      t.status = static_cast<int>(response.getStatus());
      if (t.status != 200) {
        t.finished = std::chrono::steady_clock::now();
        t.problem = text.str();
        return t;
      }
      if (!stream_) {
        t.finished = std::chrono::steady_clock::now();
        Object::Ptr answer = Json(text.str());
        t.version = answer->getValue<int64_t>("version");
        t.consistent = VersionInReply(answer->getValue<std::string>("reply")) == t.version;
        return t;
      }
      // begin ... delta ... end: the end event's version and reply; the
      // deltas must add up to the reply.
      std::string line, event, deltas;
      int64_t begin_version = 0;
      bool ended = false;
      while (std::getline(text, line)) {
        if (line.rfind("event: ", 0) == 0) event = line.substr(7);
        if (line.rfind("data: ", 0) != 0) continue;
        Object::Ptr data = Json(line.substr(6));
        if (event == "begin") begin_version = data->getValue<int64_t>("version");
        if (event == "delta") deltas += data->getValue<std::string>("text");
        if (event == "error") t.problem = line;
        if (event == "end") {
          t.finished = std::chrono::steady_clock::now();
          ended = true;
          t.version = data->getValue<int64_t>("version");
          const std::string reply = data->getValue<std::string>("reply");
          t.consistent =
              begin_version == t.version && deltas == reply && VersionInReply(reply) == t.version;
        }
      }
      t.stream_complete = ended;
      return t;
    } catch (const std::exception& e) {
      t.status = -1;
      t.problem = e.what();
      session_.reset();
    }
    t.finished = std::chrono::steady_clock::now();
    return t;
  }

 private:
  Poco::Net::HTTPClientSession session_;
  bool stream_;
};

class ZeroDowntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<RunningDaemon>(dir_.path() / "data");
    ASSERT_TRUE(daemon_->ok()) << daemon_->error();
  }

  // Deploys the draft with a welcome message naming `version`.
  void DeployVersion(int64_t version) {
    ASSERT_EQ(daemon_
                  ->Call("PATCH", "/v1/agents/shop",
                         R"j({"behaviour":{"welcome_message":"Hello (welcome of version )j" +
                             std::to_string(version) + R"j()"}})j")
                  .status,
              200);
    HttpResult d = daemon_->Call("POST", "/v1/agents/shop/deployments", "{}");
    ASSERT_EQ(d.status, 201) << d.body;
    ASSERT_EQ(Json(d.body)->getObject("deployment")->getValue<int64_t>("version"), version);
  }

  TempDir dir_;
  std::unique_ptr<RunningDaemon> daemon_;
};

TEST_F(ZeroDowntimeTest, RedeployRollbackAndRedeployAfterUndeployUnderFiftyClients) {
  ASSERT_EQ(daemon_->Call("POST", "/v1/agents", R"({"id":"shop","name":"Shop"})").status, 201);
  ASSERT_EQ(daemon_
                ->Call("PATCH", "/v1/agents/shop",
                       R"({"description":"answers shop questions","model":"scripted"})")
                .status,
            200);
  ASSERT_EQ(daemon_
                ->Call("PUT", "/v1/agents/shop/channels/chat",
                       R"({"plugin":"chat","settings":{"access":"public"}})")
                .status,
            200);
  DeployVersion(1);

  // Each switch: when it was asked for and when it returned, and the version
  // live after it (0: none, so 404 is right).
  struct Switch {
    std::chrono::steady_clock::time_point begun;
    std::chrono::steady_clock::time_point done;
    int64_t version;
  };
  std::mutex mu;
  std::vector<Switch> switches;
  std::vector<Turn> turns;
  std::atomic<bool> stop{false};
  const Poco::URI server(daemon_->url());

  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      ChatClient client(server, i % 2 == 1);
      std::vector<Turn> mine;
      while (!stop.load()) mine.push_back(client.Ask());
      std::lock_guard<std::mutex> lock(mu);
      turns.insert(turns.end(), mine.begin(), mine.end());
    });
  }
  // Clients stop even when an assertion below returns early.
  struct Joiner {
    std::atomic<bool>& stop;
    std::vector<std::thread>& threads;
    ~Joiner() {
      stop = true;
      for (auto& t : threads) {
        if (t.joinable()) t.join();
      }
    }
  } joiner{stop, clients};
  auto settle = [] { std::this_thread::sleep_for(std::chrono::milliseconds(400)); };
  std::chrono::steady_clock::time_point begun;
  auto begin = [&] { begun = std::chrono::steady_clock::now(); };
  auto record = [&](int64_t version) {
    std::lock_guard<std::mutex> lock(mu);
    switches.push_back({begun, std::chrono::steady_clock::now(), version});
  };
  settle();
  begin();
  DeployVersion(2);  // redeploy
  record(2);
  settle();
  begin();
  HttpResult rolled = daemon_->Call("POST", "/v1/agents/shop/rollback", R"({"version":1})");
  ASSERT_EQ(rolled.status, 201) << rolled.body;
  record(1);
  settle();
  begin();
  ASSERT_EQ(daemon_->Call("POST", "/v1/agents/shop/undeploy").status, 200);
  record(0);
  settle();
  begin();
  DeployVersion(3);  // deploy again after the undeploy
  record(3);
  settle();
  stop = true;
  for (auto& t : clients) t.join();
  std::lock_guard<std::mutex> lock(mu);

  // The versions that may answer a turn: the one live when it started (the
  // last switch that had returned by then; version 1 before any), and that
  // of any switch running while the turn ran. A turn that starts after a
  // switch has returned may only get the new version.
  auto allowed = [&](const Turn& t) {
    std::set<int64_t> versions;
    int64_t at_start = 1;
    for (const auto& s : switches) {
      if (s.done <= t.started) at_start = s.version;
      if (s.begun <= t.finished && s.done >= t.started) versions.insert(s.version);
    }
    versions.insert(at_start);
    return versions;
  };
  std::map<int64_t, int> answered_by;
  int not_live = 0;
  for (const Turn& t : turns) {
    ASSERT_GT(t.status, 0) << "a request failed: " << t.problem;
    ASSERT_LT(t.status, 500) << "a 5xx answer";
    ASSERT_TRUE(t.stream_complete) << "a stream broke off: " << t.problem;
    const std::set<int64_t> may = allowed(t);
    if (t.status == 404) {
      ++not_live;
      EXPECT_TRUE(may.count(0)) << "404 while the agent was live: " << t.problem << " (started "
                                << std::chrono::duration_cast<std::chrono::milliseconds>(
                                       t.started - switches.front().begun)
                                       .count()
                                << " ms after the first switch began)";
      continue;
    }
    ASSERT_EQ(t.status, 200);
    ASSERT_TRUE(t.consistent) << "version " << t.version << " gave another version's reply";
    ++answered_by[t.version];
    EXPECT_TRUE(may.count(t.version))
        << "version " << t.version << " answered a turn that started after a switch away from it";
  }
  EXPECT_GT(turns.size(), static_cast<size_t>(kClients) * 4);
  EXPECT_GT(answered_by[1], 0);
  EXPECT_GT(answered_by[2], 0);
  EXPECT_GT(answered_by[3], 0);
  EXPECT_GT(not_live, 0);
}

}  // namespace
}  // namespace herald::testing
