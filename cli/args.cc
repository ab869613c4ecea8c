#include "cli/args.h"

#include <algorithm>

namespace herald::cli {
namespace {

void ValidateSpec(const ArgSpec& spec) {
  std::set<std::string, std::less<>> names;
  std::set<char> shorts;
  for (const OptionSpec& o : spec.options) {
    if (o.name.empty() || o.name.starts_with("-") || o.name.find('=') != std::string::npos) {
      throw std::logic_error("invalid option name '" + o.name + "'");
    }
    if (!names.insert(o.name).second) {
      throw std::logic_error("option --" + o.name + " declared twice");
    }
    if (o.short_name != '\0' && !shorts.insert(o.short_name).second) {
      throw std::logic_error(std::string("short option -") + o.short_name + " declared twice");
    }
  }
  bool seen_optional = false;
  for (std::size_t i = 0; i < spec.positionals.size(); ++i) {
    const PositionalSpec& p = spec.positionals[i];
    if (!names.insert(p.name).second) {
      throw std::logic_error("argument name '" + p.name + "' declared twice");
    }
    if (p.arity == Arity::kRequired && seen_optional) {
      throw std::logic_error("required argument " + p.name + " follows an optional one");
    }
    if (p.arity == Arity::kVariadic && i + 1 != spec.positionals.size()) {
      throw std::logic_error("variadic argument " + p.name + " is not the last one");
    }
    seen_optional = seen_optional || p.arity != Arity::kRequired;
  }
}

const OptionSpec* FindLong(const ArgSpec& spec, std::string_view name) {
  auto it = std::find_if(spec.options.begin(), spec.options.end(),
                         [&](const OptionSpec& o) { return o.name == name; });
  return it == spec.options.end() ? nullptr : &*it;
}

const OptionSpec* FindShort(const ArgSpec& spec, char c) {
  auto it = std::find_if(spec.options.begin(), spec.options.end(),
                         [&](const OptionSpec& o) { return o.short_name == c; });
  return it == spec.options.end() ? nullptr : &*it;
}

bool IsOptionToken(std::string_view token) { return token.size() > 1 && token[0] == '-'; }

// One option token, recognized: the spec entry, how the user spelled it, and
// the value attached with "=", if any.
struct OptionToken {
  const OptionSpec* spec = nullptr;
  std::string spelled;
  std::optional<std::string> inline_value;
};

// Recognizes an option token (IsOptionToken, not "--"); spec is null if unknown.
OptionToken RecognizeOption(const ArgSpec& spec, std::string_view token) {
  OptionToken result;
  if (token.starts_with("--")) {
    std::string_view body = token.substr(2);
    std::size_t eq = body.find('=');
    std::string_view name = body.substr(0, eq);
    result.spelled = "--" + std::string(name);
    if (eq != std::string_view::npos) result.inline_value = std::string(body.substr(eq + 1));
    result.spec = FindLong(spec, name);
  } else {
    result.spelled = std::string(token);
    if (token.size() == 2) result.spec = FindShort(spec, token[1]);
  }
  return result;
}

// Whether tokens[i + 1] is the value of the value option at tokens[i]: a
// value that starts with "--" must be attached with "=", since it more
// likely is the next option after a forgotten value.
bool NextIsValue(const std::vector<std::string>& tokens, std::size_t i) {
  return i + 1 < tokens.size() && !tokens[i + 1].starts_with("--");
}

std::string Describe(const OptionSpec& o) { return "--" + o.name; }

using ValueMap = std::map<std::string, std::vector<std::string>, std::less<>>;

const std::vector<std::string>& Lookup(const ValueMap& values, std::string_view name,
                                       std::string_view what) {
  auto it = values.find(name);
  if (it == values.end()) {
    throw std::logic_error(std::string(what) + std::string(name) + " was not declared");
  }
  return it->second;
}

}  // namespace

ArgSpec MergeSpecs(const ArgSpec& a, const ArgSpec& b) {
  if (!a.positionals.empty() && !b.positionals.empty()) {
    throw std::logic_error("only one spec being merged may declare positionals");
  }
  ArgSpec merged = a;
  merged.options.insert(merged.options.end(), b.options.begin(), b.options.end());
  merged.positionals.insert(merged.positionals.end(), b.positionals.begin(), b.positionals.end());
  ValidateSpec(merged);
  return merged;
}

ParsedArgs ParseArgs(const std::vector<std::string>& tokens, const ArgSpec& spec) {
  ValidateSpec(spec);
  ParsedArgs out;
  for (const OptionSpec& o : spec.options) {
    if (o.value_name.empty()) {
      out.flags_declared_.insert(o.name);
    } else {
      out.option_values_[o.name];
    }
  }
  for (const PositionalSpec& p : spec.positionals) out.positional_values_[p.name];

  bool options_done = false;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    if (options_done || !IsOptionToken(token)) {
      out.positionals_.push_back(token);
      continue;
    }
    if (token == "--") {
      options_done = true;
      continue;
    }
    OptionToken opt = RecognizeOption(spec, token);
    if (opt.spec == nullptr) throw UsageError("unknown option " + opt.spelled);
    const OptionSpec& o = *opt.spec;
    if (o.value_name.empty()) {
      if (opt.inline_value) throw UsageError("option " + Describe(o) + " takes no value");
      out.flags_set_.insert(o.name);
      continue;
    }
    std::string value;
    if (opt.inline_value) {
      value = *opt.inline_value;
    } else if (NextIsValue(tokens, i)) {
      value = tokens[++i];
    } else {
      throw UsageError("option " + Describe(o) + " requires a value (" + o.value_name + ")");
    }
    std::vector<std::string>& values = out.option_values_[o.name];
    if (!values.empty() && !o.repeatable) {
      throw UsageError("option " + Describe(o) + " given more than once");
    }
    values.push_back(std::move(value));
  }

