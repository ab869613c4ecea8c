// Tools: imported from OpenAPI 3 documents, bound to connections, and checked
// against them (the seed's green check mark).
//
// A tool's security requirement is satisfied by a connection when the
// connection's auth type satisfies it (OpenAPI semantics: every scheme of one
// requirement object, any one of the objects) in every environment the
// connection configures. Binding a connection that does not satisfy the tool
// is refused, naming both sides.
//
// Thread-safety: every method may be called from any thread.
#ifndef HERALD_CORE_TOOL_SERVICE_H_
#define HERALD_CORE_TOOL_SERVICE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "herald/core/connection_service.h"
#include "herald/core/model/tool.h"
#include "herald/core/openapi/document.h"
#include "herald/core/openapi/match.h"
#include "herald/core/store.h"

namespace herald {

struct ToolView {
  Tool tool;
  std::vector<openapi::SecurityRequirement> security;
  std::optional<openapi::MatchResult> match;  // when bound
};

class ToolService {
 public:
  ToolService(Store& store, ConnectionService& connections)
      : store_(store), connections_(connections) {}

  // Creates one tool per operation, all or nothing. Existing tools of the
  // same name are refused unless `replace`. With `connection`, every tool is
  // bound to it and each must match.
  StatusOr<std::vector<ToolView>> Import(const std::string& file_name, const std::string& document,
                                         const std::string& connection, bool replace);
  // What tools sharing a connection and a security requirement have in
  // common, worked out once: the requirement parsed from its stored JSON,
  // and the match. Good for one request.
  struct SharedMatch {
    std::vector<openapi::SecurityRequirement> security;
    openapi::MatchResult match;
  };
  // By (connection, security as stored).
  using MatchCache = std::map<std::pair<std::string, std::string>, SharedMatch>;

  StatusOr<std::vector<ToolView>> List();
  StatusOr<ToolView> Get(const std::string& name, MatchCache* cache = nullptr);
  // The named tools that exist, by name, read in one query; a name with no
  // tool is absent from the result.
  StatusOr<std::map<std::string, ToolView>> GetMany(const std::vector<std::string>& names);
  // Binds (or with an empty `connection`, unbinds) a tool.
  StatusOr<ToolView> Bind(const std::string& name, const std::string& connection);
  Status Remove(const std::string& name);

  // Whether `connection` satisfies `security`, in each configured environment.
  StatusOr<openapi::MatchResult> Match(const std::vector<openapi::SecurityRequirement>& security,
                                       const std::string& connection);

 private:
  StatusOr<ToolView> View(Tool tool, MatchCache* cache);

  Store& store_;
  ConnectionService& connections_;
};

// The stored form of a tool's security requirements, and back.
std::string SecurityToJson(const std::vector<openapi::SecurityRequirement>& security);
std::vector<openapi::SecurityRequirement> SecurityFromJson(const std::string& json);
std::string ParametersToJson(const std::vector<openapi::Parameter>& parameters);

}  // namespace herald

#endif  // HERALD_CORE_TOOL_SERVICE_H_
