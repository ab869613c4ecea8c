// Deploy, redeploy, roll back and undeploy through the real heraldd, with the
// scripted test channels (tests/fixtures/channels): alpha, beta and gamma
// publish, fail, hang or throw as each agent's channel settings say.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "daemon_harness.h"

namespace herald::testing {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;

Object::Ptr Json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

// One server-sent event and when it arrived, counted from the request.
struct TimedEvent {
  std::string name;
  Object::Ptr data;
  std::chrono::milliseconds at;
};

struct StreamedAnswer {
  int status = 0;
  std::string content_type;
  std::string body;  // when the answer was no event stream
  std::vector<TimedEvent> events;
};

// POSTs `body` asking for server-sent events and reads them as they come;
// with `hang_up_after` events, closes the connection then.
StreamedAnswer PostForEvents(const RunningDaemon& daemon, const std::string& path,
                             const std::string& body, size_t hang_up_after = SIZE_MAX) {
  const Poco::URI uri(daemon.url());
  Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("Accept", "text/event-stream");
  request.set("Authorization", "Bearer " + daemon.admin_token());
  request.setContentType("application/json");
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  const auto start = std::chrono::steady_clock::now();
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  StreamedAnswer answer;
  answer.status = static_cast<int>(response.getStatus());
  answer.content_type = response.getContentType();
  if (answer.content_type.rfind("text/event-stream", 0) != 0) {
    Poco::StreamCopier::copyToString(in, answer.body);
    return answer;
  }
  std::string name;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("event: ", 0) == 0) name = line.substr(7);
    if (line.rfind("data: ", 0) != 0) continue;
    answer.events.push_back({name, Json(line.substr(6)),
                             std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - start)});
    if (answer.events.size() >= hang_up_after) {
      session.reset();  // the client goes away mid-deploy
      break;
    }
  }
  return answer;
}

class DeployTest : public ::testing::Test {
 protected:
  void SetUp() override { Start("30000"); }

  void Start(const std::string& deadline_ms) {
    const fs::path config = dir_.path() / "heraldd.properties";
    std::ofstream(config) << "herald.channel_deadline_ms = " << deadline_ms << "\n";
    daemon_ = std::make_unique<RunningDaemon>(
        dir_.path() / "data", std::vector<std::string>{"--plugin-dir", HERALD_FIXTURE_CHANNEL_DIR,
                                                       "--config", config.string()});
    ASSERT_TRUE(daemon_->ok()) << daemon_->error();
  }

  HttpResult Call(const std::string& method, const std::string& path,
                  const std::string& body = "") {
    return daemon_->Call(method, path, body);
  }

  void CreateDeployable(const std::string& id) {
    ASSERT_EQ(
        Call("POST", "/v1/agents", R"({"id":")" + id + R"(","name":"Helper )" + id + "\"}").status,
        201);
    ASSERT_EQ(Call("PATCH", "/v1/agents/" + id,
                   R"({"description":"answers billing questions","model":"scripted"})")
                  .status,
              200);
    SetChannel(id, "alpha", "{}");
  }

  void SetChannel(const std::string& id, const std::string& plugin, const std::string& settings) {
    HttpResult r = Call("PUT", "/v1/agents/" + id + "/channels/" + plugin,
                        R"({"plugin":")" + plugin + R"(","settings":)" + settings + "}");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  HttpResult Deploy(const std::string& id, bool partial = false) {
    return Call("POST", "/v1/agents/" + id + "/deployments",
                std::string(R"({"comment":"test")") + (partial ? R"(,"partial":true})" : "}"));
  }

  Object::Ptr Summary(const std::string& id) {
    HttpResult r = Call("GET", "/v1/agents/" + id + "/summary");
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r.body);
  }

  // What each channel says it serves: {"alpha": "version 2", ...}.
  std::map<std::string, std::string> Serving(const std::string& id) {
    std::map<std::string, std::string> out;
    auto channels = Summary(id)->getObject("live")->getArray("channels");
    for (size_t i = 0; i < channels->size(); ++i) {
      auto c = channels->getObject(static_cast<unsigned>(i));
      out[c->getValue<std::string>("channel")] = c->getValue<std::string>("status_detail");
    }
    return out;
  }

  Poco::Dynamic::Var LiveVersion(const std::string& id) {
    return Summary(id)->getObject("live")->get("version");
  }

  size_t SearchCount(const std::string& q) {
    return Json(Call("GET", "/v1/live/agents?q=" + q).body)->getArray("agents")->size();
  }

  TempDir dir_;
  std::unique_ptr<RunningDaemon> daemon_;
};

