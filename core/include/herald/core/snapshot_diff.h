// Field-level differences between two agent snapshots (canonical JSON).
//
// Paths name fields the way people read them: "description",
// "behaviour.welcome_message", "tools[listpets].connection",
// "channels[chat].settings.access", "behaviour.starter_prompts[2]". Elements
// of arrays of objects with a "name" (or "user") are matched by it, so a
// reordering is no change and an added tool is one change. A secret channel
// setting's reference is one field, compared by reference and shown as
// {"$secret":"set"} on both sides: the change names no value.
#ifndef HERALD_CORE_SNAPSHOT_DIFF_H_
#define HERALD_CORE_SNAPSHOT_DIFF_H_

#include <optional>
#include <string>
#include <vector>

namespace herald {

struct FieldChange {
  std::string path;
  std::optional<std::string> from;  // JSON text; empty when added
  std::optional<std::string> to;    // JSON text; empty when removed
};

std::vector<FieldChange> DiffSnapshots(const std::string& from_json, const std::string& to_json);

}  // namespace herald

#endif  // HERALD_CORE_SNAPSHOT_DIFF_H_
