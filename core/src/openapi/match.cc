#include "herald/core/openapi/match.h"

#include <string>
#include <string_view>

#include "scheme_text.h"

namespace herald::openapi {
namespace {

bool Satisfied(const NamedScheme& s, const SchemeChecker& checker) {
  return s.supported && checker && checker(s.scheme);
}

// "{api_key and basic}", with each scheme described when `describe`.
std::string Braced(const SecurityRequirement& requirement, bool describe) {
  std::string out = "{";
  for (size_t i = 0; i < requirement.size(); ++i) {
    if (i > 0) out += " and ";
    out += describe ? DescribeScheme(requirement[i]) : requirement[i].name;
  }
  return out + "}";
}

}  // namespace

std::string DescribeScheme(const NamedScheme& s) {
  if (s.supported) return s.name + " (" + internal::SchemeKind(s.scheme) + ")";
  std::string_view kind = s.description;
  const std::string_view suffix = internal::kUnsupportedSuffix;
  if (kind.size() >= suffix.size() && kind.substr(kind.size() - suffix.size()) == suffix) {
    kind.remove_suffix(suffix.size());
  }
  if (kind.empty()) return s.name + " (unsupported)";
  return s.name + " (" + std::string(kind) + ", unsupported)";
}

MatchResult MatchSecurity(const std::vector<SecurityRequirement>& requirements,
                          const SchemeChecker& checker) {
  if (requirements.empty()) return {true, "no security required"};
  for (const SecurityRequirement& requirement : requirements) {
    bool all = true;
    for (const NamedScheme& s : requirement) {
      if (!Satisfied(s, checker)) {
        all = false;
        break;
      }
    }
    if (!all) continue;
    if (requirement.empty()) return {true, "satisfies requirement {} (security is optional)"};
    return {true, "satisfies requirement " + Braced(requirement, false)};
  }
  std::string explanation = requirements.size() == 1 ? "needs " : "needs one of: ";
  for (size_t i = 0; i < requirements.size(); ++i) {
    if (i > 0) explanation += " or ";
    explanation += Braced(requirements[i], true);
  }
  return {false, explanation};
}

}  // namespace herald::openapi