TEST_F(DeployTest, TheSeedsWorkflow) {
  ASSERT_EQ(Call("POST", "/v1/agents", R"({"id":"helper","name":"Helper"})").status, 201);
  // The summary shows each blocker with its fix; deploying is refused.
  Object::Ptr s = Summary("helper");
  EXPECT_FALSE(s->getValue<bool>("deployable"));
  std::set<std::string> codes;
  auto blockers = s->getArray("blockers");
  for (size_t i = 0; i < blockers->size(); ++i) {
    auto b = blockers->getObject(static_cast<unsigned>(i));
    codes.insert(b->getValue<std::string>("code"));
    EXPECT_FALSE(b->getValue<std::string>("fix").empty());
  }
  EXPECT_TRUE(codes.count("profile.description_missing"));
  EXPECT_TRUE(codes.count("profile.model_unsupported"));
  EXPECT_TRUE(codes.count("channels.none"));
  HttpResult refused = Deploy("helper");
  EXPECT_EQ(refused.status, 422);
  EXPECT_GE(Json(refused.body)->getArray("blockers")->size(), 3u);

  // Fix them; deploy: live at once, with its timestamp.
  ASSERT_EQ(Call("PATCH", "/v1/agents/helper",
                 R"({"description":"answers billing questions","model":"scripted"})")
                .status,
            200);
  SetChannel("helper", "alpha", "{}");
  EXPECT_TRUE(Summary("helper")->getValue<bool>("deployable"));
  HttpResult first = Deploy("helper");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(Json(first.body)->getObject("deployment")->getValue<std::string>("state"), "succeeded");
  EXPECT_EQ(LiveVersion("helper").convert<int>(), 1);
  EXPECT_FALSE(Summary("helper")->getObject("live")->getValue<std::string>("deployed_at").empty());
  EXPECT_EQ(Serving("helper")["alpha"], "version 1");
  EXPECT_EQ(SearchCount("billing"), 1u);

  // Edit the draft: live is unchanged.
  ASSERT_EQ(
      Call("PATCH", "/v1/agents/helper", R"({"description":"answers shipping questions"})").status,
      200);
  EXPECT_EQ(LiveVersion("helper").convert<int>(), 1);
  EXPECT_EQ(SearchCount("shipping"), 0u);
  auto diff = Json(Call("GET", "/v1/agents/helper/diff").body)->getArray("changes");
  ASSERT_EQ(diff->size(), 1u);
  EXPECT_EQ(diff->getObject(0)->getValue<std::string>("path"), "description");

  // Redeploy: live changes; the old version stays in the history.
  ASSERT_EQ(Deploy("helper").status, 201);
  EXPECT_EQ(LiveVersion("helper").convert<int>(), 2);
  EXPECT_EQ(Serving("helper")["alpha"], "version 2");
  EXPECT_EQ(SearchCount("shipping"), 1u);
  EXPECT_EQ(SearchCount("billing"), 0u);
  EXPECT_EQ(Json(Call("GET", "/v1/agents/helper/versions").body)->getArray("versions")->size(), 2u);
  auto v1 = Json(Call("GET", "/v1/agents/helper/versions/1").body)->getObject("version");
  EXPECT_EQ(v1->getObject("snapshot")->getValue<std::string>("description"),
            "answers billing questions");

  // Undeploy: every channel stops, back in draft, gone from live search.
  HttpResult undeployed = Call("POST", "/v1/agents/helper/undeploy");
  ASSERT_EQ(undeployed.status, 200) << undeployed.body;
  EXPECT_TRUE(LiveVersion("helper").isEmpty());
  EXPECT_TRUE(Serving("helper").empty());
  EXPECT_EQ(SearchCount("shipping"), 0u);
  HttpResult again = Call("POST", "/v1/agents/helper/undeploy");
  EXPECT_EQ(again.status, 422);
  EXPECT_NE(again.body.find("is not live"), std::string::npos);
}

