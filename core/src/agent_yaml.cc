#include "agent_yaml.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <set>
#include <sstream>

#include "api/json_body.h"
#include "herald/core/secret_settings.h"
#include "herald/core/utf8.h"

namespace herald {
namespace {

using Poco::Dynamic::Var;

// ---------------------------------------------------------------- reading

std::string At(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return "";
  return " (line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) +
         ")";
}

Status Invalid(const std::string& path, const std::string& problem, const YAML::Node& node) {
  return Status::InvalidArgument(path + ": " + problem + At(node));
}

std::string Child(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string Item(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

// The map's entries by key, refusing unknown and repeated keys.
StatusOr<std::vector<std::pair<std::string, YAML::Node>>> Entries(
    const YAML::Node& map, const std::string& path, std::initializer_list<std::string_view> known) {
  if (!map.IsMap()) return Invalid(path.empty() ? "body" : path, "expected a mapping", map);
  std::vector<std::pair<std::string, YAML::Node>> out;
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar())
      return Invalid(path.empty() ? "body" : path, "keys must be text", map);
    const std::string key = it->first.Scalar();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string names;
      for (auto k : known) names += (names.empty() ? "" : ", ") + std::string(k);
      return Invalid(Child(path, key), "unknown field (known: " + names + ")", it->first);
    }
    if (!seen.insert(key).second) return Invalid(Child(path, key), "given twice", it->first);
    out.emplace_back(key, it->second);
  }
  return out;
}

// A string field: a scalar; null (`key:` with nothing) is the empty string.
StatusOr<std::string> Text(const YAML::Node& node, const std::string& path) {
  if (node.IsNull()) return std::string();
  if (!node.IsScalar()) return Invalid(path, "expected a string", node);
  return node.Scalar();
}

StatusOr<std::string> RequiredText(const YAML::Node& node, const std::string& path) {
  StatusOr<std::string> text = Text(node, path);
  if (text.ok() && text->empty()) return Invalid(path, "required", node);
  return text;
}

std::optional<int64_t> ParseInt(const std::string& s) {
  int64_t out = 0;
  const char* begin = s.data() + (!s.empty() && s[0] == '+' ? 1 : 0);
  auto [end, ec] = std::from_chars(begin, s.data() + s.size(), out);
  if (ec != std::errc() || end != s.data() + s.size() || begin == s.data() + s.size()) {
    return std::nullopt;
  }
  return out;
}

std::optional<double> ParseDouble(const std::string& s) {
  double out = 0;
  const char* begin = s.data() + (!s.empty() && s[0] == '+' ? 1 : 0);
  auto [end, ec] = std::from_chars(begin, s.data() + s.size(), out);
  if (ec != std::errc() || end != s.data() + s.size() || begin == s.data() + s.size() ||
      !std::isfinite(out)) {
    return std::nullopt;
  }
  return out;
}

std::optional<bool> ParseBool(const std::string& s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

bool IsNullText(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

StatusOr<std::vector<std::string>> TextList(const YAML::Node& node, const std::string& path) {
  std::vector<std::string> out;
  if (node.IsNull()) return out;
  if (!node.IsSequence()) return Invalid(path, "expected a list", node);
  for (size_t i = 0; i < node.size(); ++i) {
    StatusOr<std::string> text = Text(node[i], Item(path, i));
    if (!text.ok()) return text.status();
    out.push_back(std::move(text).value());
  }
  return out;
}

// Any YAML value as JSON, the way YAML's core schema reads plain scalars;
// quoted scalars are always strings.
Var GenericJson(const YAML::Node& node) {
  if (node.IsMap()) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    for (auto it = node.begin(); it != node.end(); ++it) {
      o->set(it->first.Scalar(), GenericJson(it->second));
    }
    return o;
  }
  if (node.IsSequence()) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (size_t i = 0; i < node.size(); ++i) a->add(GenericJson(node[i]));
    return a;
  }
  if (node.IsNull()) return Var();
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return s;
  if (IsNullText(s)) return Var();
  if (auto b = ParseBool(s)) return *b;
  if (auto i = ParseInt(s)) return *i;
  if (auto d = ParseDouble(s)) return *d;
  return s;
}

// One channel setting as JSON, read as the type its plugin declares.
// Mismatches are left for the declared-settings check to name.
Var SettingJson(const YAML::Node& node, const sdk::SettingSpec* spec) {
  if (spec == nullptr || spec->type == HERALD_SETTING_JSON || !node.IsScalar()) {
    return GenericJson(node);
  }
  const std::string& s = node.Scalar();
  switch (spec->type) {
    case HERALD_SETTING_STRING:
      return s;
    case HERALD_SETTING_INT:
      if (auto i = ParseInt(s)) return *i;
      return s;
    case HERALD_SETTING_BOOL:
      if (auto b = ParseBool(s)) return *b;
      return s;
    default:
      return GenericJson(node);
  }
}

bool DecodeBase64(const std::string& in, std::string* out) {
  std::string s;
  for (char c : in) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') s += c;
  }
  if (s.size() % 4 != 0) return false;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  out->clear();
  for (size_t i = 0; i < s.size(); i += 4) {
    const bool last = i + 4 == s.size();
    int pad = 0;
    uint32_t group = 0;
    for (size_t j = 0; j < 4; ++j) {
      const char c = s[i + j];
      int v = 0;
      if (c == '=') {
        if (!last || j < 2) return false;
        ++pad;
      } else {
        if (pad > 0) return false;
        v = value(c);
        if (v < 0) return false;
      }
      group = (group << 6) | static_cast<uint32_t>(v);
    }
    out->push_back(static_cast<char>((group >> 16) & 0xff));
    if (pad < 2) out->push_back(static_cast<char>((group >> 8) & 0xff));
    if (pad < 1) out->push_back(static_cast<char>(group & 0xff));
  }
  return true;
}

