// Tools: HTTP operations an agent may call, bound to a connection.
#ifndef HERALD_CORE_MODEL_TOOL_H_
#define HERALD_CORE_MODEL_TOOL_H_

#include <string>

namespace herald {

struct Tool {
  std::string name;  // slug, unique
  std::string description;
  std::string method;
  std::string server_url;
  std::string path;
  std::string parameters_json;  // [{name, in, required, type, description}]
  std::string security_json;    // [[{name, type, in, name, scheme}...]...]: OR of ANDs
  std::string connection_id;    // empty: not bound
  std::string source;           // the file it was imported from
  std::string created_at;
  std::string updated_at;

  bool operator==(const Tool&) const = default;
};

}  // namespace herald

#endif  // HERALD_CORE_MODEL_TOOL_H_
