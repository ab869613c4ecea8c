// Internal: the words used for security schemes in descriptions and
// explanations, shared by the document reader and the matcher.
#ifndef HERALD_CORE_SRC_OPENAPI_SCHEME_TEXT_H_
#define HERALD_CORE_SRC_OPENAPI_SCHEME_TEXT_H_

#include <herald/sdk/types.hpp>

#include <string>
#include <string_view>

namespace herald::openapi::internal {

// Appended to an unsupported scheme's kind to make its description.
inline constexpr std::string_view kUnsupportedSuffix = " (not supported by any auth type)";

// What an apiKey or http scheme is: "apiKey in header 'X-API-Key'", "http bearer".
inline std::string SchemeKind(const sdk::SecurityScheme& s) {
  if (s.type == HERALD_SCHEME_API_KEY) return "apiKey in " + s.in + " '" + s.name + "'";
  return "http " + s.scheme;
}

}  // namespace herald::openapi::internal

#endif  // HERALD_CORE_SRC_OPENAPI_SCHEME_TEXT_H_