std::string EncodeBase64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t group = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) group |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) group |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(group >> 18) & 0x3f];
    out += kAlphabet[(group >> 12) & 0x3f];
    out += i + 1 < in.size() ? kAlphabet[(group >> 6) & 0x3f] : '=';
    out += i + 2 < in.size() ? kAlphabet[group & 0x3f] : '=';
  }
  return out;
}

class Reader {
 public:
  explicit Reader(const ChannelSpecsLookup& specs) : specs_(specs) {}

  StatusOr<AgentDocument> Read(const YAML::Node& root) {
    if (!root.IsDefined() || root.IsNull()) {
      return Status::InvalidArgument("body: empty document; expected an agent with at least an id");
    }
    auto entries = Entries(root, "",
                           {"id", "name", "description", "model", "voice", "instructions",
                            "behaviour", "knowledge", "tools", "collaborators", "channels"});
    if (!entries.ok()) return entries.status();
    AgentDocument doc;
    bool has_id = false;
    for (const auto& [key, node] : *entries) {
      Status s = Status::Ok();
      if (key == "id") {
        StatusOr<std::string> id = RequiredText(node, "id");
        if (!id.ok()) return id.status();
        HERALD_RETURN_IF_ERROR(api::CheckSlug(*id, "id"));
        doc.id = *id;
        has_id = true;
      } else if (key == "name") {
        s = Assign(node, key, &doc.fields.name);
      } else if (key == "description") {
        s = Assign(node, key, &doc.fields.description);
      } else if (key == "model") {
        s = Assign(node, key, &doc.fields.model);
      } else if (key == "instructions") {
        s = Assign(node, key, &doc.fields.instructions);
      } else if (key == "voice") {
        s = ReadVoice(node, &doc.fields);
      } else if (key == "behaviour") {
        s = ReadBehaviour(node, &doc.fields);
      } else if (key == "knowledge") {
        s = ReadKnowledge(node, &doc);
      } else if (key == "tools") {
        s = ReadTools(node, &doc);
      } else if (key == "collaborators") {
        s = ReadCollaborators(node, &doc);
      } else if (key == "channels") {
        s = ReadChannels(node, &doc);
      }
      HERALD_RETURN_IF_ERROR(s);
    }
    if (!has_id) return Status::InvalidArgument("id: required");
    return doc;
  }

