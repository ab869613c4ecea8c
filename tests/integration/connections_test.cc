// Users, connections, credentials, connection tests, tools and SSO through
// the real heraldd (and, where it matters, the real CLI).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon_harness.h"
#include "test_http_server.h"

namespace herald::testing {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;

Object::Ptr Json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

std::string ErrorCode(const HttpResult& r) {
  return Json(r.body)->getObject("error")->getValue<std::string>("code");
}

std::string ErrorMessage(const HttpResult& r) {
  return Json(r.body)->getObject("error")->getValue<std::string>("message");
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ConnectionsTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  void Start(std::vector<std::string> args = {}) {
    daemon_ = std::make_unique<RunningDaemon>(dir_.path() / "data", std::move(args));
    ASSERT_TRUE(daemon_->ok()) << daemon_->error();
  }

  // Creates a user; returns their token.
  std::string AddUser(const std::string& name, const std::string& role) {
    HttpResult r = daemon_->Call("POST", "/v1/users",
                                 R"({"name":")" + name + R"(","role":")" + role + R"("})");
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r.body)->getValue<std::string>("token");
  }

  HttpResult AddConnection(const std::string& id, const std::string& draft_json) {
    return daemon_->Call(
        "POST", "/v1/connections",
        R"({"id":")" + id + R"(","display_name":"Conn )" + id + R"(","draft":)" + draft_json + "}");
  }

  std::string EnvJson(const std::string& server, const std::string& auth,
                      const std::string& type = "team", bool sso = false) {
    return R"({"server_url":")" + server + R"(","auth_type":")" + auth +
           R"(","credential_type":")" + type + R"(","sso":)" + (sso ? "true" : "false") +
           R"(,"probe":{"path":"/probe","timeout_ms":2000}})";
  }

  HttpResult SetCredentials(const std::string& id, const std::string& env, const std::string& who,
                            const std::string& fields_json, const std::string& token = "") {
    return daemon_->Call("PUT",
                         "/v1/connections/" + id + "/environments/" + env + "/credentials/" + who,
                         R"({"fields":)" + fields_json + "}", token);
  }

  HttpResult Test(const std::string& id, const std::string& env, const std::string& token = "",
                  const std::string& extra = "") {
    return daemon_->Call("POST", "/v1/connections/" + id + "/test",
                         R"({"environment":")" + env + "\"" + extra + "}", token);
  }

  static std::string StatusOf(const HttpResult& r) {
    return Json(r.body)->getObject("status")->getValue<std::string>("status");
  }

  TempDir dir_;
  std::unique_ptr<RunningDaemon> daemon_;
};

