// Agents as drafts through the real heraldd over HTTP: fields, knowledge
// files stored by content, tools, collaborators and their permissions,
// channels checked against the fixture channel plugin, revisions with
// If-Match, the audit trail, apply/export of agent.yaml, and bad input.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "daemon_harness.h"

namespace herald::testing {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Array;
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

Object::Ptr Agent(const HttpResult& r) { return Json(r.body)->getObject("agent"); }

int64_t Revision(const HttpResult& r) { return Agent(r)->getValue<int64_t>("revision"); }

std::string Header(const HttpResult& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

// Runs `sql` on the database file (read-only) and returns the first column
// of the first row as an integer.
int64_t QueryInt(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  int64_t value = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      value = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return value;
}

void Execute(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

const char kPetstore[] = R"(openapi: 3.0.3
info: {title: Pets, version: "1"}
servers: [{url: "https://pets.example/v1"}]
paths:
  /pets:
    get:
      operationId: listPets
      summary: List pets
  /health:
    get:
      operationId: health
)";

class AgentsTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  void Start(std::vector<std::string> args = {}) {
    args.insert(args.begin(), {"--plugin-dir", HERALD_FIXTURE_PLUGIN_DIR});
    daemon_ = std::make_unique<RunningDaemon>(dir_.path() / "data", std::move(args));
    ASSERT_TRUE(daemon_->ok()) << daemon_->error();
  }

  fs::path Database() const { return dir_.path() / "data" / "herald.db"; }

  // A request with `token` (the admin's when empty) and extra headers.
  HttpResult Send(const std::string& method, const std::string& path, const std::string& body = "",
                  std::map<std::string, std::string> headers = {},
                  const std::string& token = "") const {
    headers["Authorization"] = "Bearer " + (token.empty() ? daemon_->admin_token() : token);
    return HttpRequest(daemon_->url(), method, path, body, headers);
  }

  HttpResult Upload(const std::string& agent, const std::string& name, const std::string& bytes,
                    const std::string& type = "text/markdown", const std::string& token = "") {
    return Send("PUT", "/v1/agents/" + agent + "/knowledge/" + name, bytes,
                {{"Content-Type", type}}, token);
  }

  HttpResult ApplyYaml(const std::string& yaml, const std::string& token = "") {
    return Send("POST", "/v1/agents/apply", yaml, {{"Content-Type", "application/yaml"}}, token);
  }

  std::string AddUser(const std::string& name, const std::string& role) {
    HttpResult r = daemon_->Call("POST", "/v1/users",
                                 R"({"name":")" + name + R"(","role":")" + role + R"("})");
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r.body)->getValue<std::string>("token");
  }

  void CreateAgent(const std::string& id) {
    HttpResult r = daemon_->Call("POST", "/v1/agents",
                                 R"({"id":")" + id + R"(","name":"Agent )" + id + R"("})");
    ASSERT_EQ(r.status, 201) << r.body;
  }

  int64_t CurrentRevision(const std::string& id) {
    return Revision(daemon_->Get("/v1/agents/" + id));
  }

  // Expects a 4xx JSON error with `code` whose message starts with `field`.
  void ExpectRefused(const HttpResult& r, int status, const std::string& code,
                     const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body;
    ASSERT_NE(r.body.find("\"error\""), std::string::npos) << r.body;
    EXPECT_EQ(ErrorCode(r), code) << r.body;
    EXPECT_EQ(ErrorMessage(r).rfind(field, 0), 0u)
        << "expected the message to name '" << field << "': " << r.body;
  }

  TempDir dir_;
  std::unique_ptr<RunningDaemon> daemon_;
};

