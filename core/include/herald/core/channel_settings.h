// A channel's settings, checked the way Fluent Bit checks a plugin's
// configuration: first against what the plugin declared (unknown names,
// missing required ones, wrong types), then by the plugin's own validate.
// The host does the first part, so every plugin gets the same clear errors.
//
// Thread-safety: stateless; the plugin must accept concurrent validate calls.
#ifndef HERALD_CORE_CHANNEL_SETTINGS_H_
#define HERALD_CORE_CHANNEL_SETTINGS_H_

#include <herald/sdk/types.hpp>

#include <string>
#include <vector>

#include "herald/core/plugin_loader.h"
#include "herald/core/status.h"

namespace herald {

// The settings (a JSON object's text) as the name/value pairs the plugin
// receives, defaults filled in. `problems` gets every problem, each naming
// "settings.<name>"; the result is usable only when `problems` stays empty.
sdk::Values ResolveChannelSettings(const LoadedPlugin& plugin, const std::string& settings_json,
                                   std::vector<sdk::Problem>* problems);

// Every problem: the declared-spec checks, then (only if those pass) the
// plugin's own validate.
std::vector<sdk::Problem> ValidateChannelSettings(const LoadedPlugin& plugin,
                                                  const std::string& settings_json);

// "settings.x: required; settings.y: expected an integer".
std::string JoinProblems(const std::vector<sdk::Problem>& problems);

}  // namespace herald

#endif  // HERALD_CORE_CHANNEL_SETTINGS_H_
