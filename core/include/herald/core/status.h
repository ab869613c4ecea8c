// Status and StatusOr: how Herald's core reports failure without exceptions.
//
// A Status is either OK or a code plus a human message. Codes map one to one
// onto the API's stable error codes (status_code_name) and HTTP statuses, so
// a failure deep in the core reaches the client unchanged. Messages are shown
// to users: they name the field or file at fault and never carry a secret.
//
// Thread-safety: values; a const Status may be shared between threads.
#ifndef HERALD_CORE_STATUS_H_
#define HERALD_CORE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace herald {

enum class StatusCode {
  kOk,
  kInvalidArgument,     // bad input; the message names the field
  kNotFound,            // the thing asked for does not exist
  kAlreadyExists,       // creating what exists
  kFailedPrecondition,  // the system is not in a state that allows it
  kConflict,            // a concurrent change won (stale revision)
  kUnauthenticated,     // no or bad credentials
  kPermissionDenied,    // authenticated, not allowed
  kPayloadTooLarge,     // over a configured size limit
  kUnavailable,         // a dependency could not be reached
  kDeadlineExceeded,    // a deadline passed
  kInternal,            // a bug or an unexpected environment failure
};

// The stable, lower_snake_case name of a code, as the API reports it.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status Conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
  static Status Unauthenticated(std::string m) {
    return {StatusCode::kUnauthenticated, std::move(m)};
  }
  static Status PermissionDenied(std::string m) {
    return {StatusCode::kPermissionDenied, std::move(m)};
  }
  static Status PayloadTooLarge(std::string m) {
    return {StatusCode::kPayloadTooLarge, std::move(m)};
  }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status DeadlineExceeded(std::string m) {
    return {StatusCode::kDeadlineExceeded, std::move(m)};
  }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "not_found: agent 'x' does not exist", or "ok".
  std::string ToString() const;

  // A copy whose message is prefixed with `context`, e.g. the file name.
  Status WithContext(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "StatusOr needs a value or an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace herald

#define HERALD_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::herald::Status herald_status_ = (expr);        \
    if (!herald_status_.ok()) return herald_status_; \
  } while (0)

#endif  // HERALD_CORE_STATUS_H_
