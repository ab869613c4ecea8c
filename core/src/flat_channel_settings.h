// A channel's settings resolved without a JSON parser, for the common case:
// the settings as the store keeps them (Poco's condensed form), a flat
// object of scalars that each fit the declared type. A deploy resolves each
// channel's settings for its summary and again in its publish call, on the
// fan-out's worker, where building Poco's object tree was most of the call's
// own cost.
//
// Thread-safety: a pure function; call from any thread.
#ifndef HERALD_CORE_FLAT_CHANNEL_SETTINGS_H_
#define HERALD_CORE_FLAT_CHANNEL_SETTINGS_H_

#include <herald/sdk/abi.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace herald {

// The name/value pairs ResolveChannelSettings would give for `json`, when it
// would find no problem and `json` is simple enough to read in one pass:
// Poco's condensed form (deploy::IsCanonicalJsonObject), every key declared,
// every value a string without escapes, an integer, true, false or null
// that the declared type takes as it is (a secret setting only a string),
// and every required setting given or defaulted. nullopt for anything else
// (a problem to name, a secret reference, an escape, a nested value, text
// in another form): ResolveChannelSettings then parses it with Poco.
std::optional<std::map<std::string, std::string>> ResolveFlatChannelSettings(
    const herald_channel_vtable& vtable, std::string_view json);

}  // namespace herald

#endif  // HERALD_CORE_FLAT_CHANNEL_SETTINGS_H_