TEST_F(ConnectionsTest, FirstStartWritesTheAdminTokenOwnerOnlyAndNeverLogsIt) {
  const fs::path token_file = dir_.path() / "data" / "admin.token";
  struct stat st {};
  ASSERT_EQ(::stat(token_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string log = ReadAll(dir_.path() / "data" / "heraldd.log");
  EXPECT_NE(log.find("token_file=" + token_file.string()), std::string::npos);
  EXPECT_EQ(log.find(daemon_->admin_token()), std::string::npos);
  const fs::path key_file = dir_.path() / "data" / "master.key";
  ASSERT_EQ(::stat(key_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_NE(log.find("event=master_key.created key_file=" + key_file.string()), std::string::npos);
}

TEST_F(ConnectionsTest, EveryV1CallNeedsAValidToken) {
  HttpResult none = HttpRequest(daemon_->url(), "GET", "/v1/plugins");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(ErrorCode(none), "unauthenticated");
  HttpResult wrong = daemon_->Call("GET", "/v1/connections", "", "hrd_not-a-real-token");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body.find("hrd_not-a-real-token"), std::string::npos);
  EXPECT_EQ(HttpRequest(daemon_->url(), "GET", "/healthz").status, 200);
}

TEST_F(ConnectionsTest, RolesBoundWhatEachUserMayDo) {
  const std::string op = AddUser("olga", "operator");
  const std::string member = AddUser("mia", "member");
  // Members and operators cannot manage users.
  EXPECT_EQ(daemon_->Call("GET", "/v1/users", "", op).status, 403);
  EXPECT_EQ(daemon_->Call("POST", "/v1/users", R"({"name":"x","role":"admin"})", member).status,
            403);
  // Members cannot manage connections; operators can.
  HttpResult by_member =
      daemon_->Call("POST", "/v1/connections", R"({"id":"a","display_name":"A"})", member);
  EXPECT_EQ(by_member.status, 403);
  EXPECT_EQ(ErrorCode(by_member), "permission_denied");
  EXPECT_EQ(daemon_->Call("POST", "/v1/connections", R"({"id":"a","display_name":"A"})", op).status,
            201);
  // Everyone reads.
  EXPECT_EQ(daemon_->Call("GET", "/v1/connections", "", member).status, 200);
  EXPECT_EQ(Json(daemon_->Call("GET", "/v1/me", "", member).body)
                ->getObject("user")
                ->getValue<std::string>("role"),
            "member");
  // The last admin stays.
  HttpResult last = daemon_->Call("DELETE", "/v1/users/admin");
  EXPECT_EQ(last.status, 422);
  EXPECT_EQ(daemon_->Call("DELETE", "/v1/users/mia").status, 200);
  EXPECT_EQ(daemon_->Call("GET", "/v1/me", "", member).status, 401);
}

TEST_F(ConnectionsTest, RefusesEachRuleBreakNamingTheField) {
  TestHttpServer server;
  HttpResult kv_member = AddConnection("kv", EnvJson(server.url(), "key_value", "member"));
  EXPECT_EQ(kv_member.status, 400);
  EXPECT_NE(ErrorMessage(kv_member).find("draft.credential_type"), std::string::npos);
  EXPECT_NE(ErrorMessage(kv_member).find("only team"), std::string::npos);

  HttpResult sso_team = AddConnection("s", EnvJson(server.url(), "bearer", "team", true));
  EXPECT_EQ(sso_team.status, 400);
  EXPECT_NE(ErrorMessage(sso_team).find("draft.sso"), std::string::npos);

  HttpResult unknown = AddConnection("u", EnvJson(server.url(), "oauth_magic"));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(ErrorMessage(unknown).find("no auth-type plugin 'oauth_magic' is loaded"),
            std::string::npos);

  HttpResult bad_url = AddConnection("b", EnvJson("ftp://x", "bearer"));
  EXPECT_NE(ErrorMessage(bad_url).find("draft.server_url"), std::string::npos);

  HttpResult bad_slug =
      daemon_->Call("POST", "/v1/connections", R"({"id":"Bad Id!","display_name":"x"})");
  EXPECT_EQ(bad_slug.status, 400);
  EXPECT_NE(ErrorMessage(bad_slug).find("id:"), std::string::npos);

  HttpResult unknown_field =
      daemon_->Call("POST", "/v1/connections", R"({"id":"z","display_name":"x","colour":"red"})");
  EXPECT_NE(ErrorMessage(unknown_field).find("colour: unknown field"), std::string::npos);

  HttpResult malformed = daemon_->Call("POST", "/v1/connections", "{nope");
  EXPECT_EQ(malformed.status, 400);
  // Nothing half written.
  EXPECT_EQ(Json(daemon_->Get("/v1/connections").body)->getArray("connections")->size(), 0u);
}

TEST_F(ConnectionsTest, ChangingAuthDeletesThatEnvironmentsCredentialsAndSaysSo) {
  TestHttpServer server;
  ASSERT_EQ(AddConnection("svc", EnvJson(server.url(), "bearer")).status, 201);
  ASSERT_EQ(SetCredentials("svc", "draft", "team", R"({"token":"t-123"})").status, 200);
  // Same auth type, new server: credentials stay.
  HttpResult moved = daemon_->Call("PUT", "/v1/connections/svc/environments/draft",
                                   R"({"server_url":")" + server.url() + R"(/v2"})");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_FALSE(Json(moved.body)->getValue<bool>("credentials_deleted"));
  // New auth type: credentials go.
  HttpResult changed =
      daemon_->Call("PUT", "/v1/connections/svc/environments/draft", R"({"auth_type":"api_key"})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_TRUE(Json(changed.body)->getValue<bool>("credentials_deleted"));
  auto fields = Json(changed.body)
                    ->getObject("connection")
                    ->getObject("draft")
                    ->getObject("credentials")
                    ->getObject("team")
                    ->getArray("fields");
  for (size_t i = 0; i < fields->size(); ++i) {
    EXPECT_FALSE(fields->getObject(static_cast<unsigned>(i))->getValue<bool>("set"));
  }
}

TEST_F(ConnectionsTest, CopiesDraftToLiveInOneStep) {
  TestHttpServer server;
  ASSERT_EQ(AddConnection("svc", EnvJson(server.url(), "basic")).status, 201);
  HttpResult copied = daemon_->Call("POST", "/v1/connections/svc/copy-to-live");
  ASSERT_EQ(copied.status, 200) << copied.body;
  auto live = Json(copied.body)->getObject("connection")->getObject("live");
  ASSERT_FALSE(live.isNull());
  EXPECT_EQ(live->getValue<std::string>("auth_type"), "basic");
  EXPECT_EQ(live->getValue<std::string>("server_url"), server.url());
}

TEST_F(ConnectionsTest, EachAuthTypeEndToEndAgainstALiveServer) {
  TestHttpServer server;
  struct Case {
    std::string auth;
    std::string fields;
    std::string header;  // expected header name (or "" for a query parameter)
    std::string value;
  };
  const std::vector<Case> cases = {
      {"api_key", R"({"key":"k-1","name":"X-Api-Key"})", "x-api-key", "k-1"},
      {"api_key", R"({"key":"k 2","location":"query","name":"api_key"})", "", "k 2"},
      {"basic", R"({"username":"Aladdin","password":"open sesame"})", "authorization",
       "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="},
      {"bearer", R"({"token":"tok-3"})", "authorization", "Bearer tok-3"},
      {"key_value", R"({"X-Tenant":"acme","X-Secret":"kv-4"})", "x-secret", "kv-4"},
  };
  int n = 0;
  for (const Case& c : cases) {
    const std::string id = "c" + std::to_string(n++);
    SCOPED_TRACE(id + " " + c.auth);
    ASSERT_EQ(AddConnection(id, EnvJson(server.url(), c.auth)).status, 201);
    HttpResult set = SetCredentials(id, "draft", "team", c.fields);
    ASSERT_EQ(set.status, 200) << set.body;

    server.ClearRequests();
    server.RespondAt("/probe", 200, "{}");
    HttpResult ok = Test(id, "draft");
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(StatusOf(ok), "ok") << ok.body;
    ASSERT_EQ(server.request_count(), 1u);
    RecordedRequest got = server.requests()[0];
    EXPECT_EQ(got.path, "/probe");
    if (c.header.empty()) {
      ASSERT_EQ(got.QueryParams().size(), 1u);
      EXPECT_EQ(got.QueryParams()[0], std::make_pair(std::string("api_key"), c.value));
    } else {
      EXPECT_EQ(got.Header(c.header), c.value);
    }

    server.RespondAt("/probe", 401);
    EXPECT_EQ(StatusOf(Test(id, "draft")), "auth_failed");
    server.NeverAnswerAt("/probe");
    HttpResult hang = Test(id, "draft");
    EXPECT_EQ(StatusOf(hang), "unreachable") << hang.body;
  }
  ClosedPort closed;
  ASSERT_EQ(AddConnection("down", EnvJson(closed.url(), "bearer")).status, 201);
  ASSERT_EQ(SetCredentials("down", "draft", "team", R"({"token":"t"})").status, 200);
  HttpResult down = Test("down", "draft");
  EXPECT_EQ(StatusOf(down), "unreachable");
  EXPECT_NE(Json(down.body)->getObject("status")->getValue<std::string>("detail").find("refused"),
            std::string::npos)
      << down.body;
}

TEST_F(ConnectionsTest, ATestWithoutCredentialsIsIncomplete) {
  TestHttpServer server;
  ASSERT_EQ(AddConnection("svc", EnvJson(server.url(), "bearer")).status, 201);
  HttpResult r = Test("svc", "draft");
  EXPECT_EQ(StatusOf(r), "incomplete");
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(ConnectionsTest, CredentialFieldsAreValidatedByTheAuthTypeNamingTheField) {
  TestHttpServer server;
  ASSERT_EQ(AddConnection("svc", EnvJson(server.url(), "basic")).status, 201);
  HttpResult missing = SetCredentials("svc", "draft", "team", R"({"username":"u"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(ErrorMessage(missing).find("fields.password"), std::string::npos) << missing.body;
  HttpResult colon = SetCredentials("svc", "draft", "team", R"({"username":"a:b","password":"p"})");
  EXPECT_EQ(colon.status, 400);
  EXPECT_NE(ErrorMessage(colon).find("fields.username"), std::string::npos) << colon.body;
  HttpResult unknown = SetCredentials("svc", "draft", "team", R"({"user":"a","password":"p"})");
  EXPECT_NE(ErrorMessage(unknown).find("fields.user"), std::string::npos) << unknown.body;
}

TEST_F(ConnectionsTest, MembersOwnTheirCredentialsAndNobodyElseCanUseThem) {
  TestHttpServer server;
  server.RespondAt("/probe", 200);
  const std::string ann = AddUser("ann", "member");
  const std::string bob = AddUser("bob", "member");
  const std::string op = AddUser("olga", "operator");
  ASSERT_EQ(AddConnection("svc", EnvJson(server.url(), "bearer", "member")).status, 201);
  // Team credentials make no sense on a member connection.
  EXPECT_EQ(SetCredentials("svc", "draft", "team", R"({"token":"t"})").status, 422);
  ASSERT_EQ(SetCredentials("svc", "draft", "me", R"({"token":"ann-token"})", ann).status, 200);

  // Ann's test uses Ann's credentials.
  EXPECT_EQ(StatusOf(Test("svc", "draft", ann)), "ok");
  EXPECT_EQ(server.requests().back().Header("authorization"), "Bearer ann-token");
  // Bob has none: incomplete, and Ann's are not used.
  server.ClearRequests();
  EXPECT_EQ(StatusOf(Test("svc", "draft", bob)), "incomplete");
  EXPECT_EQ(server.request_count(), 0u);
  // Bob cannot act as Ann; neither can an operator.
  EXPECT_EQ(Test("svc", "draft", bob, R"(,"as":"ann")").status, 403);
  EXPECT_EQ(Test("svc", "draft", op, R"(,"as":"ann")").status, 403);
  // Bob sees his own (unset) fields, never Ann's.
  HttpResult bobs =
      daemon_->Call("GET", "/v1/connections/svc/environments/draft/credentials/me", "", bob);
  ASSERT_EQ(bobs.status, 200);
  EXPECT_FALSE(Json(bobs.body)
                   ->getObject("credentials")
                   ->getArray("fields")
                   ->getObject(0)
                   ->getValue<bool>("set"));
  // Deleting his own touches nothing of Ann's.
  EXPECT_EQ(
      daemon_->Call("DELETE", "/v1/connections/svc/environments/draft/credentials/me", "", bob)
          .status,
      200);
  EXPECT_EQ(StatusOf(Test("svc", "draft", ann)), "ok");
  // A member cannot touch team credentials at all.
  EXPECT_EQ(SetCredentials("svc", "draft", "team", R"({"token":"x"})", bob).status, 403);
}

TEST_F(ConnectionsTest, TheConnectionTableShowsServerToolsLiveAndStatus) {
  TestHttpServer server;
  server.RespondAt("/probe", 200);
  ASSERT_EQ(AddConnection("svc", EnvJson(server.url(), "bearer")).status, 201);
  auto row = [&] {
    return Json(daemon_->Get("/v1/connections").body)->getArray("connections")->getObject(0);
  };
  EXPECT_FALSE(row()->getValue<bool>("live"));
  ASSERT_EQ(daemon_->Call("POST", "/v1/connections/svc/copy-to-live").status, 200);
  EXPECT_FALSE(row()->getValue<bool>("live"));  // no team credentials yet
  ASSERT_EQ(SetCredentials("svc", "live", "team", R"({"token":"live-t"})").status, 200);
  EXPECT_TRUE(row()->getValue<bool>("live"));
  EXPECT_EQ(row()->getValue<std::string>("status"), "untested");
  EXPECT_EQ(StatusOf(Test("svc", "live")), "ok");
  EXPECT_EQ(row()->getValue<std::string>("status"), "ok");
  EXPECT_EQ(row()->getValue<std::string>("server"), server.url());
}

const char kPetstore[] = R"(openapi: 3.0.3
info: {title: Pets, version: "1"}
servers: [{url: "https://pets.example/v1"}]
components:
  securitySchemes:
    petKey: {type: apiKey, in: header, name: X-Pet-Key}
    bearerAuth: {type: http, scheme: bearer}
security: [{petKey: []}]
paths:
  /pets:
    get:
      operationId: listPets
      summary: List pets
    post:
      operationId: addPet
      security: [{bearerAuth: []}]
  /health:
    get:
      operationId: health
      security: []
)";

std::string ImportBody(const std::string& doc, const std::string& extra = "") {
  Object body;
  body.set("file_name", "petstore.yaml");
  body.set("document", doc);
  std::ostringstream out;
  body.stringify(out);
  std::string text = out.str();
  if (!extra.empty()) text.insert(text.size() - 1, "," + extra);
  return text;
}

TEST_F(ConnectionsTest, ToolsImportedFromOpenApiShowWhetherTheirConnectionMatches) {
  TestHttpServer server;
  ASSERT_EQ(AddConnection("pets", EnvJson(server.url(), "api_key")).status, 201);
  ASSERT_EQ(SetCredentials("pets", "draft", "team", R"({"key":"k","name":"X-Pet-Key"})").status,
            200);
  ASSERT_EQ(AddConnection("tok", EnvJson(server.url(), "bearer")).status, 201);

  HttpResult imported = daemon_->Call("POST", "/v1/tools/import", ImportBody(kPetstore));
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_EQ(Json(imported.body)->getArray("tools")->size(), 3u);

  // Matching bind: the check mark.
  HttpResult bound =
      daemon_->Call("PUT", "/v1/tools/listpets/connection", R"({"connection":"pets"})");
  ASSERT_EQ(bound.status, 200) << bound.body;
  EXPECT_TRUE(Json(bound.body)->getObject("tool")->getObject("match")->getValue<bool>("satisfied"));
  // Mismatch refused, naming both sides.
  HttpResult refused =
      daemon_->Call("PUT", "/v1/tools/listpets/connection", R"({"connection":"tok"})");
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(ErrorMessage(refused).find("listpets"), std::string::npos) << refused.body;
  EXPECT_NE(ErrorMessage(refused).find("'tok'"), std::string::npos) << refused.body;
  EXPECT_NE(ErrorMessage(refused).find("petKey"), std::string::npos) << refused.body;
  // The operation's own security overrides the global one.
  EXPECT_EQ(daemon_->Call("PUT", "/v1/tools/addpet/connection", R"({"connection":"tok"})").status,
            200);
  // security: [] needs nothing: even key-value binds.
  ASSERT_EQ(AddConnection("kv", EnvJson(server.url(), "key_value")).status, 201);
  EXPECT_EQ(daemon_->Call("PUT", "/v1/tools/health/connection", R"({"connection":"kv"})").status,
            200);
  EXPECT_EQ(daemon_->Call("PUT", "/v1/tools/listpets/connection", R"({"connection":"kv"})").status,
            422);

  // The connection table lists associated tools; removal is refused naming them.
  auto rows = Json(daemon_->Get("/v1/connections").body)->getArray("connections");
  bool found = false;
  for (size_t i = 0; i < rows->size(); ++i) {
    auto row = rows->getObject(static_cast<unsigned>(i));
    if (row->getValue<std::string>("id") != "pets") continue;
    found = true;
    EXPECT_EQ(row->getArray("associated_tools")->getElement<std::string>(0), "listpets");
  }
  EXPECT_TRUE(found);
  HttpResult remove = daemon_->Call("DELETE", "/v1/connections/pets");
  EXPECT_EQ(remove.status, 409);
  EXPECT_NE(ErrorMessage(remove).find("listpets"), std::string::npos);
}

TEST_F(ConnectionsTest, ADocumentWithAnUndefinedSchemeIsRefusedNamingIt) {
  std::string doc = kPetstore;
  doc.replace(doc.find("security: [{petKey: []}]"), 24, "security: [{ghostKey: []}]");
  HttpResult r = daemon_->Call("POST", "/v1/tools/import", ImportBody(doc));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(ErrorMessage(r).find("ghostKey"), std::string::npos) << r.body;
  EXPECT_EQ(Json(daemon_->Get("/v1/tools").body)->getArray("tools")->size(), 0u);
}

TEST_F(ConnectionsTest, RefusesToStartWithAMissingOrWrongMasterKey) {
  TestHttpServer server;
  ASSERT_EQ(AddConnection("svc", EnvJson(server.url(), "bearer")).status, 201);
  ASSERT_EQ(SetCredentials("svc", "draft", "team", R"({"token":"t"})").status, 200);
  ASSERT_EQ(daemon_->Stop(SIGTERM), 0);
  const fs::path key = dir_.path() / "data" / "master.key";
  const fs::path saved = dir_.path() / "master.key.saved";
  fs::rename(key, saved);

  RunningDaemon missing(dir_.path() / "data");
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("is missing"), std::string::npos) << missing.error();
  EXPECT_FALSE(fs::exists(key)) << "a new key must never be made silently";

  RunningDaemon wrong(dir_.path() / "data", {});
  // A well-formed but different key from the environment.
  ProcessResult other = RunProcess(
      HeralddPath(), {"--listen", "127.0.0.1:0", "--data-dir", (dir_.path() / "data").string()},
      {{"HERALD_MASTER_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}, 30);
  EXPECT_NE(other.exit_code, 0);
  EXPECT_NE(other.err.find("does not decrypt"), std::string::npos) << other.err;

  std::ofstream(key) << "this is not a key file\n";
  fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write);
  RunningDaemon malformed(dir_.path() / "data");
  EXPECT_FALSE(malformed.ok());
  EXPECT_NE(malformed.error().find(key.string()), std::string::npos) << malformed.error();

  fs::rename(saved, key);
  Start();
  server.RespondAt("/probe", 200);
  EXPECT_EQ(StatusOf(Test("svc", "draft")), "ok");
}

TEST_F(ConnectionsTest, RotationReencryptsEverySecretAndSurvivesARestart) {
  TestHttpServer server;
  server.RespondAt("/probe", 200);
  ASSERT_EQ(AddConnection("svc", EnvJson(server.url(), "bearer")).status, 201);
  ASSERT_EQ(SetCredentials("svc", "draft", "team", R"({"token":"before-rotation"})").status, 200);
  const std::string old_key = ReadAll(dir_.path() / "data" / "master.key");
  HttpResult rotated = daemon_->Call("POST", "/v1/admin/rotate-key");
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  EXPECT_EQ(Json(rotated.body)->getValue<int>("reencrypted"), 1);
  const std::string new_key = ReadAll(dir_.path() / "data" / "master.key");
  EXPECT_NE(new_key, old_key);
  // The new key is the active one (the first key line), the old one retired.
  const std::string key_id = Json(rotated.body)->getValue<std::string>("key_id");
  EXPECT_NE(new_key.find("\n" + key_id + " "), std::string::npos) << key_id;
  EXPECT_EQ(new_key.find(old_key.substr(old_key.rfind('\n', old_key.size() - 2) + 1)),
            std::string::npos);
  ASSERT_EQ(daemon_->Stop(SIGTERM), 0);
  Start();
  EXPECT_EQ(StatusOf(Test("svc", "draft")), "ok");
  EXPECT_EQ(server.requests().back().Header("authorization"), "Bearer before-rotation");
  // Operators cannot rotate.
  EXPECT_EQ(daemon_->Call("POST", "/v1/admin/rotate-key", "", AddUser("olga", "operator")).status,
            403);
}

std::string Hs256Token(const std::string& secret, const std::string& subject,
                       const std::string& audience, int64_t expires_in) {
  Poco::JWT::Token token;
  token.setType("JWT");
  token.setIssuer("https://idp.test");
  token.setSubject(subject);
  token.setAudience(audience);
  token.setIssuedAt(Poco::Timestamp());
  token.setExpiration(Poco::Timestamp() + expires_in * Poco::Timespan::SECONDS);
  Poco::JWT::Signer signer(secret);
  return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

TEST_F(ConnectionsTest, SsoMapsTheVerifiedSubjectToAMemberAndItsCredentials) {
  const std::string secret = "an-hs256-secret-that-is-long-enough-123";
  const fs::path secret_file = dir_.path() / "idp.secret";
  std::ofstream(secret_file) << secret << "\n";
  const fs::path config = dir_.path() / "heraldd.properties";
  std::ofstream(config) << "sso.issuer = https://idp.test\nsso.audience = herald\n"
                        << "sso.hs256_secret_file = " << secret_file.string() << "\n";
  ASSERT_EQ(daemon_->Stop(SIGTERM), 0);
  Start({"--config", config.string()});

  TestHttpServer server;
  server.RespondAt("/probe", 200);
  const std::string ann = AddUser("ann", "member");
  ASSERT_EQ(AddConnection("sso", EnvJson(server.url(), "bearer", "member", true)).status, 201);
  ASSERT_EQ(SetCredentials("sso", "draft", "me", R"({"token":"ann-sso"})", ann).status, 200);

  HttpResult ok = Test("sso", "draft", "",
                       R"(,"sso_token":")" + Hs256Token(secret, "ann", "herald", 300) + "\"");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(StatusOf(ok), "ok");
  EXPECT_EQ(server.requests().back().Header("authorization"), "Bearer ann-sso");

  HttpResult expired = Test(
      "sso", "draft", "", R"(,"sso_token":")" + Hs256Token(secret, "ann", "herald", -3600) + "\"");
  EXPECT_EQ(expired.status, 401);
  EXPECT_NE(ErrorMessage(expired).find("expired"), std::string::npos) << expired.body;
  HttpResult audience = Test("sso", "draft", "",
                             R"(,"sso_token":")" + Hs256Token(secret, "ann", "other", 300) + "\"");
  EXPECT_EQ(audience.status, 401);
  HttpResult forged =
      Test("sso", "draft", "",
           R"(,"sso_token":")" +
               Hs256Token("a-different-secret-that-is-long-enough", "ann", "herald", 300) + "\"");
  EXPECT_EQ(forged.status, 401);
  HttpResult missing = Test("sso", "draft", "");
  EXPECT_EQ(missing.status, 400);
}

// The issue's "done": through the real CLI, an operator adds a connection
// of each auth type, sets team or member credentials, tests them against a
// live local server, sees the status in the connection table, and imports
// tools that show whether their connection matches.
TEST_F(ConnectionsTest, TheOperatorsWorkflowThroughTheCli) {
  TestHttpServer server;
  server.RespondAt("/probe", 200);
  ProcessResult add_op = daemon_->Cli({"users", "add", "olga", "--role", "operator"});
  ASSERT_EQ(add_op.exit_code, 0) << add_op.err;
  const std::string token_line = add_op.out.substr(add_op.out.find("hrd_"));
  const std::string op = token_line.substr(0, token_line.find_first_of(" \n"));
  ProcessResult add_member = daemon_->Cli({"users", "add", "mia", "--role", "member"});
  ASSERT_EQ(add_member.exit_code, 0) << add_member.err;
  const std::string mia_line = add_member.out.substr(add_member.out.find("hrd_"));
  const std::string mia = mia_line.substr(0, mia_line.find_first_of(" \n"));
  EXPECT_NE(daemon_->Cli({"users", "list"}).out.find("olga"), std::string::npos);

  const fs::path secret = dir_.path() / "bearer.secret";
  std::ofstream(secret) << "from-a-file\n";
  struct Case {
    std::string id, auth, type;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {"keyed", "api_key", "team", {"key=k1"}},
      {"basic", "basic", "team", {"username=u", "password=p"}},
      {"tok", "bearer", "team", {"token=@" + secret.string()}},
      {"kv", "key_value", "team", {"X-Tenant=acme"}},
      {"mine", "bearer", "member", {"token=mia-own"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    ProcessResult add = daemon_->Cli(
        {"connections", "add", c.id, "--name", "Service " + c.id, "--server-url", server.url(),
         "--auth-type", c.auth, "--credential-type", c.type, "--probe-path", "/probe"},
        op);
    ASSERT_EQ(add.exit_code, 0) << add.err;
    ASSERT_EQ(daemon_->Cli({"connections", "copy-to-live", c.id}, op).exit_code, 0);
    std::vector<std::string> set{"connections", "set-credentials",
                                 c.id,          "--env",
                                 "live",        c.type == "team" ? "--team" : "--me"};
    for (const auto& f : c.fields) {
      set.push_back("--field");
      set.push_back(f);
    }
    ProcessResult stored = daemon_->Cli(set, c.type == "team" ? op : mia);
    ASSERT_EQ(stored.exit_code, 0) << stored.err;
    ProcessResult tested =
        daemon_->Cli({"connections", "test", c.id, "--env", "live"}, c.type == "team" ? op : mia);
    EXPECT_EQ(tested.exit_code, 0) << tested.out << tested.err;
    EXPECT_NE(tested.out.find("ok"), std::string::npos) << tested.out;
  }
  EXPECT_EQ(server.requests().back().Header("authorization"), "Bearer mia-own");

  ProcessResult table = daemon_->Cli({"connections", "list"}, mia);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  for (const Case& c : cases) EXPECT_NE(table.out.find(c.id), std::string::npos) << table.out;
  EXPECT_NE(table.out.find(server.url()), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("✓"), std::string::npos) << table.out;

  const fs::path doc = dir_.path() / "petstore.yaml";
  std::string petstore = kPetstore;
  petstore.replace(petstore.find("X-Pet-Key"), 9, "x-api-key");  // api_key's default header
  std::ofstream(doc) << petstore;
  ProcessResult imported = daemon_->Cli({"tools", "import", doc.string()}, op);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(daemon_->Cli({"tools", "bind", "listpets", "keyed"}, op).exit_code, 0);
  ProcessResult mismatch = daemon_->Cli({"tools", "bind", "addpet", "keyed"}, op);
  EXPECT_EQ(mismatch.exit_code, 1);
  EXPECT_NE(mismatch.err.find("addpet"), std::string::npos) << mismatch.err;
  ProcessResult tools = daemon_->Cli({"tools", "list"});
  ASSERT_EQ(tools.exit_code, 0) << tools.err;
  EXPECT_NE(tools.out.find("listpets"), std::string::npos) << tools.out;
  EXPECT_NE(tools.out.find("✓"), std::string::npos) << tools.out;

  ProcessResult rotated = daemon_->Cli({"admin", "rotate-key"});
  EXPECT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_EQ(daemon_->Cli({"admin", "rotate-key"}, op).exit_code, 1);
}

// Canary secrets for every auth type and credential type, through every path;
// then no log line and no byte of any database file (WAL included) holds one.
TEST_F(ConnectionsTest, NoSecretReachesTheLogsTheDatabaseOrAnAnswer) {
  TestHttpServer server;
  const std::string member = AddUser("mia", "member");
  struct Case {
    std::string id, auth, type, who, fields, canary;
  };
  const std::vector<Case> cases = {
      {"c-apikey-team", "api_key", "team", "team", R"({"key":"CANARY-apikey-team-7f3a"})",
       "CANARY-apikey-team-7f3a"},
      {"c-apikey-member", "api_key", "member", "me", R"({"key":"CANARY-apikey-member-91bc"})",
       "CANARY-apikey-member-91bc"},
      {"c-basic-team", "basic", "team", "team",
       R"({"username":"u","password":"CANARY-basic-team-22de"})", "CANARY-basic-team-22de"},
      {"c-basic-member", "basic", "member", "me",
       R"({"username":"u","password":"CANARY-basic-member-3e4f"})", "CANARY-basic-member-3e4f"},
      {"c-bearer-team", "bearer", "team", "team", R"({"token":"CANARY-bearer-team-5a6b"})",
       "CANARY-bearer-team-5a6b"},
      {"c-bearer-member", "bearer", "member", "me", R"({"token":"CANARY-bearer-member-7c8d"})",
       "CANARY-bearer-member-7c8d"},
      {"c-kv-team", "key_value", "team", "team", R"({"X-Secret":"CANARY-kv-team-9e0f"})",
       "CANARY-kv-team-9e0f"},
  };
  std::vector<std::string> answers;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    ASSERT_EQ(AddConnection(c.id, EnvJson(server.url(), c.auth, c.type)).status, 201);
    const std::string token = c.who == "me" ? member : "";
    HttpResult set = SetCredentials(c.id, "draft", c.who, c.fields, token);
    ASSERT_EQ(set.status, 200) << set.body;
    answers.push_back(set.body);
    // Failures that carry the secret in the request.
    std::string bad = c.fields;
    bad.insert(bad.size() - 1, R"(,"no_such_field":")" + c.canary + "\"");
    answers.push_back(SetCredentials(c.id, "draft", c.who, bad, token).body);
    std::string control = c.fields;
    control.replace(control.find(c.canary), c.canary.size(), c.canary + "\\n");
    answers.push_back(SetCredentials(c.id, "draft", c.who, control, token).body);
    for (int status : {200, 401, 500}) {
      server.RespondAt("/probe", status);
      answers.push_back(Test(c.id, "draft", token).body);
    }
    answers.push_back(daemon_->Get("/v1/connections/" + c.id).body);
    answers.push_back(daemon_->Call("GET", "/v1/connections/" + c.id, "", member).body);
  }
  answers.push_back(daemon_->Get("/v1/connections").body);
  answers.push_back(daemon_->Call("POST", "/v1/admin/rotate-key").body);
  for (const Case& c : cases) {
    for (const auto& a : answers) EXPECT_EQ(a.find(c.canary), std::string::npos) << a;
  }
  ASSERT_EQ(daemon_->Stop(SIGKILL), 128 + SIGKILL);  // keep the WAL as it is
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir_.path() / "data")) files.push_back(e.path());
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    if (e.is_regular_file()) files.push_back(e.path());  // the daemon's stdout/stderr
  }
  bool saw_wal = false;
  for (const auto& f : files) {
    saw_wal = saw_wal || f.filename() == "herald.db-wal";
    const std::string bytes = ReadAll(f);
    for (const Case& c : cases) {
      EXPECT_EQ(bytes.find(c.canary), std::string::npos) << c.canary << " found in " << f;
    }
  }
  EXPECT_TRUE(saw_wal);
}

}  // namespace
}  // namespace herald::testing
