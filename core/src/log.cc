#include "herald/core/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <atomic>
#include <mutex>
#include <vector>

namespace herald {
namespace {

constexpr char kLoggerName[] = "herald";
constexpr char kPattern[] = "%Y-%m-%dT%H:%M:%S.%e%z level=%l %v";

std::mutex& LoggerMutex() {
  static std::mutex mu;
  return mu;
}

std::shared_ptr<spdlog::logger>& CurrentLogger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = std::make_shared<spdlog::logger>(kLoggerName,
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    l->set_pattern(kPattern);
    return l;
  }();
  return logger;
}

// The current logger's level, kept beside it for LogEnabled.
std::atomic<int>& CurrentLevel() {
  static std::atomic<int> level{CurrentLogger()->level()};
  return level;
}

bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      return true;
    }
  }
  return false;
}

void AppendValue(std::string& out, std::string_view v) {
  if (!NeedsQuotes(v)) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace

bool InitLogging(const LogOptions& options, std::string* error) {
  std::vector<spdlog::sink_ptr> sinks;
  if (options.to_stderr) sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (!options.file.empty()) {
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file));
    } catch (const spdlog::spdlog_ex& e) {
      if (error != nullptr) *error = e.what();
      return false;
    }
  }
  auto logger = std::make_shared<spdlog::logger>(kLoggerName, sinks.begin(), sinks.end());
  logger->set_pattern(kPattern);
  logger->set_level(options.level);
  // Every line reaches the file at once: a kill -9 must not eat the events
  // that explain it, and log volume is low (events, not requests).
  logger->flush_on(spdlog::level::trace);
  std::lock_guard<std::mutex> lock(LoggerMutex());
  std::atomic_store(&CurrentLogger(), logger);
  CurrentLevel().store(options.level);
  return true;
}

bool LogEnabled(spdlog::level::level_enum level) { return level >= CurrentLevel().load(); }

std::shared_ptr<spdlog::logger> Logger() { return std::atomic_load(&CurrentLogger()); }

std::string FormatEvent(std::string_view event, std::initializer_list<LogField> fields) {
  std::string out = "event=";
  out += event;
  for (const auto& f : fields) {
    out += ' ';
    out += f.key;
    out += '=';
    AppendValue(out, f.value);
  }
  return out;
}

}  // namespace herald
