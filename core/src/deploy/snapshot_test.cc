#include "herald/core/deploy/snapshot.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

#include <limits>
#include <sstream>

#include "deploy/random_json_test_util.h"
#include "herald/core/agent_json.h"
#include "herald/core/deploy/deployment_event.h"
#include "herald/core/json_text.h"
#include "herald/core/sha256.h"
#include "herald/core/tool_service.h"

namespace herald::deploy {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// Text that JSON must escape, and text it need not.
const std::string kAwkward = "say \"hi\" \\ a/b\n\ttab \x01 caf\xc3\xa9 \xe2\x9c\x93 </script>";

// The snapshot as Poco alone writes it: each tool's parameters and
// security parsed and the whole tree written at once. RenderSnapshot must
// give the same text, byte for byte, or content hashes would change.
std::string PocoSnapshot(const AgentDraft& d, const std::vector<Tool>& tools) {
  Object::Ptr s = AgentConfigJson(d);
  Array::Ptr definitions = new Array;
  for (const Tool& t : tools) {
    Object::Ptr o = new Object;
    o->set("name", t.name);
    o->set("description", t.description);
    o->set("method", t.method);
    o->set("server_url", t.server_url);
    o->set("path", t.path);
    // A tool without them has none: [].
    o->set("parameters",
           Poco::JSON::Parser().parse(t.parameters_json.empty() ? "[]" : t.parameters_json));
    o->set("security",
           Poco::JSON::Parser().parse(t.security_json.empty() ? "[]" : t.security_json));
    o->set("connection", t.connection_id);
    definitions->add(o);
  }
  s->set("tools", definitions);
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(s, out);
  return out.str();
}

// The whole rendering as it was made with Poco's trees before: the text
// above, each channel's settings as Poco writes the draft's, and the
// manifest ManifestJson makes of the tree whose tools are names and
// connections.
RenderedSnapshot PocoRendering(const AgentDraft& d, const std::vector<Tool>& tools) {
  RenderedSnapshot r;
  r.json = PocoSnapshot(d, tools);
  r.sha256 = Sha256Hex(r.json);
  Object::Ptr s = AgentConfigJson(d);
  Array::Ptr refs = new Array;
  for (const Tool& t : tools) {
    Object::Ptr ref = new Object;
    ref->set("name", t.name);
    ref->set("connection", t.connection_id);
    refs->add(ref);
  }
  s->set("tools", refs);
  r.facts.name = d.name;
  r.facts.description = d.description;
  Array::Ptr channels = s->getArray("channels");
  for (size_t i = 0; i < channels->size(); ++i) {
    Object::Ptr c = channels->getObject(static_cast<unsigned>(i));
    r.facts.channels.push_back({c->getValue<std::string>("name"),
                                c->getValue<std::string>("plugin"),
                                CompactJson(c->get("settings"))});
  }
  r.facts.manifest_json = ManifestJson(*s);
  return r;
}

void ExpectSameFacts(const SnapshotFacts& got, const SnapshotFacts& want) {
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.description, want.description);
  ASSERT_EQ(got.channels.size(), want.channels.size());
  for (size_t i = 0; i < got.channels.size(); ++i) {
    EXPECT_EQ(got.channels[i].name, want.channels[i].name);
    EXPECT_EQ(got.channels[i].plugin, want.channels[i].plugin);
    EXPECT_EQ(got.channels[i].settings_json, want.channels[i].settings_json) << i;
  }
  EXPECT_EQ(got.manifest_json, want.manifest_json);
}

// RenderSnapshot of `d` over `tools` (in the draft's order), compared with
// PocoRendering in full.
void ExpectAsPoco(AgentDraft d, const std::vector<Tool>& tools) {
  std::map<std::string, const Tool*> by_name;
  d.tools.clear();
  for (const Tool& t : tools) {
    by_name[t.name] = &t;
    d.tools.push_back(t.name);
  }
  StatusOr<RenderedSnapshot> r = RenderSnapshot(d, by_name);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const RenderedSnapshot want = PocoRendering(d, tools);
  ASSERT_EQ(r->json, want.json);
  EXPECT_EQ(r->sha256, want.sha256);
  ExpectSameFacts(r->facts, want.facts);
  // Rollback and recovery read the same facts back from the text (when
  // Poco can read it: not when the draft held bytes that are not UTF-8).
  if (testing::PocoRoundTrip(r->json) != r->json) return;
  StatusOr<SnapshotFacts> read = ReadSnapshotFacts(r->json);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ExpectSameFacts(*read, r->facts);
}

// Every ASCII byte, NUL included, then some UTF-8.
std::string EveryAscii() {
  std::string all(128, '\0');
  for (int c = 0; c < 128; ++c) all[static_cast<size_t>(c)] = static_cast<char>(c);
  return all + "\xc3\xa9\xe2\x9c\x93\xf0\x9f\x98\x80";
}

