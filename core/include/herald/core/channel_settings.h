// A channel's settings, checked the way Fluent Bit checks a plugin's
// configuration: first against what the plugin declared (unknown names,
// missing required ones, wrong types), then by the plugin's own validate.
// The host does the first part, so every plugin gets the same clear errors.
//
// Thread-safety: stateless; the plugin must accept concurrent validate calls.
#ifndef HERALD_CORE_CHANNEL_SETTINGS_H_
#define HERALD_CORE_CHANNEL_SETTINGS_H_

#include <herald/sdk/types.hpp>

#include <functional>
#include <string>
#include <vector>

#include "herald/core/plugin_loader.h"
#include "herald/core/status.h"

namespace herald {

// Opens the stored value of the secret setting `setting` that the settings
// refer to as {"$secret":"<id>"} (see secret_settings.h). Its error must not
// carry the value.
using SecretOpener =
    std::function<StatusOr<std::string>(const std::string& setting, const std::string& id)>;

// The settings (a JSON object's text) as the name/value pairs the plugin
// receives, defaults filled in. `problems` gets every problem, each naming
// "settings.<name>"; the result is usable only when `problems` stays empty.
//
// A secret setting (ABI 1.2) may hold its value as a string, or the
// reference {"$secret":"<id>"} to its stored value: `open_secret` opens the
// reference; without one, the setting counts as present but the pairs leave
// it out. Any other setting holding {"$secret": ...} is a problem.
sdk::Values ResolveChannelSettings(const LoadedPlugin& plugin, const std::string& settings_json,
                                   std::vector<sdk::Problem>* problems,
                                   const SecretOpener& open_secret = {});

// Every problem: the declared-spec checks, then (only if those pass) the
// plugin's own validate, which sees secret references opened by
// `open_secret` (without one, it does not see those settings).
std::vector<sdk::Problem> ValidateChannelSettings(const LoadedPlugin& plugin,
                                                  const std::string& settings_json,
                                                  const SecretOpener& open_secret = {});

// "settings.x: required; settings.y: expected an integer".
std::string JoinProblems(const std::vector<sdk::Problem>& problems);

}  // namespace herald

#endif  // HERALD_CORE_CHANNEL_SETTINGS_H_