// heraldd keeps the drafts and connections it reads while the database's
// content generation (migration 14) stays put: deploys, redeploys, a
// rollback, an undeploy and their summaries never move it, so they never
// empty that cache; a draft another process writes to the file moves it,
// and heraldd's next read sees the write.
TEST_F(DeployTest, DeploysKeepTheContentGenerationAndOtherWritersAreSeen) {
  CreateDeployable("gen");
  const fs::path db_path = dir_.path() / "data" / "herald.db";
  auto sql = [&](const std::string& text) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    std::string value;
    EXPECT_EQ(sqlite3_exec(
                  db, text.c_str(),
                  [](void* out, int, char** columns, char**) {
                    *static_cast<std::string*>(out) = columns[0] != nullptr ? columns[0] : "";
                    return 0;
                  },
                  &value, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
    return value;
  };
  auto generation = [&] { return sql("SELECT value FROM content_generation"); };

  ASSERT_EQ(Deploy("gen").status, 201);
  const std::string deployed = generation();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Deploy("gen").status, 201);
  HttpResult rolled = Call("POST", "/v1/agents/gen/rollback", R"({"version":1})");
  ASSERT_EQ(rolled.status, 201) << rolled.body;
  EXPECT_EQ(LiveVersion("gen").convert<int>(), 1);
  ASSERT_EQ(Call("POST", "/v1/agents/gen/undeploy").status, 200);
  EXPECT_TRUE(LiveVersion("gen").isEmpty());
  EXPECT_TRUE(Summary("gen")->getValue<bool>("deployable"));
  EXPECT_EQ(generation(), deployed) << "a deploy moved the content generation";

  // Another process's write to the draft, read while heraldd holds it.
  sql("UPDATE agents SET description = 'written elsewhere' WHERE id = 'gen'");
  EXPECT_NE(generation(), deployed);
  HttpResult agent = Call("GET", "/v1/agents/gen");
  ASSERT_EQ(agent.status, 200);
  EXPECT_EQ(Json(agent.body)->getObject("agent")->getValue<std::string>("description"),
            "written elsewhere");
  HttpResult last = Deploy("gen");
  ASSERT_EQ(last.status, 201) << last.body;
  const int n = Json(last.body)->getObject("deployment")->getValue<int>("version");
  auto version =
      Json(Call("GET", "/v1/agents/gen/versions/" + std::to_string(n)).body)->getObject("version");
  EXPECT_EQ(version->getObject("snapshot")->getValue<std::string>("description"),
            "written elsewhere");
}

