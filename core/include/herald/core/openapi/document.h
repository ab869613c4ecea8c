// Reading an OpenAPI 3 document (YAML or JSON) into the operations an agent
// can call as tools, with the security each operation requires.
//
// ParseDocument reads the whole document, checks it and returns one Operation
// per operation under `paths`, in document order. It never throws and never
// crashes on odd input: malformed YAML/JSON, a Swagger 2 document, a missing
// field or a reference to an undefined security scheme is refused with
// Status::InvalidArgument, whose message starts with the file name and names
// the field path at fault, e.g.
//   "petstore.yaml: paths./pets.get.parameters[0]: missing 'name'"
//   "petstore.yaml: line 4, column 3: malformed YAML/JSON: end of map flow not found"
//   "petstore.yaml: operation listPets requires security scheme 'api_key', which
//    components.securitySchemes does not define"
// Messages quote the document only (never a credential: a document has none).
//
// Rules (OpenAPI 3.0 and 3.1):
//  - `openapi` must be 3.x; a Swagger 2 (`swagger: "2.0"`) document is refused
//    saying so. `paths` is required (it may be empty).
//  - tool_name: the operationId, lower-cased with every character outside
//    [a-z0-9_-] replaced by '_'; without an operationId, a slug of the method
//    and path ("GET /pets/{petId}" -> "get_pets_by_petid"). Tool names are
//    unique within a document: a duplicate operationId, or two operations
//    whose names normalise to the same slug, is refused naming both.
//  - description: the operation's summary, else its description, else the path
//    item's summary, else the path item's description, else empty.
//  - server_url: the operation's first server, else the path item's, else the
//    document's first `servers[].url`, with `{variable}`s replaced by their
//    defaults; empty when no servers are given. Relative URLs are kept as they
//    are.
//  - parameters: the path item's merged with the operation's; the operation's
//    override the path item's with the same name and `in`. Local `$ref`s
//    (`#/components/parameters/X`, or any `#/...` pointer) are resolved; a local
//    reference to nothing is refused; a non-local reference (another file) is
//    skipped. Path parameters are always required.
//  - security: the operation's own `security` overrides the document's global
//    `security`; `security: []` on an operation requires nothing even when a
//    global one exists. Every scheme named must exist in
//    components.securitySchemes. Schemes: apiKey needs `in` and `name`; http
//    needs `scheme` (lower-cased). apiKey in header or query and http basic or
//    bearer are supported; anything else (apiKey in cookie, http digest, oauth2,
//    openIdConnect, mutualTLS, an unknown type) is kept, marked unsupported.
//
// Thread-safety: a pure function of its arguments; call it from any thread.
#ifndef HERALD_CORE_OPENAPI_DOCUMENT_H_
#define HERALD_CORE_OPENAPI_DOCUMENT_H_

#include <herald/core/status.h>
#include <herald/sdk/types.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace herald::openapi {

// A security scheme as the document defines it.
struct NamedScheme {
  std::string name;  // the key in components.securitySchemes
  // True for apiKey in header or query, and http basic or bearer: the schemes
  // an auth-type plugin can satisfy. An unsupported scheme is never satisfied.
  bool supported = false;
  // The scheme as matching needs it. Meaningful for apiKey (type, in, name) and
  // http (type, scheme) schemes, supported or not; for other types (oauth2,
  // openIdConnect, ...) it is a default value and must not be used.
  sdk::SecurityScheme scheme;
  // For people: "apiKey in header 'X-API-Key'", "http bearer", or when
  // unsupported e.g. "oauth2 (not supported by any auth type)".
  std::string description;
};

// One OpenAPI security requirement object: ALL its schemes must be satisfied.
// An empty one is satisfied by anything (OpenAPI's optional security `{}`).
using SecurityRequirement = std::vector<NamedScheme>;

struct Parameter {
  std::string name;
  std::string in;  // path | query | header | cookie
  bool required = false;
  std::string type;  // schema.type ("string", "integer", ...), or empty
  std::string description;
};

// One operation of the document: one tool.
struct Operation {
  std::string tool_name;  // unique in the document, [a-z0-9_-]+
  std::string description;
  std::string method;  // upper case: GET, POST, ...
  std::string server_url;
  std::string path;  // as written in the document, e.g. "/pets/{petId}"
  std::vector<Parameter> parameters;
  // The requirement objects, any ONE of which suffices (OR). Empty: no
  // security required.
  std::vector<SecurityRequirement> security;
};

// Parses `text` (YAML or JSON) as an OpenAPI 3 document. `file_name` is used
// only in error messages. See the rules above.
StatusOr<std::vector<Operation>> ParseDocument(std::string_view text, std::string_view file_name);

}  // namespace herald::openapi

#endif  // HERALD_CORE_OPENAPI_DOCUMENT_H_
