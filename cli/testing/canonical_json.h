// CanonicalJson: a JSON text re-serialised with sorted keys and no
// whitespace, so tests can compare request bodies regardless of key order
// and spacing: EXPECT_EQ(CanonicalJson(request.body), CanonicalJson(R"({...})")).
#ifndef HERALD_CLI_TESTING_CANONICAL_JSON_H_
#define HERALD_CLI_TESTING_CANONICAL_JSON_H_

#include <string>

namespace herald::cli::testing {

// Text that is not JSON comes back as "<not JSON: ...> TEXT", so a comparison
// with valid JSON fails and shows it.
std::string CanonicalJson(const std::string& text);

}  // namespace herald::cli::testing

#endif  // HERALD_CLI_TESTING_CANONICAL_JSON_H_
