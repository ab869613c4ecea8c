// JSON values written as compact text.
#ifndef HERALD_CORE_JSON_TEXT_H_
#define HERALD_CORE_JSON_TEXT_H_

#include <Poco/Dynamic/Var.h>

#include <string>

namespace herald {

// `value` as compact JSON (no whitespace), as Poco's Stringifier::condense
// writes it: what snapshots are hashed over, so its output must not change.
std::string CompactJson(const Poco::Dynamic::Var& value);

}  // namespace herald

#endif  // HERALD_CORE_JSON_TEXT_H_
