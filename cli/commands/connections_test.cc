// `herald connections ...` against the fake heraldd: the exact requests, the
// human output, --json, usage errors, and that no secret is ever printed.
#include <sstream>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include "cli/testing/canonical_json.h"
#include "cli/testing/fake_heraldd.h"
#include "cli/testing/run_herald.h"
#include "cli/testing/temp_file.h"

namespace herald::cli {
namespace {

using testing::CanonicalJson;
using testing::FakeHeraldd;
using testing::HeraldRun;
using testing::RunHerald;
using testing::TempFile;

// A connection with a team-credential draft and a member/SSO live environment.
constexpr const char* kGithub = R"({
  "id": "github", "display_name": "GitHub",
  "created_at": "2024-05-01T09:00:00Z", "updated_at": "2024-05-03T12:00:00Z",
  "tools": ["list_issues", "create_issue"], "live_complete": false,
  "draft": {
    "server_url": "https://api.github.com", "auth_type": "bearer", "credential_type": "team",
    "sso": false, "probe": {"method": "GET", "path": "/user", "timeout_ms": 5000},
    "status": {"status": "ok", "detail": "", "http_status": 200,
               "tested_at": "2024-05-03T12:00:00Z"},
    "credentials": {
      "team": {"fields": [
        {"name": "token", "set": true, "secret": true, "updated_at": "2024-05-02T08:00:00Z"},
        {"name": "user", "set": true, "secret": false, "updated_at": "2024-05-02T08:00:00Z",
         "value": "herald-bot"}]},
      "mine": null, "members_configured": 0}
  },
  "live": {
    "server_url": "https://api.github.com", "auth_type": "oauth_member",
    "credential_type": "member", "sso": true,
    "sso_provider": {"issuer": "https://idp.example.com", "audience": "herald",
                     "rs256_public_key_pem": "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n"},
    "status": {"status": "auth_failed", "detail": "server answered 401 Unauthorized",
               "http_status": 401, "tested_at": "2024-05-03T12:05:00Z"},
    "credentials": {
      "team": null,
      "mine": {"fields": [{"name": "token", "set": false, "secret": true, "updated_at": ""}]},
      "members_configured": 3}
  }
})";

constexpr const char* kGithubShown =
    "Name:           GitHub\n"
    "ID:             github\n"
    "Live complete:  ✗\n"
    "Created:        2024-05-01T09:00:00Z\n"
    "Updated:        2024-05-03T12:00:00Z\n"
    "\n"
    "Draft environment:\n"
    "  Server:              https://api.github.com\n"
    "  Auth type:           bearer\n"
    "  Credential type:     team\n"
    "  SSO:                 no\n"
    "  Probe:               GET /user, timeout 5000 ms\n"
    "  Status:              ok (HTTP 200), tested at 2024-05-03T12:00:00Z\n"
    "  Members configured:  0\n"
    "  Team credentials:\n"
    "    FIELD  SET  VALUE       UPDATED\n"
    "    token  ✓    (secret)    2024-05-02T08:00:00Z\n"
    "    user   ✓    herald-bot  2024-05-02T08:00:00Z\n"
    "\n"
    "Live environment:\n"
    "  Server:              https://api.github.com\n"
    "  Auth type:           oauth_member\n"
    "  Credential type:     member\n"
    "  SSO:                 yes\n"
    "  Probe:               -\n"
    "  SSO provider:        issuer https://idp.example.com, audience herald, RS256 public key set\n"
    "  Status:              auth_failed: server answered 401 Unauthorized, tested at "
    "2024-05-03T12:05:00Z\n"
    "  Members configured:  3\n"
    "  Your credentials:\n"
    "    FIELD  SET  VALUE  UPDATED\n"
    "    token  ✗    -      -\n"
    "\n"
    "Tools: list_issues, create_issue\n";

// A fresh connection with no environment configured.
constexpr const char* kBare = R"({"id":"jira","display_name":"Jira","created_at":"T1",
  "updated_at":"T1","tools":[],"live_complete":false,"draft":null,"live":null})";

constexpr const char* kBareShown =
    "Name:           Jira\n"
    "ID:             jira\n"
    "Live complete:  ✗\n"
    "Created:        T1\n"
    "Updated:        T1\n"
    "\n"
    "Draft environment: not configured\n"
    "\n"
    "Live environment: not configured\n"
    "\n"
    "Tools: none\n";

std::string Wrap(const std::string& connection, const std::string& extra = "") {
  return R"({"connection":)" + connection + extra + "}";
}

