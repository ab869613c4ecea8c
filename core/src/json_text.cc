#include "herald/core/json_text.h"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace herald {

std::string CompactJson(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

}  // namespace herald