// The seed's workflow through the real CLI: create, see the blockers, fix
// them, deploy, live with its timestamp, edit (live unchanged), redeploy,
// roll back, undeploy (gone from live search).
TEST_F(DeployTest, TheSeedsWorkflowThroughTheCli) {
  auto cli = [&](std::vector<std::string> args) { return daemon_->Cli(std::move(args)); };
  ASSERT_EQ(cli({"agents", "create", "billing", "--name", "Billing helper"}).exit_code, 0);
  ProcessResult blocked = cli({"summary", "billing"});
  EXPECT_EQ(blocked.exit_code, 1) << blocked.out << blocked.err;
  EXPECT_NE(blocked.out.find("profile.description_missing"), std::string::npos) << blocked.out;
  EXPECT_NE(blocked.out.find("✗"), std::string::npos) << blocked.out;
  ProcessResult refused = cli({"deploy", "billing"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE((refused.out + refused.err).find("channels.none"), std::string::npos)
      << refused.out << refused.err;

  ASSERT_EQ(cli({"agents", "set", "billing", "--description", "answers invoice questions",
                 "--model", "scripted", "--welcome-message", "Hello"})
                .exit_code,
            0);
  ASSERT_EQ(cli({"agents", "set-channel", "billing", "alpha", "--plugin", "alpha"}).exit_code, 0);
  ASSERT_EQ(cli({"agents", "set-channel", "billing", "beta", "--plugin", "beta"}).exit_code, 0);
  ProcessResult ready = cli({"summary", "billing"});
  EXPECT_EQ(ready.exit_code, 0) << ready.out << ready.err;
  EXPECT_NE(ready.out.find("✓"), std::string::npos);

  ProcessResult deployed = cli({"deploy", "billing", "--comment", "first"});
  ASSERT_EQ(deployed.exit_code, 0) << deployed.out << deployed.err;
  EXPECT_NE(deployed.out.find("alpha"), std::string::npos) << deployed.out;
  EXPECT_NE(deployed.out.find("published"), std::string::npos) << deployed.out;
  ProcessResult live = cli({"summary", "billing"});
  EXPECT_NE(live.out.find("version 1"), std::string::npos) << live.out;
  EXPECT_NE(cli({"search", "invoice"}).out.find("billing"), std::string::npos);

  ASSERT_EQ(
      cli({"agents", "set", "billing", "--description", "answers refund questions"}).exit_code, 0);
  EXPECT_EQ(Serving("billing")["alpha"], "version 1");
  ProcessResult diff = cli({"diff", "billing"});
  EXPECT_NE(diff.out.find("description"), std::string::npos) << diff.out;
  ASSERT_EQ(cli({"deploy", "billing", "--comment", "refunds"}).exit_code, 0);
  EXPECT_EQ(Serving("billing")["beta"], "version 2");
  ProcessResult versions = cli({"versions", "billing"});
  EXPECT_NE(versions.out.find("refunds"), std::string::npos) << versions.out;
  ASSERT_EQ(cli({"rollback", "billing", "--to", "1"}).exit_code, 0);
  EXPECT_EQ(Serving("billing")["alpha"], "version 1");
  EXPECT_NE(cli({"deployments", "billing"}).out.find("rollback"), std::string::npos);

  ASSERT_EQ(cli({"undeploy", "billing"}).exit_code, 0);
  EXPECT_EQ(cli({"search", "invoice"}).out.find("billing"), std::string::npos);
  EXPECT_EQ(cli({"undeploy", "billing"}).exit_code, 1);
}

TEST_F(DeployTest, AFailingChannelPutsThePublishedOnesBack) {
  CreateDeployable("a");
  ASSERT_EQ(Deploy("a").status, 201);  // v1 on alpha
  SetChannel("a", "beta", R"({"fail":true})");
  HttpResult failed = Deploy("a");
  ASSERT_EQ(failed.status, 502) << failed.body;
  auto d = Json(failed.body)->getObject("deployment");
  EXPECT_EQ(d->getValue<std::string>("state"), "failed");
  std::map<std::string, std::string> outcomes;
  auto channels = d->getArray("channels");
  for (size_t i = 0; i < channels->size(); ++i) {
    auto c = channels->getObject(static_cast<unsigned>(i));
    outcomes[c->getValue<std::string>("channel")] = c->getValue<std::string>("outcome");
    if (c->getValue<std::string>("channel") == "beta") {
      EXPECT_NE(c->getValue<std::string>("message").find("downstream rejected version 2"),
                std::string::npos);
    }
  }
  EXPECT_EQ(outcomes["alpha"], "rolled_back");
  EXPECT_EQ(outcomes["beta"], "error");
  EXPECT_EQ(LiveVersion("a").convert<int>(), 1);
  EXPECT_EQ(Serving("a")["alpha"], "version 1");
  // The summary shows the last deployment's channel errors.
  auto last = Summary("a")->getObject("last_deployment");
  EXPECT_EQ(last->getValue<std::string>("state"), "failed");
}

TEST_F(DeployTest, PartialLetsTheChannelsThatPublishedSwitch) {
  CreateDeployable("p");
  SetChannel("p", "beta", "{}");
  ASSERT_EQ(Deploy("p").status, 201);  // v1 on alpha and beta
  SetChannel("p", "beta", R"({"fail":true})");
  HttpResult partial = Deploy("p", /*partial=*/true);
  ASSERT_EQ(partial.status, 201) << partial.body;
  EXPECT_EQ(Json(partial.body)->getObject("deployment")->getValue<std::string>("state"), "partial");
  EXPECT_EQ(LiveVersion("p").convert<int>(), 2);
  auto serving = Serving("p");
  EXPECT_EQ(serving["alpha"], "version 2");
  EXPECT_EQ(serving["beta"], "version 1");
}

TEST_F(DeployTest, AHangingOrThrowingChannelFailsOnlyItself) {
  ASSERT_EQ(daemon_->Stop(SIGTERM), 0);
  Start("300");
  CreateDeployable("h");
  SetChannel("h", "gamma", R"({"hang_ms":3000})");
  HttpResult hung = Deploy("h");
  ASSERT_EQ(hung.status, 502) << hung.body;
  auto channels = Json(hung.body)->getObject("deployment")->getArray("channels");
  bool saw_timeout = false;
  for (size_t i = 0; i < channels->size(); ++i) {
    auto c = channels->getObject(static_cast<unsigned>(i));
    if (c->getValue<std::string>("channel") == "gamma") {
      saw_timeout = c->getValue<std::string>("outcome") == "timed_out";
    }
  }
  EXPECT_TRUE(saw_timeout) << hung.body;
  EXPECT_EQ(daemon_->Get("/healthz").status, 200);

  SetChannel("h", "gamma", R"({"throw":true})");
  HttpResult thrown = Deploy("h");
  ASSERT_EQ(thrown.status, 502);
  EXPECT_NE(thrown.body.find("scripted throw"), std::string::npos) << thrown.body;
  EXPECT_EQ(daemon_->Get("/healthz").status, 200);
}

TEST_F(DeployTest, RollbackPublishesAnEarlierVersion) {
  CreateDeployable("r");
  ASSERT_EQ(Deploy("r").status, 201);
  ASSERT_EQ(Call("PATCH", "/v1/agents/r", R"({"description":"second"})").status, 200);
  ASSERT_EQ(Deploy("r").status, 201);
  HttpResult back = Call("POST", "/v1/agents/r/rollback", R"({"version":1})");
  ASSERT_EQ(back.status, 201) << back.body;
  EXPECT_EQ(LiveVersion("r").convert<int>(), 1);
  EXPECT_EQ(Serving("r")["alpha"], "version 1");
  EXPECT_EQ(Call("POST", "/v1/agents/r/rollback", R"({"version":9})").status, 404);
}

// Accept: text/event-stream: each channel's outcome as it answers, a fast
// one well before a slow one, then the deployment as the plain call gives it.
TEST_F(DeployTest, AStreamedDeployShowsEachChannelAsItAnswers) {
  CreateDeployable("s");  // alpha answers at once
  SetChannel("s", "beta", R"({"hang_ms":1500})");
  StreamedAnswer streamed = PostForEvents(*daemon_, "/v1/agents/s/deployments", "{}");
  ASSERT_EQ(streamed.status, 200) << streamed.body;
  ASSERT_EQ(streamed.events.size(), 3u);
  const TimedEvent& fast = streamed.events[0];
  const TimedEvent& slow = streamed.events[1];
  EXPECT_EQ(fast.name, "channel");
  EXPECT_EQ(fast.data->getValue<std::string>("channel"), "alpha");
  EXPECT_EQ(fast.data->getValue<std::string>("outcome"), "published");
  EXPECT_EQ(slow.name, "channel");
  EXPECT_EQ(slow.data->getValue<std::string>("channel"), "beta");
  EXPECT_EQ(slow.data->getValue<std::string>("outcome"), "published");
  EXPECT_GE(slow.data->getValue<int>("latency_ms"), 1500);
  // The fast channel's event came while the slow one still hung.
  EXPECT_GE((slow.at - fast.at).count(), 1000) << fast.at.count() << " " << slow.at.count();
  const TimedEvent& end = streamed.events[2];
  EXPECT_EQ(end.name, "deployment");
  EXPECT_EQ(end.data->getValue<int>("status"), 201);
  auto d = end.data->getObject("deployment");
  EXPECT_EQ(d->getValue<std::string>("state"), "succeeded");
  EXPECT_EQ(d->getArray("channels")->size(), 2u);
  EXPECT_EQ(LiveVersion("s").convert<int>(), 1);

  // The same through the real CLI: both lines, then the result.
  ASSERT_EQ(Call("PATCH", "/v1/agents/s", R"({"description":"second"})").status, 200);
  ProcessResult cli = daemon_->Cli({"deploy", "s"});
  ASSERT_EQ(cli.exit_code, 0) << cli.out << cli.err;
  const size_t alpha = cli.out.find("alpha  alpha  published  -  ");
  const size_t beta = cli.out.find("beta  beta  published  -  ");
  ASSERT_NE(alpha, std::string::npos) << cli.out;
  ASSERT_NE(beta, std::string::npos) << cli.out;
  EXPECT_LT(alpha, beta) << cli.out;
  EXPECT_NE(cli.out.find("State:       succeeded"), std::string::npos) << cli.out;
  EXPECT_NE(cli.out.find("Version:     2 (previously 1)"), std::string::npos) << cli.out;
  EXPECT_EQ(LiveVersion("s").convert<int>(), 2);
}

TEST_F(DeployTest, AStreamedFailedDeployShowsThePutBack) {
  CreateDeployable("f");
  SetChannel("f", "beta", R"({"fail":true,"hang_ms":300})");
  StreamedAnswer streamed = PostForEvents(*daemon_, "/v1/agents/f/deployments", "{}");
  ASSERT_EQ(streamed.status, 200) << streamed.body;
  std::vector<std::string> seen;
  for (const auto& e : streamed.events) {
    seen.push_back(e.name == "channel" ? e.data->getValue<std::string>("channel") + " " +
                                             e.data->getValue<std::string>("outcome")
                                       : e.name);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"alpha published", "beta error", "alpha rolled_back",
                                            "deployment"}));
  // The last event is the plain call's 502 body, with its status.
  Object::Ptr end = streamed.events.back().data;
  EXPECT_EQ(end->getValue<int>("status"), 502);
  EXPECT_EQ(end->getObject("error")->getValue<std::string>("code"), "deploy_failed");
  EXPECT_EQ(end->getObject("deployment")->getValue<std::string>("state"), "failed");
  EXPECT_TRUE(LiveVersion("f").isEmpty());

  // The CLI prints the lines as they came and exits 1.
  ProcessResult cli = daemon_->Cli({"deploy", "f"});
  EXPECT_EQ(cli.exit_code, 1) << cli.out << cli.err;
  EXPECT_NE(cli.out.find("alpha  alpha  rolled_back"), std::string::npos) << cli.out;
  EXPECT_NE(cli.out.find("State:       failed"), std::string::npos) << cli.out;
  EXPECT_NE(cli.err.find("deploy_failed"), std::string::npos) << cli.err;
}

