#include "herald/core/runtime/scripted_provider.h"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>

#include "herald/core/runtime/knowledge_index.h"

namespace herald::runtime {
namespace {

constexpr size_t kMaxToolResultChars = 1000;
constexpr size_t kMaxDeltas = 4;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool ConsumePrefix(std::string_view& s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size() || Lower(s.substr(0, lower_prefix.size())) != lower_prefix) {
    return false;
  }
  s.remove_prefix(lower_prefix.size());
  return true;
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

// Calls `line` with each line of `text`, without its '\n' (as std::getline
// splits, without a stream per call).
template <typename F>
void ForEachLine(std::string_view text, F&& line) {
  while (!text.empty()) {
    const size_t end = text.find('\n');
    line(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

// A guideline line without its bullet.
std::string_view Unbullet(std::string_view line) {
  line = Trim(line);
  if (!line.empty() && (line.front() == '-' || line.front() == '*')) line = Trim(line.substr(1));
  return line;
}

std::optional<ToolRule> ParseRule(std::string_view line) {
  std::string_view s = Unbullet(line);
  if (!ConsumePrefix(s, "when the user mentions ")) return std::nullopt;
  ToolRule rule;
  while (true) {
    s = Trim(s);
    if (s.empty() || s.front() != '"') return std::nullopt;
    size_t close = s.find('"', 1);
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    rule.phrases.push_back(Lower(s.substr(1, close - 1)));
    s.remove_prefix(close + 1);
    s = Trim(s);
    if (!ConsumePrefix(s, "or ")) break;
  }
  if (!s.empty() && s.front() == ',') s = Trim(s.substr(1));
  if (!ConsumePrefix(s, "call ")) return std::nullopt;
  s = Trim(s);
  size_t n = 0;
  while (n < s.size() && IsNameChar(s[n])) ++n;
  if (n == 0) return std::nullopt;
  rule.tool = std::string(s.substr(0, n));
  while (!rule.tool.empty() && rule.tool.back() == '.') rule.tool.pop_back();
  s = Trim(s.substr(n));
  if (s.empty() || s == ".") return rule;
  if (!ConsumePrefix(s, "with ")) return std::nullopt;
  std::string_view args = Trim(s);
  if (!args.empty() && args.back() == '.') args.remove_suffix(1);
  while (!args.empty()) {
    size_t comma = args.find(',');
    std::string_view pair = Trim(args.substr(0, comma));
    args = comma == std::string_view::npos ? std::string_view() : args.substr(comma + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) return std::nullopt;
    std::string_view name = Trim(pair.substr(0, eq));
    std::string_view value = Trim(pair.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    rule.arguments.emplace_back(std::string(name), std::string(value));
  }
  return rule;
}

std::string FirstNumber(const std::string& message) {
  size_t start = message.find_first_of("0123456789");
  if (start == std::string::npos) return "";
  size_t end = message.find_first_not_of("0123456789", start);
  return message.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string LastWord(const std::string& message) {
  size_t end = message.size();
  while (end > 0 && !IsNameChar(message[end - 1])) --end;
  while (end > 0 && message[end - 1] == '.') --end;
  size_t start = end;
  while (start > 0 && IsNameChar(message[start - 1])) --start;
  return message.substr(start, end - start);
}

// The latest user message, and whether an assistant spoke before it.
const ChatMessage* LatestUser(const std::vector<ChatMessage>& messages) {
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    if (it->role == "user") return &*it;
  }
  return nullptr;
}

bool IsFirstTurn(const std::vector<ChatMessage>& messages) {
  int users = 0;
  for (const auto& m : messages) users += m.role == "user" ? 1 : 0;
  return users <= 1;
}

std::string BestGuideline(const std::string& guidelines, const std::string& message) {
  std::vector<std::string> wanted = Terms(message);
  std::string best;
  size_t best_overlap = 0;
  ForEachLine(guidelines, [&](std::string_view line) {
    if (ParseRule(line)) return;
    std::string_view text = Unbullet(line);
    if (text.empty()) return;
    size_t overlap = 0;
    for (const std::string& t : Terms(text)) {
      overlap += std::count(wanted.begin(), wanted.end(), t);
    }
    if (overlap > best_overlap) {
      best_overlap = overlap;
      best = std::string(text);
    }
  });
  return best;
}

std::string Compose(const ChatRequest& request, const std::string& message) {
  std::vector<std::string> parts;
  const AgentContext& ctx = request.context;
  if (IsFirstTurn(request.messages) && !Trim(ctx.welcome_message).empty()) {
    parts.emplace_back(Trim(ctx.welcome_message));
  }
  if (!ctx.passages.empty()) {
    const Passage& best = ctx.passages[0];
    parts.push_back("From " + best.file + ": " + best.text);
    if (ctx.passages.size() > 1 && ctx.passages[1].score * 2 >= best.score) {
      parts.push_back("From " + ctx.passages[1].file + ": " + ctx.passages[1].text);
    }
  } else if (std::string line = BestGuideline(ctx.guidelines, message); !line.empty()) {
    parts.push_back(line);
  } else {
    parts.emplace_back("Sorry, I don't know about that.");
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "\n\n") + p;
  return out;
}

// Sends `text` in up to kMaxDeltas pieces cut at spaces.
bool Stream(const std::string& text, const DeltaCallback& on_delta) {
  if (!on_delta) return true;
  const size_t target = std::max<size_t>(1, (text.size() + kMaxDeltas - 1) / kMaxDeltas);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.size(), start + target);
    if (end < text.size()) {
      size_t space = text.find(' ', end);
      end = space == std::string::npos ? text.size() : space + 1;
    }
    if (!on_delta(std::string_view(text).substr(start, end - start))) return false;
    start = end;
  }
  return true;
}

}  // namespace

std::vector<ToolRule> ParseToolRules(const std::string& guidelines) {
  std::vector<ToolRule> rules;
  ForEachLine(guidelines, [&](std::string_view line) {
    if (auto rule = ParseRule(line)) rules.push_back(std::move(*rule));
  });
  return rules;
}

std::string RuleArguments(const ToolRule& rule, const std::string& message) {
  Poco::JSON::Object args;
  for (const auto& [name, value] : rule.arguments) {
    if (value == "$message") {
      args.set(name, message);
    } else if (value == "$number") {
      args.set(name, FirstNumber(message));
    } else if (value == "$last_word") {
      args.set(name, LastWord(message));
    } else {
      args.set(name, value);
    }
  }
  std::ostringstream out;
  args.stringify(out);
  return out.str();
}

StatusOr<std::vector<std::string>> ScriptedProvider::ListModels() {
  return std::vector<std::string>{kModel};
}

StatusOr<ChatResult> ScriptedProvider::Complete(const ChatRequest& request,
                                                const DeltaCallback& on_delta) {
  ChatResult result;
  // 1. Tool results answered.
  size_t first_tool = request.messages.size();
  while (first_tool > 0 && request.messages[first_tool - 1].role == "tool") --first_tool;
  if (first_tool < request.messages.size()) {
    for (size_t i = first_tool; i < request.messages.size(); ++i) {
      const ChatMessage& m = request.messages[i];
      std::string content = m.content.substr(0, kMaxToolResultChars);
      if (m.content.size() > kMaxToolResultChars) content += "...";
      result.text += (result.text.empty() ? "" : "\n") + m.name + " returned: " + content;
    }
  } else {
    const ChatMessage* user = LatestUser(request.messages);
    const std::string message = user != nullptr ? user->content : "";
    const std::vector<ToolRule> rules = ParseToolRules(request.context.guidelines);
    const std::string lower = rules.empty() ? std::string() : Lower(message);
    // 2. A tool rule.
    for (const ToolRule& rule : rules) {
      bool offered = std::any_of(request.tools.begin(), request.tools.end(),
                                 [&](const ToolDefinition& t) { return t.name == rule.tool; });
      bool mentioned =
          std::any_of(rule.phrases.begin(), rule.phrases.end(),
                      [&](const std::string& p) { return lower.find(p) != std::string::npos; });
      if (!offered || !mentioned) continue;
      size_t calls = 0;
      for (const auto& m : request.messages) calls += m.tool_calls.size();
      result.tool_calls.push_back(
          {"call_" + std::to_string(calls + 1), rule.tool, RuleArguments(rule, message)});
      return result;
    }
    // 3. Text.
    result.text = Compose(request, message);
  }
  if (!Stream(result.text, on_delta)) {
    return Status::Unavailable(std::string(kCancelledMessage));
  }
  return result;
}

}  // namespace herald::runtime
