// JSON text exactly as Poco's condensed writer (Stringifier::condense) makes
// it, written straight from values, without Poco's object trees. Every
// version's content hash is the sha256 of such text, so what these write must
// not change by a byte; canonical_json_test.cc checks them against Poco.
//
// Poco's condensed form: no whitespace, object keys in byte order (a parsed
// object keeps the last of equal keys), strings with only control
// characters, '"' and '\' escaped (the others as they are, UTF-8 or not),
// numbers as Poco formats them.
//
// Thread-safety: free functions on values; call from any thread.
#ifndef HERALD_CORE_DEPLOY_CANONICAL_JSON_H_
#define HERALD_CORE_DEPLOY_CANONICAL_JSON_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace herald::deploy {

// Appends `text` as a JSON string.
void AppendJsonString(std::string& out, std::string_view text);
void AppendJsonInt(std::string& out, int64_t value);
// Poco's shortest round-trip form: 1, 1.5, 0.1, 1e+21, 0.0000001.
void AppendJsonDouble(std::string& out, double value);

// Whether Poco's parser reads `json` as an object that its condensed writer
// writes back as exactly `json`. Conservative: false for some texts that
// would be (keys with escapes, integers of more than 18 digits or negative
// ones of more than 15, nesting deeper than 64), never true for one that would not.
bool IsCanonicalJsonObject(std::string_view json);

// Stored JSON text (a channel's settings) as Poco writes it once parsed, the
// way AgentConfigJson reads it: empty or unparsable text gives "{}". Text
// already in that form, as the store holds settings, is returned as it is
// after one pass over it; anything else is parsed and written by Poco.
std::string CanonicalJson(const std::string& json);

}  // namespace herald::deploy

#endif  // HERALD_CORE_DEPLOY_CANONICAL_JSON_H_
