// The `scripted` model provider: offline and deterministic, for the demo and
// the tests. It offers one model, "scripted", and answers from what the agent
// says about itself (ChatRequest::context) and the conversation:
//
//  1. After tool results (the last messages are `tool` messages): one line
//     per result, "<tool> returned: <result>" (each result cut to 1000
//     bytes).
//  2. Otherwise, when a tool rule of the guidelines matches the latest user
//     message and names a tool the request offers: a call of that tool (the
//     first matching rule wins; id "call_<n>").
//  3. Otherwise text, paragraphs joined by a blank line: the welcome message
//     (on the conversation's first turn only, when set); then the best
//     knowledge passage ("From <file>: <passage>") and the second best when
//     it scores at least half as well; without passages, the guideline line
//     sharing the most terms with the message; without any, "Sorry, I don't
//     know about that."
//
// The reply is streamed in up to four deltas cut at spaces.
//
// Tool rules: a guideline line (optionally bulleted with "-" or "*") of the
// form, case-insensitive in its keywords,
//
//   when the user mentions "PHRASE" [or "PHRASE"]..., call TOOL [with NAME=VALUE[, NAME=VALUE]...]
//
// e.g.  when the user mentions "weather" or "forecast", call get_weather with city=$last_word
//
// matches when the user's message contains any PHRASE (case-insensitive).
// TOOL is the name of one of the version's tools (an OpenAPI operation). The
// call's arguments are the NAME=VALUE pairs (a JSON object of strings, `{}`
// without `with`); a VALUE is taken literally (spaces kept, quotes removed),
// except:
//   $message    the whole user message
//   $number     the first run of digits in the message ("" if none)
//   $last_word  the message's last word (letters, digits, '-', '_')
// A line that looks like a rule but does not parse is an ordinary guideline.
//
// Thread-safety: stateless; call from any thread.
#ifndef HERALD_CORE_RUNTIME_SCRIPTED_PROVIDER_H_
#define HERALD_CORE_RUNTIME_SCRIPTED_PROVIDER_H_

#include <string>
#include <utility>
#include <vector>

#include "herald/core/runtime/model_provider.h"

namespace herald::runtime {

// One parsed tool rule.
struct ToolRule {
  std::vector<std::string> phrases;  // lower-cased
  std::string tool;
  std::vector<std::pair<std::string, std::string>> arguments;  // NAME, VALUE as written
};

// The tool rules among `guidelines`' lines, in order.
std::vector<ToolRule> ParseToolRules(const std::string& guidelines);

// The arguments JSON object of `rule` for `message` (placeholders filled).
std::string RuleArguments(const ToolRule& rule, const std::string& message);

class ScriptedProvider final : public ModelProvider {
 public:
  static constexpr char kModel[] = "scripted";

  const std::string& name() const override { return name_; }
  StatusOr<std::vector<std::string>> ListModels() override;
  // It answers from the request's AgentContext.
  bool reads_system_prompt() const override { return false; }
  StatusOr<ChatResult> Complete(const ChatRequest& request, const DeltaCallback& on_delta) override;

 private:
  std::string name_ = "scripted";
};

}  // namespace herald::runtime

#endif  // HERALD_CORE_RUNTIME_SCRIPTED_PROVIDER_H_
