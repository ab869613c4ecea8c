// agent.yaml: an agent's whole draft as one YAML document, for
// `herald apply -f` (parse) and `herald export` (emit).
//
//   id: support-bot                 # required, a slug
//   name: Support bot
//   description: Answers questions about pets
//   model: gpt-4o
//   voice: {voice: en-us, language: en-US, speaking_rate: 1}
//   instructions: |
//     Be brief.
//   behaviour:
//     guidelines: ...
//     welcome_message: Hi!
//     starter_prompts: [What can you do?]
//   knowledge:                      # inline: `content` (text) or `content_base64`
//     - {name: faq.md, content_type: text/markdown, content: "..."}
//   tools: [listpets]
//   collaborators:
//     - {user: alice, role: owner}
//   channels:
//     - {name: chat, plugin: fixture_channel, settings: {target: general}}
//
// A key left out leaves that part of the draft as it is; a list given
// replaces the draft's list. Unknown keys are refused naming their path.
// Emitting then parsing gives back the same draft, byte for byte.
#ifndef HERALD_CORE_AGENT_YAML_H_
#define HERALD_CORE_AGENT_YAML_H_

#include <herald/sdk/types.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "herald/core/agent_service.h"
#include "herald/core/model/agent.h"
#include "herald/core/status.h"

namespace herald {

// The declared settings of a loaded channel plugin, or nullopt when none of
// that name is loaded. Channel settings' YAML scalars are read as the type
// their plugin declares (`port: 8080` is an int, or a string when declared
// one).
using ChannelSpecsLookup =
    std::function<std::optional<std::vector<sdk::SettingSpec>>(const std::string& plugin)>;

// InvalidArgument naming the path ("behaviour.welcom_message: unknown
// field"), or "body: malformed YAML at line L, column C: ...".
StatusOr<AgentDocument> ParseAgentYaml(std::string_view text, const ChannelSpecsLookup& specs);

// `files`: every knowledge file of `draft` with its bytes. Text that reads
// back exactly is written as `content`, anything else as `content_base64`.
std::string EmitAgentYaml(const AgentDraft& draft,
                          const std::vector<std::pair<KnowledgeFile, std::string>>& files);

}  // namespace herald

#endif  // HERALD_CORE_AGENT_YAML_H_