 private:
  static Status Assign(const YAML::Node& node, const std::string& path,
                       std::optional<std::string>* out) {
    StatusOr<std::string> text = Text(node, path);
    if (!text.ok()) return text.status();
    *out = std::move(text).value();
    return Status::Ok();
  }

  static Status ReadVoice(const YAML::Node& node, AgentFieldsPatch* f) {
    if (node.IsNull()) return Status::Ok();
    auto entries = Entries(node, "voice", {"voice", "language", "speaking_rate"});
    if (!entries.ok()) return entries.status();
    for (const auto& [key, value] : *entries) {
      if (key == "voice") HERALD_RETURN_IF_ERROR(Assign(value, "voice.voice", &f->voice));
      if (key == "language") HERALD_RETURN_IF_ERROR(Assign(value, "voice.language", &f->language));
      if (key == "speaking_rate") {
        std::optional<double> rate;
        if (value.IsScalar()) rate = ParseDouble(value.Scalar());
        if (!rate) return Invalid("voice.speaking_rate", "expected a number", value);
        f->speaking_rate = *rate;
      }
    }
    return Status::Ok();
  }

  static Status ReadBehaviour(const YAML::Node& node, AgentFieldsPatch* f) {
    if (node.IsNull()) return Status::Ok();
    auto entries = Entries(node, "behaviour", {"guidelines", "welcome_message", "starter_prompts"});
    if (!entries.ok()) return entries.status();
    for (const auto& [key, value] : *entries) {
      const std::string path = Child("behaviour", key);
      if (key == "guidelines") HERALD_RETURN_IF_ERROR(Assign(value, path, &f->guidelines));
      if (key == "welcome_message") {
        HERALD_RETURN_IF_ERROR(Assign(value, path, &f->welcome_message));
      }
      if (key == "starter_prompts") {
        StatusOr<std::vector<std::string>> prompts = TextList(value, path);
        if (!prompts.ok()) return prompts.status();
        f->starter_prompts = std::move(prompts).value();
      }
    }
    return Status::Ok();
  }

  static Status ReadKnowledge(const YAML::Node& node, AgentDocument* doc) {
    doc->knowledge.emplace();
    if (node.IsNull()) return Status::Ok();
    if (!node.IsSequence()) return Invalid("knowledge", "expected a list", node);
    for (size_t i = 0; i < node.size(); ++i) {
      const std::string path = Item("knowledge", i);
      auto entries = Entries(node[i], path, {"name", "content_type", "content", "content_base64"});
      if (!entries.ok()) return entries.status();
      KnowledgeUpload file;
      std::optional<std::string> content;
      std::optional<std::string> base64;
      for (const auto& [key, value] : *entries) {
        if (key == "name") {
          StatusOr<std::string> name = Text(value, Child(path, "name"));
          if (!name.ok()) return name.status();
          file.name = *name;
        }
        if (key == "content_type") {
          StatusOr<std::string> type = Text(value, Child(path, "content_type"));
          if (!type.ok()) return type.status();
          file.content_type = *type;
        }
        if (key == "content") HERALD_RETURN_IF_ERROR(Assign(value, Child(path, key), &content));
        if (key == "content_base64") {
          HERALD_RETURN_IF_ERROR(Assign(value, Child(path, key), &base64));
          std::string bytes;
          if (!DecodeBase64(*base64, &bytes)) {
            return Invalid(Child(path, key), "not valid base64", value);
          }
          file.bytes = std::move(bytes);
        }
      }
      if (content && base64) {
        return Invalid(path, "give content or content_base64, not both", node[i]);
      }
      if (!content && !base64) {
        return Invalid(Child(path, "content"), "required (or content_base64)", node[i]);
      }
      if (content) {
        file.bytes = *content;
        if (file.content_type.empty()) file.content_type = "text/plain; charset=utf-8";
      }
      if (file.content_type.empty()) file.content_type = "application/octet-stream";
      // Name checks (and the size limit) are AgentService's, with this path.
      doc->knowledge->push_back(std::move(file));
    }
    return Status::Ok();
  }

