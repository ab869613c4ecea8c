// Matching an operation's OpenAPI security requirements against what a
// connection's auth type can provide.
//
// OpenAPI semantics: an operation is callable when it lists no requirements,
// or when for ANY ONE requirement object EVERY scheme in it is satisfied. An
// empty requirement object (`{}`) is satisfied by anything. A scheme is
// satisfied when it is supported (NamedScheme::supported) and the checker says
// yes; the checker is never asked about an unsupported scheme.
//
// Explanations are shown to operators. They name schemes and describe them
// from the document only; no credential ever reaches this code.
//
// Thread-safety: pure functions; the checker is called on the caller's thread.
#ifndef HERALD_CORE_OPENAPI_MATCH_H_
#define HERALD_CORE_OPENAPI_MATCH_H_

#include <herald/core/openapi/document.h>
#include <herald/sdk/types.hpp>

#include <functional>
#include <string>
#include <vector>

namespace herald::openapi {

// Whether the connection can satisfy one (supported) scheme. heraldd passes a
// function asking the connection's auth-type plugin (AuthTypeClient::Satisfies).
// An empty function is treated as one that always says no.
using SchemeChecker = std::function<bool(const sdk::SecurityScheme&)>;

struct MatchResult {
  bool satisfied = false;
  // Why, for people:
  //   "no security required"
  //   "satisfies requirement {api_key}"
  //   "satisfies requirement {} (security is optional)"
  //   "needs {api_key (apiKey in header 'X-API-Key')}"
  //   "needs one of: {api_key (apiKey in header 'X-API-Key')} or {oauth (oauth2, unsupported)}"
  // Schemes within one requirement object are joined with " and ".
  std::string explanation;
};

// Checks `requirements` (OR of requirement objects, each an AND of schemes)
// with `checker`. Requirement objects are tried in order; the first satisfied
// one is named in the explanation.
MatchResult MatchSecurity(const std::vector<SecurityRequirement>& requirements,
                          const SchemeChecker& checker);

// "api_key (apiKey in header 'X-API-Key')", "basic (http basic)",
// "oauth (oauth2, unsupported)".
std::string DescribeScheme(const NamedScheme& scheme);

}  // namespace herald::openapi

#endif  // HERALD_CORE_OPENAPI_MATCH_H_
