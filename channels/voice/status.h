// Status and StatusOr for the voice channel: an error code that maps onto an
// HTTP status, and a message fit to show the caller. The plugin links nothing
// of heraldd, so it carries its own small copy of the idea.
//
// Thread-safety: value types; distinct objects may be used from any thread.
#ifndef HERALD_CHANNELS_VOICE_STATUS_H_
#define HERALD_CHANNELS_VOICE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace herald::voice {

enum class Code {
  kOk,
  kInvalidArgument,       // 400: the request is malformed (bad JSON, corrupt WAV, empty audio)
  kPermissionDenied,      // 403
  kNotFound,              // 404: the agent is not live
  kPayloadTooLarge,       // 413
  kUnsupportedMediaType,  // 415: a content type or an audio format the channel does not take
  kNoSpeech,              // 422: the audio holds no words the recognizer heard
  kInternal,              // 500
  kUnavailable,           // 503: speech recognition or the model provider is down
  kDeadlineExceeded,      // 504
};

class Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status UnsupportedMediaType(std::string m) {
    return {Code::kUnsupportedMediaType, std::move(m)};
  }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }
  static Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// The HTTP status and the error body's "code" for `code`.
int HttpStatusOf(Code code);
std::string_view CodeName(Code code);

// A value or the Status saying why there is none.
template <typename T>
class StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace herald::voice

#endif  // HERALD_CHANNELS_VOICE_STATUS_H_
