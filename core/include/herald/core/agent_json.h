// An agent draft's configuration as JSON: every field a deploy captures, and
// nothing else (no revision, timestamps or live state). The API's agent
// answers add those; a version's snapshot expands the tool names into the
// tools' definitions.
#ifndef HERALD_CORE_AGENT_JSON_H_
#define HERALD_CORE_AGENT_JSON_H_

#include <Poco/JSON/Object.h>

#include "herald/core/model/agent.h"

namespace herald {

Poco::JSON::Object::Ptr AgentConfigJson(const AgentDraft& draft);
Poco::JSON::Object::Ptr KnowledgeFileJson(const KnowledgeFile& file);

}  // namespace herald

#endif  // HERALD_CORE_AGENT_JSON_H_
