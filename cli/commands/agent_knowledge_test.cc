// `herald agents knowledge upload|list|download|remove` against the fake
// heraldd: raw bytes both ways, content types, names, -o, --json, errors.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/commands/common.h"
#include "cli/testing/fake_heraldd.h"
#include "cli/testing/run_herald.h"
#include "cli/testing/temp_file.h"

namespace herald::cli {
namespace {

using testing::FakeHeraldd;
using testing::HeraldRun;
using testing::RunHerald;
using testing::TempFile;

// Bytes that are neither text nor JSON, NUL included.
const std::string& Binary() {
  static constexpr char kBytes[] = "%PDF-1.7\n\x00\x01\xff\xfe binary! \r\n";
  static const std::string bytes(kBytes, sizeof(kBytes) - 1);
  return bytes;
}

constexpr const char* kAfterUpload = R"({"agent":{"id":"support","revision":13,"knowledge":[
  {"name":"faq.md","sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
   "size":2048,"content_type":"text/markdown"},
  {"name":"returns.pdf","sha256":"60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
   "size":24,"content_type":"application/pdf"}]}})";

constexpr const char* kKnowledgeShown =
    "Knowledge:\n"
    "  NAME         SIZE  TYPE             SHA256\n"
    "  faq.md       2048  text/markdown    9f86d081884c\n"
    "  returns.pdf    24  application/pdf  60303ae22b99\n";

HeraldRun RunAt(const FakeHeraldd& server, std::vector<std::string> tokens) {
  tokens.push_back("--server");
  tokens.push_back(server.url());
  return RunHerald(tokens);
}

std::string UsageHint(const std::string& command) {
  return "\nRun 'herald help agents knowledge " + command + "' for usage.\n";
}

// ---- upload ----

TEST(AgentKnowledgeUploadTest, PutsTheRawBytesWithTheTypeOfTheExtension) {
  TempFile file("returns.pdf", Binary());
  FakeHeraldd server;
  server.On("PUT", "/v1/agents/support/knowledge/returns.pdf",
            {.status = 200, .body = kAfterUpload});
  auto run = RunAt(server, {"agents", "knowledge", "upload", "support", file.path()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out,
            "Uploaded returns.pdf (24 bytes, application/pdf) to agent support (revision 13).\n"
            "\n" +
                std::string(kKnowledgeShown));
  ASSERT_EQ(server.requests().size(), 1u);
  const auto requests = server.requests();
  const auto& request = requests[0];
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(request.uri, "/v1/agents/support/knowledge/returns.pdf");
  EXPECT_EQ(request.content_type, "application/pdf");
  EXPECT_EQ(request.body, Binary());
  EXPECT_EQ(request.Header("If-Match"), "");
}

TEST(AgentKnowledgeUploadTest, NameContentTypeAndIfMatchOptions) {
  TempFile file("notes.bin", "plain words\n");
  FakeHeraldd server;
  server.On("PUT", "/v1/agents/support/knowledge/Shipping%20FAQ.txt",
            {.status = 200, .body = kAfterUpload});
  auto run = RunAt(server, {"agents", "knowledge", "upload", "support", file.path(), "--name",
                            "Shipping FAQ.txt", "--content-type", "text/plain; charset=utf-8",
                            "--if-match", "12"});
  EXPECT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(server.requests().size(), 1u);
  const auto requests = server.requests();
  const auto& request = requests[0];
  EXPECT_EQ(request.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(request.body, "plain words\n");
  EXPECT_EQ(request.Header("If-Match"), "12");
}

TEST(AgentKnowledgeUploadTest, UnknownExtensionIsOctetStreamAndJsonPrintsTheBody) {
  TempFile file("data.xyz", "abc");
  FakeHeraldd server;
  server.On("PUT", "/v1/agents/support/knowledge/data.xyz", {.status = 200, .body = kAfterUpload});
  auto run = RunAt(server, {"--json", "agents", "knowledge", "upload", "support", file.path()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, std::string(kAfterUpload) + "\n");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].content_type, "application/octet-stream");
}

TEST(AgentKnowledgeUploadTest, UnreadableFileIsAUsageErrorAndTooLargeExitsOne) {
  FakeHeraldd server;
  auto missing = RunAt(server, {"agents", "knowledge", "upload", "support", "/nonexistent/x.md"});
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.err, "herald: cannot read file '/nonexistent/x.md': No such file or directory" +
                             UsageHint("upload"));
  auto no_file = RunAt(server, {"agents", "knowledge", "upload", "support"});
  EXPECT_EQ(no_file.status, 2);
  EXPECT_EQ(no_file.err, "herald: missing argument FILE" + UsageHint("upload"));
  EXPECT_TRUE(server.requests().empty());

  TempFile file("big.txt", "x");
  server.On("PUT", "/v1/agents/support/knowledge/big.txt",
            {.status = 413,
             .body = R"({"error":{"code":"payload_too_large","message":"big.txt: over 10 MiB"}})"});
  auto big = RunAt(server, {"agents", "knowledge", "upload", "support", file.path()});
  EXPECT_EQ(big.status, 1);
  EXPECT_EQ(big.err, "error: big.txt: over 10 MiB (payload_too_large)\n");
}

