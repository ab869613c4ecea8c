#include "agent_yaml.h"

#include <gtest/gtest.h>

namespace herald {
namespace {

// A channel plugin "typed" with one setting of each type.
std::optional<std::vector<sdk::SettingSpec>> Specs(const std::string& plugin) {
  if (plugin != "typed") return std::nullopt;
  return std::vector<sdk::SettingSpec>{{"name", "", HERALD_SETTING_STRING, false, ""},
                                       {"port", "", HERALD_SETTING_INT, false, ""},
                                       {"secure", "", HERALD_SETTING_BOOL, false, ""},
                                       {"extra", "", HERALD_SETTING_JSON, false, ""}};
}

TEST(AgentYamlTest, ChannelSettingsAreReadAsTheirDeclaredTypes) {
  StatusOr<AgentDocument> doc = ParseAgentYaml(R"(id: a
channels:
  - name: c
    plugin: typed
    settings:
      name: 8080
      port: 8080
      secure: true
      extra: {list: [1, "2", two, null, 1.5], flag: false}
)",
                                               Specs);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  ASSERT_EQ(doc->channels->size(), 1u);
  EXPECT_EQ((*doc->channels)[0].settings_json,
            R"({"extra":{"flag":false,"list":[1,"2","two",null,1.5]},"name":"8080","port":8080,)"
            R"("secure":true})");
}

TEST(AgentYamlTest, MismatchedSettingsStayAsWrittenForTheCheckToName) {
  StatusOr<AgentDocument> doc = ParseAgentYaml(
      "id: a\nchannels:\n  - {name: c, plugin: typed, settings: {port: many, secure: maybe}}\n",
      Specs);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ((*doc->channels)[0].settings_json, R"({"port":"many","secure":"maybe"})");
}

TEST(AgentYamlTest, UnknownKeysAreNamedByPath) {
  StatusOr<AgentDocument> doc =
      ParseAgentYaml("id: a\nchannels:\n  - {name: c, plugin: typed, setting: {}}\n", Specs);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message().rfind("channels[0].setting: unknown field", 0), 0u)
      << doc.status().message();
}

TEST(AgentYamlTest, LeftOutPartsStayUnsetAndGivenListsAreSet) {
  StatusOr<AgentDocument> doc = ParseAgentYaml("id: a\nname: A\ntools: []\n", Specs);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->fields.name, "A");
  EXPECT_FALSE(doc->fields.description.has_value());
  EXPECT_FALSE(doc->knowledge.has_value());
  ASSERT_TRUE(doc->tools.has_value());
  EXPECT_TRUE(doc->tools->empty());
}

TEST(AgentYamlTest, EmitThenParseGivesBackEveryValueExactly) {
  AgentDraft d;
  d.id = "tricky";
  d.name = "null";
  d.description = "true";
  d.model = "  padded  ";
  d.instructions = "two\nlines";
  d.behaviour.guidelines = "ends with newlines\n\n";
  d.behaviour.welcome_message = "windows\r\nline";
  d.behaviour.starter_prompts = {"- dash", "a: colon", "#hash", "'quote'", "ünïcødé ✓"};
  d.voice.voice = "~";
  d.voice.language = "123";
  d.voice.speaking_rate = 1.1;
  d.tools = {"listpets"};
  d.collaborators = {{"admin", CollaboratorRole::kOwner}, {"ed", CollaboratorRole::kViewer}};
  d.channels = {{"c", "typed", R"({"extra":{"a":["x","1",null]},"name":"true","port":7})"}};
  std::vector<std::pair<KnowledgeFile, std::string>> files = {
      {{"text.md", "", 0, "text/markdown"}, "line\n  indented\n"},
      {{"bare.txt", "", 0, "text/plain"}, "no newline at end"},
      {{"crlf.txt", "", 0, "text/plain"}, "a\r\nb\r\n"},
      {{"bin", "", 0, "application/octet-stream"}, std::string("\0\x01\xff\xfe", 4)},
      {{"latin1.txt", "", 0, "text/plain"}, "caf\xe9"},
      {{"empty", "", 0, "text/plain"}, ""},
  };
  const std::string yaml = EmitAgentYaml(d, files);
  StatusOr<AgentDocument> doc = ParseAgentYaml(yaml, Specs);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString() << "\n" << yaml;
  EXPECT_EQ(doc->id, d.id);
  EXPECT_EQ(doc->fields.name, d.name);
  EXPECT_EQ(doc->fields.description, d.description);
  EXPECT_EQ(doc->fields.model, d.model);
  EXPECT_EQ(doc->fields.instructions, d.instructions);
  EXPECT_EQ(doc->fields.guidelines, d.behaviour.guidelines);
  EXPECT_EQ(doc->fields.welcome_message, d.behaviour.welcome_message);
  EXPECT_EQ(doc->fields.starter_prompts, d.behaviour.starter_prompts);
  EXPECT_EQ(doc->fields.voice, d.voice.voice);
  EXPECT_EQ(doc->fields.language, d.voice.language);
  EXPECT_EQ(doc->fields.speaking_rate, d.voice.speaking_rate);
  EXPECT_EQ(*doc->tools, d.tools);
  ASSERT_EQ(doc->collaborators->size(), 2u);
  EXPECT_EQ((*doc->collaborators)[1].user, "ed");
  EXPECT_EQ((*doc->collaborators)[1].role, CollaboratorRole::kViewer);
  ASSERT_EQ(doc->channels->size(), 1u);
  EXPECT_EQ((*doc->channels)[0].settings_json, d.channels[0].settings_json);
  ASSERT_EQ(doc->knowledge->size(), files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ((*doc->knowledge)[i].name, files[i].first.name);
    EXPECT_EQ((*doc->knowledge)[i].content_type, files[i].first.content_type);
    EXPECT_EQ((*doc->knowledge)[i].bytes, files[i].second) << files[i].first.name << "\n" << yaml;
  }
  // Readable where it can be: text as text, the rest as base64.
  EXPECT_NE(yaml.find("content: |\n      line\n        indented\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("content_base64: AAH//g=="), std::string::npos) << yaml;
  EXPECT_EQ(EmitAgentYaml(d, files), yaml);
}

TEST(AgentYamlTest, MalformedYamlNamesLineAndColumn) {
  StatusOr<AgentDocument> doc = ParseAgentYaml("id: a\nname: [x\n", Specs);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message().rfind("body: malformed YAML at line 3, column 1", 0), 0u)
      << doc.status().message();
}

TEST(AgentYamlTest, TextThatIsNotUtf8IsRefusedNamingWhere) {
  StatusOr<AgentDocument> doc = ParseAgentYaml("id: pets\nname: caf\xe9\n", Specs);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(doc.status().message(), "body: not UTF-8 at line 2, column 10: save the file as UTF-8");
}

}  // namespace
}  // namespace herald
