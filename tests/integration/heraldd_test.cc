// The real heraldd, started as a process, driven over HTTP and through the
// real herald CLI.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "daemon_harness.h"

namespace herald::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kFixturePlugins = HERALD_FIXTURE_PLUGIN_DIR;

Poco::JSON::Object::Ptr ParseObject(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::set<std::string> LoadedNames(const Poco::JSON::Object::Ptr& plugins) {
  std::set<std::string> names;
  auto loaded = plugins->getArray("loaded");
  for (size_t i = 0; i < loaded->size(); ++i) {
    names.insert(loaded->getObject(static_cast<unsigned>(i))->getValue<std::string>("name"));
  }
  return names;
}

std::map<std::string, std::string> RefusedByFile(const Poco::JSON::Object::Ptr& plugins) {
  std::map<std::string, std::string> refused;
  auto list = plugins->getArray("refused");
  for (size_t i = 0; i < list->size(); ++i) {
    auto o = list->getObject(static_cast<unsigned>(i));
    refused[fs::path(o->getValue<std::string>("path")).filename().string()] =
        o->getValue<std::string>("reason");
  }
  return refused;
}

TEST(HeralddTest, ServesHealthAndTheFourBuiltInAuthPlugins) {
  TempDir dir;
  RunningDaemon daemon(dir.path() / "data");
  ASSERT_TRUE(daemon.ok()) << daemon.error();

  HttpResult health = daemon.Get("/healthz");
  ASSERT_EQ(health.status, 200);
  auto h = ParseObject(health.body);
  EXPECT_EQ(h->getValue<std::string>("status"), "ok");
  EXPECT_EQ(h->getObject("store")->getValue<std::string>("backend"), "sqlite");

  HttpResult plugins = daemon.Get("/v1/plugins");
  ASSERT_EQ(plugins.status, 200);
  auto p = ParseObject(plugins.body);
  // The four auth types, and the built-in channels next to them (the build
  // puts every built-in plugin in lib/herald/plugins/; chat is a dependency).
  const std::set<std::string> loaded = LoadedNames(p);
  for (const char* builtin : {"api_key", "basic", "bearer", "key_value", "chat"}) {
    EXPECT_TRUE(loaded.count(builtin)) << builtin << " not loaded: " << plugins.body;
  }
  EXPECT_EQ(p->getArray("refused")->size(), 0u) << plugins.body;

  EXPECT_EQ(daemon.Stop(SIGTERM), 0) << daemon.Stderr();
  EXPECT_FALSE(fs::exists(dir.path() / "data" / "heraldd.url"));
}

TEST(HeralddTest, ReportsEachBadPluginWithItsReasonWhileTheGoodOnesLoad) {
  TempDir dir;
  RunningDaemon daemon(dir.path() / "data", {"--plugin-dir", kFixturePlugins.string()});
  ASSERT_TRUE(daemon.ok()) << daemon.error();

  auto p = ParseObject(daemon.Get("/v1/plugins").body);
  std::set<std::string> loaded = LoadedNames(p);
  EXPECT_TRUE(loaded.count("bearer"));
  EXPECT_TRUE(loaded.count("fixture_channel"));
  auto refused = RefusedByFile(p);
  EXPECT_NE(refused["libfixture_garbage.so"].find("not a loadable shared library"),
            std::string::npos);
  EXPECT_NE(refused["libfixture_wrong_major.so"].find("ABI major version differs"),
            std::string::npos);
  EXPECT_NE(refused["libfixture_init_throws.so"].find("missing configuration 'realm'"),
            std::string::npos);

  // The log names each refusal too.
  std::ifstream log(dir.path() / "data" / "heraldd.log");
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("event=plugin.refused path=" +
                      (kFixturePlugins / "libfixture_garbage.so").string()),
            std::string::npos);
  EXPECT_NE(text.find("event=plugin.loaded name=bearer"), std::string::npos);

  // And so does the CLI.
  ProcessResult cli = daemon.Cli({"plugins"});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("bearer"), std::string::npos) << cli.out;
  EXPECT_NE(cli.out.find("Refused:"), std::string::npos) << cli.out;
  EXPECT_NE(cli.out.find("libfixture_wrong_major.so"), std::string::npos) << cli.out;

  ProcessResult json = daemon.Cli({"plugins", "--json"});
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_EQ(LoadedNames(ParseObject(json.out)), loaded);
}

