// Helpers shared by the agent commands (agents.cc, agent_knowledge.cc,
// agent_links.cc, apply.cc): paths under /v1/agents, the --if-match option
// that guards a draft change, and the human rendering of an agent (the
// {"agent":{...}} of docs/api-agents.md) and of its parts.
#ifndef HERALD_CLI_COMMANDS_AGENTS_COMMON_H_
#define HERALD_CLI_COMMANDS_AGENTS_COMMON_H_

#include <functional>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "cli/api_client.h"
#include "cli/args.h"
#include "cli/command.h"

namespace herald::cli {

// "/v1/agents/ID" followed by `more` segments, each percent-encoded.
std::string AgentPath(std::string_view id, std::initializer_list<std::string_view> more = {});

// The positional AGENT / ID of agent commands.
PositionalSpec AgentIdArg(std::string name = "ID");

// --if-match REV: the draft revision a change is based on.
OptionSpec IfMatchOption();

// {"If-Match", REV} when --if-match was given; none otherwise. Throws
// UsageError unless REV is a whole number.
std::vector<std::pair<std::string, std::string>> IfMatchHeaders(const ParsedArgs& args);

// Sends a change of the draft: `body` as JSON (none if empty), with the
// If-Match header of --if-match.
ApiResponse SendDraftChange(const CommandContext& ctx, const std::string& method,
                            const std::string& path, const Poco::Dynamic::Var& body = {});

// `text` or "-" when empty.
std::string DashIfEmpty(const std::string& text);

// The whole agent: its fields, texts, knowledge, tools, collaborators,
// channels and revision.
void PrintAgent(const Poco::JSON::Object::Ptr& agent, std::ostream& out);

// The parts of an agent, as PrintAgent shows them (each ends with '\n').
void PrintKnowledgeFiles(const Poco::JSON::Array::Ptr& files, std::ostream& out);
void PrintAgentTools(const Poco::JSON::Object::Ptr& agent, std::ostream& out);
void PrintCollaborators(const Poco::JSON::Object::Ptr& agent, std::ostream& out);
void PrintChannels(const Poco::JSON::Object::Ptr& agent, std::ostream& out);

// Finishes a command whose answer is {"agent":{...}}: an error is reported;
// with --json the body is printed; otherwise "HEADLINE (revision N).", and,
// when `details` is set, a blank line and what it prints of the agent.
using AgentPrinter = std::function<void(const Poco::JSON::Object::Ptr&, std::ostream&)>;
int FinishAgentAnswer(CommandContext& ctx, const ApiResponse& response, const std::string& headline,
                      const AgentPrinter& details);

}  // namespace herald::cli

#endif  // HERALD_CLI_COMMANDS_AGENTS_COMMON_H_
