#include "herald/core/deploy/snapshot_memo.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace herald::deploy {
namespace {

AgentDraft Draft() {
  AgentDraft d;
  d.id = "helpdesk";
  d.name = "Helpdesk";
  d.description = "answers questions";
  d.model = "scripted";
  d.voice = {"en-us", "en-US", 1.25};
  d.instructions = "be brief";
  d.behaviour = {"no guessing", "hello", {"what can you do?", "hours?"}};
  d.knowledge = {{"faq.md", std::string(64, 'a'), 100, "text/markdown"},
                 {"hours.txt", std::string(64, 'b'), 20, "text/plain"}};
  d.tools = {"lookup", "create"};
  d.collaborators = {{"ada", CollaboratorRole::kOwner}, {"bob", CollaboratorRole::kViewer}};
  d.channels = {{"chat", "chat", R"({"access":"public"})"}, {"hook", "webhook", "{}"}};
  d.revision = 7;
  d.live_version = 3;
  d.created_at = "2026-11-01T00:00:00Z";
  d.updated_at = "2026-11-02T00:00:00Z";
  d.updated_by = "ada";
  return d;
}

std::vector<Tool> Tools() {
  std::vector<Tool> tools(2);
  tools[0] = {"lookup",
              "finds an order",
              "GET",
              "https://api.example",
              "/orders/{id}",
              R"([])",
              R"([])",
              "crm",
              "",
              "",
              ""};
  tools[1] = {"create",   "opens a ticket",
              "POST",     "https://api.example",
              "/tickets", R"([])",
              R"([])",    "helpdesk",
              "",         "",
              ""};
  return tools;
}

std::vector<const Tool*> Pointers(const std::vector<Tool>& tools) {
  std::vector<const Tool*> out;
  for (const Tool& t : tools) out.push_back(&t);
  return out;
}

// The memo's answer for (d, tools) is the direct rendering's, in full.
void ExpectAsRendered(SnapshotMemo& memo, const AgentDraft& d, const std::vector<Tool>& tools) {
  StatusOr<std::shared_ptr<const RenderedSnapshot>> rendered = memo.Render(d, Pointers(tools));
  StatusOr<RenderedSnapshot> want = RenderSnapshotInDraftOrder(d, Pointers(tools));
  ASSERT_TRUE(rendered.ok()) << rendered.status().ToString();
  ASSERT_TRUE(want.ok()) << want.status().ToString();
  ASSERT_NE(*rendered, nullptr);
  const RenderedSnapshot* got = rendered->get();
  EXPECT_EQ(got->json, want->json);
  EXPECT_EQ(got->sha256, want->sha256);
  EXPECT_EQ(got->facts.name, want->facts.name);
  EXPECT_EQ(got->facts.description, want->facts.description);
  EXPECT_EQ(got->facts.manifest_json, want->facts.manifest_json);
  ASSERT_EQ(got->facts.channels.size(), want->facts.channels.size());
  for (size_t i = 0; i < got->facts.channels.size(); ++i) {
    EXPECT_EQ(got->facts.channels[i].name, want->facts.channels[i].name);
    EXPECT_EQ(got->facts.channels[i].plugin, want->facts.channels[i].plugin);
    EXPECT_EQ(got->facts.channels[i].settings_json, want->facts.channels[i].settings_json);
  }
}

TEST(SnapshotMemoTest, AnUnchangedDraftIsRenderedOnce) {
  SnapshotMemo memo;
  ExpectAsRendered(memo, Draft(), Tools());
  ExpectAsRendered(memo, Draft(), Tools());
  ExpectAsRendered(memo, Draft(), Tools());
  EXPECT_EQ(memo.misses(), 1u);
  EXPECT_EQ(memo.hits(), 2u);
}

// The bookkeeping is not in the snapshot: a redeploy's draft has a new live
// version, an edit undone a new revision, and the text is the same.
TEST(SnapshotMemoTest, BookkeepingAloneDoesNotRenderAgain) {
  SnapshotMemo memo;
  ExpectAsRendered(memo, Draft(), Tools());
  AgentDraft d = Draft();
  d.revision = 8;
  d.live_version = 4;
  d.created_at = "x";
  d.updated_at = "y";
  d.updated_by = "bob";
  ExpectAsRendered(memo, d, Tools());
  EXPECT_EQ(memo.misses(), 1u);
  EXPECT_EQ(memo.hits(), 1u);
}

// Each change to what the snapshot holds renders again, and the answer is
// the new draft's. A memo that compared less would answer with the text
// of the draft before the change.
TEST(SnapshotMemoTest, EveryRenderedFieldRendersAgain) {
  using Change = std::function<void(AgentDraft&, std::vector<Tool>&)>;
  const std::vector<std::pair<std::string, Change>> changes = {
      {"name", [](AgentDraft& d, auto&) { d.name = "Desk"; }},
      {"description", [](AgentDraft& d, auto&) { d.description = "answers"; }},
      {"model", [](AgentDraft& d, auto&) { d.model = "gpt"; }},
      {"voice", [](AgentDraft& d, auto&) { d.voice.voice = "en-gb"; }},
      {"language", [](AgentDraft& d, auto&) { d.voice.language = "en-GB"; }},
      {"speaking rate", [](AgentDraft& d, auto&) { d.voice.speaking_rate = 1.5; }},
      {"instructions", [](AgentDraft& d, auto&) { d.instructions = "be kind"; }},
      {"guidelines", [](AgentDraft& d, auto&) { d.behaviour.guidelines = "ask"; }},
      {"welcome", [](AgentDraft& d, auto&) { d.behaviour.welcome_message = "hi"; }},
      {"prompts", [](AgentDraft& d, auto&) { d.behaviour.starter_prompts.pop_back(); }},
      {"knowledge name", [](AgentDraft& d, auto&) { d.knowledge[0].name = "faq2.md"; }},
      {"knowledge hash", [](AgentDraft& d, auto&) { d.knowledge[1].sha256[0] = 'c'; }},
      {"knowledge size", [](AgentDraft& d, auto&) { d.knowledge[1].size = 21; }},
      {"knowledge gone", [](AgentDraft& d, auto&) { d.knowledge.pop_back(); }},
      {"tool order",
       [](AgentDraft& d, std::vector<Tool>& t) {
         std::swap(d.tools[0], d.tools[1]);
         std::swap(t[0], t[1]);
       }},
      {"tool description", [](AgentDraft&, std::vector<Tool>& t) { t[0].description = "finds"; }},
      {"tool method", [](AgentDraft&, std::vector<Tool>& t) { t[1].method = "PUT"; }},
      {"tool server", [](AgentDraft&, std::vector<Tool>& t) { t[0].server_url += "/v2"; }},
      {"tool path", [](AgentDraft&, std::vector<Tool>& t) { t[0].path = "/o/{id}"; }},
      {"tool parameters",
       [](AgentDraft&, std::vector<Tool>& t) {
         t[0].parameters_json = R"([{"name":"id","in":"path","required":true}])";
       }},
      {"tool security",
       [](AgentDraft&, std::vector<Tool>& t) {
         t[0].security_json = R"([[{"name":"b","type":"http","scheme":"bearer"}]])";
       }},
      {"tool connection", [](AgentDraft&, std::vector<Tool>& t) { t[1].connection_id = "crm"; }},
      {"collaborator role",
       [](AgentDraft& d, auto&) { d.collaborators[1].role = CollaboratorRole::kEditor; }},
      {"collaborator", [](AgentDraft& d, auto&) { d.collaborators.pop_back(); }},
      {"channel settings",
       [](AgentDraft& d, auto&) { d.channels[0].settings_json = R"({"access":"sso"})"; }},
      {"channel plugin", [](AgentDraft& d, auto&) { d.channels[1].plugin = "voice"; }},
      {"channel name", [](AgentDraft& d, auto&) { d.channels[1].name = "hook2"; }},
  };
  for (const auto& [what, change] : changes) {
    SCOPED_TRACE(what);
    SnapshotMemo memo;
    ExpectAsRendered(memo, Draft(), Tools());
    AgentDraft d = Draft();
    std::vector<Tool> tools = Tools();
    change(d, tools);
    ExpectAsRendered(memo, d, tools);
    EXPECT_EQ(memo.misses(), 2u);
    // And back: the first draft is rendered again, not the changed one.
    ExpectAsRendered(memo, Draft(), Tools());
  }
}

// 0.0 and -0.0 are equal doubles, written differently.
TEST(SnapshotMemoTest, SpeakingRatesCompareByTheirBits) {
  SnapshotMemo memo;
  AgentDraft d = Draft();
  d.voice.speaking_rate = 0.0;
  ExpectAsRendered(memo, d, Tools());
  d.voice.speaking_rate = -0.0;
  ExpectAsRendered(memo, d, Tools());
  EXPECT_EQ(memo.misses(), 2u);
}

TEST(SnapshotMemoTest, AgentsKeepTheirOwnAndTheMemoStaysBounded) {
  SnapshotMemo memo;
  AgentDraft other = Draft();
  other.id = "other";
  other.name = "Other";
  ExpectAsRendered(memo, Draft(), Tools());
  ExpectAsRendered(memo, other, Tools());
  ExpectAsRendered(memo, Draft(), Tools());
  ExpectAsRendered(memo, other, Tools());
  EXPECT_EQ(memo.misses(), 2u);
  EXPECT_EQ(memo.hits(), 2u);
  for (size_t i = 0; i < SnapshotMemo::kMaxAgents; ++i) {
    AgentDraft d = Draft();
    d.id = "agent-" + std::to_string(i);
    ExpectAsRendered(memo, d, Tools());
  }
  // Full: the memo started again, and still answers right.
  ExpectAsRendered(memo, Draft(), Tools());
  EXPECT_EQ(memo.misses(), 3u + SnapshotMemo::kMaxAgents);
}

// A hit hands out the rendering it remembered, shared, not a copy of it.
TEST(SnapshotMemoTest, AHitSharesTheRememberedRendering) {
  SnapshotMemo memo;
  StatusOr<std::shared_ptr<const RenderedSnapshot>> first = memo.Render(Draft(), Pointers(Tools()));
  AgentDraft d = Draft();
  d.revision = 8;
  StatusOr<std::shared_ptr<const RenderedSnapshot>> again = memo.Render(d, Pointers(Tools()));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first->get(), again->get());
}

// A comparison leaves the entry's bookkeeping as the compared draft's; that
// must not change what a later comparison finds, from any thread.
TEST(SnapshotMemoTest, ComparisonsFromManyThreadsAnswerAsRendered) {
  SnapshotMemo memo;
  const std::vector<Tool> tools = Tools();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&memo, &tools, t] {
      for (int i = 0; i < 50; ++i) {
        AgentDraft d = Draft();
        d.revision = t * 1000 + i;
        d.updated_by = "user" + std::to_string(t);
        if (i % 10 == 0) d.instructions = "changed by " + std::to_string(t);
        ExpectAsRendered(memo, d, tools);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(memo.hits() + memo.misses(), 200u);
}

TEST(SnapshotMemoTest, AFailedRenderIsNotRemembered) {
  SnapshotMemo memo;
  AgentDraft d = Draft();
  std::vector<Tool> tools = Tools();
  tools.pop_back();  // the draft names two
  EXPECT_FALSE(memo.Render(d, Pointers(tools)).ok());
  EXPECT_FALSE(memo.Render(d, Pointers(tools)).ok());
  EXPECT_EQ(memo.misses(), 2u);
}

}  // namespace
}  // namespace herald::deploy
