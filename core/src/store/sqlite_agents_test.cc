#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "herald/core/sqlite_store.h"

namespace herald {
namespace {

class SqliteAgentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("herald_agents_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::move(SqliteStore::Open(dir_ / "herald.db")).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void PutTool(const std::string& name) {
    Tool t;
    t.name = name;
    t.description = "does " + name;
    t.method = "get";
    t.server_url = "https://api.example";
    t.path = "/" + name;
    t.parameters_json = "[]";
    t.security_json = "[]";
    t.source = name + ".json";
    ASSERT_TRUE(store_->tools().PutTool(t).ok());
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteStore> store_;
};

// The fields of a Tool's definition, for comparing two.
std::string Definition(const Tool& t) {
  return t.name + "|" + t.description + "|" + t.method + "|" + t.server_url + "|" + t.path + "|" +
         t.parameters_json + "|" + t.security_json + "|" + t.connection_id;
}

// The draft GetAgentWithTools reads is GetAgent's, and its tools are the
// definitions of those GetTools finds for the draft's list: in name order,
// a name without a tool (here "gone") left out, one that JSON would have to
// escape kept; source and timestamps left empty.
TEST_F(SqliteAgentsTest, TheDraftWithItsToolsIsGetAgentAndGetTools) {
  AgentDraft draft;
  draft.id = "a";
  draft.name = "A";
  draft.behaviour.starter_prompts = {"hi"};
  ASSERT_TRUE(store_->agents().CreateAgent(draft).ok());
  const std::string odd = "we\"ird\\name\x01/\xc3\xbc";
  for (const std::string name : {"zeta", "alpha", odd.c_str()}) PutTool(name);
  PutTool("not-the-agents");
  for (const std::string name : {"zeta", "gone", "alpha", odd.c_str()}) {
    ASSERT_TRUE(store_->agents().AddAgentTool("a", name).ok());
  }
  ASSERT_TRUE(store_->agents()
                  .PutAgentChannel("a", ChannelBinding{"web", "alpha", R"({"greeting":"hi"})"})
                  .ok());

  const AgentDraft plain = store_->agents().GetAgent("a").value();
  std::vector<Tool> tools = {Tool{}};  // replaced, not added to
  StatusOr<AgentDraft> with = store_->agents().GetAgentWithTools("a", &tools);
  ASSERT_TRUE(with.ok()) << with.status().ToString();
  EXPECT_EQ(with->tools, plain.tools);
  EXPECT_EQ(with->tools, (std::vector<std::string>{"alpha", "gone", odd, "zeta"}));
  EXPECT_EQ(with->name, plain.name);
  EXPECT_EQ(with->behaviour.starter_prompts, plain.behaviour.starter_prompts);
  EXPECT_EQ(with->revision, plain.revision);
  ASSERT_EQ(with->channels.size(), 1u);
  EXPECT_EQ(with->channels[0].settings_json, plain.channels[0].settings_json);

  const std::vector<Tool> by_name = store_->tools().GetTools(plain.tools).value();
  ASSERT_EQ(tools.size(), 3u);
  ASSERT_EQ(tools.size(), by_name.size());
  for (size_t i = 0; i < tools.size(); ++i) {
    EXPECT_EQ(Definition(tools[i]), Definition(by_name[i])) << i;
    EXPECT_EQ(tools[i].source + tools[i].created_at + tools[i].updated_at, "") << i;
  }
}

TEST_F(SqliteAgentsTest, WithoutToolsOrWithoutTheAgent) {
  AgentDraft draft;
  draft.id = "bare";
  ASSERT_TRUE(store_->agents().CreateAgent(draft).ok());
  std::vector<Tool> tools;
  StatusOr<AgentDraft> bare = store_->agents().GetAgentWithTools("bare", &tools);
  ASSERT_TRUE(bare.ok());
  EXPECT_TRUE(bare->tools.empty());
  EXPECT_TRUE(tools.empty());
  EXPECT_EQ(store_->agents().GetAgentWithTools("absent", &tools).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace herald
