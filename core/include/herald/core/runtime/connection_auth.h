// A model provider's API key through a Herald connection: the connection's
// live environment, its team credentials, applied by its auth-type plugin
// to each request (e.g. bearer's "Authorization: Bearer ..."). Read afresh
// for each request, so a credential change applies at once.
//
// Errors are FAILED_PRECONDITION naming the connection ("connection 'llm'
// has no live configuration", "... no team credentials set for live"); they
// never contain a credential.
//
// Thread-safety: the function returned may be called from any thread while
// `connections` lives.
#ifndef HERALD_CORE_RUNTIME_CONNECTION_AUTH_H_
#define HERALD_CORE_RUNTIME_CONNECTION_AUTH_H_

#include <string>

#include "herald/core/connection_service.h"
#include "herald/core/runtime/openai_provider.h"

namespace herald::runtime {

ProviderAuth ConnectionAuth(ConnectionService& connections, std::string connection_id);

}  // namespace herald::runtime

#endif  // HERALD_CORE_RUNTIME_CONNECTION_AUTH_H_
