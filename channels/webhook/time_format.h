// RFC 3339 timestamps (UTC, seconds) from Unix milliseconds. Thread-safe.
#ifndef HERALD_CHANNELS_WEBHOOK_TIME_FORMAT_H_
#define HERALD_CHANNELS_WEBHOOK_TIME_FORMAT_H_

#include <cstdint>
#include <string>

namespace herald::webhook {

// "2024-05-01T12:00:00Z".
std::string FormatRfc3339(int64_t unix_ms);

}  // namespace herald::webhook

#endif  // HERALD_CHANNELS_WEBHOOK_TIME_FORMAT_H_
