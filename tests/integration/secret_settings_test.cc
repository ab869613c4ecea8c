// Secret channel settings (ABI 1.2) through the real heraldd and herald CLI,
// with the scripted test channel, whose `token` setting is secret and which
// records what publish and its deployment events receive (plugins.alpha.
// record_file, outside the data directory). The value given must reach the
// plugin and nothing else: no answer, export, diff, audit entry, log line or
// byte of the database file holds it in the clear.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon_harness.h"

namespace herald::testing {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;

// Values no output may ever carry.
constexpr char kCanary[] = "canary-xoxb-5e1f0a";
constexpr char kCanary2[] = "canary-xoxb-77d2b9";

Object::Ptr Json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every file below `dir` (the database, its WAL, the key file ...) whose
// bytes hold `needle`.
std::vector<std::string> FilesHolding(const fs::path& dir, const std::string& needle) {
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && ReadFile(entry.path()).find(needle) != std::string::npos) {
      out.push_back(entry.path().string());
    }
  }
  return out;
}

class SecretSettingsDaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path config = dir_.path() / "heraldd.properties";
    std::ofstream(config) << "plugins.alpha.record_file = " << record_file().string() << "\n";
    daemon_ = std::make_unique<RunningDaemon>(
        data_dir(),
        std::vector<std::string>{"--plugin-dir", HERALD_FIXTURE_CHANNEL_DIR, "--plugin-dir",
                                 HERALD_FIXTURE_ABI_1_1_DIR, "--config", config.string()});
    ASSERT_TRUE(daemon_->ok()) << daemon_->error();
  }

  fs::path data_dir() const { return dir_.path() / "data"; }
  fs::path record_file() const { return dir_.path() / "alpha-record.txt"; }

  HttpResult Call(const std::string& method, const std::string& path,
                  const std::string& body = "") {
    HttpResult r = daemon_->Call(method, path, body);
    seen_ += r.body;
    for (const auto& [k, v] : r.headers) seen_ += k + ": " + v + "\n";
    return r;
  }

  HttpResult SetToken(const std::string& token_json) {
    return Call("PUT", "/v1/agents/helper/channels/alpha",
                R"({"plugin":"alpha","settings":{"token":)" + token_json + "}}");
  }

  int64_t Revision() {
    return Json(Call("GET", "/v1/agents/helper").body)
        ->getObject("agent")
        ->getValue<int64_t>("revision");
  }

  std::string Deploy() {
    HttpResult r = Call("POST", "/v1/agents/helper/deployments", R"({"comment":"ship"})");
    EXPECT_EQ(r.status, 201) << r.body;
    const int64_t version = Json(r.body)->getObject("deployment")->getValue<int64_t>("version");
    HttpResult v = Call("GET", "/v1/agents/helper/versions/" + std::to_string(version));
    EXPECT_EQ(v.status, 200) << v.body;
    return Json(v.body)->getObject("version")->getValue<std::string>("content_hash");
  }

  // The last line of the record file that starts with `prefix`.
  std::string LastRecord(const std::string& prefix) {
    std::istringstream in(ReadFile(record_file()));
    std::string last;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(prefix, 0) == 0) last = line;
    }
    return last;
  }

  // Rows of sealed secret setting values, read from the database file (a
  // reader beside the running daemon, as WAL allows).
  int SecretRows() {
    sqlite3* db = nullptr;
    EXPECT_EQ(
        sqlite3_open_v2((data_dir() / "herald.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
        SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    int rows = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM channel_secrets", -1, &stmt, nullptr) ==
            SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      rows = sqlite3_column_int(stmt, 0);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return rows;
  }

  // The ids of the stored values, read the same way.
  std::vector<std::string> SecretIds() {
    sqlite3* db = nullptr;
    EXPECT_EQ(
        sqlite3_open_v2((data_dir() / "herald.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
        SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    std::vector<std::string> ids;
    if (sqlite3_prepare_v2(db, "SELECT id FROM channel_secrets", -1, &stmt, nullptr) == SQLITE_OK) {
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        ids.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
      }
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return ids;
  }

  ProcessResult Cli(const std::vector<std::string>& args) {
    ProcessResult r = daemon_->Cli(args);
    seen_ += r.out + r.err;
    return r;
  }

  TempDir dir_;
  std::unique_ptr<RunningDaemon> daemon_;
  std::string seen_;  // every answer and CLI output of the test
};

TEST_F(SecretSettingsDaemonTest, ASecretSettingReachesThePluginAndNothingElse) {
  ASSERT_EQ(Call("POST", "/v1/agents", R"({"id":"helper","name":"Helper"})").status, 201);
  ASSERT_EQ(Call("PATCH", "/v1/agents/helper",
                 R"({"description":"answers billing questions","model":"scripted"})")
                .status,
            200);

  // Nothing stored to keep: refused, naming the setting.
  HttpResult nothing = SetToken(R"({"$secret":"set"})");
  EXPECT_EQ(nothing.status, 400) << nothing.body;
  EXPECT_NE(nothing.body.find("settings.token"), std::string::npos) << nothing.body;
  // The plugin's own validate sees the value (and names no value).
  HttpResult revoked = SetToken(R"("revoked-canary")");
  EXPECT_EQ(revoked.status, 400) << revoked.body;
  EXPECT_NE(revoked.body.find("settings.token: the token is revoked"), std::string::npos);
  EXPECT_EQ(revoked.body.find("revoked-canary"), std::string::npos);

  // Set: answered masked.
  HttpResult set = SetToken(std::string("\"") + kCanary + "\"");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_NE(set.body.find(R"("token":{"$secret":"set"})"), std::string::npos) << set.body;
  EXPECT_NE(Call("GET", "/v1/agents/helper").body.find(R"({"$secret":"set"})"), std::string::npos);
  EXPECT_EQ(Call("GET", "/v1/agents/helper/summary").status, 200);
  // The summary's re-check hands validate the stored value too: a plugin
  // that requires the secret finds it there.
  ASSERT_EQ(
      Call("PUT", "/v1/agents/helper/channels/alpha",
           R"({"plugin":"alpha","settings":{"require_token":true,"token":{"$secret":"set"}}})")
          .status,
      200);
  HttpResult summary = Call("GET", "/v1/agents/helper/summary");
  EXPECT_EQ(summary.status, 200);
  EXPECT_EQ(summary.body.find("a token is required"), std::string::npos) << summary.body;
  EXPECT_NE(summary.body.find(R"("deployable":true)"), std::string::npos) << summary.body;
  ASSERT_EQ(Call("PUT", "/v1/agents/helper/channels/alpha",
                 R"({"plugin":"alpha","settings":{"token":{"$secret":"set"}}})")
                .status,
            200);

  // Deploy: publish gets the value in its settings, the snapshot masked;
  // the deployment event gets the value too.
  const std::string hash1 = Deploy();
  const std::string published = LastRecord("publish helper 1 ");
  EXPECT_NE(published.find(std::string("token=") + kCanary + " "), std::string::npos) << published;
  const std::string snapshot = published.substr(published.find(" snapshot=") + 10);
  EXPECT_EQ(snapshot.find(kCanary), std::string::npos) << snapshot;
  EXPECT_NE(snapshot.find(R"("token":{"$secret":"set"})"), std::string::npos) << snapshot;
  EXPECT_NE(LastRecord("event helper ").find(std::string("token=") + kCanary), std::string::npos);

  // Export shows the marker; applying the export changes nothing.
  ProcessResult exported = Cli({"export", "helper"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.out.find(R"("$secret": "set")"), std::string::npos) << exported.out;
  const fs::path yaml = dir_.path() / "helper.yaml";
  std::ofstream(yaml) << exported.out;
  const int64_t before_apply = Revision();
  ProcessResult applied = Cli({"apply", "-f", yaml.string()});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_NE(applied.out.find("unchanged"), std::string::npos) << applied.out;
  EXPECT_EQ(Revision(), before_apply);
  EXPECT_EQ(Json(Call("GET", "/v1/agents/helper/diff").body)->getArray("changes")->size(), 0u);

  // Keeping by marker through REST: no change; a new value: a change the
  // diff names without either value, and a new content hash.
  ASSERT_EQ(SetToken(R"({"$secret":"set"})").status, 200);
  EXPECT_EQ(Revision(), before_apply);
  ASSERT_EQ(SetToken(std::string("\"") + kCanary2 + "\"").status, 200);
  auto changes = Json(Call("GET", "/v1/agents/helper/diff").body)->getArray("changes");
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ(changes->getObject(0)->getValue<std::string>("path"), "channels[alpha].settings.token");
  EXPECT_EQ(changes->getObject(0)->getValue<std::string>("from"), R"({"$secret":"set"})");
  EXPECT_EQ(changes->getObject(0)->getValue<std::string>("to"), R"({"$secret":"set"})");
  const std::string hash2 = Deploy();
  EXPECT_NE(hash2, hash1);
  EXPECT_NE(LastRecord("publish helper 2 ").find(std::string("token=") + kCanary2 + " "),
            std::string::npos);
  // The same value again keeps its reference: the same content hash.
  ASSERT_EQ(SetToken(std::string("\"") + kCanary2 + "\"").status, 200);
  EXPECT_EQ(Deploy(), hash2);

  // The master key rotates; the value still opens for the plugin.
  ProcessResult rotated = Cli({"admin", "rotate-key"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  Deploy();
  EXPECT_NE(LastRecord("publish helper 4 ").find(std::string("token=") + kCanary2 + " "),
            std::string::npos);
  // Rolling back to version 1 hands over the value version 1 had.
  ASSERT_EQ(Call("POST", "/v1/agents/helper/rollback", R"({"version":1})").status, 201);
  EXPECT_NE(LastRecord("publish helper 1 ").find(std::string("token=") + kCanary + " "),
            std::string::npos);

  // Every other view of the agent.
  for (const char* path :
       {"/v1/agents/helper", "/v1/agents", "/v1/agents/helper/history", "/v1/agents/helper/summary",
        "/v1/agents/helper/versions", "/v1/agents/helper/versions/1",
        "/v1/agents/helper/versions/2", "/v1/agents/helper/deployments",
        "/v1/agents/helper/diff?from=1&to=2", "/v1/agents/helper/export"}) {
    EXPECT_EQ(Call("GET", path).status, 200) << path;
  }
  Cli({"agents", "show", "helper"});
  Cli({"agents", "history", "helper"});

  // The ABI 1.1 plugin loaded beside the 1.2 ones.
  HttpResult plugins = Call("GET", "/v1/plugins");
  EXPECT_NE(plugins.body.find("fixture_abi_1_1"), std::string::npos) << plugins.body;
  EXPECT_EQ(Json(plugins.body)->getArray("refused")->size(), 0u) << plugins.body;

  // Nor do the references: no answer names a stored value's id.
  const std::vector<std::string> ids = SecretIds();
  EXPECT_EQ(ids.size(), 2u);
  for (const std::string& id : ids) {
    EXPECT_EQ(seen_.find(id), std::string::npos) << "reference " << id << " in an answer";
  }
  HttpResult listed = Call("GET", "/v1/plugins");
  EXPECT_NE(listed.body.find(R"("name":"token","required":false,"secret":true)"), std::string::npos)
      << listed.body;
  for (const char* canary : {kCanary, kCanary2}) {
    EXPECT_EQ(seen_.find(canary), std::string::npos) << canary << " in an answer";
    EXPECT_TRUE(FilesHolding(data_dir(), canary).empty())
        << canary << " in " << FilesHolding(data_dir(), canary)[0];
  }
  // The log, and the database files once the daemon has stopped.
  EXPECT_EQ(daemon_->Stop(SIGTERM), 0);
  const std::string log = daemon_->Stderr();
  EXPECT_NE(log.find("deploy.finished"), std::string::npos);
  for (const char* canary : {kCanary, kCanary2, "revoked-canary"}) {
    EXPECT_EQ(log.find(canary), std::string::npos) << canary << " in the log";
    EXPECT_TRUE(FilesHolding(data_dir(), canary).empty()) << canary << " in a data file";
  }
}

TEST_F(SecretSettingsDaemonTest, AppliedYamlSetsKeepsAndRemovesASecret) {
  const fs::path yaml = dir_.path() / "agent.yaml";
  std::ofstream(yaml) << "id: helper\nchannels:\n  - name: alpha\n    plugin: alpha\n"
                      << "    settings:\n      token: " << kCanary << "\n";
  ProcessResult created = Cli({"apply", "-f", yaml.string()});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_NE(Call("GET", "/v1/agents/helper").body.find(R"({"$secret":"set"})"), std::string::npos);
  const int64_t revision = Revision();

  std::ofstream(yaml) << "id: helper\nchannels:\n  - name: alpha\n    plugin: alpha\n"
                      << "    settings:\n      token: {$secret: set}\n";
  ProcessResult kept = Cli({"apply", "-f", yaml.string()});
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_EQ(Revision(), revision);

  // Left out: removed, like any setting; then the marker has nothing to keep.
  std::ofstream(yaml) << "id: helper\nchannels:\n  - name: alpha\n    plugin: alpha\n";
  ASSERT_EQ(Cli({"apply", "-f", yaml.string()}).exit_code, 0);
  EXPECT_EQ(Call("GET", "/v1/agents/helper").body.find("$secret"), std::string::npos);
  std::ofstream(yaml) << "id: helper\nchannels:\n  - name: alpha\n    plugin: alpha\n"
                      << "    settings:\n      token: {$secret: set}\n";
  ProcessResult refused = Cli({"apply", "-f", yaml.string()});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("channels[0].settings.token"), std::string::npos) << refused.err;

  // Deleting the agent deletes its sealed values with it.
  ASSERT_EQ(SetToken(std::string("\"") + kCanary + "\"").status, 200);
  EXPECT_EQ(SecretRows(), 1);
  ASSERT_EQ(Call("DELETE", "/v1/agents/helper").status, 200);
  EXPECT_EQ(SecretRows(), 0);
  EXPECT_EQ(seen_.find(kCanary), std::string::npos);
}

}  // namespace
}  // namespace herald::testing