// Refusals before anything starts are plain JSON answers, not streams.
TEST_F(DeployTest, AStreamedDeployRefusedIsAPlainError) {
  ASSERT_EQ(Call("POST", "/v1/agents", R"({"id":"nope","name":"Nope"})").status, 201);
  StreamedAnswer refused = PostForEvents(*daemon_, "/v1/agents/nope/deployments", "{}");
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.content_type, "application/json");
  EXPECT_GE(Json(refused.body)->getArray("blockers")->size(), 1u) << refused.body;
  StreamedAnswer missing = PostForEvents(*daemon_, "/v1/agents/ghost/deployments", "{}");
  EXPECT_EQ(missing.status, 404);
  StreamedAnswer not_live = PostForEvents(*daemon_, "/v1/agents/nope/undeploy", "");
  EXPECT_EQ(not_live.status, 422);
  EXPECT_NE(not_live.body.find("is not live"), std::string::npos) << not_live.body;
  CreateDeployable("rb");
  StreamedAnswer no_version = PostForEvents(*daemon_, "/v1/agents/rb/rollback", R"({"version":7})");
  EXPECT_EQ(no_version.status, 404);
  EXPECT_EQ(no_version.content_type, "application/json");
}

TEST_F(DeployTest, AStreamedUndeployAndRollback) {
  CreateDeployable("u");
  ASSERT_EQ(Deploy("u").status, 201);
  ASSERT_EQ(Deploy("u").status, 201);
  StreamedAnswer back = PostForEvents(*daemon_, "/v1/agents/u/rollback", R"({"version":1})");
  ASSERT_EQ(back.status, 200) << back.body;
  ASSERT_EQ(back.events.size(), 2u);
  EXPECT_EQ(back.events[0].data->getValue<std::string>("outcome"), "published");
  EXPECT_EQ(back.events[1].data->getValue<int>("status"), 201);
  EXPECT_EQ(Serving("u")["alpha"], "version 1");
  StreamedAnswer down = PostForEvents(*daemon_, "/v1/agents/u/undeploy", "");
  ASSERT_EQ(down.status, 200) << down.body;
  ASSERT_EQ(down.events.size(), 2u);
  EXPECT_EQ(down.events[0].data->getValue<std::string>("outcome"), "unpublished");
  EXPECT_EQ(down.events[1].data->getValue<int>("status"), 200);
  EXPECT_EQ(down.events[1].data->getObject("deployment")->getValue<std::string>("kind"),
            "undeploy");
  EXPECT_TRUE(LiveVersion("u").isEmpty());
}

