// The event channels are told of when a deployment ends (ABI 1.1's
// deployment_event): its kind, and its JSON body, which a webhook sends as is.
//
// Body: {"type", "agent", "deployment_id", "kind", "version",
// "previous_version", "content_hash", "time", "author", "comment",
// "channels": [{"channel", "plugin", "outcome", "message"}], "manifest"}
// where type is agent.deployed, agent.undeployed or deployment.failed, and
// the manifest lists what the version holds (name, description, model,
// knowledge files with their sha256 and size, tools, channels) without any
// instruction text or setting value.
#ifndef HERALD_CORE_DEPLOY_DEPLOYMENT_EVENT_H_
#define HERALD_CORE_DEPLOY_DEPLOYMENT_EVENT_H_

#include <Poco/JSON/Object.h>
#include <herald/sdk/abi.h>

#include <optional>
#include <string>
#include <string_view>

#include "herald/core/model/deployment.h"

namespace herald::deploy {

// The event for a finished deployment: undeploy → agent.undeployed, a failed
// deploy or rollback → deployment.failed, otherwise agent.deployed.
herald_deployment_event_kind EventKindOf(const Deployment& deployment);
std::string_view EventTypeName(herald_deployment_event_kind kind);

// `version` is the version deployed or attempted (null for an undeploy);
// `manifest_json`, when given, is its ManifestJson, already made.
std::string DeploymentEventJson(const Deployment& deployment, const AgentVersion* version,
                                std::string_view time_rfc3339,
                                const std::string* manifest_json = nullptr);

// The "manifest" of a version's event, from its snapshot: parsed, or as a
// tree (whose "tools" need only each tool's name and connection).
std::string ManifestJson(const std::string& snapshot_json);
std::string ManifestJson(const Poco::JSON::Object& snapshot);

}  // namespace herald::deploy

#endif  // HERALD_CORE_DEPLOY_DEPLOYMENT_EVENT_H_
