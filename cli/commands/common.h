// Helpers shared by the commands in cli/commands/: required and enumerated
// option values, reading files and standard input for values that should not
// appear on the command line, and the common shapes of human output.
#ifndef HERALD_CLI_COMMANDS_COMMON_H_
#define HERALD_CLI_COMMANDS_COMMON_H_

#include <initializer_list>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Poco/Dynamic/Var.h>

#include "cli/api_client.h"
#include "cli/args.h"
#include "cli/command.h"
#include "cli/table.h"

namespace herald::cli {

// The value of option --`name`; throws UsageError "missing option --NAME" if absent.
std::string RequiredValue(const ParsedArgs& args, std::string_view name);

// `value` if it is one of `allowed`; otherwise throws UsageError
// "--OPTION must be one of a, b (got 'x')".
std::string OneOf(std::string_view option, const std::string& value,
                  std::initializer_list<std::string_view> allowed);

// Option --`name` as a positive integer, if given; throws UsageError when it
// is not one.
std::optional<int> PositiveIntValue(const ParsedArgs& args, std::string_view name);

// The whole content of the file at `path`. Throws UsageError
// "cannot read WHAT 'PATH': REASON" when it cannot be read (missing, a
// directory, no permission). `what` names the file's role ("file", "key file").
std::string ReadFileOrThrow(const std::string& path, std::string_view what);

// Writes `content` to the file at `path`, replacing it. Throws UsageError
// "cannot write WHAT 'PATH': REASON" when it cannot be written.
void WriteFileOrThrow(const std::string& path, const std::string& content, std::string_view what);

// Everything left on `in`.
std::string ReadAll(std::istream& in);

// `text` without its trailing line ending(s) ("\n", "\r\n").
std::string StripTrailingNewlines(std::string text);

// "✓" or "✗".
std::string Mark(bool yes);

// Handles what every command does with an answer first: an error is reported
// (its exit status returned) and with --json the body is printed (kExitOk
// returned). Returns nullopt when the command should print human output.
std::optional<int> ReportOrPrintJson(CommandContext& ctx, const ApiResponse& response);

// Lines "Label:  value" with the values aligned, each preceded by `indent`. An
// empty value prints the label alone.
using KeyValues = std::vector<std::pair<std::string, std::string>>;
void PrintKeyValues(const KeyValues& lines, std::ostream& out, std::string_view indent = "");

// `table` with every line preceded by `indent`.
void PrintTable(const Table& table, std::ostream& out, std::string_view indent = "");

// `value` as compact JSON text ({"a":1}); "" for an empty value.
std::string CompactJson(const Poco::Dynamic::Var& value);

// `value` as JSON indented by two spaces per level, "key": value, with empty
// objects and arrays as {} and [], and no trailing newline.
std::string PrettyJson(const Poco::Dynamic::Var& value);

// "/v1/connections/ID" style paths: each segment percent-encoded.
std::string PathOf(std::initializer_list<std::string_view> segments);

}  // namespace herald::cli

#endif  // HERALD_CLI_COMMANDS_COMMON_H_
