// Syntax checks shared by the built-in auth-type plugins: HTTP header names
// (RFC 7230 tokens), control characters and whitespace in credential values,
// and turning validation problems into an error for Apply.
//
// Secret rule: every message built here names a field and says what is wrong
// with it; none ever contains a field value.
#ifndef HERALD_PLUGINS_AUTH_COMMON_HTTP_SYNTAX_HPP_
#define HERALD_PLUGINS_AUTH_COMMON_HTTP_SYNTAX_HPP_

#include <herald/sdk/types.hpp>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace herald::plugins {

// RFC 7230 section 3.2.6: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" /
// "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA.
constexpr bool IsTokenChar(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(ch) != std::string_view::npos;
}

// A non-empty RFC 7230 token: what an HTTP header name must be.
constexpr bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}

constexpr bool IsLineBreak(char c) { return c == '\r' || c == '\n'; }

// ASCII control characters (C0 and DEL), line breaks and tab included.
constexpr bool IsControl(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return c < 0x20 || c == 0x7f;
}

constexpr bool IsAsciiWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

constexpr bool ContainsIf(std::string_view s, bool (*pred)(char)) {
  return std::any_of(s.begin(), s.end(), pred);
}

constexpr char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return AsciiLower(x) == AsciiLower(y);
         });
}

inline std::string AsciiLowerCopy(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), AsciiLower);
  return out;
}

// What is wrong with `value` as the value of an HTTP header (or a credential
// that ends up in one), or nothing. Line breaks are reported first: they are
// the header-injection case. `what` names the field in the message.
inline std::optional<std::string> ControlCharacterProblem(std::string_view what,
                                                          std::string_view value) {
  if (ContainsIf(value, IsLineBreak)) return std::string(what) + " contains a line break";
  if (ContainsIf(value, IsControl)) return std::string(what) + " contains a control character";
  return std::nullopt;
}

// Throws when `problems` is not empty, so that Apply never sends a request
// with credentials Validate rejects. The message joins the problems' own
// messages, which never contain field values.
inline void ThrowIfInvalid(const std::vector<sdk::Problem>& problems) {
  if (problems.empty()) return;
  std::string message = "invalid credentials: ";
  for (size_t i = 0; i < problems.size(); ++i) {
    if (i > 0) message += "; ";
    message += problems[i].message;
  }
  throw std::invalid_argument(message);
}

}  // namespace herald::plugins

#endif  // HERALD_PLUGINS_AUTH_COMMON_HTTP_SYNTAX_HPP_