TEST_F(AgentsTest, CreateThenReadAndUpdateEveryField) {
  HttpResult created = daemon_->Call("POST", "/v1/agents",
                                     R"({"id":"support","name":"Support","description":"Helps"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Header(created, "ETag"), "\"1\"");
  Object::Ptr agent = Agent(created);
  EXPECT_EQ(agent->getValue<std::string>("name"), "Support");
  EXPECT_EQ(agent->getValue<int64_t>("revision"), 1);
  EXPECT_TRUE(agent->isNull("live_version"));
  // The creator owns it.
  Array::Ptr collaborators = agent->getArray("collaborators");
  ASSERT_EQ(collaborators->size(), 1u);
  EXPECT_EQ(collaborators->getObject(0)->getValue<std::string>("user"), "admin");
  EXPECT_EQ(collaborators->getObject(0)->getValue<std::string>("role"), "owner");

  struct Case {
    std::string body;
    std::function<std::string(const Object::Ptr&)> read;
    std::string want;
    std::string summary;
  };
  auto top = [](const char* key) {
    return [key](const Object::Ptr& a) { return a->getValue<std::string>(key); };
  };
  auto in = [](const char* object, const char* key) {
    return [object, key](const Object::Ptr& a) {
      return a->getObject(object)->get(key).convert<std::string>();
    };
  };
  const std::vector<Case> cases = {
      {R"({"name":"Support bot"})", top("name"), "Support bot", "set name"},
      {R"({"description":"Answers pet questions"})", top("description"), "Answers pet questions",
       "set description"},
      {R"({"model":"gpt-4o"})", top("model"), "gpt-4o", "set model"},
      {R"({"voice":{"voice":"en-us"}})", in("voice", "voice"), "en-us", "set voice.voice"},
      {R"({"voice":{"language":"en-US"}})", in("voice", "language"), "en-US", "set voice.language"},
      {R"({"voice":{"speaking_rate":1.25}})", in("voice", "speaking_rate"), "1.25",
       "set voice.speaking_rate"},
      {R"({"instructions":"Be brief.\nBe kind."})", top("instructions"), "Be brief.\nBe kind.",
       "set instructions"},
      {R"({"behaviour":{"guidelines":"No prices"}})", in("behaviour", "guidelines"), "No prices",
       "set behaviour.guidelines"},
      {R"({"behaviour":{"welcome_message":"Hi!"}})", in("behaviour", "welcome_message"), "Hi!",
       "set behaviour.welcome_message"},
  };
  int64_t revision = 1;
  for (const Case& c : cases) {
    HttpResult r = daemon_->Call("PATCH", "/v1/agents/support", c.body);
    ASSERT_EQ(r.status, 200) << c.body << ": " << r.body;
    ++revision;
    EXPECT_EQ(Revision(r), revision) << c.body;
    EXPECT_EQ(Header(r, "ETag"), "\"" + std::to_string(revision) + "\"");
    HttpResult read = daemon_->Get("/v1/agents/support");
    ASSERT_EQ(read.status, 200);
    EXPECT_EQ(Header(read, "ETag"), "\"" + std::to_string(revision) + "\"");
    EXPECT_EQ(c.read(Agent(read)), c.want) << c.body;
  }
  HttpResult prompts = daemon_->Call("PATCH", "/v1/agents/support",
                                     R"({"behaviour":{"starter_prompts":["What can you do?",
                                     "Adopt a cat"]}})");
  ASSERT_EQ(prompts.status, 200) << prompts.body;
  ++revision;
  Array::Ptr list = Agent(prompts)->getObject("behaviour")->getArray("starter_prompts");
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(list->getElement<std::string>(1), "Adopt a cat");

  // Several fields in one request: one revision. The same values again:
  // nothing changes, not even the revision.
  HttpResult two =
      daemon_->Call("PATCH", "/v1/agents/support", R"({"name":"Pets","model":"gpt-4o-mini"})");
  ASSERT_EQ(two.status, 200);
  EXPECT_EQ(Revision(two), ++revision);
  HttpResult same =
      daemon_->Call("PATCH", "/v1/agents/support", R"({"name":"Pets","model":"gpt-4o-mini"})");
  ASSERT_EQ(same.status, 200);
  EXPECT_EQ(Revision(same), revision);

  // The audit trail: one entry per revision, who and what.
  HttpResult history = daemon_->Get("/v1/agents/support/history");
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_EQ(Header(history, "ETag"), "\"" + std::to_string(revision) + "\"");
  Array::Ptr entries = Json(history.body)->getArray("history");
  ASSERT_EQ(entries->size(), static_cast<size_t>(revision));
  EXPECT_EQ(entries->getObject(0)->getValue<std::string>("summary"), "created agent");
  for (size_t i = 0; i < cases.size(); ++i) {
    Object::Ptr e = entries->getObject(static_cast<unsigned>(i + 1));
    EXPECT_EQ(e->getValue<int64_t>("revision"), static_cast<int64_t>(i + 2));
    EXPECT_EQ(e->getValue<std::string>("summary"), cases[i].summary);
    EXPECT_EQ(e->getValue<std::string>("user"), "admin");
    EXPECT_FALSE(e->getValue<std::string>("at").empty());
  }
  EXPECT_EQ(
      entries->getObject(static_cast<unsigned>(revision - 1))->getValue<std::string>("summary"),
      "set name; set model");

  HttpResult all = daemon_->Get("/v1/agents");
  ASSERT_EQ(all.status, 200);
  Array::Ptr agents = Json(all.body)->getArray("agents");
  ASSERT_EQ(agents->size(), 1u);
  EXPECT_EQ(agents->getObject(0)->getValue<std::string>("id"), "support");
  EXPECT_EQ(agents->getObject(0)->getValue<std::string>("role"), "owner");
  EXPECT_EQ(agents->getObject(0)->getValue<int64_t>("revision"), revision);
}