  static Status ReadTools(const YAML::Node& node, AgentDocument* doc) {
    StatusOr<std::vector<std::string>> tools = TextList(node, "tools");
    if (!tools.ok()) return tools.status();
    std::set<std::string> seen;
    for (size_t i = 0; i < tools->size(); ++i) {
      HERALD_RETURN_IF_ERROR(api::CheckSlug((*tools)[i], Item("tools", i)));
      if (!seen.insert((*tools)[i]).second) {
        return Invalid(Item("tools", i), "'" + (*tools)[i] + "' is given twice", node[i]);
      }
    }
    doc->tools = std::move(tools).value();
    return Status::Ok();
  }

  static Status ReadCollaborators(const YAML::Node& node, AgentDocument* doc) {
    doc->collaborators.emplace();
    if (node.IsNull()) return Status::Ok();
    if (!node.IsSequence()) return Invalid("collaborators", "expected a list", node);
    for (size_t i = 0; i < node.size(); ++i) {
      const std::string path = Item("collaborators", i);
      auto entries = Entries(node[i], path, {"user", "role"});
      if (!entries.ok()) return entries.status();
      Collaborator c;
      bool has_role = false;
      for (const auto& [key, value] : *entries) {
        StatusOr<std::string> text = RequiredText(value, Child(path, key));
        if (!text.ok()) return text.status();
        if (key == "user") {
          HERALD_RETURN_IF_ERROR(api::CheckSlug(*text, Child(path, "user")));
          c.user = *text;
        } else {
          std::optional<CollaboratorRole> role = ParseCollaboratorRole(*text);
          if (!role) return Invalid(Child(path, "role"), "must be owner, editor or viewer", value);
          c.role = *role;
          has_role = true;
        }
      }
      if (c.user.empty()) return Invalid(Child(path, "user"), "required", node[i]);
      if (!has_role) return Invalid(Child(path, "role"), "required", node[i]);
      doc->collaborators->push_back(c);
    }
    return Status::Ok();
  }

  Status ReadChannels(const YAML::Node& node, AgentDocument* doc) {
    doc->channels.emplace();
    if (node.IsNull()) return Status::Ok();
    if (!node.IsSequence()) return Invalid("channels", "expected a list", node);
    for (size_t i = 0; i < node.size(); ++i) {
      const std::string path = Item("channels", i);
      auto entries = Entries(node[i], path, {"name", "plugin", "settings"});
      if (!entries.ok()) return entries.status();
      ChannelBinding channel;
      YAML::Node settings;
      for (const auto& [key, value] : *entries) {
        if (key == "settings") {
          settings = value;
          continue;
        }
        StatusOr<std::string> text = RequiredText(value, Child(path, key));
        if (!text.ok()) return text.status();
        (key == "name" ? channel.name : channel.plugin) = *text;
      }
      if (channel.name.empty()) return Invalid(Child(path, "name"), "required", node[i]);
      HERALD_RETURN_IF_ERROR(api::CheckSlug(channel.name, Child(path, "name")));
      if (channel.plugin.empty()) return Invalid(Child(path, "plugin"), "required", node[i]);
      Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
      if (settings.IsDefined() && !settings.IsNull()) {
        if (!settings.IsMap())
          return Invalid(Child(path, "settings"), "expected a mapping", settings);
        std::optional<std::vector<sdk::SettingSpec>> specs = specs_(channel.plugin);
        for (auto it = settings.begin(); it != settings.end(); ++it) {
          const std::string key = it->first.Scalar();
          const sdk::SettingSpec* spec = nullptr;
          if (specs) {
            for (const auto& s : *specs) {
              if (s.name == key) spec = &s;
            }
          }
          json->set(key, SettingJson(it->second, spec));
        }
      }
      std::ostringstream text;
      Poco::JSON::Stringifier::condense(json, text);
      channel.settings_json = text.str();
      doc->channels->push_back(std::move(channel));
    }
    return Status::Ok();
  }

  const ChannelSpecsLookup& specs_;
};

// ---------------------------------------------------------------- writing

