// The REST API's OpenAPI document (docs/openapi.yaml) against the real
// heraldd: served without a token, byte for byte as in the source tree; and
// kept in step with the daemon's routes. (Its validity as OpenAPI 3 is the
// ctest `openapi_document_valid`, a standard validator from npm.)
//
// In step: every documented operation is called on the daemon, and must be
// answered by a handler, not by the router's 404 "no such endpoint" or 405;
// every documented path, called with a method no route has, answers 405 with
// an Allow header that lists exactly the documented methods; each answer's
// status is one the document lists for the operation; and the document's
// security (a token everywhere but where `security: []`) is the daemon's.
//
// And the other way: every route heraldd has is documented. The routes are
// read from the source (each `router.Add("METHOD", "/path", ...)` in
// core/src/api/*.cc), so a route added without its documentation fails here.
//
// Routes that channel plugins serve below /v1/channels/<plugin>/ are no
// router.Add: their operations name the plugin (x-herald-plugin) and are
// checked against the daemon when it has loaded that plugin.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "daemon_harness.h"

namespace herald::testing {
namespace {

constexpr char kDocumentPath[] = HERALD_OPENAPI_YAML;

// Where heraldd's routes are added: core/src/api.
constexpr char kApiSourceDir[] = HERALD_API_SOURCE_DIR;

// The router.Add calls whose method and path are not string literals, which
// the source check cannot read: "file: first two arguments", and why each
// needs no entry of its own in the document. A new one fails the check until
// it is looked at and listed here.
const std::map<std::string, std::string> kRoutesNotRead = {
    {"agents_api.cc: method, pattern",
     "GET, PUT and DELETE /v1/agents/{id}/knowledge/{name}/{part1}[/...{part4}]: 400 for a "
     "knowledge name with '/', as the {name} parameter documents"},
};

// The value for a path parameter without an enum: ids that do not exist, so
// a handler answers about the resource (404, 400, ...), not the route.
constexpr char kDummy[] = "x";

// A method that no route of heraldd has: the router answers 405 with every
// method the path does have in Allow.
constexpr char kUnroutedMethod[] = "PROBE";

// Operations whose handler would change something even when called with
// dummy values: probed with a member's token instead, so that the role check
// answers 403 before the handler runs. (Each must need more than `member`.)
const std::set<std::string> kProbedAsMember = {"POST /v1/admin/rotate-key"};

const std::set<std::string> kOperationKeys = {"get",     "put",  "post",  "delete",
                                              "options", "head", "patch", "trace"};

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream in(path);
  std::string segment;
  while (std::getline(in, segment, '/')) {
    if (!segment.empty()) out.push_back(segment);
  }
  return out;
}

bool IsTemplate(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Whether `path` matches the path template `pattern` as heraldd's router
// matches: as many segments, a {name} standing for any one segment.
bool Matches(const std::string& pattern, const std::string& path) {
  const std::vector<std::string> want = Segments(pattern);
  const std::vector<std::string> have = Segments(path);
  if (want.size() != have.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (!IsTemplate(want[i]) && want[i] != have[i]) return false;
  }
  return true;
}

std::string Header(const HttpResult& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (Poco::icompare(k, name) == 0) return v;
  }
  return "";
}

std::set<std::string> SplitMethods(const std::string& allow) {
  std::set<std::string> out;
  std::stringstream in(allow);
  std::string method;
  while (std::getline(in, method, ',')) {
    Poco::trimInPlace(method);
    if (!method.empty()) out.insert(method);
  }
  return out;
}

// At most the start of a body, for failure messages.
std::string Brief(const std::string& body) {
  return body.size() <= 300 ? body : body.substr(0, 300) + "...";
}

// The error code and message of a JSON error answer; empty when it is none.
std::pair<std::string, std::string> ErrorOf(const HttpResult& r) {
  try {
    auto body = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
    Poco::JSON::Object::Ptr error = body->getObject("error");
    if (error.isNull()) return {};
    return {error->optValue<std::string>("code", ""), error->optValue<std::string>("message", "")};
  } catch (const std::exception&) {
    return {};
  }
}

// The router's own answers, which no handler gives: 404 "no such endpoint"
// for a path without a route, 405 for a method the path has no route for.
bool AnsweredByTheRouter(const HttpResult& r) {
  if (r.status == 405) return true;
  auto [code, message] = ErrorOf(r);
  return r.status == 404 && code == "not_found" && message.rfind("no such endpoint: ", 0) == 0;
}

// A route as the source adds it.
struct SourceRoute {
  std::string method;
  std::string path;
  std::string where;  // file:line
};

std::string Squeeze(std::string text) {
  text = std::regex_replace(text, std::regex(R"(\s+)"), " ");
  return Poco::trim(text);
}

// Every router.Add in kApiSourceDir/*.cc with a literal method and path;
// the others, as "file: first two arguments", in `not_read`.
std::vector<SourceRoute> RoutesInSource(std::set<std::string>* not_read) {
  static const std::regex kLiteral(R"re(^\s*"([A-Z]+)"\s*,\s*"([^"]+)")re");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kApiSourceDir)) {
    if (entry.path().extension() == ".cc") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<SourceRoute> out;
  for (const auto& file : files) {
    const std::string text = ReadAll(file);
    const std::string call = "router.Add(";
    for (size_t at = text.find(call); at != std::string::npos; at = text.find(call, at + 1)) {
      const size_t args = at + call.size();
      const std::string where =
          file.filename().string() + ":" +
          std::to_string(1 + std::count(text.begin(), text.begin() + at, '\n'));
      std::smatch m;
      const std::string rest = text.substr(args, 500);
      if (std::regex_search(rest, m, kLiteral)) {
        out.push_back({m[1].str(), m[2].str(), where});
        continue;
      }
      const size_t first = rest.find(',');
      const size_t second = first == std::string::npos ? first : rest.find(',', first + 1);
      not_read->insert(file.filename().string() + ": " + Squeeze(rest.substr(0, second)));
    }
  }
  return out;
}

// Whether the documented `path` is (an instance of) the route `pattern`: a
// {param} of the route stands for any one segment (the document may spell
// out its values, as credentials/team and credentials/me); a documented
// {param} only for a route's {param}.
bool Documents(const std::string& path, const std::string& pattern) {
  const std::vector<std::string> doc = Segments(path);
  const std::vector<std::string> route = Segments(pattern);
  if (doc.size() != route.size()) return false;
  for (size_t i = 0; i < doc.size(); ++i) {
    if (IsTemplate(route[i])) continue;
    if (IsTemplate(doc[i]) || doc[i] != route[i]) return false;
  }
  return true;
}

struct Operation {
  std::string method;       // upper case
  std::string path;         // the template, e.g. /v1/users/{name}
  std::string probe_path;   // with each parameter filled in
  bool needs_token = true;  // no `security: []`
  std::string plugin;       // x-herald-plugin: served by this channel plugin
  std::set<std::string> statuses;
  std::string Name() const { return method + " " + path; }
};

class OpenApiDocument {
 public:
  OpenApiDocument() : root_(YAML::LoadFile(kDocumentPath)) {}

  const YAML::Node& root() const { return root_; }

  // A local reference ("#/components/...") followed; anything else as is.
  // (Only const lookups and reset(): yaml-cpp's operator= and non-const
  // operator[] would write into the document.)
  YAML::Node Resolve(const YAML::Node& start) const {
    YAML::Node node(start);
    for (int hops = 0; hops < 16; ++hops) {
      const YAML::Node& view = node;
      if (!view || !view.IsMap() || !view["$ref"]) break;
      const std::string ref = view["$ref"].as<std::string>();
      if (ref.rfind("#/", 0) != 0) break;
      YAML::Node target(root_);
      for (const std::string& part : Segments(ref.substr(1))) {
        const YAML::Node& parent = target;
        target.reset(parent[part]);
      }
      node.reset(target);
    }
    return node;
  }

  // The path parameters a path item and one of its operations declare:
  // name to schema.
  std::map<std::string, YAML::Node> PathParameters(const YAML::Node& item,
                                                   const YAML::Node& operation) const {
    std::map<std::string, YAML::Node> out;
    for (const YAML::Node& list : {item["parameters"], operation["parameters"]}) {
      if (!list) continue;
      for (const YAML::Node& p : list) {
        const YAML::Node param = Resolve(p);
        if (param["in"].as<std::string>() != "path") continue;
        out.erase(param["name"].as<std::string>());
        out.emplace(param["name"].as<std::string>(), param);
      }
    }
    return out;
  }

  // What a probe puts for the path parameter `segment` ("{name}"): its
  // schema's first enum value, or kDummy.
  std::string ProbeValue(const std::map<std::string, YAML::Node>& params,
                         const std::string& segment) const {
    auto it = params.find(segment.substr(1, segment.size() - 2));
    if (it == params.end()) return kDummy;
    const YAML::Node schema = Resolve(it->second["schema"]);
    if (!schema || !schema["enum"]) return kDummy;
    return schema["enum"][0].as<std::string>();
  }

  std::vector<Operation> Operations() const {
    std::vector<Operation> out;
    const bool global_security = root_["security"] && root_["security"].size() > 0;
    for (const auto& entry : root_["paths"]) {
      const std::string path = entry.first.as<std::string>();
      const YAML::Node item = entry.second;
      for (const auto& op_entry : item) {
        const std::string key = op_entry.first.as<std::string>();
        if (!kOperationKeys.count(key)) continue;
        const YAML::Node operation = op_entry.second;
        Operation op;
        op.method = Poco::toUpper(key);
        op.path = path;
        op.needs_token = operation["security"] ? operation["security"].size() > 0 : global_security;
        if (operation["x-herald-plugin"])
          op.plugin = operation["x-herald-plugin"].as<std::string>();
        for (const auto& response : operation["responses"]) {
          op.statuses.insert(response.first.as<std::string>());
        }
        const std::map<std::string, YAML::Node> params = PathParameters(item, operation);
        for (const std::string& segment : Segments(path)) {
          op.probe_path += "/";
          op.probe_path += IsTemplate(segment) ? ProbeValue(params, segment) : segment;
        }
        out.push_back(std::move(op));
      }
    }
    return out;
  }

 private:
  YAML::Node root_;
};

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<RunningDaemon>(dir_.path() / "data");
    ASSERT_TRUE(daemon_->ok()) << daemon_->error();
    HttpResult plugins = daemon_->Call("GET", "/v1/plugins");
    ASSERT_EQ(plugins.status, 200) << plugins.body;
    auto loaded = Poco::JSON::Parser()
                      .parse(plugins.body)
                      .extract<Poco::JSON::Object::Ptr>()
                      ->getArray("loaded");
    for (size_t i = 0; i < loaded->size(); ++i) {
      loaded_plugins_.insert(loaded->getObject(i)->getValue<std::string>("name"));
    }
  }

  // The daemon's operations, without those of channel plugins it has not
  // loaded.
  std::vector<Operation> Served() const {
    std::vector<Operation> out;
    for (Operation& op : document_.Operations()) {
      if (op.plugin.empty() || loaded_plugins_.count(op.plugin)) out.push_back(std::move(op));
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<RunningDaemon> daemon_;
  OpenApiDocument document_;
  std::set<std::string> loaded_plugins_;
};

TEST_F(OpenApiTest, TheDaemonServesTheDocumentWithoutATokenByteForByte) {
  const std::string source = ReadAll(kDocumentPath);
  ASSERT_FALSE(source.empty()) << kDocumentPath;
  HttpResult served = HttpRequest(daemon_->url(), "GET", "/v1/openapi.yaml");
  ASSERT_EQ(served.status, 200) << Brief(served.body);
  EXPECT_EQ(Header(served, "Content-Type"), "application/yaml");
  EXPECT_TRUE(served.body == source)
      << "GET /v1/openapi.yaml differs from " << kDocumentPath << " (" << served.body.size()
      << " bytes served, " << source.size() << " in the file): rebuild heraldd";
  EXPECT_EQ(document_.root()["openapi"].as<std::string>(), "3.0.3");
}

TEST_F(OpenApiTest, EveryDocumentedOperationIsARouteOfTheDaemon) {
  HttpResult member = daemon_->Call("POST", "/v1/users", R"({"name":"mia","role":"member"})");
  ASSERT_EQ(member.status, 201) << member.body;
  const std::string member_token = Poco::JSON::Parser()
                                       .parse(member.body)
                                       .extract<Poco::JSON::Object::Ptr>()
                                       ->getValue<std::string>("token");
  const std::vector<Operation> operations = Served();
  ASSERT_GT(operations.size(), 20u);
  for (const Operation& op : operations) {
    SCOPED_TRACE(op.Name() + " as " + op.method + " " + op.probe_path);
    const bool as_member = kProbedAsMember.count(op.Name()) > 0;
    HttpResult r = daemon_->Call(op.method, op.probe_path, "", as_member ? member_token : "");
    ASSERT_NE(r.status, 0) << "no answer";
    EXPECT_FALSE(AnsweredByTheRouter(r))
        << "documented, but heraldd has no such route: " << r.status << " " << Brief(r.body);
    EXPECT_TRUE(op.statuses.count(std::to_string(r.status)))
        << "heraldd answered " << r.status
        << ", which the document does not list: " << Brief(r.body);
    if (as_member) {
      EXPECT_EQ(r.status, 403) << Brief(r.body);
    }
  }
}

TEST_F(OpenApiTest, EachDocumentedPathHasExactlyTheDocumentedMethods) {
  const std::vector<Operation> operations = Served();
  std::set<std::string> probed;
  for (const Operation& op : operations) {
    if (!probed.insert(op.probe_path).second) continue;
    SCOPED_TRACE(op.path + " as " + op.probe_path);
    // What the router would match: every documented path that fits.
    std::set<std::string> documented;
    for (const Operation& other : operations) {
      if (Matches(other.path, op.probe_path)) documented.insert(other.method);
    }
    // With a Content-Length: heraldd's server would otherwise read the body
    // of a method it does not know until the connection closes.
    HttpResult r = HttpRequest(
        daemon_->url(), kUnroutedMethod, op.probe_path, "",
        {{"Authorization", "Bearer " + daemon_->admin_token()}, {"Content-Length", "0"}});
    ASSERT_EQ(r.status, 405) << Brief(r.body);
    const std::set<std::string> allowed = SplitMethods(Header(r, "Allow"));
    EXPECT_EQ(allowed, documented) << "Allow: " << Header(r, "Allow");
  }
}

TEST_F(OpenApiTest, TheDocumentedSecurityIsTheDaemons) {
  for (const Operation& op : Served()) {
    SCOPED_TRACE(op.Name());
    HttpResult r = HttpRequest(daemon_->url(), op.method, op.probe_path);
    ASSERT_NE(r.status, 0) << "no answer";
    if (op.needs_token) {
      EXPECT_EQ(r.status, 401) << Brief(r.body);
      EXPECT_EQ(ErrorOf(r).first, "unauthenticated") << Brief(r.body);
      EXPECT_TRUE(op.statuses.count("401")) << "401 is not documented";
    } else {
      EXPECT_NE(r.status, 401) << "documented without security, but heraldd wants a token";
    }
  }
}

// Every route in heraldd's source is documented, with its method; and every
// documented operation is one of those routes (which also shows the source
// was read). No daemon needed.
TEST(OpenApiSourceTest, EveryRouteInTheSourceIsDocumented) {
  const std::vector<Operation> operations = OpenApiDocument().Operations();
  std::set<std::string> not_read;
  const std::vector<SourceRoute> routes = RoutesInSource(&not_read);
  ASSERT_GT(routes.size(), 20u) << "no router.Add(\"METHOD\", \"/path\", ...) read in "
                                << kApiSourceDir;
  for (const SourceRoute& route : routes) {
    const bool documented =
        std::any_of(operations.begin(), operations.end(), [&](const Operation& op) {
          return op.method == route.method && Documents(op.path, route.path);
        });
    EXPECT_TRUE(documented) << route.method << " " << route.path << " (" << route.where
                            << ") is a route of heraldd, but not in " << kDocumentPath;
  }
  for (const Operation& op : operations) {
    if (!op.plugin.empty()) continue;  // a channel plugin's route, no router.Add
    const bool routed = std::any_of(routes.begin(), routes.end(), [&](const SourceRoute& route) {
      return op.method == route.method && Documents(op.path, route.path);
    });
    EXPECT_TRUE(routed) << op.Name() << " is documented, but no router.Add in " << kApiSourceDir
                        << " adds it";
  }
  for (const std::string& call : not_read) {
    EXPECT_TRUE(kRoutesNotRead.count(call))
        << "router.Add without a literal method and path: " << call
        << "; document its routes and list it in kRoutesNotRead";
  }
  for (const auto& [call, why] : kRoutesNotRead) {
    EXPECT_TRUE(not_read.count(call))
        << "kRoutesNotRead lists " << call << ", which is no longer in the source (" << why << ")";
  }
}

// The validator does not check OpenAPI 3 path templates against the
// declared path parameters; this does.
TEST_F(OpenApiTest, EveryPathTemplateHasItsRequiredPathParameters) {
  for (const auto& entry : document_.root()["paths"]) {
    const std::string path = entry.first.as<std::string>();
    std::set<std::string> in_template;
    for (const std::string& segment : Segments(path)) {
      if (IsTemplate(segment)) in_template.insert(segment.substr(1, segment.size() - 2));
    }
    for (const auto& op_entry : entry.second) {
      if (!kOperationKeys.count(op_entry.first.as<std::string>())) continue;
      SCOPED_TRACE(op_entry.first.as<std::string>() + " " + path);
      std::set<std::string> declared;
      for (const auto& [name, param] : document_.PathParameters(entry.second, op_entry.second)) {
        declared.insert(name);
        EXPECT_TRUE(param["required"] && param["required"].as<bool>()) << name << " not required";
      }
      EXPECT_EQ(declared, in_template);
    }
  }
}

}  // namespace
}  // namespace herald::testing
