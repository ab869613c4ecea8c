// Test support: runs the real heraldd as a child process on a free loopback
// port with a fresh temporary data directory, and the real herald CLI against
// it.
//
// Not thread-safe; one harness per test.
#ifndef HERALD_TESTS_INTEGRATION_DAEMON_HARNESS_H_
#define HERALD_TESTS_INTEGRATION_DAEMON_HARNESS_H_

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace herald::testing {

// Built programs, from the build tree (set by CMake).
std::filesystem::path HeralddPath();
std::filesystem::path HeraldCliPath();

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `program` with `args` to completion (bounded by `timeout_seconds`,
// then killed), capturing its output.
ProcessResult RunProcess(const std::filesystem::path& program, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env = {},
                         int timeout_seconds = 60);

struct HttpResult {
  int status = 0;  // 0: no answer
  std::string reason;  // the status line's reason phrase
  std::string body;
  std::map<std::string, std::string> headers;
};

HttpResult HttpRequest(const std::string& url, const std::string& method, const std::string& path,
                       const std::string& body = "",
                       const std::map<std::string, std::string>& headers = {});

class RunningDaemon {
 public:
  // Starts heraldd with `--listen 127.0.0.1:0 --data-dir <data_dir>` plus
  // `extra_args`, and waits until it serves /healthz. On failure, `error()`
  // says why (with the daemon's stderr) and url() is empty.
  RunningDaemon(const std::filesystem::path& data_dir, std::vector<std::string> extra_args = {});
  ~RunningDaemon();
  RunningDaemon(const RunningDaemon&) = delete;
  RunningDaemon& operator=(const RunningDaemon&) = delete;

  bool ok() const { return !url_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& url() const { return url_; }
  int pid() const { return pid_; }

  // The first admin's token, from <data-dir>/admin.token.
  const std::string& admin_token() const { return admin_token_; }

  // A request with `token` (the admin's when empty) as the bearer token.
  HttpResult Call(const std::string& method, const std::string& path, const std::string& body = "",
                  const std::string& token = "") const;
  HttpResult Get(const std::string& path) const { return Call("GET", path); }
  // Runs the real CLI against this daemon, as the admin unless `token` says
  // otherwise.
  ProcessResult Cli(const std::vector<std::string>& args, const std::string& token = "") const;
  // Sends `signal` and waits for the exit; returns the exit code, or
  // 128 + signal number when the process died of a signal.
  int Stop(int signal);
  std::string Stderr() const;

 private:
  std::filesystem::path data_dir_;
  std::filesystem::path stderr_file_;
  int pid_ = -1;
  std::string url_;
  std::string admin_token_;
  std::string error_;
};

}  // namespace herald::testing

#endif  // HERALD_TESTS_INTEGRATION_DAEMON_HARNESS_H_