TEST_F(AgentsTest, BadInputIsRefusedNamingTheFieldAndChangesNothing) {
  CreateAgent("pets");
  HttpResult before = daemon_->Get("/v1/agents/pets");

  ExpectRefused(daemon_->Call("POST", "/v1/agents", R"({"id":"x",)"), 400, "invalid_argument",
                "body: malformed JSON");
  ExpectRefused(daemon_->Call("POST", "/v1/agents", R"({"name":"No id"})"), 400, "invalid_argument",
                "id: required");
  ExpectRefused(daemon_->Call("POST", "/v1/agents", R"({"id":"Bad Id"})"), 400, "invalid_argument",
                "id: must be");
  ExpectRefused(daemon_->Call("POST", "/v1/agents", R"({"id":"pets"})"), 409, "already_exists",
                "id: ");
  ExpectRefused(daemon_->Call("POST", "/v1/agents", R"({"id":"y","colour":"red"})"), 400,
                "invalid_argument", "colour: unknown field");
  ExpectRefused(daemon_->Get("/v1/agents/Not_A_Slug"), 400, "invalid_argument", "id: must be");
  ExpectRefused(daemon_->Get("/v1/agents/nosuch"), 404, "not_found", "agent 'nosuch'");

  const std::vector<std::pair<std::string, std::string>> patches = {
      {R"({"name":)", "body: malformed JSON"},
      {R"(["name"])", "body: expected a JSON object"},
      {R"({"nmae":"x"})", "nmae: unknown field"},
      {R"({"name":5})", "name: expected a string"},
      {R"({"voice":"loud"})", "voice: expected an object"},
      {R"({"voice":{"pitch":2}})", "voice.pitch: unknown field"},
      {R"({"voice":{"speaking_rate":"fast"}})", "voice.speaking_rate: expected a number"},
      {R"({"voice":{"speaking_rate":9}})", "voice.speaking_rate: must be between"},
      {R"({"behaviour":{"welcom_message":"hi"}})", "behaviour.welcom_message: unknown field"},
      {R"({"behaviour":{"starter_prompts":"hi"}})", "behaviour.starter_prompts: expected a list"},
      {R"({"behaviour":{"starter_prompts":["ok",3]}})", "behaviour.starter_prompts[1]: expected"},
      {R"({"behaviour":{"starter_prompts":["ok",""]}})", "behaviour.starter_prompts[1]: must not"},
      // A valid field beside a bad one: nothing of it is written.
      {R"({"name":"Changed","voice":{"speaking_rate":0}})", "voice.speaking_rate: must be"},
  };
  for (const auto& [body, field] : patches) {
    ExpectRefused(daemon_->Call("PATCH", "/v1/agents/pets", body), 400, "invalid_argument", field);
  }
  ExpectRefused(Send("PATCH", "/v1/agents/pets", R"({"name":"x"})", {{"If-Match", "seven"}}), 400,
                "invalid_argument", "If-Match: ");
  ExpectRefused(daemon_->Call("PUT", "/v1/agents/pets/tools/Bad!", ""), 400, "invalid_argument",
                "tool: must be");
  ExpectRefused(daemon_->Call("PUT", "/v1/agents/pets/collaborators/admin", R"({"role":"boss"})"),
                400, "invalid_argument", "role: must be");
  ExpectRefused(daemon_->Call("PUT", "/v1/agents/pets/collaborators/admin", R"({})"), 400,
                "invalid_argument", "role: required");

  HttpResult after = daemon_->Get("/v1/agents/pets");
  EXPECT_EQ(after.body, before.body);
  EXPECT_EQ(Json(daemon_->Get("/v1/agents").body)->getArray("agents")->size(), 1u);
}

TEST_F(AgentsTest, KnowledgeIsStoredOnceByContentAndUnusedBlobsGo) {
  CreateAgent("pets");
  CreateAgent("cats");
  const std::string faq = "# FAQ\n\nQ: Do you sell fish?\nA: No.\n";
  std::string binary("\x00\x01\x02\xff\xfe", 5);
  binary += std::string(1000, 'z');

  HttpResult up = Upload("pets", "faq.md", faq);
  ASSERT_EQ(up.status, 200) << up.body;
  EXPECT_EQ(Revision(up), 2);
  Object::Ptr file = Agent(up)->getArray("knowledge")->getObject(0);
  EXPECT_EQ(file->getValue<std::string>("name"), "faq.md");
  EXPECT_EQ(file->getValue<int64_t>("size"), static_cast<int64_t>(faq.size()));
  EXPECT_EQ(file->getValue<std::string>("content_type"), "text/markdown");
  const std::string sha = file->getValue<std::string>("sha256");
  EXPECT_EQ(sha.size(), 64u);

  // The same bytes under another name, and in another agent: one blob.
  ASSERT_EQ(Upload("pets", "faq-copy.md", faq).status, 200);
  ASSERT_EQ(Upload("cats", "faq.md", faq).status, 200);
  ASSERT_EQ(Upload("pets", "logo.bin", binary, "application/octet-stream").status, 200);
  // The same upload again changes nothing.
  HttpResult again = Upload("pets", "faq.md", faq);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(Revision(again), 4);

  HttpResult down = daemon_->Get("/v1/agents/pets/knowledge/faq.md");
  ASSERT_EQ(down.status, 200);
  EXPECT_EQ(down.body, faq);
  EXPECT_EQ(Header(down, "Content-Type"), "text/markdown");
  EXPECT_EQ(Header(down, "ETag"), "\"4\"");
  EXPECT_EQ(Header(down, "Content-Disposition"), "attachment; filename*=UTF-8''faq.md");
  HttpResult bin = daemon_->Get("/v1/agents/pets/knowledge/logo.bin");
  EXPECT_EQ(bin.body, binary);
  HttpResult listed = daemon_->Get("/v1/agents/pets/knowledge");
  ASSERT_EQ(listed.status, 200);
  Array::Ptr files = Json(listed.body)->getArray("knowledge");
  ASSERT_EQ(files->size(), 3u);
  EXPECT_EQ(files->getObject(0)->getValue<std::string>("sha256"), sha);
  EXPECT_EQ(files->getObject(1)->getValue<std::string>("sha256"), sha);
  ExpectRefused(daemon_->Get("/v1/agents/pets/knowledge/none.md"), 404, "not_found",
                "agent 'pets'");

  HttpResult history = daemon_->Get("/v1/agents/pets/history");
  Array::Ptr entries = Json(history.body)->getArray("history");
  EXPECT_EQ(entries->getObject(1)->getValue<std::string>("summary"),
            "uploaded knowledge faq.md (" + std::to_string(faq.size()) + " bytes)");

  // Replacing one use of the FAQ keeps its blob (others use it); removing
  // the last user removes it.
  ASSERT_EQ(Upload("pets", "faq.md", "new text\n").status, 200);
  HttpResult removed = daemon_->Call("DELETE", "/v1/agents/pets/knowledge/faq-copy.md");
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(Agent(removed)->getArray("knowledge")->size(), 2u);
  ExpectRefused(daemon_->Call("DELETE", "/v1/agents/pets/knowledge/faq-copy.md"), 404, "not_found",
                "agent 'pets' has no knowledge file 'faq-copy.md'");
  ASSERT_EQ(daemon_->Call("DELETE", "/v1/agents/cats/knowledge/faq.md").status, 200);

  ASSERT_EQ(daemon_->Stop(SIGTERM), 0);
  // Left: "new text\n" and the binary; the FAQ's bytes are gone.
  EXPECT_EQ(QueryInt(Database(), "SELECT COUNT(*) FROM blobs"), 2);
  EXPECT_EQ(QueryInt(Database(), "SELECT COUNT(*) FROM blobs WHERE sha256 = '" + sha + "'"), 0);
  EXPECT_EQ(QueryInt(Database(),
                     "SELECT COUNT(*) FROM blobs WHERE sha256 NOT IN "
                     "(SELECT sha256 FROM agent_knowledge)"),
            0);
  Start();
  // Deleting an agent takes its blobs with it.
  ASSERT_EQ(daemon_->Call("DELETE", "/v1/agents/pets").status, 200);
  ASSERT_EQ(daemon_->Stop(SIGTERM), 0);
  EXPECT_EQ(QueryInt(Database(), "SELECT COUNT(*) FROM blobs"), 0);
  EXPECT_EQ(QueryInt(Database(), "SELECT COUNT(*) FROM agent_changes WHERE agent_id = 'pets'"), 0);
}