// Whether `s` reads back (the way Text() reads) exactly as it was, after
// emitting it with `style`.
bool ReadsBack(const std::string& s, std::optional<YAML::EMITTER_MANIP> style) {
  try {
    YAML::Emitter e;
    e << YAML::BeginMap << YAML::Key << "k" << YAML::Value;
    if (style) e << *style;
    // A key after it, as in the document: a block scalar's last line break
    // reads differently at the end of the stream.
    e << s << YAML::Key << "z" << YAML::Value << "z" << YAML::EndMap;
    if (!e.good()) return false;
    YAML::Node n = YAML::Load(e.c_str());
    StatusOr<std::string> back = Text(n["k"], "k");
    return back.ok() && *back == s;
  } catch (const YAML::Exception&) {
    return false;
  }
}

bool IsUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      n = 0;
      cp = c;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (size_t j = 1; j <= n; ++j) {
      if (i + j >= s.size()) return false;
      const unsigned char d = static_cast<unsigned char>(s[i + j]);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

enum class Style { kLiteral, kPlain, kDoubleQuoted, kNone };

// The style that reads back exactly: a literal block for multi-line text,
// else plain (yaml-cpp quotes when it must), else double-quoted.
Style StyleFor(const std::string& s) {
  if (s.find('\n') != std::string::npos && ReadsBack(s, YAML::Literal)) return Style::kLiteral;
  if (ReadsBack(s, std::nullopt)) return Style::kPlain;
  if (ReadsBack(s, YAML::DoubleQuoted)) return Style::kDoubleQuoted;
  return Style::kNone;
}

void EmitStyled(YAML::Emitter& out, const std::string& s, Style style) {
  if (style == Style::kLiteral) out << YAML::Literal;
  if (style == Style::kDoubleQuoted || style == Style::kNone) out << YAML::DoubleQuoted;
  out << s;
}

void EmitText(YAML::Emitter& out, const std::string& s) { EmitStyled(out, s, StyleFor(s)); }

std::string RateText(double rate) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), rate);
  return ec == std::errc() ? std::string(buf, end) : "1";
}

void EmitJson(YAML::Emitter& out, const Var& v) {
  if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
    Poco::JSON::Object::Ptr o = v.extract<Poco::JSON::Object::Ptr>();
    if (o->size() == 0) {
      out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
      return;
    }
    out << YAML::BeginMap;
    std::vector<std::string> names;
    o->getNames(names);
    for (const auto& name : names) {
      out << YAML::Key << YAML::DoubleQuoted << name << YAML::Value;
      EmitJson(out, o->get(name));
    }
    out << YAML::EndMap;
  } else if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    Poco::JSON::Array::Ptr a = v.extract<Poco::JSON::Array::Ptr>();
    if (a->size() == 0) {
      out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
      return;
    }
    out << YAML::BeginSeq;
    for (size_t i = 0; i < a->size(); ++i) EmitJson(out, a->get(static_cast<unsigned>(i)));
    out << YAML::EndSeq;
  } else if (v.isEmpty()) {
    out << YAML::Null;
  } else if (v.isString()) {
    // Quoted: a string stays a string whatever it looks like.
    out << YAML::DoubleQuoted << v.extract<std::string>();
  } else if (v.type() == typeid(bool)) {
    out << (v.extract<bool>() ? "true" : "false");
  } else if (v.isInteger()) {
    out << std::to_string(v.convert<int64_t>());
  } else {
    out << RateText(v.convert<double>());
  }
}

// A secret setting is written as {"$secret": "set"}, never its value nor its
// reference; applying that keeps the value stored.
void EmitSettings(YAML::Emitter& out, const std::string& settings_json) {
  Var parsed;
  try {
    parsed =
        Poco::JSON::Parser().parse(MaskSettingsJson(settings_json.empty() ? "{}" : settings_json));
  } catch (const Poco::Exception&) {
    parsed = Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  }
  EmitJson(out, parsed);
}

}  // namespace

