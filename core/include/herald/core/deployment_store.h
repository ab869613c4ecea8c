// Where versions, deployments and live state are kept. Part of the Store
// (Store::deployments()); an interface for the same reason the Store is one.
//
// Thread-safety: every method may be called from any thread.
#ifndef HERALD_CORE_DEPLOYMENT_STORE_H_
#define HERALD_CORE_DEPLOYMENT_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "herald/core/model/agent.h"
#include "herald/core/model/deployment.h"
#include "herald/core/status.h"

namespace herald {

struct LiveSearchHit {
  std::string agent_id;
  std::string name;
  std::string description;
  int64_t version = 0;
  std::string deployed_at;
};

class DeploymentStore {
 public:
  virtual ~DeploymentStore() = default;

  // Stores `version` as the agent's next version (its `version` and
  // `created_at` fields are assigned here) and pins its knowledge blobs so
  // they outlive the draft's references. `content_hash` must be the sha256
  // of `snapshot_json`: the text is kept once per agent and hash, so a
  // version whose snapshot an earlier one of the agent already had adds no
  // copy of it. Internal error when another text is stored under the hash.
  virtual StatusOr<AgentVersion> CreateVersion(AgentVersion version,
                                               const std::vector<KnowledgeFile>& knowledge) = 0;
  virtual StatusOr<AgentVersion> GetVersion(const std::string& agent_id, int64_t version) = 0;
  // Newest first; without the snapshot text.
  virtual StatusOr<std::vector<AgentVersion>> ListVersions(const std::string& agent_id) = 0;

  // Records `*deployment` as running: sets its id, state ("running") and
  // started_at (and clears finished_at) as stored, so that it equals what
  // GetDeployment would return.
  virtual Status BeginDeployment(Deployment* deployment) = 0;
  // Records the end of a running deployment: its state, each channel's
  // outcome in order (channel names distinct), and the finish time, which
  // it sets in `*deployment`. Once per deployment: FailedPrecondition when
  // it is not running.
  virtual Status FinishDeployment(Deployment* deployment) = 0;
  // By id alone, which the SQLite store answers by reading its deployments
  // through (they are keyed by agent): not for a request's path.
  virtual StatusOr<Deployment> GetDeployment(int64_t id) = 0;
  // Newest first.
  virtual StatusOr<std::vector<Deployment>> ListDeployments(const std::string& agent_id) = 0;
  // ListDeployments' first, without reading the rest (the summary shows the
  // last deployment however long the history); none before the first.
  virtual StatusOr<std::optional<Deployment>> LastDeployment(const std::string& agent_id) = 0;
  virtual StatusOr<std::vector<Deployment>> RunningDeployments() = 0;

  virtual StatusOr<LiveState> GetLiveState(const std::string& agent_id) = 0;
  // Replaces the agent's live state; with a live version, the agent is
  // searchable by `name` and `description`, without it no longer.
  virtual Status SetLiveState(const std::string& agent_id, const LiveState& state,
                              const std::string& name, const std::string& description) = 0;
  virtual StatusOr<std::vector<std::string>> LiveAgentIds() = 0;
  virtual StatusOr<std::vector<LiveSearchHit>> SearchLive(const std::string& query) = 0;
};

}  // namespace herald

#endif  // HERALD_CORE_DEPLOYMENT_STORE_H_
