#include "channels/chat/host_errors.h"

namespace herald::chat {

HttpError HttpErrorFor(const sdk::HostResult& result) {
  HttpError out;
  switch (result.status) {
    case HERALD_STATUS_NOT_FOUND:
      out = {404, "not_found", "not found"};
      break;
    case HERALD_STATUS_INVALID_ARGUMENT:
      out = {400, "invalid_argument", "invalid request"};
      break;
    case HERALD_STATUS_PERMISSION_DENIED:
      out = {403, "permission_denied", "permission denied"};
      break;
    case HERALD_STATUS_UNAVAILABLE:
      out = {503, "unavailable", "the agent is unavailable; try again"};
      break;
    case HERALD_STATUS_TIMEOUT:
      out = {504, "deadline_exceeded", "the agent took too long to answer"};
      break;
    default:
      out = {500, "internal", "the turn failed"};
      break;
  }
  if (!result.message.empty()) out.message = result.message;
  return out;
}

}  // namespace herald::chat