TEST_F(AgentsTest, FileNamesWithPathPartsOrNotUtf8AreRefused) {
  CreateAgent("pets");
  for (const std::string name :
       {"..", "a..b", ".hidden", "a%2Fb", "..%2F..%2Fetc%2Fpasswd", "a%5Cb", "a%00b", "%2Fetc",
        "%2F..", "a/b", "%FF.txt", "a%C0%80b", "a%ED%A0%80b"}) {
    ExpectRefused(Upload("pets", name, "x"), 400, "invalid_argument", "name: must be");
    ExpectRefused(daemon_->Get("/v1/agents/pets/knowledge/" + name), 400, "invalid_argument",
                  "name: must be");
  }
  EXPECT_EQ(CurrentRevision("pets"), 1);
}

TEST_F(AgentsTest, OversizedKnowledgeIsRefusedNamingTheFile) {
  ASSERT_EQ(daemon_->Stop(SIGTERM), 0);
  const fs::path config = dir_.path() / "heraldd.properties";
  std::ofstream(config) << "herald.max_knowledge_bytes = 1024\n";
  Start({"--config", config.string()});
  CreateAgent("pets");
  ASSERT_EQ(Upload("pets", "exact.txt", std::string(1024, 'a')).status, 200);
  HttpResult big = Upload("pets", "big.txt", std::string(1025, 'a'));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(ErrorCode(big), "payload_too_large");
  EXPECT_NE(ErrorMessage(big).find("big.txt"), std::string::npos) << big.body;
  EXPECT_NE(ErrorMessage(big).find("1024"), std::string::npos) << big.body;
  // The same limit in apply.
  HttpResult applied = ApplyYaml("id: pets\nknowledge:\n  - name: big.txt\n    content: \"" +
                                 std::string(1025, 'b') + "\"\n");
  EXPECT_EQ(applied.status, 413) << applied.body;
  EXPECT_NE(ErrorMessage(applied).find("big.txt"), std::string::npos) << applied.body;
  EXPECT_EQ(CurrentRevision("pets"), 2);
}

