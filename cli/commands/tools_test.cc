// `herald tools import|list|show|bind|unbind|remove` against the fake heraldd.
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
using testing::RunHerald;
using testing::TempFile;

constexpr const char* kListIssues = R"({
  "name": "list_issues", "description": "List issues", "method": "GET",
  "server_url": "https://api.github.com", "path": "/repos/{owner}/{repo}/issues",
  "parameters": [
    {"name": "owner", "in": "path", "required": true, "type": "string", "description": "Owner"},
    {"name": "state", "in": "query", "required": false, "type": "", "description": ""}
  ],
  "security": [
    [{"name": "bearer", "type": "http", "in": "", "param_name": "", "scheme": "bearer",
      "supported": true}],
    [{"name": "api_key", "type": "apiKey", "in": "header", "param_name": "X-API-Key",
      "scheme": "", "supported": true},
     {"name": "oauth", "type": "oauth2", "in": "", "param_name": "", "scheme": "",
      "supported": false}]
  ],
  "connection": "github", "source": "github.yaml",
  "match": {"satisfied": true, "explanation": "satisfies requirement {bearer}"}
})";

constexpr const char* kCreateIssue = R"({
  "name": "create_issue", "description": "", "method": "POST", "server_url": "",
  "path": "/repos/{owner}/{repo}/issues", "parameters": [], "security": [],
  "connection": null, "source": "github.yaml"
})";

constexpr const char* kMismatch = R"({
  "name": "get_user", "method": "GET", "path": "/user", "parameters": [], "security": [],
  "connection": "gitlab", "source": "x.json",
  "match": {"satisfied": false, "explanation": "needs {api_key}"}
})";

std::string ToolsBody(const std::vector<std::string>& tools) {
  std::string body = R"({"tools":[)";
  for (std::size_t i = 0; i < tools.size(); ++i) body += (i > 0 ? "," : "") + tools[i];
  return body + "]}";
}

constexpr const char* kExpectedTable =
    "NAME          METHOD  PATH                          CONNECTION  MATCH\n"
    "list_issues   GET     /repos/{owner}/{repo}/issues  github      ✓\n"
    "create_issue  POST    /repos/{owner}/{repo}/issues  -           -\n"
    "get_user      GET     /user                         gitlab      ✗\n";