Tool AwkwardTool(const std::string& name) {
  Tool t;
  t.name = name;
  t.description = kAwkward;
  t.method = EveryAscii();
  t.server_url = "https://api.example.com/v1";
  t.path = "/items/{id}";
  openapi::Parameter p;
  p.name = "id";
  p.in = "path";
  p.required = true;
  p.type = "string";
  p.description = kAwkward;
  t.parameters_json = ParametersToJson({p, openapi::Parameter{"q", "query", false, "", ""}});
  openapi::NamedScheme scheme;
  scheme.name = "bearer";
  scheme.supported = true;
  scheme.scheme.type = HERALD_SCHEME_HTTP;
  scheme.scheme.scheme = "bearer";
  scheme.description = kAwkward;
  t.security_json = SecurityToJson({{scheme}, {}});
  t.connection_id = "conn";
  return t;
}

AgentDraft AwkwardDraft() {
  AgentDraft d;
  d.id = "support";
  d.name = "Support \"bot\"";
  d.description = kAwkward;
  d.model = "scripted";
  d.voice = {"en-us", "en-US", 1.25};
  d.instructions = EveryAscii();
  d.behaviour = {kAwkward, "hello", {"one", kAwkward}};
  d.knowledge = {{"a.md", std::string(64, 'a'), 100, "text/markdown"}};
  d.collaborators = {{"ann", CollaboratorRole::kOwner}};
  d.channels = {{"web", "chat",
                 R"({"title":"x\u00e9/","b":[1,2.5,-3,1e21,null,[],{}],"a":{"z":true,"y":false}})"},
                {"hooks", "webhook", ""}};
  return d;
}

TEST(RenderSnapshotTest, WritesWhatPocoWritesByteForByte) {
  AgentDraft d = AwkwardDraft();
  std::vector<Tool> tools = {AwkwardTool("zeta"), AwkwardTool("alpha")};
  d.tools = {"zeta", "alpha"};  // the draft's order, not the names'
  std::map<std::string, const Tool*> by_name = {{"zeta", &tools[0]}, {"alpha", &tools[1]}};
  StatusOr<RenderedSnapshot> r = RenderSnapshot(d, by_name);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->json, PocoSnapshot(d, tools));
  EXPECT_EQ(r->sha256, Sha256Hex(r->json));
}

TEST(RenderSnapshotTest, AnAgentWithoutToolsToo) {
  AgentDraft d = AwkwardDraft();
  StatusOr<RenderedSnapshot> r = RenderSnapshot(d, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->json, PocoSnapshot(d, {}));
}

TEST(RenderSnapshotTest, ItsFactsAreThoseReadBackFromItsText) {
  AgentDraft d = AwkwardDraft();
  StatusOr<RenderedSnapshot> r = RenderSnapshot(d, {});
  ASSERT_TRUE(r.ok());
  StatusOr<SnapshotFacts> read_back = ReadSnapshotFacts(r->json);
  ASSERT_TRUE(read_back.ok()) << read_back.status().ToString();
  const SnapshotFacts& read = *read_back;
  EXPECT_EQ(r->facts.name, read.name);
  EXPECT_EQ(r->facts.description, read.description);
  ASSERT_EQ(r->facts.channels.size(), 2u);
  ASSERT_EQ(read.channels.size(), 2u);
  for (size_t i = 0; i < read.channels.size(); ++i) {
    EXPECT_EQ(r->facts.channels[i].name, read.channels[i].name);
    EXPECT_EQ(r->facts.channels[i].plugin, read.channels[i].plugin);
    EXPECT_EQ(r->facts.channels[i].settings_json, read.channels[i].settings_json);
  }
  EXPECT_EQ(read.channels[1].settings_json, "{}");
  EXPECT_EQ(r->facts.manifest_json, read.manifest_json);
}