StatusOr<AgentDocument> ParseAgentYaml(std::string_view text, const ChannelSpecsLookup& specs) {
  // yaml-cpp takes any bytes; a draft's text must be UTF-8 to come back out
  // as JSON (answers, snapshots) that reads back.
  if (std::optional<size_t> bad = FirstNonUtf8Byte(text)) {
    const std::string_view before = text.substr(0, *bad);
    const size_t line_start = before.rfind('\n');
    const size_t column = line_start == std::string_view::npos ? *bad : *bad - line_start - 1;
    return Status::InvalidArgument(
        "body: not UTF-8 at line " +
        std::to_string(std::count(before.begin(), before.end(), '\n') + 1) + ", column " +
        std::to_string(column + 1) + ": save the file as UTF-8");
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument("body: malformed YAML at line " +
                                   std::to_string(e.mark.line + 1) + ", column " +
                                   std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  try {
    return Reader(specs).Read(root);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument("body: unreadable YAML at line " +
                                   std::to_string(e.mark.line + 1) + ", column " +
                                   std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

std::string EmitAgentYaml(const AgentDraft& d,
                          const std::vector<std::pair<KnowledgeFile, std::string>>& files) {
  YAML::Emitter out;
  out << YAML::Comment("agent '" + d.id + "' at draft revision " + std::to_string(d.revision) +
                       "; `herald apply -f` this file to create or update it");
  out << YAML::BeginMap;
  out << YAML::Key << "id" << YAML::Value << d.id;
  auto text = [&](const char* key, const std::string& value) {
    out << YAML::Key << key << YAML::Value;
    EmitText(out, value);
  };
  text("name", d.name);
  text("description", d.description);
  text("model", d.model);
  out << YAML::Key << "voice" << YAML::Value << YAML::BeginMap;
  text("voice", d.voice.voice);
  text("language", d.voice.language);
  out << YAML::Key << "speaking_rate" << YAML::Value << RateText(d.voice.speaking_rate);
  out << YAML::EndMap;
  text("instructions", d.instructions);
  out << YAML::Key << "behaviour" << YAML::Value << YAML::BeginMap;
  text("guidelines", d.behaviour.guidelines);
  text("welcome_message", d.behaviour.welcome_message);
  out << YAML::Key << "starter_prompts" << YAML::Value;
  if (d.behaviour.starter_prompts.empty()) {
    out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
  } else {
    out << YAML::BeginSeq;
    for (const auto& p : d.behaviour.starter_prompts) EmitText(out, p);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;

  out << YAML::Key << "knowledge" << YAML::Value;
  if (files.empty()) {
    out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
  } else {
    out << YAML::BeginSeq;
    for (const auto& [file, bytes] : files) {
      out << YAML::BeginMap;
      text("name", file.name);
      text("content_type", file.content_type);
      const Style style = IsUtf8(bytes) ? StyleFor(bytes) : Style::kNone;
      if (style != Style::kNone) {
        out << YAML::Key << "content" << YAML::Value;
        EmitStyled(out, bytes, style);
      } else {
        out << YAML::Key << "content_base64" << YAML::Value << EncodeBase64(bytes);
      }
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }

  out << YAML::Key << "tools" << YAML::Value;
  if (d.tools.empty()) {
    out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
  } else {
    out << YAML::BeginSeq;
    for (const auto& t : d.tools) out << t;
    out << YAML::EndSeq;
  }

  out << YAML::Key << "collaborators" << YAML::Value;
  if (d.collaborators.empty()) {
    out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
  } else {
    out << YAML::BeginSeq;
    for (const auto& c : d.collaborators) {
      out << YAML::BeginMap << YAML::Key << "user" << YAML::Value << c.user << YAML::Key << "role"
          << YAML::Value << std::string(CollaboratorRoleName(c.role)) << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }

  out << YAML::Key << "channels" << YAML::Value;
  if (d.channels.empty()) {
    out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
  } else {
    out << YAML::BeginSeq;
    for (const auto& c : d.channels) {
      out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << c.name;
      text("plugin", c.plugin);
      out << YAML::Key << "settings" << YAML::Value;
      EmitSettings(out, c.settings_json);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace herald
