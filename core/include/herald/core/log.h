// Structured logging for heraldd, on spdlog.
//
// Every line is one event in logfmt: `event=plugin.loaded name=bearer
// path=/x.so`, after spdlog's time and level. Values are quoted when they hold
// spaces, quotes or '='. Callers pass only values that are safe to log: a
// secret must never be a field (the leak tests search the log files).
//
// Thread-safety: all functions are thread-safe once InitLogging has run.
#ifndef HERALD_CORE_LOG_H_
#define HERALD_CORE_LOG_H_

#include <spdlog/spdlog.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace herald {

struct LogField {
  std::string_view key;
  std::string value;
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v) : key(k), value(v) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(v) {}
  template <typename N, typename = std::enable_if_t<std::is_arithmetic_v<N>>>
  LogField(std::string_view k, N v) : key(k), value(std::to_string(v)) {}
};

struct LogOptions {
  spdlog::level::level_enum level = spdlog::level::info;
  bool to_stderr = true;
  std::string file;  // empty: no log file
};

// Installs the process-wide "herald" logger. Idempotent: a second call
// replaces the sinks. Returns false and leaves the old logger when the log
// file cannot be opened; `error` then says why.
bool InitLogging(const LogOptions& options, std::string* error);

// The process-wide logger (a stderr logger until InitLogging runs).
std::shared_ptr<spdlog::logger> Logger();

// "event=<event> k=v k2=v2".
std::string FormatEvent(std::string_view event, std::initializer_list<LogField> fields);

// Whether events at `level` are logged: one atomic read, where Logger()
// takes a lock shared by the whole process. Call sites that run on every
// request check it before building their fields.
bool LogEnabled(spdlog::level::level_enum level);

inline void LogEvent(spdlog::level::level_enum level, std::string_view event,
                     std::initializer_list<LogField> fields = {}) {
  if (!LogEnabled(level)) return;
  auto logger = Logger();
  if (logger->should_log(level)) logger->log(level, "{}", FormatEvent(event, fields));
}

}  // namespace herald

#endif  // HERALD_CORE_LOG_H_
