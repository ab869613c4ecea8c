#include "herald/core/deploy/snapshot.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

#include <sstream>

#include "herald/core/agent_json.h"
#include "herald/core/deploy/deployment_event.h"
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
    o->set("parameters", Poco::JSON::Parser().parse(t.parameters_json));
    o->set("security", Poco::JSON::Parser().parse(t.security_json));
    o->set("connection", t.connection_id);
    definitions->add(o);
  }
  s->set("tools", definitions);
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(s, out);
  return out.str();
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
  const SnapshotFacts read = ReadSnapshotFacts(r->json);
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

TEST(RenderSnapshotTest, NamesAToolItLacks) {
  AgentDraft d = AwkwardDraft();
  d.tools = {"gone"};
  StatusOr<RenderedSnapshot> r = RenderSnapshot(d, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("gone"), std::string::npos);
}

}  // namespace
}  // namespace herald::deploy
