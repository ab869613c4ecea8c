// Versions and deployments: what a deploy captured, and what became of it on
// each channel.
#ifndef HERALD_CORE_MODEL_DEPLOYMENT_H_
#define HERALD_CORE_MODEL_DEPLOYMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace herald {

// An immutable snapshot of a draft. `snapshot_json` is the canonical JSON of
// the whole configuration (knowledge by content hash); `content_hash` its
// sha256.
struct AgentVersion {
  std::string agent_id;
  int64_t version = 0;
  int64_t draft_revision = 0;
  std::string content_hash;
  std::string author;
  std::string comment;
  std::string created_at;
  std::string snapshot_json;
};

// What one channel did in one deployment.
struct ChannelOutcome {
  std::string channel;
  std::string plugin;
  // published | error | timed_out | rolled_back | unpublished | skipped
  std::string outcome;
  std::string message;
  int64_t latency_ms = 0;
};

struct Deployment {
  int64_t id = 0;
  std::string agent_id;
  std::string kind;                         // deploy | rollback | undeploy | recover
  std::optional<int64_t> version;           // what it published (none for undeploy)
  std::optional<int64_t> previous_version;  // what was live before
  std::string state;                        // running | succeeded | failed | partial | interrupted
  bool partial = false;
  std::string author;
  std::string comment;
  std::string started_at;
  std::string finished_at;
  std::vector<ChannelOutcome> channels;
};

// Which version one channel of an agent serves now.
struct ChannelLiveState {
  std::string channel;
  std::string plugin;
  int64_t version = 0;
};

// An agent's live state.
struct LiveState {
  std::optional<int64_t> live_version;
  std::string deployed_at;
  std::vector<ChannelLiveState> channels;
};

}  // namespace herald

#endif  // HERALD_CORE_MODEL_DEPLOYMENT_H_