constexpr const char* kTeamFields =
    R"({"credentials":{"fields":[)"
    R"({"name":"token","set":true,"secret":true,"updated_at":"2024-06-01T10:00:00Z"},)"
    R"({"name":"user","set":true,"secret":false,"updated_at":"2024-06-01T10:00:00Z",)"
    R"("value":"herald-bot"}]}})";

// Runs herald against `server` (appending --server URL).
HeraldRun RunAt(const FakeHeraldd& server, std::vector<std::string> tokens,
                const std::string& stdin_text = "") {
  tokens.push_back("--server");
  tokens.push_back(server.url());
  return RunHerald(tokens, {}, stdin_text);
}

std::string UsageHint(const std::string& command) {
  return "\nRun 'herald help connections " + command + "' for usage.\n";
}

// ---- add ----

TEST(ConnectionsAddTest, PostsIdAndDisplayName) {
  FakeHeraldd server;
  server.On("POST", "/v1/connections", {.status = 201, .body = Wrap(kBare)});
  auto run = RunAt(server, {"connections", "add", "jira", "--name", "Jira"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, std::string("Added connection jira.\n\n") + kBareShown);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "POST");
  EXPECT_EQ(server.requests()[0].uri, "/v1/connections");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"id":"jira","display_name":"Jira"})"));
}

TEST(ConnectionsAddTest, ServerAndAuthTypeConfigureTheDraftAsTeamByDefault) {
  FakeHeraldd server;
  server.On("POST", "/v1/connections", {.status = 201, .body = Wrap(kGithub)});
  auto run = RunAt(server, {"connections", "add", "github", "--name", "GitHub", "--server-url",
                            "https://api.github.com", "--auth-type", "bearer"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, std::string("Added connection github.\n\n") + kGithubShown);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"id":"github","display_name":"GitHub","draft":{)"
                          R"("server_url":"https://api.github.com","auth_type":"bearer",)"
                          R"("credential_type":"team","sso":false}})"));
}

TEST(ConnectionsAddTest, AllDraftOptions) {
  FakeHeraldd server;
  server.On("POST", "/v1/connections", {.status = 201, .body = Wrap(kGithub)});
  auto run = RunAt(server, {"connections", "add", "github", "--name", "GitHub", "--server-url",
                            "https://api.github.com", "--auth-type", "oauth_member",
                            "--credential-type", "member", "--sso", "--probe-method", "HEAD",
                            "--probe-path", "/user", "--probe-timeout", "2500"});
  EXPECT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"id":"github","display_name":"GitHub","draft":{)"
                          R"("server_url":"https://api.github.com","auth_type":"oauth_member",)"
                          R"("credential_type":"member","sso":true,)"
                          R"("probe":{"method":"HEAD","path":"/user","timeout_ms":2500}}})"));
}

TEST(ConnectionsAddTest, JsonPrintsTheServerBody) {
  FakeHeraldd server;
  server.On("POST", "/v1/connections", {.status = 201, .body = Wrap(kBare)});
  auto run = RunAt(server, {"--json", "connections", "add", "jira", "--name", "Jira"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, Wrap(kBare) + "\n");
}

TEST(ConnectionsAddTest, UsageErrors) {
  FakeHeraldd server;
  auto no_name = RunAt(server, {"connections", "add", "jira"});
  EXPECT_EQ(no_name.status, 2);
  EXPECT_EQ(no_name.err, "herald: missing option --name" + UsageHint("add"));

  auto half =
      RunAt(server, {"connections", "add", "jira", "--name", "J", "--server-url", "http://x"});
  EXPECT_EQ(half.status, 2);
  EXPECT_EQ(half.err,
            "herald: configuring the draft environment needs both --server-url and --auth-type" +
                UsageHint("add"));

  auto probe_only =
      RunAt(server, {"connections", "add", "jira", "--name", "J", "--probe-path", "/"});
  EXPECT_EQ(probe_only.status, 2);

  auto timeout = RunAt(server, {"connections", "add", "jira", "--name", "J", "--server-url",
                                "http://x", "--auth-type", "bearer", "--probe-timeout", "soon"});
  EXPECT_EQ(timeout.status, 2);
  EXPECT_EQ(timeout.err, "herald: --probe-timeout expects a positive whole number (got 'soon')" +
                             UsageHint("add"));

  auto type = RunAt(server, {"connections", "add", "jira", "--name", "J", "--server-url",
                             "http://x", "--auth-type", "bearer", "--credential-type", "everyone"});
  EXPECT_EQ(type.status, 2);
  EXPECT_EQ(type.err, "herald: --credential-type must be one of team, member (got 'everyone')" +
                          UsageHint("add"));
  EXPECT_TRUE(server.requests().empty());
}

TEST(ConnectionsAddTest, ConflictExitsOne) {
  FakeHeraldd server;
  server.On("POST", "/v1/connections",
            {.status = 409,
             .body = R"({"error":{"code":"conflict","message":"connection jira exists"}})"});
  auto run = RunAt(server, {"connections", "add", "jira", "--name", "Jira"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "error: connection jira exists (conflict)\n");
}

// ---- list ----

constexpr const char* kList = R"({"connections":[
  {"id":"github","display_name":"GitHub","server":"https://api.github.com",
   "associated_tools":["list_issues","create_issue"],"live":true,"live_reason":"",
   "status":"ok","status_detail":"","tested_at":"2024-05-03T12:00:00Z"},
  {"id":"jira","display_name":"Jira","server":"","associated_tools":[],"live":false,
   "live_reason":"live environment not configured","status":"untested","status_detail":"",
   "tested_at":""},
  {"id":"slack","display_name":"Slack","server":"https://slack.com/api",
   "associated_tools":["post"],"live":false,"live_reason":"","status":"auth_failed",
   "status_detail":"server answered 401 Unauthorized","tested_at":"2024-05-03T12:00:00Z"}
]})";