TEST(HeralddTest, DescribesEachAuthTypesFields) {
  TempDir dir;
  RunningDaemon daemon(dir.path() / "data");
  ASSERT_TRUE(daemon.ok()) << daemon.error();
  auto loaded = ParseObject(daemon.Get("/v1/plugins").body)->getArray("loaded");
  for (size_t i = 0; i < loaded->size(); ++i) {
    auto plugin = loaded->getObject(static_cast<unsigned>(i));
    if (plugin->getValue<std::string>("name") != "key_value") continue;
    auto auth = plugin->getObject("auth_type");
    EXPECT_TRUE(auth->getValue<bool>("arbitrary_fields"));
    ASSERT_EQ(auth->getArray("credential_types")->size(), 1u);
    EXPECT_EQ(auth->getArray("credential_types")->getElement<std::string>(0), "team");
  }
}

TEST(HeralddTest, CliHealthAndUnreachableDaemon) {
  TempDir dir;
  RunningDaemon daemon(dir.path() / "data");
  ASSERT_TRUE(daemon.ok()) << daemon.error();
  ProcessResult health = daemon.Cli({"health"});
  EXPECT_EQ(health.exit_code, 0) << health.err;
  EXPECT_NE(health.out.find(": ok"), std::string::npos) << health.out;
  const std::string url = daemon.url();
  ASSERT_EQ(daemon.Stop(SIGINT), 0);

  ProcessResult down = RunProcess(HeraldCliPath(), {"--server", url, "plugins"});
  EXPECT_EQ(down.exit_code, 3);
  EXPECT_NE(down.err.find("cannot reach heraldd"), std::string::npos) << down.err;
}

TEST(HeralddTest, ErrorsAreJsonWithAStableCode) {
  TempDir dir;
  RunningDaemon daemon(dir.path() / "data");
  ASSERT_TRUE(daemon.ok()) << daemon.error();
  HttpResult missing = daemon.Get("/v1/nothing-here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.reason, "Not Found");  // the status line says what the code says
  EXPECT_EQ(ParseObject(missing.body)->getObject("error")->getValue<std::string>("code"),
            "not_found");
  HttpResult wrong = HttpRequest(daemon.url(), "DELETE", "/v1/plugins");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.reason, "Method Not Allowed");
  EXPECT_EQ(wrong.headers["Allow"], "GET");
}

TEST(HeralddTest, RefusesASecondDaemonOnTheSameDataDirectory) {
  TempDir dir;
  RunningDaemon first(dir.path() / "data");
  ASSERT_TRUE(first.ok()) << first.error();
  RunningDaemon second(dir.path() / "data");
  EXPECT_FALSE(second.ok());
  EXPECT_NE(second.error().find("in use by another heraldd"), std::string::npos) << second.error();
  EXPECT_TRUE(first.Get("/healthz").status == 200);
}

TEST(HeralddTest, RefusesABadListenAddressNamingTheField) {
  TempDir dir;
  ProcessResult r = RunProcess(
      HeralddPath(), {"--listen", "localhost", "--data-dir", (dir.path() / "data").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("listen: expected host:port"), std::string::npos) << r.err;
}

TEST(HeralddTest, RunsAsADaemonWithAPidFile) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  const fs::path pidfile = dir.path() / "heraldd.pid";
  ProcessResult r =
      RunProcess(HeralddPath(), {"--daemon", "--pidfile=" + pidfile.string(), "--listen",
                                 "127.0.0.1:0", "--data-dir", data.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The daemonised child writes its pid, then its URL once it listens.
  std::string url;
  for (int i = 0; i < 1500 && url.empty(); ++i) {
    std::ifstream in(data / "heraldd.url");
    std::getline(in, url);
    if (url.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(url.empty()) << "no URL file from the daemonised heraldd";
  EXPECT_EQ(HttpRequest(url, "GET", "/healthz").status, 200);
  std::ifstream pid_in(pidfile);
  int pid = 0;
  pid_in >> pid;
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  for (int i = 0; i < 1500 && ::kill(pid, 0) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(::kill(pid, 0), 0) << "heraldd did not stop on SIGTERM";
}

}  // namespace
}  // namespace herald::testing
