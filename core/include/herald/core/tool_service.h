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
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "herald/core/connection_service.h"
#include "herald/core/model/tool.h"
#include "herald/core/openapi/document.h"
#include "herald/core/openapi/match.h"
#include "herald/core/store.h"

namespace herald {

struct ToolView {
  Tool tool;
  // The tool's security, parsed: shared with ToolService's cache of parsed
  // texts and with every other view of the same text, not copied per view.
  // Never null in a view ToolService made.
  std::shared_ptr<const std::vector<openapi::SecurityRequirement>> security;
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
  StatusOr<std::vector<ToolView>> List();
  StatusOr<ToolView> Get(const std::string& name);
  // The named tools that exist, by name, read in one query; a name with no
  // tool is absent from the result. Each connection they are bound to is
  // read once, and each (connection, security) pair matched once. With
  // `connections`, also hands back the state of every connection a tool is
  // bound to, by id, as the matches saw it.
  StatusOr<std::map<std::string, ToolView>> GetMany(
      const std::vector<std::string>& names,
      std::map<std::string, ConnectionState>* connections = nullptr);
  // GetMany's views of tools already read (AgentStore::GetAgentWithTools),
  // each moved into its view.
  StatusOr<std::map<std::string, ToolView>> ViewsOf(
      std::vector<Tool> tools, std::map<std::string, ConnectionState>* connections = nullptr);
  // Binds (or with an empty `connection`, unbinds) a tool.
  StatusOr<ToolView> Bind(const std::string& name, const std::string& connection);
  Status Remove(const std::string& name);

  // Whether `connection` satisfies `security`, in each configured environment.
  StatusOr<openapi::MatchResult> Match(const std::vector<openapi::SecurityRequirement>& security,
                                       const std::string& connection);
  // The same against a connection already read.
  StatusOr<openapi::MatchResult> Match(const std::vector<openapi::SecurityRequirement>& security,
                                       const ConnectionState& connection) const;

  // SecurityFromJson(json), parsed once per distinct text and kept: the
  // tools of one imported document share one text. At most
  // kMaxParsedSecurity texts are kept (past that, the kept ones are
  // dropped and parsing starts over), so memory stays bounded whatever
  // texts come by. Throws what SecurityFromJson throws.
  static constexpr size_t kMaxParsedSecurity = 256;
  std::shared_ptr<const std::vector<openapi::SecurityRequirement>> ParsedSecurity(
      const std::string& json);

 private:
  using SharedSecurity = std::shared_ptr<const std::vector<openapi::SecurityRequirement>>;
  // What the tools viewed for one request share: each connection read once,
  // each match worked out once, by connection then parsed security. The
  // parsed security is keyed by its object, which ParsedSecurity hands out
  // once per text (a text parsed again after the cache was dropped is only
  // matched again); the key keeps it alive, so no other text's security can
  // take its address while the context lives.
  struct ViewContext {
    std::map<std::string, ConnectionState> connections;
    std::map<std::string, std::map<SharedSecurity, openapi::MatchResult>> matches;
  };
  // Fills in `view`'s security and match from its tool.
  Status Complete(ToolView& view, ViewContext& context);

  Store& store_;
  ConnectionService& connections_;
  std::mutex parsed_mu_;
  // By the stored text.
  std::unordered_map<std::string, std::shared_ptr<const std::vector<openapi::SecurityRequirement>>>
      parsed_;  // guarded by parsed_mu_
};

// The stored form of a tool's security requirements, and back.
std::string SecurityToJson(const std::vector<openapi::SecurityRequirement>& security);
std::vector<openapi::SecurityRequirement> SecurityFromJson(const std::string& json);
std::string ParametersToJson(const std::vector<openapi::Parameter>& parameters);

}  // namespace herald

#endif  // HERALD_CORE_TOOL_SERVICE_H_
