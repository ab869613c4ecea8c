#include "cli/commands/common.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include "cli/exit_status.h"
#include "cli/report.h"

namespace herald::cli {

std::string RequiredValue(const ParsedArgs& args, std::string_view name) {
  std::optional<std::string> value = args.Value(name);
  if (!value) throw UsageError("missing option --" + std::string(name));
  return *value;
}

std::string OneOf(std::string_view option, const std::string& value,
                  std::initializer_list<std::string_view> allowed) {
  std::string list;
  for (std::string_view a : allowed) {
    if (a == value) return value;
    if (!list.empty()) list += ", ";
    list += a;
  }
  throw UsageError("--" + std::string(option) + " must be one of " + list + " (got '" + value +
                   "')");
}

std::optional<int> PositiveIntValue(const ParsedArgs& args, std::string_view name) {
  std::optional<std::string> value = args.Value(name);
  if (!value) return std::nullopt;
  bool digits = !value->empty() && value->size() <= 9 &&
                value->find_first_not_of("0123456789") == std::string::npos;
  int number = digits ? std::stoi(*value) : 0;
  if (number <= 0) {
    throw UsageError("--" + std::string(name) + " expects a positive whole number (got '" + *value +
                     "')");
  }
  return number;
}

std::string ReadFileOrThrow(const std::string& path, std::string_view what) {
  const std::string prefix = "cannot read " + std::string(what) + " '" + path + "': ";
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw UsageError(prefix + "is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(prefix + std::strerror(errno));
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw UsageError(prefix + "read error");
  return content.str();
}

void WriteFileOrThrow(const std::string& path, const std::string& content, std::string_view what) {
  const std::string prefix = "cannot write " + std::string(what) + " '" + path + "': ";
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw UsageError(prefix + "is a directory");
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw UsageError(prefix + std::strerror(errno));
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw UsageError(prefix + "write error");
}

std::string ReadAll(std::istream& in) {
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string StripTrailingNewlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string Mark(bool yes) { return yes ? "✓" : "✗"; }

std::optional<int> ReportOrPrintJson(CommandContext& ctx, const ApiResponse& response) {
  if (!response.ok()) return ReportError(*response.error, ctx.err);
  if (ctx.json) {
    PrintJsonBody(response, ctx.out);
    return kExitOk;
  }
  return std::nullopt;
}

void PrintKeyValues(const KeyValues& lines, std::ostream& out, std::string_view indent) {
  std::size_t width = 0;
  for (const auto& [label, value] : lines) width = std::max(width, DisplayWidth(label) + 1);
  for (const auto& [label, value] : lines) {
    out << indent << label << ':';
    if (!value.empty()) out << std::string(width - DisplayWidth(label) + 1, ' ') << value;
    out << '\n';
  }
}

void PrintTable(const Table& table, std::ostream& out, std::string_view indent) {
  std::ostringstream text;
  table.Print(text);
  std::istringstream lines(text.str());
  for (std::string line; std::getline(lines, line);) out << indent << line << '\n';
}

std::string CompactJson(const Poco::Dynamic::Var& value) {
  if (value.isEmpty()) return "";
  std::ostringstream text;
  Poco::JSON::Stringifier::condense(value, text);
  return text.str();
}

namespace {

void AppendPretty(const Poco::Dynamic::Var& value, const std::string& indent, std::string& out) {
  const std::string inner = indent + "  ";
  if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
    Poco::JSON::Object::Ptr object = value.extract<Poco::JSON::Object::Ptr>();
    if (object.isNull() || object->size() == 0) {
      out += object.isNull() ? "null" : "{}";
      return;
    }
    out += "{\n";
    bool first = true;
    for (const auto& [key, member] : *object) {
      if (!first) out += ",\n";
      first = false;
      out += inner + CompactJson(Poco::Dynamic::Var(key)) + ": ";
      AppendPretty(member, inner, out);
    }
    out += "\n" + indent + "}";
  } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
    Poco::JSON::Array::Ptr array = value.extract<Poco::JSON::Array::Ptr>();
    if (array.isNull() || array->size() == 0) {
      out += array.isNull() ? "null" : "[]";
      return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (i > 0) out += ",\n";
      out += inner;
      AppendPretty(array->get(static_cast<unsigned int>(i)), inner, out);
    }
    out += "\n" + indent + "]";
  } else if (value.isEmpty()) {
    out += "null";
  } else {
    out += CompactJson(value);
  }
}

}  // namespace

std::string PrettyJson(const Poco::Dynamic::Var& value) {
  std::string out;
  AppendPretty(value, "", out);
  return out;
}

std::string PathOf(std::initializer_list<std::string_view> segments) {
  std::string path;
  for (std::string_view s : segments) path += "/" + ApiClient::EscapeSegment(s);
  return path;
}

}  // namespace herald::cli