  std::size_t next = 0;
  for (const PositionalSpec& p : spec.positionals) {
    std::vector<std::string>& values = out.positional_values_[p.name];
    if (next >= out.positionals_.size()) {
      if (p.arity == Arity::kRequired) throw UsageError("missing argument " + p.name);
      continue;
    }
    if (p.arity == Arity::kVariadic) {
      values.assign(out.positionals_.begin() + static_cast<std::ptrdiff_t>(next),
                    out.positionals_.end());
      next = out.positionals_.size();
    } else {
      values.push_back(out.positionals_[next++]);
    }
  }
  if (next < out.positionals_.size()) {
    throw UsageError("unexpected argument '" + out.positionals_[next] + "'");
  }
  return out;
}

std::vector<std::size_t> LeadingPositionals(const std::vector<std::string>& tokens,
                                            const ArgSpec& spec) {
  std::vector<std::size_t> indexes;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    if (!IsOptionToken(token)) {
      indexes.push_back(i);
      continue;
    }
    if (token == "--") break;
    OptionToken opt = RecognizeOption(spec, token);
    if (opt.spec == nullptr) break;
    if (!opt.spec->value_name.empty() && !opt.inline_value && NextIsValue(tokens, i)) ++i;
  }
  return indexes;
}

bool ParsedArgs::Flag(std::string_view name) const {
  if (!flags_declared_.contains(name)) {
    throw std::logic_error("flag --" + std::string(name) + " was not declared");
  }
  return flags_set_.contains(name);
}

std::optional<std::string> ParsedArgs::Value(std::string_view name) const {
  const std::vector<std::string>& values = Lookup(option_values_, name, "option --");
  if (values.empty()) return std::nullopt;
  return values.back();
}

std::vector<std::string> ParsedArgs::Values(std::string_view name) const {
  return Lookup(option_values_, name, "option --");
}

std::optional<std::string> ParsedArgs::Positional(std::string_view name) const {
  const std::vector<std::string>& values = Lookup(positional_values_, name, "argument ");
  if (values.empty()) return std::nullopt;
  return values.front();
}

std::vector<std::string> ParsedArgs::Positionals(std::string_view name) const {
  return Lookup(positional_values_, name, "argument ");
}

}  // namespace herald::cli