TEST_F(AgentsTest, AStaleIfMatchIsAConflictWithTheCurrentRevision) {
  CreateAgent("pets");
  // Both read revision 1; the first write wins.
  ASSERT_EQ(Send("PATCH", "/v1/agents/pets", R"({"name":"A"})", {{"If-Match", "\"1\""}}).status,
            200);
  HttpResult stale = Send("PATCH", "/v1/agents/pets", R"({"name":"B"})", {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(ErrorCode(stale), "conflict");
  EXPECT_EQ(Json(stale.body)->getObject("error")->getValue<int64_t>("current_revision"), 2);
  EXPECT_NE(ErrorMessage(stale).find("revision 2"), std::string::npos) << stale.body;
  EXPECT_EQ(Header(stale, "ETag"), "\"2\"");
  EXPECT_EQ(Agent(daemon_->Get("/v1/agents/pets"))->getValue<std::string>("name"), "A");
  // Every kind of write honours it.
  EXPECT_EQ(Send("PUT", "/v1/agents/pets/knowledge/a.md", "x", {{"If-Match", "1"}}).status, 409);
  EXPECT_EQ(Send("DELETE", "/v1/agents/pets", "", {{"If-Match", "1"}}).status, 409);
  EXPECT_EQ(Send("POST", "/v1/agents/apply", "id: pets\nname: C\n",
                 {{"Content-Type", "application/yaml"}, {"If-Match", "1"}})
                .status,
            409);
  EXPECT_EQ(CurrentRevision("pets"), 2);
  // The current revision, in any of its forms, goes through.
  EXPECT_EQ(Send("PATCH", "/v1/agents/pets", R"({"name":"B"})", {{"If-Match", "2"}}).status, 200);
  EXPECT_EQ(Send("PATCH", "/v1/agents/pets", R"({"name":"C"})", {{"If-Match", "W/\"3\""}}).status,
            200);
  EXPECT_EQ(Send("PATCH", "/v1/agents/pets", R"({"name":"D"})", {{"If-Match", "*"}}).status, 200);
  EXPECT_EQ(CurrentRevision("pets"), 5);
}

TEST_F(AgentsTest, CollaboratorsDecideWhoReadsAndWhoEdits) {
  const std::string olga = AddUser("olga", "operator");
  const std::string ed = AddUser("ed", "member");
  const std::string vic = AddUser("vic", "member");
  const std::string max = AddUser("max", "member");
  CreateAgent("pets");
  HttpResult added =
      daemon_->Call("PUT", "/v1/agents/pets/collaborators/ed", R"({"role":"editor"})");
  ASSERT_EQ(added.status, 200) << added.body;
  ASSERT_EQ(
      daemon_->Call("PUT", "/v1/agents/pets/collaborators/vic", R"({"role":"viewer"})").status,
      200);
  ExpectRefused(
      daemon_->Call("PUT", "/v1/agents/pets/collaborators/nobody", R"({"role":"viewer"})"), 404,
      "not_found", "no user named 'nobody'");

  // A viewer reads but does not edit.
  EXPECT_EQ(daemon_->Call("GET", "/v1/agents/pets", "", vic).status, 200);
  EXPECT_EQ(daemon_->Call("GET", "/v1/agents/pets/history", "", vic).status, 200);
  HttpResult by_viewer = daemon_->Call("PATCH", "/v1/agents/pets", R"({"name":"x"})", vic);
  ExpectRefused(by_viewer, 403, "permission_denied", "'vic' is a viewer of agent 'pets'");
  ExpectRefused(Upload("pets", "a.md", "x", "text/plain", vic), 403, "permission_denied", "'vic'");
  ExpectRefused(ApplyYaml("id: pets\nname: x\n", vic), 403, "permission_denied", "'vic'");
  // A member who does not collaborate cannot even read it, nor see it.
  ExpectRefused(daemon_->Call("GET", "/v1/agents/pets", "", max), 403, "permission_denied",
                "'max' is not a collaborator");
  ExpectRefused(daemon_->Call("GET", "/v1/agents/pets/export", "", max), 403, "permission_denied",
                "'max'");
  EXPECT_EQ(Json(daemon_->Call("GET", "/v1/agents", "", max).body)->getArray("agents")->size(), 0u);
  EXPECT_EQ(Json(daemon_->Call("GET", "/v1/agents", "", vic).body)
                ->getArray("agents")
                ->getObject(0)
                ->getValue<std::string>("role"),
            "viewer");
  // Members do not create agents.
  ExpectRefused(daemon_->Call("POST", "/v1/agents", R"({"id":"mine"})", max), 403,
                "permission_denied", "creating an agent needs the operator role");

  // An editor edits, but does not manage collaborators or delete.
  EXPECT_EQ(daemon_->Call("PATCH", "/v1/agents/pets", R"({"name":"By Ed"})", ed).status, 200);
  ExpectRefused(
      daemon_->Call("PUT", "/v1/agents/pets/collaborators/max", R"({"role":"viewer"})", ed), 403,
      "permission_denied", "'ed' is an editor");
  ExpectRefused(ApplyYaml("id: pets\ncollaborators:\n  - {user: admin, role: owner}\n  - "
                          "{user: ed, role: owner}\n",
                          ed),
                403, "permission_denied", "collaborators: 'ed' is an editor");
  ExpectRefused(daemon_->Call("DELETE", "/v1/agents/pets", "", ed), 403, "permission_denied",
                "'ed'");
  // Any operator edits any agent.
  EXPECT_EQ(daemon_->Call("PATCH", "/v1/agents/pets", R"({"model":"m1"})", olga).status, 200);

  // The last owner stays.
  ExpectRefused(daemon_->Call("DELETE", "/v1/agents/pets/collaborators/admin"), 422,
                "failed_precondition", "'admin' is the last owner");
  ExpectRefused(daemon_->Call("PUT", "/v1/agents/pets/collaborators/admin", R"({"role":"editor"})"),
                422, "failed_precondition", "role: 'admin' is the last owner");
  ASSERT_EQ(daemon_->Call("PUT", "/v1/agents/pets/collaborators/ed", R"({"role":"owner"})").status,
            200);
  HttpResult dropped = daemon_->Call("DELETE", "/v1/agents/pets/collaborators/admin");
  ASSERT_EQ(dropped.status, 200) << dropped.body;
  // Now an owner, ed manages collaborators.
  EXPECT_EQ(
      daemon_->Call("PUT", "/v1/agents/pets/collaborators/max", R"({"role":"viewer"})", ed).status,
      200);
  EXPECT_EQ(daemon_->Call("GET", "/v1/agents/pets", "", max).status, 200);

  Array::Ptr entries = Json(daemon_->Get("/v1/agents/pets/history").body)->getArray("history");
  std::vector<std::string> lines;
  for (size_t i = 0; i < entries->size(); ++i) {
    Object::Ptr e = entries->getObject(static_cast<unsigned>(i));
    lines.push_back(e->getValue<std::string>("user") + ": " + e->getValue<std::string>("summary"));
  }
  EXPECT_EQ(lines,
            (std::vector<std::string>{
                "admin: created agent", "admin: added collaborator ed as editor",
                "admin: added collaborator vic as viewer", "ed: set name", "olga: set model",
                "admin: changed collaborator ed to owner", "admin: removed collaborator admin",
                "ed: added collaborator max as viewer"}));
}

TEST_F(AgentsTest, ToolsMustExist) {
  CreateAgent("pets");
  Object body;
  body.set("file_name", "petstore.yaml");
  body.set("document", std::string(kPetstore));
  std::ostringstream text;
  body.stringify(text);
  ASSERT_EQ(daemon_->Call("POST", "/v1/tools/import", text.str()).status, 201);

  HttpResult added = daemon_->Call("PUT", "/v1/agents/pets/tools/listpets");
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(Agent(added)->getArray("tools")->getElement<std::string>(0), "listpets");
  EXPECT_EQ(Revision(added), 2);
  EXPECT_EQ(Revision(daemon_->Call("PUT", "/v1/agents/pets/tools/listpets")), 2);
  ExpectRefused(daemon_->Call("PUT", "/v1/agents/pets/tools/nosuch"), 404, "not_found",
                "tool 'nosuch'");
  ExpectRefused(daemon_->Call("PUT", "/v1/agents/pets/tools/health", R"({"x":1})"), 400,
                "invalid_argument", "x: unknown field");
  HttpResult removed = daemon_->Call("DELETE", "/v1/agents/pets/tools/listpets");
  ASSERT_EQ(removed.status, 200);
  EXPECT_EQ(Agent(removed)->getArray("tools")->size(), 0u);
  ExpectRefused(daemon_->Call("DELETE", "/v1/agents/pets/tools/listpets"), 404, "not_found",
                "agent 'pets' has no tool 'listpets'");
  Array::Ptr entries = Json(daemon_->Get("/v1/agents/pets/history").body)->getArray("history");
  EXPECT_EQ(entries->getObject(1)->getValue<std::string>("summary"), "added tool listpets");
  EXPECT_EQ(entries->getObject(2)->getValue<std::string>("summary"), "removed tool listpets");
}

TEST_F(AgentsTest, ChannelSettingsAreCheckedAgainstThePlugin) {
  CreateAgent("pets");
  auto put = [&](const std::string& body, const std::string& name = "chat") {
    return daemon_->Call("PUT", "/v1/agents/pets/channels/" + name, body);
  };
  HttpResult ok = put(R"({"plugin":"fixture_channel","settings":{"target":"general"}})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  Object::Ptr channel = Agent(ok)->getArray("channels")->getObject(0);
  EXPECT_EQ(channel->getValue<std::string>("name"), "chat");
  EXPECT_EQ(channel->getValue<std::string>("plugin"), "fixture_channel");
  EXPECT_EQ(channel->getObject("settings")->getValue<std::string>("target"), "general");
  EXPECT_EQ(Revision(ok), 2);

  ExpectRefused(put(R"({"plugin":"fixture_channel","settings":{}})"), 400, "invalid_argument",
                "settings.target: required");
  ExpectRefused(put(R"({"plugin":"fixture_channel"})"), 400, "invalid_argument",
                "settings.target: required");
  ExpectRefused(put(R"({"plugin":"fixture_channel","settings":{"target":5}})"), 400,
                "invalid_argument", "settings.target: expected a string");
  ExpectRefused(put(R"({"plugin":"fixture_channel","settings":{"target":"a","colour":"red"}})"),
                400, "invalid_argument", "settings.colour: unknown setting");
  ExpectRefused(put(R"({"plugin":"fixture_channel","settings":"target=a"})"), 400,
                "invalid_argument", "settings: expected an object");
  ExpectRefused(put(R"({"plugin":"nosuch","settings":{}})"), 400, "invalid_argument",
                "plugin: no channel plugin 'nosuch'");
  ExpectRefused(put(R"({"settings":{}})"), 400, "invalid_argument", "plugin: required");
  ExpectRefused(put(R"({"plugin":"fixture_channel","settings":{"target":"a"},"x":1})"), 400,
                "invalid_argument", "x: unknown field");
  ExpectRefused(put(R"({"plugin":"fixture_channel","settings":{"target":"a"}})", "Bad_Name"), 400,
                "invalid_argument", "name: must be");
  EXPECT_EQ(CurrentRevision("pets"), 2);

  HttpResult changed = put(R"({"plugin":"fixture_channel","settings":{"target":"pets"}})");
  EXPECT_EQ(Revision(changed), 3);
  HttpResult removed = daemon_->Call("DELETE", "/v1/agents/pets/channels/chat");
  ASSERT_EQ(removed.status, 200);
  EXPECT_EQ(Agent(removed)->getArray("channels")->size(), 0u);
  ExpectRefused(daemon_->Call("DELETE", "/v1/agents/pets/channels/chat"), 404, "not_found",
                "agent 'pets' has no channel 'chat'");
  Array::Ptr entries = Json(daemon_->Get("/v1/agents/pets/history").body)->getArray("history");
  EXPECT_EQ(entries->getObject(1)->getValue<std::string>("summary"),
            "added channel chat (fixture_channel)");
  EXPECT_EQ(entries->getObject(2)->getValue<std::string>("summary"), "changed channel chat");
  EXPECT_EQ(entries->getObject(3)->getValue<std::string>("summary"), "removed channel chat");
}

const char kAgentYaml[] = R"(id: support
name: Support bot
description: Answers questions about pets
model: gpt-4o
voice:
  voice: en-us
  language: en-US
  speaking_rate: 1.1
instructions: |
  Be brief.
  Never quote prices.
behaviour:
  guidelines: Stay on pets
  welcome_message: "Hi! Ask me about pets."
  starter_prompts:
    - What do you sell?
    - "yes"
knowledge:
  - name: faq.md
    content_type: text/markdown
    content: |
      # FAQ
      Q: Fish? A: No.
  - name: note.txt
    content: "no trailing newline"
  - name: logo.bin
    content_base64: AAH/
collaborators:
  - user: admin
    role: owner
  - user: ed
    role: editor
channels:
  - name: chat
    plugin: fixture_channel
    settings:
      target: "8080"
)";

TEST_F(AgentsTest, ApplyThenExportRoundTripsWithoutAChange) {
  AddUser("ed", "member");
  HttpResult created = ApplyYaml(kAgentYaml);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_TRUE(Json(created.body)->getValue<bool>("created"));
  Object::Ptr agent = Agent(created);
  EXPECT_EQ(agent->getValue<int64_t>("revision"), 1);
  EXPECT_EQ(agent->getValue<std::string>("instructions"), "Be brief.\nNever quote prices.\n");
  EXPECT_EQ(agent->getObject("voice")->getValue<double>("speaking_rate"), 1.1);
  EXPECT_EQ(agent->getArray("knowledge")->size(), 3u);
  EXPECT_EQ(agent->getArray("collaborators")->size(), 2u);
  EXPECT_EQ(
      agent->getArray("channels")->getObject(0)->getObject("settings")->get("target").toString(),
      "8080");
  EXPECT_EQ(daemon_->Get("/v1/agents/support/knowledge/logo.bin").body,
            std::string("\x00\x01\xff", 3));
  EXPECT_EQ(daemon_->Get("/v1/agents/support/knowledge/note.txt").body, "no trailing newline");

  HttpResult exported = daemon_->Get("/v1/agents/support/export");
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(Header(exported, "Content-Type"), "application/yaml");
  EXPECT_EQ(Header(exported, "ETag"), "\"1\"");

  // export -> apply: nothing changes, not even the revision.
  HttpResult again = ApplyYaml(exported.body);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_FALSE(Json(again.body)->getValue<bool>("changed"));
  EXPECT_FALSE(Json(again.body)->getValue<bool>("created"));
  EXPECT_EQ(Revision(again), 1);
  EXPECT_EQ(daemon_->Get("/v1/agents/support/export").body, exported.body);
  // Applying the original file again changes nothing either.
  EXPECT_EQ(Revision(ApplyYaml(kAgentYaml)), 1);

  // The exported file makes an identical agent elsewhere.
  std::string copy = exported.body;
  copy.replace(copy.find("\nid: support\n"), 13, "\nid: copy\n");
  ASSERT_EQ(ApplyYaml(copy).status, 201);
  Object::Ptr a = Agent(daemon_->Get("/v1/agents/support"));
  Object::Ptr b = Agent(daemon_->Get("/v1/agents/copy"));
  for (const char* key : {"name", "description", "model", "instructions", "voice", "behaviour",
                          "knowledge", "tools", "collaborators", "channels"}) {
    std::ostringstream x, y;
    Poco::JSON::Stringifier::condense(a->get(key), x);
    Poco::JSON::Stringifier::condense(b->get(key), y);
    EXPECT_EQ(x.str(), y.str()) << key;
  }

  // A change applies as one revision, with what changed in the trail.
  std::string edited = exported.body;
  edited.replace(edited.find("name: Support bot"), 17, "name: Pet helper");
  HttpResult changed = ApplyYaml(edited);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_TRUE(Json(changed.body)->getValue<bool>("changed"));
  EXPECT_EQ(Revision(changed), 2);
  Array::Ptr entries = Json(daemon_->Get("/v1/agents/support/history").body)->getArray("history");
  EXPECT_EQ(entries->getObject(1)->getValue<std::string>("summary"), "apply: set name");

  // Lists given replace the draft's: an empty list empties it; keys left
  // out are left alone.
  HttpResult emptied = ApplyYaml("id: support\nknowledge: []\nchannels: []\n");
  ASSERT_EQ(emptied.status, 200) << emptied.body;
  EXPECT_EQ(Agent(emptied)->getArray("knowledge")->size(), 0u);
  EXPECT_EQ(Agent(emptied)->getArray("channels")->size(), 0u);
  EXPECT_EQ(Agent(emptied)->getValue<std::string>("name"), "Pet helper");
  EXPECT_EQ(Agent(emptied)->getArray("collaborators")->size(), 2u);
  EXPECT_EQ(Json(daemon_->Get("/v1/agents/support/history").body)
                ->getArray("history")
                ->getObject(2)
                ->getValue<std::string>("summary"),
            "apply: removed knowledge faq.md; removed knowledge logo.bin; removed knowledge "
            "note.txt; removed channel chat");
}

TEST_F(AgentsTest, BadYamlIsRefusedNamingThePathOrThePlace) {
  CreateAgent("support");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"id: support\nbehaviour:\n  welcom_message: hi\n",
       "behaviour.welcom_message: unknown field"},
      {"id: support\ncolour: red\n", "colour: unknown field"},
      {"id: support\nname: [unclosed\n", "body: malformed YAML at line 3, column 1"},
      {"id: support\n  name: x\n", "body: malformed YAML at line 2"},
      {"name: x\n", "id: required"},
      {"id: Not A Slug\n", "id: must be"},
      {"- a\n- b\n", "body: expected a mapping"},
      {"", "body: empty document"},
      {"id: support\nname: {a: b}\n", "name: expected a string"},
      {"id: support\nvoice: {speaking_rate: fast}\n", "voice.speaking_rate: expected a number"},
      {"id: support\nbehaviour: {starter_prompts: hi}\n", "behaviour.starter_prompts: expected"},
      {"id: support\nknowledge:\n  - {name: ../etc/passwd, content: x}\n",
       "knowledge[0].name: must be a plain file name"},
      {"id: support\nknowledge:\n  - {name: .env, content: x}\n", "knowledge[0].name: must be"},
      {"id: support\nknowledge:\n  - {name: a.md}\n", "knowledge[0].content: required"},
      {"id: support\nknowledge:\n  - {name: a.md, content: x, content_base64: eA==}\n",
       "knowledge[0]: give content or content_base64"},
      {"id: support\nknowledge:\n  - {name: a.md, content_base64: '***'}\n",
       "knowledge[0].content_base64: not valid base64"},
      {"id: support\nknowledge:\n  - {name: a.md, content: x}\n  - {name: a.md, content: y}\n",
       "knowledge[1].name: 'a.md' is given twice"},
      {"id: support\nknowledge:\n  - {name: a.md, content: x, size: 1}\n",
       "knowledge[0].size: unknown field"},
      {"id: support\ntools: [nosuch]\n", "tools[0]: no tool named 'nosuch'"},
      {"id: support\ntools: [Bad!]\n", "tools[0]: must be"},
      {"id: support\ncollaborators:\n  - {user: nobody, role: owner}\n",
       "collaborators[0].user: no user named 'nobody'"},
      {"id: support\ncollaborators:\n  - {user: admin, role: boss}\n",
       "collaborators[0].role: must be owner, editor or viewer"},
      {"id: support\ncollaborators:\n  - {user: admin, role: viewer}\n",
       "collaborators: an agent needs at least one owner"},
      {"id: support\nchannels:\n  - {name: chat, plugin: fixture_channel}\n",
       "channels[0].settings.target: required"},
      {"id: support\nchannels:\n  - {name: chat, plugin: fixture_channel, settings: {target: "
       "[a]}}\n",
       "channels[0].settings.target: expected a string"},
      {"id: support\nchannels:\n  - {name: chat, plugin: fixture_channel, settings: {target: a, "
       "port: 1}}\n",
       "channels[0].settings.port: unknown setting"},
      {"id: support\nchannels:\n  - {name: chat, plugin: nosuch}\n",
       "channels[0].plugin: no channel plugin 'nosuch'"},
      // Valid parts before a bad one are not written either.
      {"id: support\nname: Changed\nknowledge:\n  - {name: ok.md, content: x}\ntools: [nosuch]\n",
       "tools[0]: no tool named"},
  };
  for (const auto& [yaml, field] : cases) {
    HttpResult r = ApplyYaml(yaml);
    EXPECT_EQ(r.status / 100, 4) << yaml;
    ASSERT_NE(r.body.find("\"error\""), std::string::npos) << yaml << r.body;
    EXPECT_EQ(ErrorMessage(r).rfind(field, 0), 0u) << yaml << "\n=> " << r.body;
  }
  ExpectRefused(Send("POST", "/v1/agents/apply", "id: support\n"), 400, "invalid_argument",
                "Content-Type: ");
  EXPECT_EQ(CurrentRevision("support"), 1);
  EXPECT_EQ(Agent(daemon_->Get("/v1/agents/support"))->getValue<std::string>("name"),
            "Agent support");
}

