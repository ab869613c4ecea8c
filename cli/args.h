// Command-line parsing for `herald`: a declared ArgSpec turns a list of
// tokens into ParsedArgs, or throws UsageError naming what was wrong.
//
// Accepted forms: positional arguments; `--name VALUE` and `--name=VALUE` for
// options that take a value; `--name` for boolean flags; `-x` / `-x VALUE` for
// options with a short alias; `--` ends option parsing (later tokens are
// positionals). An option declared repeatable keeps every value in order; any
// other value option given twice is an error (a boolean flag given twice is
// simply set). Options and positionals may be interleaved.
#ifndef HERALD_CLI_ARGS_H_
#define HERALD_CLI_ARGS_H_

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace herald::cli {

// The user typed something the program cannot accept: the message says what
// (e.g. "missing argument ID"). `herald` reports it and exits with status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One option. `value_name` empty means a boolean flag, otherwise the option
// takes a value and `value_name` names it in help ("URL", "TOKEN").
struct OptionSpec {
  std::string name{};        // long name without the leading "--"
  std::string value_name{};  // empty for a boolean flag
  std::string help{};        // one line for help output
  bool repeatable = false;   // may be given several times; all values are kept
  char short_name = '\0';    // optional one-letter alias "-x"; '\0' for none
};

enum class Arity {
  kRequired,  // must be present
  kOptional,  // may be omitted; only optional/variadic ones may follow
  kVariadic,  // zero or more; must be the last positional
};

// One positional argument, named in help and in "missing argument" errors.
struct PositionalSpec {
  std::string name{};  // e.g. "ID"
  Arity arity = Arity::kRequired;
  std::string help{};
};

// Everything a parser accepts. Invalid specs (duplicate names, a required
// positional after an optional one, a variadic one not last) are programming
// errors and make ParseArgs/MergeSpecs throw std::logic_error.
struct ArgSpec {
  std::vector<OptionSpec> options{};
  std::vector<PositionalSpec> positionals{};
};

// Returns the options and positionals of both specs. Throws std::logic_error
// if an option name or short alias is declared in both, or if both declare
// positionals (only one side — the command — may).
ArgSpec MergeSpecs(const ArgSpec& a, const ArgSpec& b);

// The result of ParseArgs. Lookups by a name the spec did not declare throw
// std::logic_error, so a typo in a command cannot silently read "absent".
class ParsedArgs {
 public:
  // True if the boolean flag was given.
  bool Flag(std::string_view name) const;
  // The value of a value option (the last one, for a repeatable option).
  std::optional<std::string> Value(std::string_view name) const;
  // Every value of a value option, in command-line order.
  std::vector<std::string> Values(std::string_view name) const;
  // A named positional; for a variadic one, its first value.
  std::optional<std::string> Positional(std::string_view name) const;
  // All values of a named positional (several only for a variadic one).
  std::vector<std::string> Positionals(std::string_view name) const;
  // Every positional token, in order.
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  friend ParsedArgs ParseArgs(const std::vector<std::string>& tokens, const ArgSpec& spec);

  using ValueMap = std::map<std::string, std::vector<std::string>, std::less<>>;

  std::set<std::string, std::less<>> flags_declared_;
  std::set<std::string, std::less<>> flags_set_;
  ValueMap option_values_;      // every declared value option, even if absent
  ValueMap positional_values_;  // every declared positional, even if absent
  std::vector<std::string> positionals_;
};

// Parses `tokens` (without the program name) against `spec`. Throws
// UsageError for an unknown option, a missing or unexpected value, a missing
// or extra positional, or a non-repeatable option given twice.
ParsedArgs ParseArgs(const std::vector<std::string>& tokens, const ArgSpec& spec);

// The indexes of the positional tokens that come before the first token that
// is not an option of `spec` (an unknown option, or "--"), skipping the known
// options and their values. Used to find a command's words ("connections",
// "add") among global options before the command's own spec is known.
std::vector<std::size_t> LeadingPositionals(const std::vector<std::string>& tokens,
                                            const ArgSpec& spec);

}  // namespace herald::cli

#endif  // HERALD_CLI_ARGS_H_
