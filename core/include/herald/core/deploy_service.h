// Deploy, redeploy, roll back and undeploy: the heart of Herald.
//
// A deploy captures an immutable snapshot of the whole draft as version N+1
// (committed before any channel hears of it), fans it out to every channel
// in parallel under the host's deadline, and then:
//  - every channel published: the version is live, at once;
//  - some failed, not partial: the channels that published are put back to
//    the previous live version (or unpublished when there was none); the live
//    version stays as it was and the deployment is recorded as failed;
//  - some failed, partial: the channels that published run the new version,
//    the others keep theirs; the live version is the new one.
// Rollback publishes an earlier version the same way. Undeploy unpublishes
// every channel (a failure does not stop the others) and the agent is back in
// draft, gone from live search.
//
// Crash safety: the version and a "running" deployment are committed before
// the fan-out, the outcome after; Recover (at start-up) marks running
// deployments interrupted and publishes each live version to its channels
// again, so channels serve exactly what the store says is live. A kill -9 at
// any point therefore leaves the previous live version whole. The commit
// before the fan-out is Durability::kProcessCrash (it does not wait for the
// disk): the settle commit, kPowerLoss, makes both durable. A power loss
// between the two can lose the version and its running deployment; Recover
// then finds no trace of them and puts the channels back on the live
// version the store holds, which is the same end state. So a deploy waits
// for the disk once.
//
// Progress: Deploy, Rollback and Undeploy take an optional DeployProgress
// that hears each channel's outcome as it arrives, on the calling thread: the
// publish (or unpublish) results first, a fast channel before a slow one,
// then, when a deploy fails, each put-back channel again as `rolled_back`
// (the message says whether putting it back worked), and the channels a new
// version dropped as `unpublished` or `error`. The outcomes recorded, and
// returned, are the same with or without it; it is never called after the
// method returns, nor for a deployment refused before anything started.
//
// Thread-safety: any method from any thread; one deployment per agent at a
// time (a second one waits).
#ifndef HERALD_CORE_DEPLOY_SERVICE_H_
#define HERALD_CORE_DEPLOY_SERVICE_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "herald/core/deploy/snapshot.h"
#include "herald/core/deploy/snapshot_memo.h"
#include "herald/core/model/deployment.h"
#include "herald/core/model/user.h"
#include "herald/core/plugin_registry.h"
#include "herald/core/secret_settings.h"
#include "herald/core/store.h"
#include "herald/core/summary.h"
#include "herald/core/tool_service.h"
#include "herald/core/tool_views_memo.h"

namespace herald {

// A deploy refused for its blockers.
struct DeployRefusal {
  Summary summary;
};

// Hears one channel's outcome as it arrives (see the header comment). Should
// not throw: an exception is logged and dropped, and the deployment goes on.
using DeployProgress = std::function<void(const ChannelOutcome& outcome)>;

class DeployService {
 public:
  // `secrets` opens secret channel settings for the plugins (without it,
  // they receive none).
  DeployService(Store& store, const PluginRegistry& plugins, SummaryBuilder& summaries,
                ToolService& tools, std::chrono::milliseconds channel_deadline,
                const SecretSettings* secrets = nullptr)
      : store_(store),
        plugins_(plugins),
        summaries_(summaries),
        tools_(tools),
        deadline_(channel_deadline),
        secrets_(secrets),
        tool_views_(tools) {}

  // FailedPrecondition when not deployable; `refusal` then holds the summary.
  StatusOr<Deployment> Deploy(const std::string& agent_id, const User& actor,
                              const std::string& comment, bool partial, DeployRefusal* refusal,
                              const DeployProgress& progress = {});
  StatusOr<Deployment> Rollback(const std::string& agent_id, int64_t version, const User& actor,
                                const std::string& comment, const DeployProgress& progress = {});
  StatusOr<Deployment> Undeploy(const std::string& agent_id, const User& actor,
                                const DeployProgress& progress = {});

  // At start-up, before serving: see the header comment.
  Status Recover();

  // The canonical snapshot of a draft and its sha256.
  StatusOr<std::pair<std::string, std::string>> Snapshot(const AgentDraft& draft);

  // Called with an agent's id after a deploy, rollback or undeploy changed
  // its live state (the runtime's LiveStateChanged). Set once, before
  // serving.
  void SetLiveStateListener(std::function<void(const std::string& agent_id)> listener) {
    live_listener_ = std::move(listener);
  }

 private:
  std::mutex& AgentMutex(const std::string& agent_id);
  // Records `deployment` as running, from the agent's current live state,
  // which it leaves in `before`.
  Status BeginDeployment(Deployment* deployment, LiveState* before);
  // The channels `version` of the agent lists, with the settings they ran
  // with; none (logged) when the version cannot be read, so that telling
  // channels of a deployment never stops it from settling.
  std::vector<deploy::SnapshotChannel> ServedChannels(const std::string& agent_id, int64_t version);
  // Publishes `version` to the channels it lists and settles the outcome.
  // `facts` are the version's, read from its snapshot or kept from
  // rendering it; `before` is the live state `deployment` began from (the
  // agent's lock, held throughout, keeps it so). `version` is taken, so that
  // the calls share it rather than a copy of its snapshot.
  StatusOr<Deployment> Publish(const std::string& agent_id, AgentVersion version,
                               const deploy::SnapshotFacts& facts, Deployment deployment,
                               const LiveState& before, bool partial,
                               const DeployProgress& progress);

  Store& store_;
  const PluginRegistry& plugins_;
  SummaryBuilder& summaries_;
  ToolService& tools_;
  std::chrono::milliseconds deadline_;
  const SecretSettings* secrets_;
  std::function<void(const std::string&)> live_listener_;
  std::mutex agents_mu_;
  std::map<std::string, std::unique_ptr<std::mutex>> agent_mu_;
  // Deploys and previews render through it.
  deploy::SnapshotMemo snapshots_;
  // Deploys view their drafts' tools through it.
  ToolViewsMemo tool_views_;
};

}  // namespace herald

#endif  // HERALD_CORE_DEPLOY_SERVICE_H_