TEST(ConnectionsListTest, PrintsTheSeedsTable) {
  FakeHeraldd server;
  server.On("GET", "/v1/connections", {.status = 200, .body = kList});
  auto run = RunAt(server, {"connections", "list"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "ID      NAME    SERVER                  ASSOCIATED TOOLS           LIVE"
            "                               STATUS\n"
            "github  GitHub  https://api.github.com  list_issues, create_issue  ✓   "
            "                               ok\n"
            "jira    Jira    -                       -                          ✗ live environment "
            "not configured  untested\n"
            "slack   Slack   https://slack.com/api   post                       ✗   "
            "                               auth_failed: server answered 401 Unauthorized\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/connections");
}

TEST(ConnectionsListTest, JsonAndEmpty) {
  FakeHeraldd server;
  server.On("GET", "/v1/connections", {.status = 200, .body = kList});
  auto json = RunAt(server, {"connections", "list", "--json"});
  EXPECT_EQ(json.out, std::string(kList) + "\n");

  FakeHeraldd empty;
  empty.On("GET", "/v1/connections", {.status = 200, .body = R"({"connections":[]})"});
  auto run = RunAt(empty, {"connections", "list"});
  EXPECT_EQ(run.status, 0);
  EXPECT_EQ(run.out, "No connections. Add one with 'herald connections add ID --name NAME'.\n");
}

// ---- show ----

TEST(ConnectionsShowTest, PrintsBothEnvironmentsCredentialsAndTools) {
  FakeHeraldd server;
  server.On("GET", "/v1/connections/github", {.status = 200, .body = Wrap(kGithub)});
  auto run = RunAt(server, {"connections", "show", "github"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, kGithubShown);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/connections/github");
}

TEST(ConnectionsShowTest, NeverPrintsASecretValueEvenIfTheServerSentOne) {
  FakeHeraldd server;
  server.On(
      "GET", "/v1/connections/leaky",
      {.status = 200, .body = Wrap(R"({"id":"leaky","display_name":"Leaky","tools":[],"live":null,
               "draft":{"server_url":"http://x","auth_type":"bearer","credential_type":"team",
               "sso":false,"status":{"status":"untested"},"credentials":{"team":{"fields":[
               {"name":"token","set":true,"secret":true,"updated_at":"T",
                "value":"sup3r-s3cret"}]}}}})")});
  auto run = RunAt(server, {"connections", "show", "leaky"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out.find("sup3r-s3cret"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("    token  ✓    (secret)  T\n"), std::string::npos) << run.out;
}

TEST(ConnectionsShowTest, JsonAndNotFound) {
  FakeHeraldd server;
  server.On("GET", "/v1/connections/jira", {.status = 200, .body = Wrap(kBare)});
  auto json = RunAt(server, {"connections", "show", "jira", "--json"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, Wrap(kBare) + "\n");
  auto missing = RunAt(server, {"connections", "show", "nope"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.err, "error: no route for GET /v1/connections/nope (not_found)\n");
}

// ---- configure ----

TEST(ConnectionsConfigureTest, PutsOnlyTheGivenFields) {
  FakeHeraldd server;
  server.On("PUT", "/v1/connections/github/environments/live",
            {.status = 200, .body = Wrap(kGithub, R"(,"credentials_deleted":false)")});
  auto run = RunAt(server, {"connections", "configure", "github", "--env", "live", "--probe-path",
                            "/rate_limit", "--no-sso"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, std::string("Configured the live environment of github.\n\n") + kGithubShown);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "PUT");
  EXPECT_EQ(server.requests()[0].uri, "/v1/connections/github/environments/live");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"probe":{"path":"/rate_limit"},"sso":false})"));
}

TEST(ConnectionsConfigureTest, EveryEnvironmentOptionAndTheKeyFile) {
  const std::string pem = "-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----\n";
  TempFile key("idp.pem", pem);
  FakeHeraldd server;
  server.On("PUT", "/v1/connections/github/environments/draft",
            {.status = 200, .body = Wrap(kGithub, R"(,"credentials_deleted":false)")});
  auto run = RunAt(server, {"connections",
                            "configure",
                            "github",
                            "--env",
                            "draft",
                            "--server-url",
                            "https://ghe.example.com/api/v3",
                            "--auth-type",
                            "oauth_member",
                            "--credential-type",
                            "member",
                            "--sso",
                            "--probe-method",
                            "GET",
                            "--probe-path",
                            "/user",
                            "--probe-timeout",
                            "3000",
                            "--sso-issuer",
                            "https://idp.example.com",
                            "--sso-audience",
                            "herald",
                            "--sso-rs256-key-file",
                            key.path()});
  EXPECT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(server.requests().size(), 1u);
  Poco::JSON::Object expected;
  expected.set("server_url", "https://ghe.example.com/api/v3");
  expected.set("auth_type", "oauth_member");
  expected.set("credential_type", "member");
  expected.set("sso", true);
  Poco::JSON::Object::Ptr probe = new Poco::JSON::Object;
  probe->set("method", "GET");
  probe->set("path", "/user");
  probe->set("timeout_ms", 3000);
  expected.set("probe", probe);
  Poco::JSON::Object::Ptr provider = new Poco::JSON::Object;
  provider->set("issuer", "https://idp.example.com");
  provider->set("audience", "herald");
  provider->set("rs256_public_key_pem", pem);
  expected.set("sso_provider", provider);
  std::ostringstream text;
  expected.stringify(text);
  EXPECT_EQ(CanonicalJson(server.requests()[0].body), CanonicalJson(text.str()));
}

TEST(ConnectionsConfigureTest, NameAlonePatchesTheDisplayName) {
  FakeHeraldd server;
  server.On("PATCH", "/v1/connections/jira", {.status = 200, .body = Wrap(kBare)});
  auto run = RunAt(server, {"connections", "configure", "jira", "--name", "Jira Cloud"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, std::string("Renamed connection jira.\n\n") + kBareShown);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "PATCH");
  EXPECT_EQ(server.requests()[0].uri, "/v1/connections/jira");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"display_name":"Jira Cloud"})"));
}

TEST(ConnectionsConfigureTest, NameAndEnvironmentPatchThenPut) {
  FakeHeraldd server;
  server.On("PATCH", "/v1/connections/jira", {.status = 200, .body = Wrap(kBare)});
  const std::string put_answer = Wrap(kBare, R"(,"credentials_deleted":false)");
  server.On("PUT", "/v1/connections/jira/environments/draft", {.status = 200, .body = put_answer});
  auto run = RunAt(server, {"connections", "configure", "jira", "--json", "--name", "Jira Cloud",
                            "--env", "draft", "--auth-type", "basic"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, put_answer + "\n");  // the last answer: the whole connection
  ASSERT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(server.requests()[0].method, "PATCH");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"display_name":"Jira Cloud"})"));
  EXPECT_EQ(server.requests()[1].method, "PUT");
  EXPECT_EQ(server.requests()[1].uri, "/v1/connections/jira/environments/draft");
  EXPECT_EQ(CanonicalJson(server.requests()[1].body), CanonicalJson(R"({"auth_type":"basic"})"));
}

TEST(ConnectionsConfigureTest, FailedRenameStopsBeforeThePut) {
  FakeHeraldd server;
  server.On("PATCH", "/v1/connections/jira",
            {.status = 400,
             .body = R"({"error":{"code":"invalid_argument","message":"display_name empty"}})"});
  auto run = RunAt(server, {"connections", "configure", "jira", "--name", "", "--env", "draft",
                            "--auth-type", "basic"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "error: display_name empty (invalid_argument)\n");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(ConnectionsConfigureTest, WarnsWhenCredentialsWereDeleted) {
  FakeHeraldd server;
  const std::string answer = Wrap(kGithub, R"(,"credentials_deleted":true)");
  server.On("PUT", "/v1/connections/github/environments/live", {.status = 200, .body = answer});
  const std::string warning =
      "warning: the stored credentials of github's live environment were deleted; set them "
      "again with 'herald connections set-credentials github --env live'\n";
  auto run = RunAt(server,
                   {"connections", "configure", "github", "--env", "live", "--auth-type", "basic"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, warning);
  auto json = RunAt(server, {"connections", "configure", "github", "--env", "live", "--auth-type",
                             "basic", "--json"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, answer + "\n");
  EXPECT_EQ(json.err, warning);
}

TEST(ConnectionsConfigureTest, UsageErrors) {
  FakeHeraldd server;
  auto no_env = RunAt(server, {"connections", "configure", "github", "--server-url", "http://x"});
  EXPECT_EQ(no_env.status, 2);
  EXPECT_EQ(no_env.err, "herald: missing option --env" + UsageHint("configure"));

  auto nothing = RunAt(server, {"connections", "configure", "github"});
  EXPECT_EQ(nothing.status, 2);
  EXPECT_EQ(nothing.err, "herald: missing option --env" + UsageHint("configure"));

  auto only_env = RunAt(server, {"connections", "configure", "github", "--env", "live"});
  EXPECT_EQ(only_env.status, 2);
  EXPECT_EQ(only_env.err, "herald: nothing to configure: give --name or environment options" +
                              UsageHint("configure"));

  auto bad_env = RunAt(server, {"connections", "configure", "github", "--env", "prod", "--sso"});
  EXPECT_EQ(bad_env.status, 2);
  EXPECT_EQ(bad_env.err,
            "herald: --env must be one of draft, live (got 'prod')" + UsageHint("configure"));

  auto both_sso =
      RunAt(server, {"connections", "configure", "github", "--env", "live", "--sso", "--no-sso"});
  EXPECT_EQ(both_sso.status, 2);
  EXPECT_EQ(both_sso.err, "herald: give --sso or --no-sso, not both" + UsageHint("configure"));

  auto no_key = RunAt(server, {"connections", "configure", "github", "--env", "live",
                               "--sso-rs256-key-file", "/nonexistent/idp.pem"});
  EXPECT_EQ(no_key.status, 2);
  EXPECT_EQ(no_key.err,
            "herald: cannot read key file '/nonexistent/idp.pem': No such file or directory" +
                UsageHint("configure"));

  auto old_server = RunAt(
      server, {"connections", "configure", "github", "--env", "live", "--server", "http://x"});
  EXPECT_EQ(old_server.status, 2);  // --server is heraldd's address: given twice here
  EXPECT_TRUE(server.requests().empty());
}

// ---- copy-to-live, remove ----

TEST(ConnectionsCopyToLiveTest, PostsAndWarnsWhenLiveCredentialsWereDeleted) {
  FakeHeraldd server;
  server.On("POST", "/v1/connections/github/copy-to-live",
            {.status = 200, .body = Wrap(kGithub, R"(,"credentials_deleted":true)")});
  auto run = RunAt(server, {"connections", "copy-to-live", "github"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            std::string("Copied the draft environment of github to its live environment.\n\n") +
                kGithubShown);
  EXPECT_EQ(run.err,
            "warning: the stored credentials of github's live environment were deleted; set "
            "them again with 'herald connections set-credentials github --env live'\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "POST");
  EXPECT_EQ(server.requests()[0].uri, "/v1/connections/github/copy-to-live");
  EXPECT_EQ(server.requests()[0].body, "");
}

TEST(ConnectionsCopyToLiveTest, NoWarningWhenNothingWasDeleted) {
  FakeHeraldd server;
  const std::string answer = Wrap(kGithub, R"(,"credentials_deleted":false)");
  server.On("POST", "/v1/connections/github/copy-to-live", {.status = 200, .body = answer});
  auto run = RunAt(server, {"connections", "copy-to-live", "github", "--json"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, answer + "\n");
}

TEST(ConnectionsRemoveTest, DeletesTheConnection) {
  FakeHeraldd server;
  server.On("DELETE", "/v1/connections/jira", {.status = 200, .body = R"({"removed":"jira"})"});
  auto run = RunAt(server, {"connections", "remove", "jira"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "Removed connection jira.\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "DELETE");
  EXPECT_EQ(server.requests()[0].uri, "/v1/connections/jira");
  auto json = RunAt(server, {"connections", "remove", "jira", "--json"});
  EXPECT_EQ(json.out, "{\"removed\":\"jira\"}\n");
}

TEST(ConnectionsRemoveTest, InUseExitsOneNamingTheTools) {
  FakeHeraldd server;
  server.On("DELETE", "/v1/connections/github",
            {.status = 409,
             .body = R"({"error":{"code":"conflict","message":"connection github is used by )"
                     R"(tools list_issues, create_issue"}})"});
  auto run = RunAt(server, {"connections", "remove", "github"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err,
            "error: connection github is used by tools list_issues, create_issue (conflict)\n");
}

// ---- set-credentials, clear-credentials ----

TEST(ConnectionsSetCredentialsTest, PutsTeamFieldsAndPrintsTheTableWithoutSecrets) {
  FakeHeraldd server;
  server.On("PUT", "/v1/connections/github/environments/live/credentials/team",
            {.status = 200, .body = kTeamFields});
  auto run = RunAt(server, {"connections", "set-credentials", "github", "--env", "live", "--team",
                            "--field", "token=ghp_L1teralS3cret", "--field", "user=herald-bot"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out,
            "Team credentials of github (live):\n"
            "  FIELD  SET  VALUE       UPDATED\n"
            "  token  ✓    (secret)    2024-06-01T10:00:00Z\n"
            "  user   ✓    herald-bot  2024-06-01T10:00:00Z\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "PUT");
  EXPECT_EQ(server.requests()[0].uri, "/v1/connections/github/environments/live/credentials/team");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"fields":{"token":"ghp_L1teralS3cret","user":"herald-bot"}})"));
  EXPECT_EQ(run.out.find("ghp_L1teralS3cret"), std::string::npos);
}

TEST(ConnectionsSetCredentialsTest, ReadsValuesFromAFileAndFromStdin) {
  TempFile secret_file("token.txt", "file-S3cret-value\n");
  FakeHeraldd server;
  server.On("PUT", "/v1/connections/github/environments/draft/credentials/me",
            {.status = 200, .body = kTeamFields});
  auto run = RunAt(server,
                   {"connections", "set-credentials", "github", "--env=draft", "--me", "--field",
                    "token=@" + secret_file.path(), "--field", "password=-", "--field", "user=bob"},
                   "stdin-S3cret-value\r\n");
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out.rfind("Your credentials of github (draft):\n", 0), 0u) << run.out;
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "PUT");
  EXPECT_EQ(server.requests()[0].uri, "/v1/connections/github/environments/draft/credentials/me");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"fields":{"token":"file-S3cret-value",)"
                          R"("password":"stdin-S3cret-value","user":"bob"}})"));
  for (const std::string* text : {&run.out, &run.err}) {
    EXPECT_EQ(text->find("S3cret"), std::string::npos) << *text;
  }
}

TEST(ConnectionsSetCredentialsTest, JsonPrintsTheServerBody) {
  FakeHeraldd server;
  server.On("PUT", "/v1/connections/github/environments/live/credentials/team",
            {.status = 200, .body = kTeamFields});
  auto run = RunAt(server, {"connections", "set-credentials", "github", "--env", "live", "--team",
                            "--field", "token=x", "--json"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, std::string(kTeamFields) + "\n");
}

TEST(ConnectionsSetCredentialsTest, ServerValidationErrorExitsOne) {
  FakeHeraldd server;
  server.On(
      "PUT", "/v1/connections/github/environments/live/credentials/team",
      {.status = 422,
       .body = R"({"error":{"code":"invalid_argument","message":"field 'token': required"}})"});
  auto run = RunAt(server, {"connections", "set-credentials", "github", "--env", "live", "--team",
                            "--field", "user=S3cretish"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "error: field 'token': required (invalid_argument)\n");
}

TEST(ConnectionsSetCredentialsTest, UsageErrorsNeverEchoAValue) {
  FakeHeraldd server;
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--team", "--field", "token=S3cret"}, "missing option --env"},
      {{"--env", "prod", "--team", "--field", "token=S3cret"},
       "--env must be one of draft, live (got 'prod')"},
      {{"--env", "live", "--team", "--me", "--field", "token=S3cret"},
       "give --team or --me, not both"},
      {{"--env", "live", "--field", "token=S3cret"}, "missing --team or --me (whose credentials)"},
      {{"--env", "live", "--team"}, "missing option --field NAME=VALUE"},
      {{"--env", "live", "--team", "--field", "user=bob", "--field", "S3cret"},
       "--field #2 is not of the form NAME=VALUE (it has no '=')"},
      {{"--env", "live", "--team", "--field", "=S3cret"},
       "--field #1 has an empty NAME (expected NAME=VALUE)"},
      {{"--env", "live", "--team", "--field", "token=S3cret", "--field", "token=S3cret2"},
       "--field 'token' is given twice"},
      {{"--env", "live", "--team", "--field", "a=-", "--field", "b=-"},
       "--field 'b': standard input is already read for --field 'a'"},
      {{"--env", "live", "--team", "--field", "token=@"},
       "--field 'token': '@' must be followed by a path"},
      {{"--env", "live", "--team", "--field", "token=@/nonexistent/S3cret-file"},
       "--field 'token': cannot read file '/nonexistent/S3cret-file': No such file or directory"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> tokens = {"connections", "set-credentials", "github"};
    tokens.insert(tokens.end(), c.args.begin(), c.args.end());
    auto run = RunAt(server, tokens, "stdin value");
    EXPECT_EQ(run.status, 2) << c.message;
    EXPECT_EQ(run.out, "");
    EXPECT_EQ(run.err, "herald: " + c.message + UsageHint("set-credentials"));
    if (c.message.find("S3cret") == std::string::npos) {  // only a file name may show
      EXPECT_EQ(run.err.find("S3cret"), std::string::npos) << run.err;
    }
  }
  EXPECT_TRUE(server.requests().empty());
}

TEST(ConnectionsSetCredentialsTest, HelpDocumentsFileAndStdinValues) {
  auto run = RunHerald({"help", "connections", "set-credentials"});
  EXPECT_EQ(run.status, 0);
  EXPECT_NE(run.out.find("--field token=@/path/to/file"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("--field token=-"), std::string::npos) << run.out;
}

TEST(ConnectionsClearCredentialsTest, DeletesTeamOrOwnCredentials) {
  FakeHeraldd server;
  server.On("DELETE", "/v1/connections/github/environments/live/credentials/team",
            {.status = 200, .body = R"({"deleted":2})"});
  server.On("DELETE", "/v1/connections/github/environments/draft/credentials/me",
            {.status = 200, .body = R"({"deleted":1})"});
  auto team =
      RunAt(server, {"connections", "clear-credentials", "github", "--env", "live", "--team"});
  EXPECT_EQ(team.status, 0) << team.err;
  EXPECT_EQ(team.out, "Deleted 2 fields of the team's credentials of github (live).\n");
  auto me = RunAt(server, {"connections", "clear-credentials", "github", "--env", "draft", "--me"});
  EXPECT_EQ(me.status, 0) << me.err;
  EXPECT_EQ(me.out, "Deleted 1 field of your credentials of github (draft).\n");
  auto json = RunAt(
      server, {"connections", "clear-credentials", "github", "--env", "draft", "--me", "--json"});
  EXPECT_EQ(json.out, "{\"deleted\":1}\n");
  ASSERT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(server.requests()[0].method, "DELETE");
  EXPECT_EQ(server.requests()[0].uri, "/v1/connections/github/environments/live/credentials/team");
  EXPECT_EQ(server.requests()[1].method, "DELETE");
  EXPECT_EQ(server.requests()[1].uri, "/v1/connections/github/environments/draft/credentials/me");
}

TEST(ConnectionsClearCredentialsTest, UsageErrors) {
  auto both =
      RunHerald({"connections", "clear-credentials", "github", "--env", "live", "--team", "--me"});
  EXPECT_EQ(both.status, 2);
  EXPECT_EQ(both.err, "herald: give --team or --me, not both" + UsageHint("clear-credentials"));
  auto no_env = RunHerald({"connections", "clear-credentials", "github", "--team"});
  EXPECT_EQ(no_env.status, 2);
  EXPECT_EQ(no_env.err, "herald: missing option --env" + UsageHint("clear-credentials"));
}

// ---- test ----

TEST(ConnectionsTestTest, OkExitsZero) {
  FakeHeraldd server;
  server.On("POST", "/v1/connections/github/test",
            {.status = 200,
             .body = R"({"environment":"live","status":{"status":"ok","detail":"",)"
                     R"("http_status":200,"tested_at":"2024-06-01T10:00:00Z"}})"});
  auto run = RunAt(server, {"connections", "test", "github", "--env", "live"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "live: ok (HTTP 200)\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "POST");
  EXPECT_EQ(server.requests()[0].uri, "/v1/connections/github/test");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body), CanonicalJson(R"({"environment":"live"})"));
}

TEST(ConnectionsTestTest, FailureExitsOneWithTheDetail) {
  FakeHeraldd server;
  const std::string body =
      R"({"environment":"live","status":{"status":"auth_failed",)"
      R"("detail":"server answered 401 Unauthorized","http_status":401,"tested_at":"T"}})";
  server.On("POST", "/v1/connections/github/test", {.status = 200, .body = body});
  auto run = RunAt(server, {"connections", "test", "github", "--env", "live"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "live: auth_failed: server answered 401 Unauthorized\n");
  auto json = RunAt(server, {"connections", "test", "github", "--env", "live", "--json"});
  EXPECT_EQ(json.status, 1);
  EXPECT_EQ(json.out, body + "\n");
}

TEST(ConnectionsTestTest, SendsAsAndTheSsoToken) {
  FakeHeraldd server;
  server.On("POST", "/v1/connections/github/test",
            {.status = 200,
             .body = R"({"environment":"draft","status":{"status":"incomplete",)"
                     R"("detail":"member bob has no credentials"}})"});
  auto run = RunAt(server, {"connections", "test", "github", "--env", "draft", "--as", "bob",
                            "--sso-token", "eyJhbGciOi.x.y"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "draft: incomplete: member bob has no credentials\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"environment":"draft","as":"bob","sso_token":"eyJhbGciOi.x.y"})"));
}

TEST(ConnectionsTestTest, ReadsTheSsoTokenFromAFileOrStdin) {
  TempFile jwt("jwt", "eyJfile.a.b\n");
  FakeHeraldd server;
  server.On("POST", "/v1/connections/github/test",
            {.status = 200, .body = R"({"environment":"live","status":{"status":"ok"}})"});
  auto from_file = RunAt(
      server, {"connections", "test", "github", "--env", "live", "--sso-token-file", jwt.path()});
  EXPECT_EQ(from_file.status, 0) << from_file.err;
  EXPECT_EQ(from_file.out, "live: ok\n");
  auto from_stdin =
      RunAt(server, {"connections", "test", "github", "--env", "live", "--sso-token-file", "-"},
            "eyJstdin.c.d\n");
  EXPECT_EQ(from_stdin.status, 0) << from_stdin.err;
  ASSERT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"environment":"live","sso_token":"eyJfile.a.b"})"));
  EXPECT_EQ(CanonicalJson(server.requests()[1].body),
            CanonicalJson(R"({"environment":"live","sso_token":"eyJstdin.c.d"})"));
}

TEST(ConnectionsTestTest, UsageErrors) {
  FakeHeraldd server;
  auto no_env = RunAt(server, {"connections", "test", "github"});
  EXPECT_EQ(no_env.status, 2);
  EXPECT_EQ(no_env.err, "herald: missing option --env" + UsageHint("test"));
  auto both = RunAt(server, {"connections", "test", "github", "--env", "live", "--sso-token",
                             "eyJsecret", "--sso-token-file", "/tmp/x"});
  EXPECT_EQ(both.status, 2);
  EXPECT_EQ(both.err, "herald: give --sso-token or --sso-token-file, not both" + UsageHint("test"));
  auto missing = RunAt(server, {"connections", "test", "github", "--env", "live",
                                "--sso-token-file", "/nonexistent/jwt"});
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.err,
            "herald: cannot read token file '/nonexistent/jwt': No such file or directory" +
                UsageHint("test"));
  EXPECT_TRUE(server.requests().empty());
}

TEST(ConnectionsTestTest, ServerErrorExitsOne) {
  FakeHeraldd server;
  server.On(
      "POST", "/v1/connections/github/test",
      {.status = 403, .body = R"({"error":{"code":"forbidden","message":"--as needs an admin"}})"});
  auto run = RunAt(server, {"connections", "test", "github", "--env", "live", "--as", "bob"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "error: --as needs an admin (forbidden)\n");
}

}  // namespace
}  // namespace herald::cli
