#include "daemon_harness.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace herald::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// fork + exec with stdout and stderr to files; returns the pid.
int Spawn(const fs::path& program, const std::vector<std::string>& args,
          const std::map<std::string, std::string>& env, const fs::path& out_file,
          const fs::path& err_file) {
  std::vector<std::string> argv_storage{program.string()};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  pid_t pid = ::fork();
  if (pid == 0) {
    int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int in = ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    for (auto& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

int DecodeWait(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Waits for `pid` up to `timeout`; kills it when the time is up.
int WaitFor(int pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return DecodeWait(status);
    std::this_thread::sleep_for(10ms);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1;
}

}  // namespace

fs::path HeralddPath() { return HERALD_TEST_HERALDD; }
fs::path HeraldCliPath() { return HERALD_TEST_CLI; }

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() /
          ("herald-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

ProcessResult RunProcess(const fs::path& program, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env, int timeout_seconds) {
  TempDir tmp;
  int pid = Spawn(program, args, env, tmp.path() / "out", tmp.path() / "err");
  ProcessResult result;
  result.exit_code = WaitFor(pid, std::chrono::seconds(timeout_seconds));
  result.out = ReadFile(tmp.path() / "out");
  result.err = ReadFile(tmp.path() / "err");
  return result;
}

HttpResult HttpRequest(const std::string& url, const std::string& method, const std::string& path,
                       const std::string& body, const std::map<std::string, std::string>& headers) {
  HttpResult result;
  try {
    Poco::URI uri(url);
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : headers) request.set(k, v);
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      if (!request.has("Content-Type")) request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    std::stringstream s;
    s << in.rdbuf();
    result.status = static_cast<int>(response.getStatus());
    result.reason = response.getReason();
    result.body = s.str();
    for (const auto& [k, v] : response) result.headers[k] = v;
  } catch (const std::exception&) {
    result.status = 0;
  }
  return result;
}

RunningDaemon::RunningDaemon(const fs::path& data_dir, std::vector<std::string> extra_args)
    : data_dir_(data_dir) {
  // Output files per instance: two daemons may be pointed at one data dir.
  static int instance = 0;
  const std::string prefix = data_dir.string() + "." + std::to_string(++instance);
  stderr_file_ = prefix + ".stderr";
  std::vector<std::string> args{"--listen", "127.0.0.1:0", "--data-dir", data_dir.string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  const fs::path stdout_file = prefix + ".stdout";
  pid_ = Spawn(HeralddPath(), args, {}, stdout_file, stderr_file_);
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      error_ = "heraldd exited with " + std::to_string(DecodeWait(status)) + ": " + Stderr();
      pid_ = -1;
      return;
    }
    // This child's own announcement, not the URL file: another heraldd may
    // have written that one.
    const std::string out = ReadFile(stdout_file);
    const std::string marker = " listening on ";
    size_t at = out.find(marker);
    if (at != std::string::npos) {
      std::string url = out.substr(at + marker.size());
      url = url.substr(0, url.find(' '));
      if (HttpRequest(url, "GET", "/healthz").status == 200) {
        url_ = url;
        admin_token_ = ReadFile(data_dir / "admin.token");
        while (!admin_token_.empty() && admin_token_.back() == '\n') admin_token_.pop_back();
        return;
      }
    }
    std::this_thread::sleep_for(20ms);
  }
  error_ = "heraldd did not come up within 30 s: " + Stderr();
}

RunningDaemon::~RunningDaemon() {
  if (pid_ > 0) Stop(SIGKILL);
}

HttpResult RunningDaemon::Call(const std::string& method, const std::string& path,
                               const std::string& body, const std::string& token) const {
  return HttpRequest(url_, method, path, body,
                     {{"Authorization", "Bearer " + (token.empty() ? admin_token_ : token)}});
}

ProcessResult RunningDaemon::Cli(const std::vector<std::string>& args,
                                 const std::string& token) const {
  std::vector<std::string> all{"--server", url_};
  all.insert(all.end(), args.begin(), args.end());
  return RunProcess(HeraldCliPath(), all, {{"HERALD_TOKEN", token.empty() ? admin_token_ : token}});
}

int RunningDaemon::Stop(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  int code = WaitFor(pid_, 30s);
  pid_ = -1;
  return code;
}

std::string RunningDaemon::Stderr() const { return ReadFile(stderr_file_); }

}  // namespace herald::testing