// A client that leaves mid-stream does not stop the deployment.
TEST_F(DeployTest, AStreamedDeployFinishesWhenTheClientLeaves) {
  CreateDeployable("g");
  SetChannel("g", "beta", R"({"hang_ms":1000})");
  StreamedAnswer left = PostForEvents(*daemon_, "/v1/agents/g/deployments", "{}", 1);
  ASSERT_EQ(left.events.size(), 1u);
  bool done = false;
  for (int i = 0; i < 250 && !done; ++i) {
    auto list = Json(Call("GET", "/v1/agents/g/deployments").body)->getArray("deployments");
    done = list->size() == 1 && list->getObject(0)->getValue<std::string>("state") != "running";
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(done);
  auto d =
      Json(Call("GET", "/v1/agents/g/deployments").body)->getArray("deployments")->getObject(0);
  EXPECT_EQ(d->getValue<std::string>("state"), "succeeded");
  EXPECT_EQ(LiveVersion("g").convert<int>(), 1);
  EXPECT_EQ(Serving("g")["beta"], "version 1");
}

TEST_F(DeployTest, ViewersCannotDeploy) {
  CreateDeployable("v");
  HttpResult user = Call("POST", "/v1/users", R"({"name":"vic","role":"member"})");
  const std::string vic = Json(user.body)->getValue<std::string>("token");
  ASSERT_EQ(Call("PUT", "/v1/agents/v/collaborators/vic", R"({"role":"viewer"})").status, 200);
  EXPECT_EQ(daemon_->Call("GET", "/v1/agents/v/summary", "", vic).status, 200);
  EXPECT_EQ(daemon_->Call("POST", "/v1/agents/v/deployments", "{}", vic).status, 403);
}

TEST_F(DeployTest, AKilledDeployLeavesThePreviousLiveVersionWhole) {
  CreateDeployable("k");
  ASSERT_EQ(Deploy("k").status, 201);  // v1
  SetChannel("k", "gamma", R"({"hang_ms":20000})");
  std::thread deploying([&] { Deploy("k"); });  // v2 hangs in gamma
  // Wait until v2's deployment is recorded as running, then kill -9.
  bool running = false;
  for (int i = 0; i < 500 && !running; ++i) {
    auto list = Json(Call("GET", "/v1/agents/k/deployments").body)->getArray("deployments");
    running = list->size() == 2 && list->getObject(0)->getValue<std::string>("state") == "running";
    if (!running) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(running);
  EXPECT_EQ(daemon_->Stop(SIGKILL), 128 + SIGKILL);
  deploying.join();

  Start("30000");
  EXPECT_EQ(LiveVersion("k").convert<int>(), 1);
  auto list = Json(Call("GET", "/v1/agents/k/deployments").body)->getArray("deployments");
  auto interrupted = list->getObject(0);
  EXPECT_EQ(interrupted->getValue<std::string>("state"), "interrupted");
  EXPECT_EQ(interrupted->getValue<int>("version"), 2);
  EXPECT_EQ(interrupted->getValue<int>("previous_version"), 1);
  // Recovery published the live version again.
  EXPECT_EQ(Serving("k")["alpha"], "version 1");

  // The next deploy takes the next number and id, and is the newest.
  SetChannel("k", "gamma", "{}");
  ASSERT_EQ(Deploy("k").status, 201);
  EXPECT_EQ(LiveVersion("k").convert<int>(), 3);
  list = Json(Call("GET", "/v1/agents/k/deployments").body)->getArray("deployments");
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("state"), "succeeded");
  EXPECT_GT(list->getObject(0)->getValue<int>("id"), interrupted->getValue<int>("id"));
  EXPECT_EQ(list->getObject(1)->getValue<int>("id"), interrupted->getValue<int>("id"));
}

}  // namespace
}  // namespace herald::testing
