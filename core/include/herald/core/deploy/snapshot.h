// A version's snapshot: the canonical JSON of a whole draft (its tools'
// definitions included, so that a later change of a tool does not change
// what a deployed version does) and its sha256, which is the version's
// content hash. Keys are sorted, so equal drafts give equal text. The text
// is written straight from the draft, byte for byte as Poco's condensed
// writer wrote it from AgentConfigJson's tree (deploy/canonical_json.h), so
// that the hashes of versions made before stay what they were.
//
// Rendering a snapshot also yields what a deploy needs from it (channels,
// name, description), so that a deploy never parses back the text it has
// just made; ReadSnapshotFacts reads them from a stored version's text.
//
// Thread-safety: free functions on values; call from any thread.
#ifndef HERALD_CORE_DEPLOY_SNAPSHOT_H_
#define HERALD_CORE_DEPLOY_SNAPSHOT_H_

#include <map>
#include <string>
#include <vector>

#include "herald/core/model/agent.h"
#include "herald/core/model/tool.h"
#include "herald/core/status.h"

namespace herald::deploy {

// One channel of a version, as its snapshot records it (settings as
// canonical JSON: as Poco writes them once parsed).
struct SnapshotChannel {
  std::string name;
  std::string plugin;
  std::string settings_json;
};

// What a deploy reads from a snapshot.
struct SnapshotFacts {
  std::string name;
  std::string description;
  std::vector<SnapshotChannel> channels;
  std::string manifest_json;  // for deployment events (deployment_event.h)
};

struct RenderedSnapshot {
  std::string json;
  std::string sha256;
  SnapshotFacts facts;
};

// The snapshot of `draft`, its tools taken from `tools` (by name); NotFound
// naming the first of the draft's tools that `tools` lacks.
StatusOr<RenderedSnapshot> RenderSnapshot(const AgentDraft& draft,
                                          const std::map<std::string, const Tool*>& tools);

// The same with the draft's tools' definitions already in the draft's order
// (definitions[i] is that of draft.tools[i], none null): for a caller that
// holds them, without a map made only to be looked up. Internal when the
// counts differ.
StatusOr<RenderedSnapshot> RenderSnapshotInDraftOrder(const AgentDraft& draft,
                                                      const std::vector<const Tool*>& definitions);

// The facts of a stored snapshot's text; Internal when Poco cannot read it
// back (a snapshot holds draft text as it was given, and Poco's parser
// refuses, for one, bytes that are not UTF-8).
StatusOr<SnapshotFacts> ReadSnapshotFacts(const std::string& snapshot_json);

}  // namespace herald::deploy

#endif  // HERALD_CORE_DEPLOY_SNAPSHOT_H_
