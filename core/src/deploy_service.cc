#include "herald/core/deploy_service.h"

#include <memory>
#include <set>

#include "api/json_body.h"
#include "herald/core/channel_settings.h"
#include "herald/core/deploy/deployment_event.h"
#include "herald/core/deploy/fan_out.h"
#include "herald/core/deploy/snapshot.h"
#include "herald/core/log.h"
#include "herald/core/secret_settings.h"

namespace herald {
namespace {

using deploy::SnapshotChannel;

// Tells each channel that wants to know that `deployment` ended. Runs inside
// the transaction that records the outcome, so what a channel records there
// (its outbox) commits or rolls back with it. `version` is the version
// deployed or attempted (null for an undeploy); `channels` are the agent's
// channels the deployment touched, each with the settings it ran with;
// `manifest_json` the version's event manifest when it is already made.
void TellChannels(const PluginRegistry& plugins, const SecretSettings* secrets,
                  const Deployment& deployment, const AgentVersion* version,
                  const std::string* manifest_json, const std::vector<SnapshotChannel>& channels) {
  const herald_deployment_event_kind kind = deploy::EventKindOf(deployment);
  std::optional<std::string> body;  // written for the first channel that wants it
  const uint64_t number = version ? static_cast<uint64_t>(version->version) : 0;
  const uint64_t previous =
      deployment.previous_version ? static_cast<uint64_t>(*deployment.previous_version) : 0;
  for (const auto& c : channels) {
    const LoadedPlugin* plugin = plugins.Find(c.plugin, PluginKind::kChannel);
    if (plugin == nullptr || !plugin->channel().WantsDeploymentEvents()) continue;
    std::vector<sdk::Problem> problems;
    sdk::Values settings =
        ResolveForPlugin(secrets, *plugin, deployment.agent_id, c.name, c.settings_json, &problems);
    if (!body) {
      body = deploy::DeploymentEventJson(deployment, version, api::NowRfc3339(), manifest_json);
    }
    plugin->channel().DeploymentEvent(kind, deployment.agent_id, number, previous, *body, settings);
  }
}

// FanOut's reporter for `progress` (none when there is no progress to tell):
// `outcome_of` says what the i-th call's result means for its channel.
deploy::OnCallResult Reporter(
    const DeployProgress& progress,
    std::function<ChannelOutcome(size_t, const deploy::CallResult&)> outcome_of) {
  if (!progress) return {};
  return [&progress, outcome_of = std::move(outcome_of)](size_t i, const deploy::CallResult& r) {
    progress(outcome_of(i, r));
  };
}

std::string DescribeBlockers(const Summary& summary) {
  std::string out = "the agent cannot be deployed: ";
  for (size_t i = 0; i < summary.blockers.size(); ++i) {
    out += (i ? "; " : "") + summary.blockers[i].message;
  }
  return out;
}

}  // namespace

std::mutex& DeployService::AgentMutex(const std::string& agent_id) {
  std::lock_guard<std::mutex> lock(agents_mu_);
  auto& mu = agent_mu_[agent_id];
  if (!mu) mu = std::make_unique<std::mutex>();
  return *mu;
}

StatusOr<std::pair<std::string, std::string>> DeployService::Snapshot(const AgentDraft& d) {
  StatusOr<std::vector<Tool>> tools = store_.tools().GetTools(d.tools);
  if (!tools.ok()) return tools.status();
  std::map<std::string, const Tool*> by_name;
  for (const Tool& t : *tools) by_name.emplace(t.name, &t);
  std::vector<const Tool*> definitions;
  definitions.reserve(d.tools.size());
  for (const std::string& name : d.tools) {
    auto tool = by_name.find(name);
    if (tool == by_name.end()) return Status::NotFound("tool '" + name + "' does not exist");
    definitions.push_back(tool->second);
  }
  StatusOr<std::shared_ptr<const deploy::RenderedSnapshot>> snapshot =
      snapshots_.Render(d, definitions);
  if (!snapshot.ok()) return snapshot.status();
  return std::make_pair((*snapshot)->json, (*snapshot)->sha256);
}

StatusOr<Deployment> DeployService::Deploy(const std::string& agent_id, const User& actor,
                                           const std::string& comment, bool partial,
                                           DeployRefusal* refusal, const DeployProgress& progress) {
  std::lock_guard<std::mutex> agent_lock(AgentMutex(agent_id));
  // The draft's tools are read with it and viewed (matched against their
  // connections) once per content generation (ToolViewsMemo); the summary
  // checks the rest afresh, and the snapshot takes the tools from the views.
  // A deploy needs only the blockers; a refusal carries the whole summary,
  // so it is made again in full, from the same views, and the latest one
  // decides. The draft is the store's, shared (its live_version, which
  // neither the summary nor the snapshot reads, is left empty).
  int64_t generation = 0;
  StatusOr<std::shared_ptr<const DraftWithTools>> read =
      store_.agents().GetSharedAgentWithTools(agent_id, &generation);
  if (!read.ok()) return read.status();
  const AgentDraft* draft = &(*read)->draft;
  StatusOr<std::shared_ptr<const ToolViews>> views = tool_views_.Views(**read, generation);
  if (!views.ok()) return views.status();
  const std::map<std::string, ToolView>& tools = (*views)->tools;
  StatusOr<Summary> summary =
      summaries_.Summarize(*draft, tools, (*views)->connections, SummaryDetail::kBlockersOnly);
  if (!summary.ok()) return summary.status();
  if (!summary->deployable() && refusal != nullptr) {
    summary = summaries_.Summarize(*draft, tools, (*views)->connections, SummaryDetail::kFull);
    if (!summary.ok()) return summary.status();
  }
  if (!summary->deployable()) {
    if (refusal != nullptr) refusal->summary = *summary;
    return Status::FailedPrecondition(DescribeBlockers(*summary));
  }
  std::vector<const Tool*> definitions;
  definitions.reserve(draft->tools.size());
  for (const std::string& name : draft->tools) {
    auto view = tools.find(name);
    // A deployable summary found every tool (else tools.missing blocks).
    if (view == tools.end()) return Status::NotFound("tool '" + name + "' does not exist");
    definitions.push_back(&view->second.tool);
  }
  StatusOr<std::shared_ptr<const deploy::RenderedSnapshot>> rendered =
      snapshots_.Render(*draft, definitions);
  if (!rendered.ok()) return rendered.status();
  const deploy::RenderedSnapshot& snapshot = **rendered;

  AgentVersion version;
  version.agent_id = agent_id;
  version.draft_revision = draft->revision;
  version.snapshot_json = snapshot.json;
  version.content_hash = snapshot.sha256;
  version.author = actor.name;
  version.comment = comment;
  Deployment deployment;
  deployment.agent_id = agent_id;
  deployment.kind = "deploy";
  deployment.partial = partial;
  deployment.author = actor.name;
  deployment.comment = comment;
  // The version and its running deployment, committed before any channel
  // hears of it. Durable against a crash of heraldd, not yet against a power
  // loss: the settle commit makes it so (see the header comment).
  StatusOr<AgentVersion> stored = Status::Internal("no version");
  LiveState before;
  // The transaction runs its function once, so the version can move in.
  Status begun = store_.Transaction(Durability::kProcessCrash, [&]() -> Status {
    stored = store_.deployments().CreateVersion(std::move(version), draft->knowledge);
    if (!stored.ok()) return stored.status();
    deployment.version = stored->version;
    return BeginDeployment(&deployment, &before);
  });
  if (!begun.ok()) return begun;
  return Publish(agent_id, std::move(stored).value(), snapshot.facts, std::move(deployment), before,
                 partial, progress);
}

std::vector<SnapshotChannel> DeployService::ServedChannels(const std::string& agent_id,
                                                           int64_t version) {
  StatusOr<AgentVersion> served = store_.deployments().GetVersion(agent_id, version);
  StatusOr<deploy::SnapshotFacts> facts = served.ok()
                                              ? deploy::ReadSnapshotFacts(served->snapshot_json)
                                              : StatusOr<deploy::SnapshotFacts>(served.status());
  if (!facts.ok()) {
    LogEvent(spdlog::level::warn, "deploy.version_unreadable",
             {{"agent", agent_id}, {"version", version}, {"error", facts.status().message()}});
    return {};
  }
  return std::move(facts).value().channels;
}

Status DeployService::BeginDeployment(Deployment* deployment, LiveState* before) {
  StatusOr<LiveState> live = store_.deployments().GetLiveState(deployment->agent_id);
  if (!live.ok()) return live.status();
  *before = std::move(live).value();
  deployment->previous_version = before->live_version;
  return store_.deployments().BeginDeployment(deployment);
}

StatusOr<Deployment> DeployService::Rollback(const std::string& agent_id, int64_t to,
                                             const User& actor, const std::string& comment,
                                             const DeployProgress& progress) {
  std::lock_guard<std::mutex> agent_lock(AgentMutex(agent_id));
  StatusOr<AgentVersion> version = store_.deployments().GetVersion(agent_id, to);
  if (!version.ok()) return version.status();
  StatusOr<deploy::SnapshotFacts> read = deploy::ReadSnapshotFacts(version->snapshot_json);
  if (!read.ok()) {
    return read.status().WithContext("cannot roll back to version " + std::to_string(to));
  }
  const deploy::SnapshotFacts& facts = *read;
  for (const auto& c : facts.channels) {
    if (plugins_.Find(c.plugin, PluginKind::kChannel) == nullptr) {
      return Status::FailedPrecondition("version " + std::to_string(to) + " uses channel plugin '" +
                                        c.plugin + "', which is not loaded");
    }
  }
  Deployment deployment;
  deployment.agent_id = agent_id;
  deployment.kind = "rollback";
  deployment.version = to;
  deployment.author = actor.name;
  deployment.comment = comment.empty() ? "rollback to version " + std::to_string(to) : comment;
  // Durable against a crash of heraldd; the settle commit makes it durable
  // against a power loss too.
  LiveState before;
  HERALD_RETURN_IF_ERROR(store_.Transaction(
      Durability::kProcessCrash, [&]() { return BeginDeployment(&deployment, &before); }));
  return Publish(agent_id, std::move(version).value(), facts, std::move(deployment), before,
                 /*partial=*/false, progress);
}

StatusOr<Deployment> DeployService::Publish(const std::string& agent_id, AgentVersion taken,
                                            const deploy::SnapshotFacts& facts,
                                            Deployment deployment, const LiveState& before,
                                            bool partial, const DeployProgress& progress) {
  DeploymentStore& deployments = store_.deployments();
  LogEvent(spdlog::level::info, "deploy.started",
           {{"agent", agent_id},
            {"deployment", deployment.id},
            {"kind", deployment.kind},
            {"version", taken.version}});

  // 1. Publish the version to each of its channels, all at once.
  const std::vector<SnapshotChannel>& channels = facts.channels;
  // What the calls are given, shared: one that outlives its deadline (and
  // this method) still holds it. The snapshot goes to a channel as it is
  // unless it holds a secret, so that it is copied only to be masked.
  struct PublishedVersion {
    AgentVersion version;
    // Secret settings masked: their values arrive in the settings list only.
    std::optional<std::string> masked_snapshot;
    const std::string& snapshot() const {
      return masked_snapshot ? *masked_snapshot : version.snapshot_json;
    }
  };
  auto published_version = std::make_shared<PublishedVersion>();
  published_version->version = std::move(taken);
  if (MayHoldSecretSettings(published_version->version.snapshot_json)) {
    published_version->masked_snapshot = MaskSnapshotJson(published_version->version.snapshot_json);
  }
  const std::shared_ptr<const PublishedVersion> shared_version = std::move(published_version);
  const AgentVersion& version = shared_version->version;
  std::vector<deploy::NamedCall> calls;
  for (const auto& c : channels) {
    const LoadedPlugin* plugin = plugins_.Find(c.plugin, PluginKind::kChannel);
    calls.push_back(
        {c.name, [plugin, c, v = shared_version, secrets = secrets_]() -> std::string {
           if (plugin == nullptr) {
             return "channel plugin '" + c.plugin + "' is not loaded";
           }
           std::vector<sdk::Problem> problems;
           sdk::Values settings = ResolveForPlugin(secrets, *plugin, v->version.agent_id, c.name,
                                                   c.settings_json, &problems);
           if (!problems.empty()) return JoinProblems(problems);
           sdk::CallResult r = plugin->channel().Publish(
               v->version.agent_id, static_cast<uint64_t>(v->version.version),
               v->version.content_hash, v->snapshot(), settings);
           return r.ok() ? std::string() : (r.error.empty() ? "publish failed" : r.error);
         }});
  }
  auto publish_outcome = [&channels](size_t i, const deploy::CallResult& r) {
    ChannelOutcome o;
    o.channel = channels[i].name;
    o.plugin = channels[i].plugin;
    o.latency_ms = r.latency_ms;
    o.message = r.message;
    o.outcome = r.outcome == deploy::CallOutcome::kOk         ? "published"
                : r.outcome == deploy::CallOutcome::kTimedOut ? "timed_out"
                                                              : "error";
    return o;
  };
  std::vector<deploy::CallResult> results =
      deploy::FanOut(std::move(calls), deadline_, Reporter(progress, publish_outcome));

  std::vector<size_t> published;
  for (size_t i = 0; i < channels.size(); ++i) {
    if (results[i].outcome == deploy::CallOutcome::kOk) published.push_back(i);
    deployment.channels.push_back(publish_outcome(i, results[i]));
  }
  const bool all = published.size() == channels.size();

  // 2. Settle: the new live state, or put the published channels back.
  LiveState after = before;
  std::map<std::string, ChannelLiveState> by_channel;
  for (const auto& c : before.channels) by_channel[c.channel] = c;
  const std::set<std::string> in_version = [&] {
    std::set<std::string> names;
    for (const auto& c : channels) names.insert(c.name);
    return names;
  }();

  if (all || (partial && !published.empty())) {
    for (size_t i : published) {
      by_channel[channels[i].name] = {channels[i].name, channels[i].plugin, version.version};
    }
    // Channels the new version no longer has stop serving the old one.
    std::vector<deploy::NamedCall> stops;
    std::vector<std::string> stopped;
    for (const auto& [name, state] : by_channel) {
      if (in_version.count(name)) continue;
      const LoadedPlugin* plugin = plugins_.Find(state.plugin, PluginKind::kChannel);
      stopped.push_back(name);
      stops.push_back({name, [plugin, agent_id]() -> std::string {
                         if (plugin == nullptr) return "channel plugin is not loaded";
                         sdk::CallResult r = plugin->channel().Unpublish(agent_id);
                         return r.ok() ? std::string() : r.error;
                       }});
    }
    auto stop_outcome = [&stopped](size_t i, const deploy::CallResult& r) {
      return ChannelOutcome{stopped[i], "",
                            r.outcome == deploy::CallOutcome::kOk ? "unpublished" : "error",
                            r.message, r.latency_ms};
    };
    std::vector<deploy::CallResult> stop_results =
        deploy::FanOut(std::move(stops), deadline_, Reporter(progress, stop_outcome));
    for (size_t i = 0; i < stopped.size(); ++i) {
      by_channel.erase(stopped[i]);
      deployment.channels.push_back(stop_outcome(i, stop_results[i]));
    }
    after.live_version = version.version;
    after.deployed_at = api::NowRfc3339();
    deployment.state = all ? "succeeded" : "partial";
  } else {
    // All or nothing: what published goes back to what it served before.
    std::vector<deploy::NamedCall> restores;
    std::vector<size_t> restored;
    for (size_t i : published) {
      const SnapshotChannel& c = channels[i];
      const LoadedPlugin* plugin = plugins_.Find(c.plugin, PluginKind::kChannel);
      std::optional<AgentVersion> previous;
      if (auto it = by_channel.find(c.name); it != by_channel.end()) {
        StatusOr<AgentVersion> v = deployments.GetVersion(agent_id, it->second.version);
        if (v.ok()) previous = *v;
      }
      restored.push_back(i);
      restores.push_back(
          {c.name,
           [plugin, previous, agent_id, name = c.name, secrets = secrets_]() -> std::string {
             if (!previous) {
               sdk::CallResult r = plugin->channel().Unpublish(agent_id);
               return r.ok() ? std::string() : r.error;
             }
             StatusOr<deploy::SnapshotFacts> facts =
                 deploy::ReadSnapshotFacts(previous->snapshot_json);
             if (!facts.ok()) return facts.status().message();
             for (const auto& pc : facts->channels) {
               if (pc.name != name) continue;
               std::vector<sdk::Problem> problems;
               sdk::Values settings =
                   ResolveForPlugin(secrets, *plugin, agent_id, name, pc.settings_json, &problems);
               sdk::CallResult r = plugin->channel().Publish(
                   agent_id, static_cast<uint64_t>(previous->version), previous->content_hash,
                   MaskSnapshotJson(previous->snapshot_json), settings);
               return r.ok() ? std::string() : r.error;
             }
             return std::string();
           }});
    }
    // A put-back channel keeps its publish latency.
    auto restore_outcome = [&deployment, &restored](size_t j, const deploy::CallResult& r) {
      ChannelOutcome o = deployment.channels[restored[j]];
      o.outcome = "rolled_back";
      o.message = r.outcome == deploy::CallOutcome::kOk
                      ? "published, then put back because another channel failed"
                      : "published, and putting it back failed: " + r.message;
      return o;
    };
    std::vector<deploy::CallResult> restore_results =
        deploy::FanOut(std::move(restores), deadline_, Reporter(progress, restore_outcome));
    for (size_t j = 0; j < restored.size(); ++j) {
      deployment.channels[restored[j]] = restore_outcome(j, restore_results[j]);
    }
    deployment.state = "failed";
  }
  after.channels.clear();
  for (const auto& [name, state] : by_channel) after.channels.push_back(state);

  // Told of the deployment: the version's channels, and those it stopped
  // (with the settings they last ran with).
  std::vector<SnapshotChannel> told = channels;
  for (const auto& o : deployment.channels) {
    if (o.outcome != "unpublished" && !(o.outcome == "error" && o.plugin.empty())) continue;
    if (in_version.count(o.channel)) continue;
    for (const auto& c : before.channels) {
      if (c.channel != o.channel) continue;
      for (const auto& sc : ServedChannels(agent_id, c.version)) {
        if (sc.name == c.channel) told.push_back(sc);
      }
    }
  }
  // Durable against a power loss, and so is the version committed before
  // the fan-out.
  Status settled = store_.Transaction([&]() -> Status {
    HERALD_RETURN_IF_ERROR(deployments.FinishDeployment(&deployment));
    TellChannels(plugins_, secrets_, deployment, &version, &facts.manifest_json, told);
    if (deployment.state == "failed") return Status::Ok();
    return deployments.SetLiveState(agent_id, after, facts.name, facts.description);
  });
  if (!settled.ok()) return settled;
  if (live_listener_ && deployment.state != "failed") live_listener_(agent_id);
  LogEvent(deployment.state == "failed" ? spdlog::level::warn : spdlog::level::info,
           "deploy.finished",
           {{"agent", agent_id},
            {"deployment", deployment.id},
            {"state", deployment.state},
            {"version", version.version}});
  return deployment;
}

StatusOr<Deployment> DeployService::Undeploy(const std::string& agent_id, const User& actor,
                                             const DeployProgress& progress) {
  std::lock_guard<std::mutex> agent_lock(AgentMutex(agent_id));
  DeploymentStore& deployments = store_.deployments();
  StatusOr<LiveState> before = deployments.GetLiveState(agent_id);
  if (!before.ok()) return before.status();
  if (!before->live_version) {
    return Status::FailedPrecondition("agent '" + agent_id + "' is not live");
  }
  Deployment deployment;
  deployment.agent_id = agent_id;
  deployment.kind = "undeploy";
  deployment.previous_version = before->live_version;
  deployment.author = actor.name;
  // Durable against a crash of heraldd; the settle commit makes it durable
  // against a power loss too.
  Status begun = store_.Transaction(Durability::kProcessCrash,
                                    [&]() { return deployments.BeginDeployment(&deployment); });
  if (!begun.ok()) return begun;

  std::vector<deploy::NamedCall> calls;
  for (const auto& c : before->channels) {
    const LoadedPlugin* plugin = plugins_.Find(c.plugin, PluginKind::kChannel);
    calls.push_back({c.channel, [plugin, agent_id, c]() -> std::string {
                       if (plugin == nullptr)
                         return "channel plugin '" + c.plugin + "' is not loaded";
                       sdk::CallResult r = plugin->channel().Unpublish(agent_id);
                       return r.ok() ? std::string()
                                     : (r.error.empty() ? "unpublish failed" : r.error);
                     }});
  }
  auto unpublish_outcome = [&before](size_t i, const deploy::CallResult& r) {
    const bool ok = r.outcome == deploy::CallOutcome::kOk;
    return ChannelOutcome{before->channels[i].channel, before->channels[i].plugin,
                          ok ? "unpublished" : std::string(deploy::CallOutcomeName(r.outcome)),
                          r.message, r.latency_ms};
  };
  std::vector<deploy::CallResult> results =
      deploy::FanOut(std::move(calls), deadline_, Reporter(progress, unpublish_outcome));
  bool all = true;
  for (size_t i = 0; i < before->channels.size(); ++i) {
    all = all && results[i].outcome == deploy::CallOutcome::kOk;
    deployment.channels.push_back(unpublish_outcome(i, results[i]));
  }
  // The agent is back in draft whatever a channel said: users must not meet
  // it, and a channel that failed to stop is reported.
  deployment.state = all ? "succeeded" : "partial";
  // The channels are told with the settings they ran with (those of the
  // version each served).
  std::vector<SnapshotChannel> told;
  for (const auto& c : before->channels) {
    for (const auto& sc : ServedChannels(agent_id, c.version)) {
      if (sc.name == c.channel) told.push_back(sc);
    }
  }
  Status settled = store_.Transaction([&]() -> Status {
    HERALD_RETURN_IF_ERROR(deployments.FinishDeployment(&deployment));
    TellChannels(plugins_, secrets_, deployment, nullptr, nullptr, told);
    return deployments.SetLiveState(agent_id, LiveState{}, "", "");
  });
  if (!settled.ok()) return settled;
  if (live_listener_) live_listener_(agent_id);
  LogEvent(spdlog::level::info, "undeploy.finished",
           {{"agent", agent_id}, {"deployment", deployment.id}, {"state", deployment.state}});
  return deployment;
}

Status DeployService::Recover() {
  DeploymentStore& deployments = store_.deployments();
  StatusOr<std::vector<Deployment>> running = deployments.RunningDeployments();
  if (!running.ok()) return running.status();
  for (Deployment d : *running) {
    d.state = "interrupted";
    HERALD_RETURN_IF_ERROR(deployments.FinishDeployment(&d));
    LogEvent(spdlog::level::warn, "deploy.interrupted",
             {{"agent", d.agent_id}, {"deployment", d.id}});
  }
  StatusOr<std::vector<std::string>> live = deployments.LiveAgentIds();
  if (!live.ok()) return live.status();
  for (const std::string& agent_id : *live) {
    StatusOr<LiveState> state = deployments.GetLiveState(agent_id);
    if (!state.ok()) return state.status();
    std::vector<deploy::NamedCall> calls;
    for (const auto& c : state->channels) {
      StatusOr<AgentVersion> version = deployments.GetVersion(agent_id, c.version);
      if (!version.ok()) return version.status();
      const LoadedPlugin* plugin = plugins_.Find(c.plugin, PluginKind::kChannel);
      calls.push_back(
          {c.channel, [plugin, version = *version, c, secrets = secrets_]() -> std::string {
             if (plugin == nullptr) return "channel plugin '" + c.plugin + "' is not loaded";
             StatusOr<deploy::SnapshotFacts> facts =
                 deploy::ReadSnapshotFacts(version.snapshot_json);
             if (!facts.ok()) return facts.status().message();
             for (const auto& sc : facts->channels) {
               if (sc.name != c.channel) continue;
               std::vector<sdk::Problem> problems;
               sdk::Values settings = ResolveForPlugin(secrets, *plugin, version.agent_id, sc.name,
                                                       sc.settings_json, &problems);
               sdk::CallResult r = plugin->channel().Publish(
                   version.agent_id, static_cast<uint64_t>(version.version), version.content_hash,
                   MaskSnapshotJson(version.snapshot_json), settings);
               return r.ok() ? std::string() : r.error;
             }
             return "the version has no channel '" + c.channel + "'";
           }});
    }
    std::vector<deploy::CallResult> results = deploy::FanOut(std::move(calls), deadline_);
    for (size_t i = 0; i < results.size(); ++i) {
      LogEvent(
          results[i].outcome == deploy::CallOutcome::kOk ? spdlog::level::info : spdlog::level::err,
          "channel.restored",
          {{"agent", agent_id},
           {"channel", state->channels[i].channel},
           {"version", state->channels[i].version},
           {"outcome", deploy::CallOutcomeName(results[i].outcome)},
           {"message", results[i].message}});
    }
  }
  return Status::Ok();
}

}  // namespace herald