TEST(RenderSnapshotTest, ItsManifestIsTheOneItsTextGives) {
  AgentDraft d = AwkwardDraft();
  std::vector<Tool> tools = {AwkwardTool("zeta"), AwkwardTool("alpha")};
  d.tools = {"zeta", "alpha"};
  StatusOr<RenderedSnapshot> r = RenderSnapshot(d, {{"zeta", &tools[0]}, {"alpha", &tools[1]}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->facts.manifest_json, ManifestJson(r->json));
  EXPECT_NE(r->facts.manifest_json.find(R"({"connection":"conn","name":"zeta"})"),
            std::string::npos)
      << r->facts.manifest_json;
}

TEST(RenderSnapshotTest, AnEmptyDraftToo) {
  ExpectAsPoco(AgentDraft{}, {});
  AgentDraft d;
  d.channels = {{"", "", ""}, {"", "", "{}"}};
  d.knowledge = {{"", "", 0, ""}};
  d.collaborators = {{"", CollaboratorRole::kViewer}};
  d.behaviour.starter_prompts = {"", ""};
  Tool empty;
  ExpectAsPoco(d, {empty});
}

TEST(RenderSnapshotTest, SpeakingRatesAsPocoWritesThem) {
  for (double rate : {1.0, 1.5, 0.1, 2.25, 0.0, -0.0, 0.25, 4.0, 1e-7, 1e21, 0.30000000000000004}) {
    AgentDraft d = AwkwardDraft();
    d.voice.speaking_rate = rate;
    ExpectAsPoco(d, {});
  }
}

TEST(RenderSnapshotTest, KnowledgeSizesAsPocoWritesThem) {
  AgentDraft d = AwkwardDraft();
  for (int64_t size : {int64_t{0}, int64_t{-1}, int64_t{102400}, int64_t{9007199254740993},
                       std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}) {
    d.knowledge.push_back({"f" + std::to_string(size), std::string(64, 'b'), size, "text/plain"});
  }
  ExpectAsPoco(d, {});
}

TEST(RenderSnapshotTest, ChannelSettingsAsPocoWritesThem) {
  const char* settings[] = {
      "",
      "{}",
      R"({"a":{"b":{"c":[1,[2,[3,{}]],{"d":null}]}},"e":[],"f":true,"g":false,"h":-12.5})",
      R"({"x":1e21,"y":0.1,"z":-0,"w":1.0,"v":9223372036854775808,"u":-9007199254740993})",
      " { \"b\" : 1 ,\n \"a\" : \"\\u00e9\\/\" } ",
      R"({"a":1,"a":2})",
      "{\"k\":\"\x7f\xc3\xa9\\u001F\\\"\"}",
      "not json",
      "[1,2]",
      "{\"a\":\"\xff\"}",
      R"({"a":1e400})"};
  AgentDraft d = AwkwardDraft();
  d.channels.clear();
  for (const char* s : settings)
    d.channels.push_back({"c" + std::to_string(d.channels.size()), "p", s});
  ExpectAsPoco(d, {});
}

// The property behind content hashes: for any draft and tools, the text,
// hash and facts are what Poco's trees made of them.
TEST(RenderSnapshotTest, ManyRandomDraftsAsPocoRendersThem) {
  testing::RandomJson random(42);
  testing::RandomJson canonical(43);
  canonical.set_canonical_only(true);
  for (int round = 0; round < 1500; ++round) {
    AgentDraft d;
    d.id = random.Text();
    d.name = random.Text();
    d.description = random.Text();
    d.model = random.Text();
    d.voice = {random.Text(), random.Text(), random.Double()};
    d.instructions = random.Text();
    d.behaviour.guidelines = random.Text();
    d.behaviour.welcome_message = random.Text();
    for (int i = random.Below(3); i > 0; --i) d.behaviour.starter_prompts.push_back(random.Text());
    for (int i = random.Below(4); i > 0; --i) {
      d.knowledge.push_back({random.Text(), random.Text(), random.Integer(), random.Text()});
    }
    for (int i = random.Below(3); i > 0; --i) {
      d.collaborators.push_back({random.Text(), static_cast<CollaboratorRole>(random.Below(3))});
    }
    for (int i = random.Below(4); i > 0; --i) {
      std::string settings = CompactJson(random.OneIn(2) ? canonical.Object(2) : random.Object(2));
      if (random.OneIn(4)) settings = random.Mutated(settings);
      d.channels.push_back({random.Text(), random.Text(), settings});
    }
    std::vector<Tool> tools;
    for (int i = random.Below(4); i > 0; --i) {
      Tool t;
      t.name = "tool" + std::to_string(i);  // unique
      t.description = random.Text();
      t.method = random.Text();
      t.server_url = random.Text();
      t.path = random.Text();
      // Poco's own text, as the store holds it (ToolService writes it).
      t.parameters_json = ParametersToJson(
          {openapi::Parameter{canonical.Text(), "query", random.OneIn(2), "", canonical.Text()}});
      t.security_json = SecurityToJson({});
      t.connection_id = random.Text();
      tools.push_back(t);
    }
    SCOPED_TRACE("round " + std::to_string(round));
    ExpectAsPoco(d, tools);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(RenderSnapshotTest, NamesAToolItLacks) {
  AgentDraft d = AwkwardDraft();
  d.tools = {"gone"};
  StatusOr<RenderedSnapshot> r = RenderSnapshot(d, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("gone"), std::string::npos);
}

TEST(RenderSnapshotTest, ASnapshotPocoCannotReadBackIsAnErrorNotAnException) {
  AgentDraft d = AwkwardDraft();
  d.name = "caf\xff";  // not UTF-8: written as given, refused by Poco's parser
  StatusOr<RenderedSnapshot> r = RenderSnapshot(d, {});
  ASSERT_TRUE(r.ok());
  StatusOr<SnapshotFacts> read = ReadSnapshotFacts(r->json);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("cannot be read back"), std::string::npos);
  EXPECT_FALSE(ReadSnapshotFacts("[1,2]").ok());
}

}  // namespace
}  // namespace herald::deploy
