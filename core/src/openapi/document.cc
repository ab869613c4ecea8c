#include "herald/core/openapi/document.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scheme_text.h"

namespace herald::openapi {
namespace {

constexpr std::string_view kMethods[] = {"get",     "put",  "post",  "delete",
                                         "options", "head", "patch", "trace"};

// How many $ref hops are followed before a chain is taken for a cycle.
constexpr int kMaxRefHops = 32;

YAML::Node Undefined() { return YAML::Node(YAML::NodeType::Undefined); }

// The value under `key` in a mapping, or an undefined node when `n` is not a
// mapping or has no such key. Never throws, never returns yaml-cpp's "zombie"
// nodes (which throw on most calls).
YAML::Node Child(const YAML::Node& n, std::string_view key) {
  if (!n.IsDefined() || !n.IsMap()) return Undefined();
  for (const auto& kv : n) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.second;
  }
  return Undefined();
}

bool Present(const YAML::Node& n) { return n.IsDefined() && !n.IsNull(); }

// The text of a scalar, or nullopt.
std::optional<std::string> Text(const YAML::Node& n) {
  if (!n.IsDefined() || !n.IsScalar()) return std::nullopt;
  return n.Scalar();
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Lower-cases and replaces every character outside [a-z0-9_-] with '_'.
std::string Slug(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    const char l = static_cast<char>(std::tolower(u));
    const bool keep = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '_' || l == '-';
    out.push_back(keep ? l : '_');
  }
  return out;
}

// "get", "/pets/{petId}" -> "get_pets_by_petid".
std::string MethodPathSlug(std::string_view method, std::string_view path) {
  std::string raw(method);
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (!segment.empty()) {
      raw += '_';
      for (size_t i = 0; i < segment.size(); ++i) {
        if (segment[i] == '{') {
          raw += i == 0 ? "by_" : "_by_";
        } else if (segment[i] != '}') {
          raw += segment[i];
        }
      }
    }
    start = end + 1;
  }
  std::string slug = Slug(raw);
  std::string out;
  for (char c : slug) {
    if (c == '_' && !out.empty() && out.back() == '_') continue;
    out.push_back(c);
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// "#/components/parameters/limit" -> "components.parameters.limit".
std::string RefPath(std::string_view ref) {
  std::string out(ref.substr(ref.rfind("#/", 0) == 0 ? 2 : 0));
  for (char& c : out) {
    if (c == '/') c = '.';
  }
  return out;
}

// Where one reading happens: the file, the root and the schemes found.
class Reader {
 public:
  Reader(std::string file, YAML::Node root) : file_(std::move(file)), root_(std::move(root)) {}

  StatusOr<std::vector<Operation>> Read();

 private:
  Status Error(std::string_view path, std::string_view message) const {
    return Status::InvalidArgument(file_ + ": " + std::string(path) + ": " + std::string(message));
  }
  Status Error(std::string_view message) const {
    return Status::InvalidArgument(file_ + ": " + std::string(message));
  }

  // The non-empty text of a required field: "missing 'key'" or "key: not a string".
  StatusOr<std::string> Required(const YAML::Node& node, std::string_view key,
                                 const std::string& path) const;
  Status CheckVersion() const;
  Status ReadSchemes();
  StatusOr<NamedScheme> ReadScheme(const std::string& name, const YAML::Node& node,
                                   const std::string& path) const;
  // Follows local $refs from `node`. `*path` becomes the path of the target.
  // Returns an undefined node for a reference into another document.
  StatusOr<YAML::Node> Deref(YAML::Node node, std::string* path) const;
  StatusOr<YAML::Node> Pointer(const std::string& ref, const std::string& path) const;
  Status ReadParameters(const YAML::Node& list, const std::string& path,
                        std::vector<Parameter>* out) const;
  StatusOr<std::string> ParameterType(const YAML::Node& param, const std::string& path) const;
  // The first server's URL with its variables' defaults, or nullopt.
  StatusOr<std::optional<std::string>> ServerUrl(const YAML::Node& servers,
                                                 const std::string& path) const;
  StatusOr<std::vector<SecurityRequirement>> ReadSecurity(const YAML::Node& security,
                                                          const std::string& path,
                                                          const std::string& who) const;

  std::string file_;
  YAML::Node root_;
  std::map<std::string, NamedScheme> schemes_;
};

StatusOr<std::string> Reader::Required(const YAML::Node& node, std::string_view key,
                                       const std::string& path) const {
  const YAML::Node value = Child(node, key);
  auto text = Text(value);
  if (!Present(value) || (text && text->empty())) {
    return Error(path, "missing '" + std::string(key) + "'");
  }
  if (!text) return Error(path + "." + std::string(key), "not a string");
  return *text;
}

Status Reader::CheckVersion() const {
  const YAML::Node openapi = Child(root_, "openapi");
  if (!Present(openapi)) {
    if (Present(Child(root_, "swagger"))) {
      auto v = Text(Child(root_, "swagger")).value_or("?");
      return Error("this is a Swagger " + v + " document (swagger: '" + v +
                   "'); only OpenAPI 3.x is supported, convert it to OpenAPI 3 first");
    }
    return Error("missing 'openapi': not an OpenAPI 3 document");
  }
  auto version = Text(openapi);
  if (!version) return Error("openapi", "not a version string");
  if (!(*version == "3" || version->rfind("3.", 0) == 0)) {
    return Error("openapi",
                 "unsupported version '" + *version + "' (only OpenAPI 3.x is supported)");
  }
  return Status::Ok();
}

StatusOr<YAML::Node> Reader::Pointer(const std::string& ref, const std::string& path) const {
  YAML::Node at = root_;
  std::string_view rest = std::string_view(ref).substr(2);
  while (true) {
    size_t slash = rest.find('/');
    std::string token(rest.substr(0, slash));
    std::string key;
    for (size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
        key += token[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        key += token[i];
      }
    }
    // Node::reset, not operator=: assigning a yaml-cpp node overwrites the
    // node it referred to, inside the document.
    YAML::Node next = Undefined();
    if (at.IsDefined() && at.IsMap()) {
      next.reset(Child(at, key));
    } else if (at.IsDefined() && at.IsSequence()) {
      const YAML::Node& seq = at;
      size_t index = 0;
      auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
      if (ec == std::errc() && ptr == key.data() + key.size() && index < seq.size()) {
        next.reset(seq[index]);
      }
    }
    if (!next.IsDefined()) {
      return Error(path, "$ref '" + ref + "' points to nothing in this document");
    }
    at.reset(next);
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  return at;
}

StatusOr<YAML::Node> Reader::Deref(YAML::Node node, std::string* path) const {
  for (int hops = 0; hops <= kMaxRefHops; ++hops) {
    const YAML::Node ref_node = Child(node, "$ref");
    if (!ref_node.IsDefined()) return node;
    auto ref = Text(ref_node);
    if (!ref) return Error(*path + ".$ref", "not a string");
    if (ref->rfind("#/", 0) != 0) return Undefined();  // another document: left unresolved
    auto target = Pointer(*ref, *path);
    if (!target.ok()) return target.status();
    node.reset(*target);
    *path = RefPath(*ref);
  }
  return Error(*path, "$ref chain too long (a cycle?)");
}

StatusOr<NamedScheme> Reader::ReadScheme(const std::string& name, const YAML::Node& node,
                                         const std::string& path) const {
  if (!node.IsMap()) return Error(path, "not a mapping");
  auto type = Required(node, "type", path);
  if (!type.ok()) return type.status();
  NamedScheme out;
  out.name = name;
  std::string kind;
  if (*type == "apiKey") {
    auto in = Required(node, "in", path);
    if (!in.ok()) return in.status();
    auto key_name = Required(node, "name", path);
    if (!key_name.ok()) return key_name.status();
    out.scheme = sdk::SecurityScheme::ApiKey(*in, *key_name);
    out.supported = *in == "header" || *in == "query";
    kind = internal::SchemeKind(out.scheme);
  } else if (*type == "http") {
    auto scheme = Required(node, "scheme", path);
    if (!scheme.ok()) return scheme.status();
    out.scheme = sdk::SecurityScheme::Http(Lower(*scheme));
    out.supported = out.scheme.scheme == "basic" || out.scheme.scheme == "bearer";
    kind = internal::SchemeKind(out.scheme);
  } else if (*type == "oauth2" || *type == "openIdConnect" || *type == "mutualTLS") {
    kind = *type;
  } else {
    kind = "unknown type '" + *type + "'";
  }
  out.description = out.supported ? kind : kind + std::string(internal::kUnsupportedSuffix);
  return out;
}

Status Reader::ReadSchemes() {
  const YAML::Node schemes = Child(Child(root_, "components"), "securitySchemes");
  if (!Present(schemes)) return Status::Ok();
  if (!schemes.IsMap()) return Error("components.securitySchemes", "not a mapping");
  for (const auto& kv : schemes) {
    auto name = Text(kv.first);
    if (!name) return Error("components.securitySchemes", "a key is not a string");
    std::string path = "components.securitySchemes." + *name;
    auto node = Deref(kv.second, &path);
    if (!node.ok()) return node.status();
    if (!node->IsDefined()) {
      return Error(path, "$ref into another document is not supported for security schemes");
    }
    auto scheme = ReadScheme(*name, *node, path);
    if (!scheme.ok()) return scheme.status();
    schemes_[*name] = std::move(*scheme);
  }
  return Status::Ok();
}

StatusOr<std::string> Reader::ParameterType(const YAML::Node& param,
                                            const std::string& path) const {
  std::string schema_path = path + ".schema";
  YAML::Node schema = Child(param, "schema");
  if (!schema.IsDefined()) {
    // A parameter may describe itself with `content` instead: its first media type.
    const YAML::Node content = Child(param, "content");
    if (content.IsDefined() && content.IsMap() && content.size() > 0) {
      const auto first = content.begin();
      schema_path = path + ".content." + Text(first->first).value_or("?") + ".schema";
      schema.reset(Child(first->second, "schema"));
    }
  }
  if (!schema.IsDefined()) return std::string();
  auto resolved = Deref(schema, &schema_path);
  if (!resolved.ok()) return resolved.status();
  const YAML::Node type = Child(*resolved, "type");
  if (auto t = Text(type)) return *t;
  if (type.IsDefined() && type.IsSequence()) {  // OpenAPI 3.1: ["string", "null"]
    for (const auto& t : type) {
      auto s = Text(t);
      if (s && *s != "null") return *s;
    }
  }
  return std::string();
}

Status Reader::ReadParameters(const YAML::Node& list, const std::string& path,
                              std::vector<Parameter>* out) const {
  if (!Present(list)) return Status::Ok();
  if (!list.IsSequence()) return Error(path, "not a list");
  for (size_t i = 0; i < list.size(); ++i) {
    std::string item_path = path + "[" + std::to_string(i) + "]";
    auto node = Deref(list[i], &item_path);
    if (!node.ok()) return node.status();
    if (!node->IsDefined()) continue;  // a reference into another document
    if (!node->IsMap()) return Error(item_path, "not a mapping");
    Parameter p;
    auto name = Required(*node, "name", item_path);
    if (!name.ok()) return name.status();
    p.name = *name;
    auto in = Required(*node, "in", item_path);
    if (!in.ok()) return in.status();
    if (*in != "path" && *in != "query" && *in != "header" && *in != "cookie") {
      return Error(item_path + ".in", "must be path, query, header or cookie, not '" + *in + "'");
    }
    p.in = *in;
    const YAML::Node required = Child(*node, "required");
    if (Present(required)) {
      bool value = false;
      if (!required.IsScalar() || !YAML::convert<bool>::decode(required, value)) {
        return Error(item_path + ".required", "not a boolean");
      }
      p.required = value;
    }
    if (p.in == "path") p.required = true;
    auto type = ParameterType(*node, item_path);
    if (!type.ok()) return type.status();
    p.type = std::move(*type);
    p.description = Text(Child(*node, "description")).value_or("");
    bool replaced = false;
    for (Parameter& existing : *out) {
      if (existing.name == p.name && existing.in == p.in) {
        existing = p;
        replaced = true;
        break;
      }
    }
    if (!replaced) out->push_back(std::move(p));
  }
  return Status::Ok();
}

StatusOr<std::optional<std::string>> Reader::ServerUrl(const YAML::Node& servers,
                                                       const std::string& path) const {
  if (!Present(servers)) return std::optional<std::string>();
  if (!servers.IsSequence()) return Error(path, "not a list");
  if (servers.size() == 0) return std::optional<std::string>();
  const YAML::Node first = servers[0];
  if (!first.IsMap()) return Error(path + "[0]", "not a mapping");
  auto url = Required(first, "url", path + "[0]");
  if (!url.ok()) return url.status();
  const YAML::Node variables = Child(first, "variables");
  std::string out;
  for (size_t i = 0; i < url->size(); ++i) {
    size_t close = (*url)[i] == '{' ? url->find('}', i) : std::string::npos;
    if (close == std::string::npos) {
      out += (*url)[i];
      continue;
    }
    std::string name = url->substr(i + 1, close - i - 1);
    auto value = Text(Child(Child(variables, name), "default"));
    out += value ? *value : url->substr(i, close - i + 1);
    i = close;
  }
  return std::optional<std::string>(std::move(out));
}

StatusOr<std::vector<SecurityRequirement>> Reader::ReadSecurity(const YAML::Node& security,
                                                                const std::string& path,
                                                                const std::string& who) const {
  std::vector<SecurityRequirement> out;
  if (!Present(security)) return out;
  if (!security.IsSequence()) return Error(path, "not a list");
  for (size_t i = 0; i < security.size(); ++i) {
    const YAML::Node item = security[i];
    std::string item_path = path + "[" + std::to_string(i) + "]";
    if (!item.IsMap()) return Error(item_path, "not a mapping (use {} for optional security)");
    SecurityRequirement requirement;
    for (const auto& kv : item) {
      auto name = Text(kv.first);
      if (!name) return Error(item_path, "a key is not a string");
      auto it = schemes_.find(*name);
      if (it == schemes_.end()) {
        return Error(who + " requires security scheme '" + *name +
                     "', which components.securitySchemes does not define");
      }
      requirement.push_back(it->second);
    }
    out.push_back(std::move(requirement));
  }
  return out;
}

StatusOr<std::vector<Operation>> Reader::Read() {
  HERALD_RETURN_IF_ERROR(CheckVersion());
  HERALD_RETURN_IF_ERROR(ReadSchemes());

  auto document_server = ServerUrl(Child(root_, "servers"), "servers");
  if (!document_server.ok()) return document_server.status();
  const YAML::Node global_security = Child(root_, "security");

  const YAML::Node paths = Child(root_, "paths");
  if (!paths.IsDefined()) return Error("missing 'paths'");
  std::vector<Operation> out;
  if (paths.IsNull()) return out;
  if (!paths.IsMap()) return Error("paths", "not a mapping");

  // Tool name -> who uses it, and operationId -> where, to refuse duplicates.
  std::map<std::string, std::string> tool_users;
  std::map<std::string, std::string> operation_ids;

  for (const auto& path_kv : paths) {
    auto path = Text(path_kv.first);
    if (!path) return Error("paths", "a key is not a string");
    std::string item_path = "paths." + *path;
    auto item = Deref(path_kv.second, &item_path);
    if (!item.ok()) return item.status();
    if (!item->IsDefined() || item->IsNull()) continue;
    if (!item->IsMap()) return Error(item_path, "not a mapping");

    std::vector<Parameter> shared_parameters;
    HERALD_RETURN_IF_ERROR(
        ReadParameters(Child(*item, "parameters"), item_path + ".parameters", &shared_parameters));
    auto item_server = ServerUrl(Child(*item, "servers"), item_path + ".servers");
    if (!item_server.ok()) return item_server.status();

    for (const auto& op_kv : *item) {
      auto method = Text(op_kv.first);
      if (!method) continue;
      bool is_method = false;
      for (std::string_view m : kMethods) is_method = is_method || *method == m;
      if (!is_method) continue;

      const YAML::Node node = op_kv.second;
      const std::string op_path = item_path + "." + *method;
      if (!node.IsMap()) return Error(op_path, "not a mapping");

      Operation op;
      op.method = *method;
      for (char& c : op.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      op.path = *path;

      std::string where = op.method + " " + op.path;
      std::string who = "operation " + where;
      const YAML::Node id_node = Child(node, "operationId");
      if (Present(id_node)) {
        auto id = Text(id_node);
        if (!id || id->empty()) return Error(op_path + ".operationId", "not a non-empty string");
        auto [it, inserted] = operation_ids.emplace(*id, where);
        if (!inserted) {
          return Error("duplicate operationId '" + *id + "': used by " + it->second + " and by " +
                       where);
        }
        op.tool_name = Slug(*id);
        who = "operation " + *id;
        where += " (operationId '" + *id + "')";
      } else {
        op.tool_name = MethodPathSlug(*method, *path);
      }
      auto [user, fresh] = tool_users.emplace(op.tool_name, where);
      if (!fresh) {
        return Error("operations " + user->second + " and " + where + " both make the tool name '" +
                     op.tool_name + "'; tool names must be unique (set distinct operationIds)");
      }

      for (const char* field : {"summary", "description"}) {
        if (op.description.empty()) op.description = Text(Child(node, field)).value_or("");
      }
      for (const char* field : {"summary", "description"}) {
        if (op.description.empty()) op.description = Text(Child(*item, field)).value_or("");
      }

      auto op_server = ServerUrl(Child(node, "servers"), op_path + ".servers");
      if (!op_server.ok()) return op_server.status();
      op.server_url = op_server->value_or(item_server->value_or(document_server->value_or("")));

      op.parameters = shared_parameters;
      HERALD_RETURN_IF_ERROR(
          ReadParameters(Child(node, "parameters"), op_path + ".parameters", &op.parameters));

      const YAML::Node own_security = Child(node, "security");
      auto security = Present(own_security) ? ReadSecurity(own_security, op_path + ".security", who)
                                            : ReadSecurity(global_security, "security", who);
      if (!security.ok()) return security.status();
      op.security = std::move(*security);

      out.push_back(std::move(op));
    }
  }

  // The global security must name defined schemes even when every operation
  // overrides it.
  auto global = ReadSecurity(global_security, "security", "the document's global security");
  if (!global.ok()) return global.status();
  return out;
}

}  // namespace

StatusOr<std::vector<Operation>> ParseDocument(std::string_view text, std::string_view file_name) {
  const std::string file(file_name);
  YAML::Node root;
  try {
    root.reset(YAML::Load(std::string(text)));
  } catch (const YAML::ParserException& e) {
    return Status::InvalidArgument(file + ": line " + std::to_string(e.mark.line + 1) +
                                   ", column " + std::to_string(e.mark.column + 1) +
                                   ": malformed YAML/JSON: " + e.msg);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(file + ": malformed YAML/JSON: " + e.what());
  }
  if (!root.IsDefined() || root.IsNull()) {
    return Status::InvalidArgument(file + ": empty document");
  }
  if (!root.IsMap()) {
    return Status::InvalidArgument(file +
                                   ": not an OpenAPI document (the top level is not a mapping)");
  }
  try {
    return Reader(file, root).Read();
  } catch (const std::exception& e) {
    // yaml-cpp throws on shapes the checks above did not foresee; refuse, never crash.
    return Status::InvalidArgument(file + ": unexpected document structure: " + e.what());
  }
}

}  // namespace herald::openapi