TEST(ToolsCommandTest, ImportPostsTheFileAndPrintsTheImportedTools) {
  const std::string document = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n";
  TempFile file("github.yaml", document);
  FakeHeraldd server;
  server.On("POST", "/v1/tools/import",
            {.status = 201, .body = ToolsBody({kListIssues, kCreateIssue, kMismatch})});
  auto run = RunHerald({"tools", "import", file.path(), "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, "Imported 3 tools from " + file.path() + ":\n" + kExpectedTable);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "POST");
  EXPECT_EQ(server.requests()[0].uri, "/v1/tools/import");
  Poco::JSON::Object expected;
  expected.set("file_name", "github.yaml");
  expected.set("document", document);
  std::ostringstream expected_text;
  expected.stringify(expected_text);
  EXPECT_EQ(CanonicalJson(server.requests()[0].body), CanonicalJson(expected_text.str()));
}

TEST(ToolsCommandTest, ImportSendsConnectionAndReplace) {
  TempFile file("api.json", R"({"openapi":"3.1.0"})");
  FakeHeraldd server;
  server.On("POST", "/v1/tools/import", {.status = 201, .body = ToolsBody({kListIssues})});
  auto run = RunHerald({"tools", "import", file.path(), "--connection", "github", "--replace",
                        "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out.substr(0, run.out.find('\n')), "Imported 1 tool from " + file.path() + ":");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(CanonicalJson(server.requests()[0].body),
            CanonicalJson(R"({"file_name":"api.json","document":"{\"openapi\":\"3.1.0\"}",)"
                          R"("connection":"github","replace":true})"));
}

TEST(ToolsCommandTest, ImportJsonPrintsTheServerBody) {
  TempFile file("api.json", "{}");
  FakeHeraldd server;
  const std::string body = ToolsBody({kCreateIssue});
  server.On("POST", "/v1/tools/import", {.status = 201, .body = body});
  auto run = RunHerald({"tools", "import", file.path(), "--json", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, body + "\n");
}

TEST(ToolsCommandTest, ImportOfAnUnreadableFileIsAUsageErrorNamingIt) {
  FakeHeraldd server;
  auto run =
      RunHerald({"tools", "import", "/nonexistent/herald/petstore.yaml", "--server", server.url()});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "herald: cannot read file '/nonexistent/herald/petstore.yaml': No such file or "
            "directory\nRun 'herald help tools import' for usage.\n");
  EXPECT_TRUE(server.requests().empty());
}

TEST(ToolsCommandTest, ImportOfADirectoryIsAUsageError) {
  TempFile file("x.yaml", "");
  auto run = RunHerald({"tools", "import", file.dir()});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("cannot read file '" + file.dir() + "': is a directory"),
            std::string::npos)
      << run.err;
}

TEST(ToolsCommandTest, ImportRefusedByTheServerExitsOne) {
  TempFile file("swagger.yaml", "swagger: '2.0'\n");
  FakeHeraldd server;
  server.On("POST", "/v1/tools/import",
            {.status = 422,
             .body = R"({"error":{"code":"invalid_argument",)"
                     R"("message":"swagger.yaml: Swagger 2 is not supported"}})"});
  auto run = RunHerald({"tools", "import", file.path(), "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "error: swagger.yaml: Swagger 2 is not supported (invalid_argument)\n");
}

TEST(ToolsCommandTest, ListShowsMatchAsCheckCrossOrDash) {
  FakeHeraldd server;
  const std::string body = ToolsBody({kListIssues, kCreateIssue, kMismatch});
  server.On("GET", "/v1/tools", {.status = 200, .body = body});
  auto run = RunHerald({"tools", "list", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, kExpectedTable);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/tools");

  auto json = RunHerald({"tools", "list", "--json", "--server", server.url()});
  EXPECT_EQ(json.out, body + "\n");
}

TEST(ToolsCommandTest, ListEmpty) {
  FakeHeraldd server;
  server.On("GET", "/v1/tools", {.status = 200, .body = R"({"tools":[]})"});
  auto run = RunHerald({"tools", "list", "--server", server.url()});
  EXPECT_EQ(run.out, "No tools. Import some with 'herald tools import FILE'.\n");
}

TEST(ToolsCommandTest, ShowPrintsEveryFieldSecurityAndMatch) {
  FakeHeraldd server;
  server.On("GET", "/v1/tools/list_issues",
            {.status = 200, .body = std::string(R"({"tool":)") + kListIssues + "}"});
  auto run = RunHerald({"tools", "show", "list_issues", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "Name:         list_issues\n"
            "Description:  List issues\n"
            "Method:       GET\n"
            "Server:       https://api.github.com\n"
            "Path:         /repos/{owner}/{repo}/issues\n"
            "Source:       github.yaml\n"
            "Connection:   github\n"
            "Security:     {bearer} OR {api_key AND oauth}\n"
            "Match:        ✓ satisfies requirement {bearer}\n"
            "\n"
            "Parameters:\n"
            "NAME   IN     REQUIRED  TYPE    DESCRIPTION\n"
            "owner  path   ✓         string  Owner\n"
            "state  query  ✗         -\n"
            "\n"
            "Security schemes:\n"
            "SCHEME   KIND                          SUPPORTED\n"
            "bearer   http bearer                   ✓\n"
            "api_key  apiKey in header 'X-API-Key'  ✓\n"
            "oauth    oauth2                        ✗\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/tools/list_issues");
}

TEST(ToolsCommandTest, ShowUnboundToolWithoutSecurityOrParameters) {
  FakeHeraldd server;
  server.On("GET", "/v1/tools/create_issue",
            {.status = 200, .body = std::string(R"({"tool":)") + kCreateIssue + "}"});
  auto run = RunHerald({"tools", "show", "create_issue", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "Name:         create_issue\n"
            "Description:  -\n"
            "Method:       POST\n"
            "Server:       -\n"
            "Path:         /repos/{owner}/{repo}/issues\n"
            "Source:       github.yaml\n"
            "Connection:   none\n"
            "Security:     none required\n"
            "\n"
            "Parameters: none\n");
}

TEST(ToolsCommandTest, ShowJsonAndNotFound) {
  FakeHeraldd server;
  const std::string body = std::string(R"({"tool":)") + kCreateIssue + "}";
  server.On("GET", "/v1/tools/create_issue", {.status = 200, .body = body});
  auto json = RunHerald({"tools", "show", "create_issue", "--json", "--server", server.url()});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, body + "\n");

  auto missing = RunHerald({"tools", "show", "nope", "--server", server.url()});
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.err, "error: no route for GET /v1/tools/nope (not_found)\n");
}

TEST(ToolsCommandTest, BindPutsTheConnectionAndPrintsTheMatch) {
  FakeHeraldd server;
  server.On("PUT", "/v1/tools/list_issues/connection",
            {.status = 200, .body = std::string(R"({"tool":)") + kListIssues + "}"});
  auto run = RunHerald({"tools", "bind", "list_issues", "github", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "Bound tool list_issues to connection github.\n"
            "Match: ✓ satisfies requirement {bearer}\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "PUT");
  EXPECT_EQ(server.requests()[0].uri, "/v1/tools/list_issues/connection");
  EXPECT_EQ(CanonicalJson(server.requests()[0].body), CanonicalJson(R"({"connection":"github"})"));
}

TEST(ToolsCommandTest, BindRefusedExitsOneWithTheServersReason) {
  FakeHeraldd server;
  server.On("PUT", "/v1/tools/get_user/connection",
            {.status = 422,
             .body = R"({"error":{"code":"unsatisfied","message":"connection gitlab (bearer) )"
                     R"(cannot satisfy tool get_user: needs {api_key}"}})"});
  auto run = RunHerald({"tools", "bind", "get_user", "gitlab", "--server", server.url()});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "error: connection gitlab (bearer) cannot satisfy tool get_user: needs {api_key} "
            "(unsatisfied)\n");
}

TEST(ToolsCommandTest, BindNeedsBothArguments) {
  auto run = RunHerald({"tools", "bind", "list_issues"});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("CONNECTION"), std::string::npos) << run.err;
}

TEST(ToolsCommandTest, UnbindPutsANullConnection) {
  FakeHeraldd server;
  const std::string body = std::string(R"({"tool":)") + kCreateIssue + "}";
  server.On("PUT", "/v1/tools/create_issue/connection", {.status = 200, .body = body});
  auto run = RunHerald({"tools", "unbind", "create_issue", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "Unbound tool create_issue: it uses no connection now.\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "PUT");
  EXPECT_EQ(server.requests()[0].body, R"({"connection":null})");

  auto json = RunHerald({"tools", "unbind", "create_issue", "--json", "--server", server.url()});
  EXPECT_EQ(json.out, body + "\n");
}

TEST(ToolsCommandTest, RemoveDeletesTheTool) {
  FakeHeraldd server;
  server.On("DELETE", "/v1/tools/list_issues",
            {.status = 200, .body = R"({"removed":"list_issues"})"});
  auto run = RunHerald({"tools", "remove", "list_issues", "--server", server.url()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "Removed tool list_issues.\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "DELETE");
  EXPECT_EQ(server.requests()[0].uri, "/v1/tools/list_issues");

  auto json = RunHerald({"tools", "remove", "list_issues", "--json", "--server", server.url()});
  EXPECT_EQ(json.out, "{\"removed\":\"list_issues\"}\n");
}

}  // namespace
}  // namespace herald::cli