TEST_F(AgentsTest, DeleteRemovesTheAgentUnlessItIsLive) {
  CreateAgent("pets");
  CreateAgent("live");
  ASSERT_EQ(Upload("live", "a.md", "x").status, 200);
  ASSERT_EQ(daemon_->Stop(SIGTERM), 0);
  // No deploy yet: make it live the way a deploy will.
  Execute(Database(), "UPDATE agents SET live_version = 3 WHERE id = 'live'");
  Start();
  EXPECT_EQ(Agent(daemon_->Get("/v1/agents/live"))->getValue<int64_t>("live_version"), 3);
  ExpectRefused(daemon_->Call("DELETE", "/v1/agents/live"), 422, "failed_precondition",
                "agent 'live' is live (version 3)");
  EXPECT_EQ(daemon_->Get("/v1/agents/live").status, 200);

  HttpResult removed = daemon_->Call("DELETE", "/v1/agents/pets");
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(Json(removed.body)->getValue<std::string>("removed"), "pets");
  EXPECT_EQ(daemon_->Get("/v1/agents/pets").status, 404);
  ExpectRefused(daemon_->Call("DELETE", "/v1/agents/pets"), 404, "not_found", "agent 'pets'");
  // The id is free again, with a fresh history.
  CreateAgent("pets");
  EXPECT_EQ(Json(daemon_->Get("/v1/agents/pets/history").body)->getArray("history")->size(), 1u);
}

}  // namespace
}  // namespace herald::testing
