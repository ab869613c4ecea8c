// The pre-deployment summary: every section of an agent's draft (profile,
// knowledge, tools and their connections, collaborators, behaviour,
// connections, channels) with a check or a cross per line, and every blocker
// with a stable code, its section and how to fix it. An agent is deployable
// exactly when there is no blocker.
//
// Thread-safety: Build may run on many threads at once.
#ifndef HERALD_CORE_SUMMARY_H_
#define HERALD_CORE_SUMMARY_H_

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "herald/core/connection_service.h"
#include "herald/core/model/agent.h"
#include "herald/core/plugin_registry.h"
#include "herald/core/secret_settings.h"
#include "herald/core/tool_service.h"

namespace herald {

struct SummaryLine {
  std::string label;
  bool ok = true;
  std::string detail;
};

struct SummarySection {
  std::string name;  // "profile", "knowledge", ...
  std::vector<SummaryLine> lines;
};

struct Blocker {
  std::string code;     // stable: "profile.description_missing", ...
  std::string section;  // the section it belongs to
  std::string message;  // what is wrong
  std::string fix;      // how to fix it
};

struct Summary {
  std::vector<SummarySection> sections;
  std::vector<Blocker> blockers;
  bool deployable() const { return blockers.empty(); }
};

// The supported-model catalog, asked at each Build: in heraldd, the union of
// the configured model providers' models (runtime::ProviderRegistry). Must be
// callable from any thread.
using ModelCatalog = std::function<std::set<std::string>()>;

// How much of a Summary Build fills in. kBlockersOnly leaves `sections` empty
// and fills `blockers` exactly as kFull does (so deployable() is the same):
// what a deploy needs, without the text of every line.
enum class SummaryDetail { kFull, kBlockersOnly };

class SummaryBuilder {
 public:
  // `secrets` opens secret channel settings for the plugins' validate; null
  // (a host without a vault) leaves them out of what validate sees.
  SummaryBuilder(const PluginRegistry& plugins, ConnectionService& connections, ToolService& tools,
                 ModelCatalog models, const SecretSettings* secrets = nullptr)
      : plugins_(plugins),
        connections_(connections),
        tools_(tools),
        models_(std::move(models)),
        secrets_(secrets) {}
  // A fixed catalog, kept rather than copied at each Build.
  SummaryBuilder(const PluginRegistry& plugins, ConnectionService& connections, ToolService& tools,
                 std::set<std::string> models, const SecretSettings* secrets = nullptr)
      : plugins_(plugins),
        connections_(connections),
        tools_(tools),
        fixed_models_(std::move(models)),
        secrets_(secrets) {}

  // With `tools`, also hands back the draft's tools as Build read and
  // matched them (by name; a missing tool is absent), for a caller that
  // needs them too: a deploy snapshots them.
  StatusOr<Summary> Build(const AgentDraft& draft, std::map<std::string, ToolView>* tools = nullptr,
                          SummaryDetail detail = SummaryDetail::kFull);
  // The same over the draft's tools as read with it
  // (AgentStore::GetAgentWithTools) rather than read again by name.
  StatusOr<Summary> Build(const AgentDraft& draft, std::vector<Tool> draft_tools,
                          std::map<std::string, ToolView>* tools, SummaryDetail detail);

  // Build's work once the draft's tools are viewed (`tools`, by name; a
  // missing tool is absent) and the connections they are bound to read
  // (`connections`, by id): for a caller that has them already
  // (ToolViewsMemo). Everything else is checked afresh: each connection's
  // readiness, the model catalog, the channels' plugins and their validate.
  StatusOr<Summary> Summarize(const AgentDraft& draft, const std::map<std::string, ToolView>& tools,
                              const std::map<std::string, ConnectionState>& connections,
                              SummaryDetail detail);

  std::set<std::string> models() const { return fixed_models_ ? *fixed_models_ : models_(); }

 private:
  const PluginRegistry& plugins_;
  ConnectionService& connections_;
  ToolService& tools_;
  ModelCatalog models_;                                // unless fixed_models_
  std::optional<std::set<std::string>> fixed_models_;  // never changes
  const SecretSettings* secrets_;
};

}  // namespace herald

#endif  // HERALD_CORE_SUMMARY_H_
