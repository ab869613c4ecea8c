#include "cli/testing/canonical_json.h"

#include <sstream>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

namespace herald::cli::testing {

std::string CanonicalJson(const std::string& text) {
  try {
    Poco::JSON::Parser parser;  // objects keep their keys sorted
    Poco::Dynamic::Var value = parser.parse(text);
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
  } catch (const Poco::Exception& e) {
    return "<not JSON: " + e.displayText() + "> " + text;
  }
}

}  // namespace herald::cli::testing
