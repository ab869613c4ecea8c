// How a failed host service call is answered over HTTP: the status and the
// error code of the rest of the Herald API, with the host's message (the
// host's turn and identity messages are written to be shown to users).
//
//   NOT_FOUND          404 not_found          (e.g. "agent is not live")
//   INVALID_ARGUMENT   400 invalid_argument
//   PERMISSION_DENIED  403 permission_denied
//   UNAVAILABLE        503 unavailable        (the model provider failed)
//   TIMEOUT            504 deadline_exceeded
//   anything else      500 internal
//
// Pure; thread-safe.
#ifndef HERALD_CHANNELS_CHAT_HOST_ERRORS_H_
#define HERALD_CHANNELS_CHAT_HOST_ERRORS_H_

#include <herald/sdk/host.hpp>

#include <string>

namespace herald::chat {

struct HttpError {
  int status = 500;
  std::string code;
  std::string message;
};

HttpError HttpErrorFor(const sdk::HostResult& result);

}  // namespace herald::chat

#endif  // HERALD_CHANNELS_CHAT_HOST_ERRORS_H_
