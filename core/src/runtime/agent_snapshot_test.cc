#include "herald/core/runtime/agent_snapshot.h"

#include <gtest/gtest.h>

namespace herald::runtime {
namespace {

constexpr char kSnapshot[] = R"({
  "id":"support","name":"Support","description":"d","model":"scripted",
  "instructions":"Help customers.",
  "behaviour":{"guidelines":"Be brief.","welcome_message":"Hello!","starter_prompts":[]},
  "knowledge":[{"name":"faq.md","sha256":"aa","size":10,"content_type":"text/markdown"},
               {"name":"logo.png","sha256":"bb","size":4,"content_type":"image/png"}],
  "tools":[{"name":"getpet","description":"Get a pet","method":"GET",
            "server_url":"https://pets.example","path":"/pets/{id}","connection":"pets",
            "parameters":[{"name":"id","in":"path","required":true,"type":"integer",
                           "description":"the pet"},
                          {"name":"session","in":"cookie","required":false,"type":"string"},
                          {"name":"verbose","in":"query","required":false,"type":""}],
            "security":[]}],
  "collaborators":[],"channels":[]})";

TEST(AgentSnapshotTest, ParsesPromptToolsAndKnowledge) {
  std::vector<std::string> read;
  auto parsed = ParseSnapshot(kSnapshot, [&](const std::string& sha) -> StatusOr<std::string> {
    read.push_back(sha);
    if (sha == "aa") return std::string("Refunds take 30 days.");
    return std::string("\x89PNG\0\0", 6);
  });
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const AgentSnapshot& s = **parsed;
  EXPECT_EQ(s.model, "scripted");
  EXPECT_EQ(s.instructions, "Help customers.");
  EXPECT_EQ(s.guidelines, "Be brief.");
  EXPECT_EQ(s.welcome_message, "Hello!");
  EXPECT_EQ(read, (std::vector<std::string>{"aa", "bb"}));
  EXPECT_EQ(s.knowledge.passage_count(), 1u);  // the PNG is not text
  ASSERT_EQ(s.tools.size(), 1u);
  ASSERT_NE(s.FindTool("getpet"), nullptr);
  EXPECT_EQ(s.FindTool("getpet")->connection, "pets");
  ASSERT_EQ(s.tool_definitions.size(), 1u);
  EXPECT_EQ(s.tool_definitions[0].parameters_json,
            R"({"type":"object","properties":{"id":{"type":"integer","description":"the pet"},)"
            R"("verbose":{"type":"string"}},"required":["id"]})");
}

TEST(AgentSnapshotTest, BadJsonAndBlobFailures) {
  auto reader = [](const std::string&) -> StatusOr<std::string> {
    return Status::NotFound("no blob");
  };
  EXPECT_EQ(ParseSnapshot("not json", reader).status().code(), StatusCode::kInternal);
  EXPECT_EQ(ParseSnapshot(kSnapshot, reader).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace herald::runtime