// ---- list ----

constexpr const char* kList = R"({"revision":13,"knowledge":[
  {"name":"faq.md","sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
   "size":2048,"content_type":"text/markdown"},
  {"name":"returns.pdf","sha256":"60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
   "size":24,"content_type":"application/pdf"}]})";

TEST(AgentKnowledgeListTest, PrintsTheFiles) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/knowledge", {.status = 200, .body = kList});
  auto run = RunAt(server, {"agents", "knowledge", "list", "support"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, kKnowledgeShown);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/knowledge");
}

TEST(AgentKnowledgeListTest, JsonAndEmpty) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/knowledge", {.status = 200, .body = kList});
  server.On("GET", "/v1/agents/sales/knowledge",
            {.status = 200, .body = R"({"revision":1,"knowledge":[]})"});
  auto json = RunAt(server, {"agents", "knowledge", "list", "support", "--json"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, std::string(kList) + "\n");
  auto empty = RunAt(server, {"agents", "knowledge", "list", "sales"});
  EXPECT_EQ(empty.status, 0);
  EXPECT_EQ(empty.out,
            "No knowledge files. Upload one with 'herald agents knowledge upload sales FILE'.\n");
}

// ---- download ----

TEST(AgentKnowledgeDownloadTest, WritesTheBytesToStandardOutput) {
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/knowledge/returns.pdf",
            {.status = 200, .body = Binary(), .content_type = "application/pdf"});
  auto run = RunAt(server, {"agents", "knowledge", "download", "support", "returns.pdf"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out, Binary());
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/knowledge/returns.pdf");

  // --json does not apply to bytes.
  auto json =
      RunAt(server, {"--json", "agents", "knowledge", "download", "support", "returns.pdf"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, Binary());
}

TEST(AgentKnowledgeDownloadTest, OutputOptionWritesTheFile) {
  TempFile dir("placeholder", "");
  const std::string path = dir.dir() + "/copy.pdf";
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/knowledge/returns.pdf",
            {.status = 200, .body = Binary(), .content_type = "application/pdf"});
  auto run =
      RunAt(server, {"agents", "knowledge", "download", "support", "returns.pdf", "-o", path});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "Saved returns.pdf (24 bytes) to " + path + ".\n");
  EXPECT_EQ(ReadFileOrThrow(path, "file"), Binary());

  auto to_dir = RunAt(
      server, {"agents", "knowledge", "download", "support", "returns.pdf", "--output", dir.dir()});
  EXPECT_EQ(to_dir.status, 2);
  EXPECT_EQ(to_dir.err, "herald: cannot write output file '" + dir.dir() + "': is a directory" +
                            UsageHint("download"));
}

TEST(AgentKnowledgeDownloadTest, MissingFileExitsOneAndWritesNothing) {
  TempFile dir("placeholder", "");
  const std::string path = dir.dir() + "/nothing.md";
  FakeHeraldd server;
  server.On("GET", "/v1/agents/support/knowledge/gone.md",
            {.status = 404,
             .body = R"({"error":{"code":"not_found","message":"no knowledge file 'gone.md'"}})"});
  auto run = RunAt(server, {"agents", "knowledge", "download", "support", "gone.md", "-o", path});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "error: no knowledge file 'gone.md' (not_found)\n");
  EXPECT_FALSE(std::filesystem::exists(path));
}

// ---- remove ----

TEST(AgentKnowledgeRemoveTest, DeletesTheFileAndShowsWhatIsLeft) {
  FakeHeraldd server;
  server.On("DELETE", "/v1/agents/support/knowledge/old.md", {.status = 200, .body = kAfterUpload});
  auto run = RunAt(server, {"agents", "knowledge", "remove", "support", "old.md"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out,
            "Removed old.md from agent support (revision 13).\n\n" + std::string(kKnowledgeShown));
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "DELETE");
  EXPECT_EQ(server.requests()[0].uri, "/v1/agents/support/knowledge/old.md");

  auto json = RunAt(server, {"agents", "knowledge", "remove", "support", "old.md", "--json"});
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out, std::string(kAfterUpload) + "\n");

  auto usage = RunAt(server, {"agents", "knowledge", "remove", "support"});
  EXPECT_EQ(usage.status, 2);
  EXPECT_EQ(usage.err, "herald: missing argument NAME" + UsageHint("remove"));
}

}  // namespace
}  // namespace herald::cli
