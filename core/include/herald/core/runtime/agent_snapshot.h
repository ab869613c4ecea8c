// An agent version's snapshot (the canonical JSON a deploy captures; see
// DeployService::Snapshot) parsed for answering turns: the prompt's parts,
// the tools with their HTTP operations and OpenAI tool definitions, and the
// knowledge files indexed for retrieval.
//
// Knowledge files are read by content hash through `read_blob`; a file whose
// bytes contain a NUL (not text) is left out of retrieval.
//
// Thread-safety: an AgentSnapshot is immutable once parsed; share it freely.
#ifndef HERALD_CORE_RUNTIME_AGENT_SNAPSHOT_H_
#define HERALD_CORE_RUNTIME_AGENT_SNAPSHOT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "herald/core/runtime/knowledge_index.h"
#include "herald/core/runtime/model_provider.h"
#include "herald/core/status.h"

namespace herald::runtime {

struct ToolParameter {
  std::string name;
  std::string in;  // path | query | header | cookie
  bool required = false;
  std::string type;
  std::string description;
};

// One tool as the version captured it.
struct SnapshotTool {
  std::string name;
  std::string description;
  std::string method;
  std::string server_url;
  std::string path;
  std::vector<ToolParameter> parameters;
  std::string connection;  // empty: bound to none
};

struct AgentSnapshot {
  std::string agent_id;
  std::string name;
  std::string model;
  std::string instructions;
  std::string guidelines;
  std::string welcome_message;
  std::vector<SnapshotTool> tools;
  std::vector<ToolDefinition> tool_definitions;  // the same tools, in OpenAI's format
  KnowledgeIndex knowledge;
  size_t bytes = 0;  // roughly what it holds, for cache accounting

  const SnapshotTool* FindTool(const std::string& name) const;
};

using BlobReader = std::function<StatusOr<std::string>(const std::string& sha256)>;

// INTERNAL when the JSON is not a snapshot; a blob read failure as is.
StatusOr<std::shared_ptr<const AgentSnapshot>> ParseSnapshot(const std::string& snapshot_json,
                                                             const BlobReader& read_blob);

// The tool as an OpenAI function: its parameters (but cookies) as a JSON
// Schema object (type "string" when the operation gives none).
ToolDefinition ToolDefinitionOf(const SnapshotTool& tool);

}  // namespace herald::runtime

#endif  // HERALD_CORE_RUNTIME_AGENT_SNAPSHOT_H_
