// Status and Result<T>: expected failures (bad input, not found, conflict, I/O) as values.
// Exceptions are not thrown on the request path; asserts are for bugs only.
// Thread-safety: plain values, safe to copy between threads.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace waymark {

enum class ErrorCode {
  kOk = 0,
  kInvalid,  // bad input; `fields` says which
  kNotFound,
  kConflict,  // lost a race or illegal transition; caller may retry with fresh state
  kUnauthenticated,
  kForbidden,
  kTooLarge,
  kTooManyRequests,
  kUnavailable,  // storage or dependency down; safe to retry
  kInternal,     // a bug or an invariant broken
};

// One bad field: `path` like "youngPerson.nhsNumber", `message` says what is allowed.
struct FieldError {
  std::string path;
  std::string message;
};

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Invalid(std::string message, std::vector<FieldError> fields = {}) {
    return Status(ErrorCode::kInvalid, std::move(message), std::move(fields));
  }
  static Status NotFound(std::string message) {
    return Status(ErrorCode::kNotFound, std::move(message));
  }
  static Status Conflict(std::string message) {
    return Status(ErrorCode::kConflict, std::move(message));
  }
  static Status Unauthenticated(std::string message) {
    return Status(ErrorCode::kUnauthenticated, std::move(message));
  }
  static Status Forbidden(std::string message) {
    return Status(ErrorCode::kForbidden, std::move(message));
  }
  static Status TooLarge(std::string message) {
    return Status(ErrorCode::kTooLarge, std::move(message));
  }
  static Status TooManyRequests(std::string message) {
    return Status(ErrorCode::kTooManyRequests, std::move(message));
  }
  static Status Unavailable(std::string message) {
    return Status(ErrorCode::kUnavailable, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(ErrorCode::kInternal, std::move(message));
  }

  Status(ErrorCode code, std::string message, std::vector<FieldError> fields = {})
      : code_(code), message_(std::move(message)), fields_(std::move(fields)) {}

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldError>& fields() const { return fields_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::vector<FieldError> fields_;
};

// Short machine-readable name of a code, used in problem bodies and logs ("invalid", ...).
const char* ErrorCodeName(ErrorCode code);

// Either a value or a non-ok Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace waymark
