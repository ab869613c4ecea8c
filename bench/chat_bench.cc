// Chat benchmarks (issue 5, section 6), against the real heraldd:
//
//  1. Chat turns per second with the `scripted` provider on loopback, at 50
//     keep-alive connections, against a bare Poco HTTP server (in a process
//     of its own, like heraldd, with as many threads) that answers the same
//     bytes; both measured in this run. Target: heraldd at least 50% of the
//     bare server. p50 and p99 latency of both.
//  2. heraldd's resident set with 1,000 live agents and 10,000 stored
//     conversations. Target: at most 300 MB.
//
//   chat_bench [--seconds N] [--connections N] [--agents N] [--conversations N]
//
// Reports each target as met or missed and exits 0 either way (the test
// suite never asserts a wall-clock time); a set-up failure exits 1.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "chat_bench: " << what << "\n";
  std::exit(1);
}

struct Answer {
  int status = 0;
  std::string body;
};

// One keep-alive connection.
class Client {
 public:
  explicit Client(const Poco::URI& server) : session_(server.getHost(), server.getPort()) {
    session_.setKeepAlive(true);
    session_.setTimeout(Poco::Timespan(30, 0));
  }
  Answer Call(const std::string& method, const std::string& path, const std::string& body,
              const std::string& token = "") {
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    if (!body.empty() || method != "GET") {
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    Answer a;
    try {
      session_.sendRequest(request) << body;
      Poco::Net::HTTPResponse response;
      std::istream& in = session_.receiveResponse(response);
      Poco::StreamCopier::copyToString(in, a.body);
      a.status = static_cast<int>(response.getStatus());
    } catch (const std::exception& e) {
      session_.reset();
      a.status = 0;
      a.body = e.what();
    }
    return a;
  }

 private:
  Poco::Net::HTTPClientSession session_;
};

// ---------------------------------------------------------------- heraldd

struct Daemon {
  pid_t pid = 0;
  std::string url;
  std::string token;
};

Daemon StartHeraldd(const fs::path& data) {
  fs::create_directories(data.parent_path());
  Daemon d;
  d.pid = fork();
  if (d.pid < 0) Die("fork failed");
  if (d.pid == 0) {
    const std::string data_arg = data.string();
    const std::string log = (data.parent_path() / "heraldd.log").string();
    if (!freopen(log.c_str(), "a", stderr) || !freopen(log.c_str(), "a", stdout)) _exit(127);
    execl(HERALD_BENCH_HERALDD, HERALD_BENCH_HERALDD, "--data-dir", data_arg.c_str(), "--listen",
          "127.0.0.1:0", "--log-level", "warn", static_cast<char*>(nullptr));
    _exit(127);
  }
  const fs::path url_file = data / "heraldd.url";
  for (int i = 0; i < 300; ++i) {
    std::ifstream in(url_file);
    if (in >> d.url && !d.url.empty()) break;
    int status = 0;
    if (waitpid(d.pid, &status, WNOHANG) == d.pid) Die("heraldd exited at start; see its log");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (d.url.empty()) Die("heraldd did not start");
  std::ifstream(data / "admin.token") >> d.token;
  return d;
}

void Stop(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
}

int64_t ResidentKb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return -1;
}

void Expect(const Answer& a, int status, const std::string& what) {
  if (a.status != status) {
    Die(what + ": HTTP " + std::to_string(a.status) + " " + a.body.substr(0, 300));
  }
}

// Creates and deploys a chat agent named `id` with a small knowledge file.
void DeployAgent(Client& c, const std::string& token, const std::string& id) {
  Expect(
      c.Call("POST", "/v1/agents", R"({"id":")" + id + R"(","name":"Agent )" + id + "\"}", token),
      201, "create " + id);
  Expect(c.Call("PATCH", "/v1/agents/" + id,
                R"({"description":"answers shipping questions","model":"scripted",)"
                R"("behaviour":{"welcome_message":"Hello from )" +
                    id + R"(","guidelines":"Be brief."}})",
                token),
         200, "edit " + id);
  Expect(c.Call("PUT", "/v1/agents/" + id + "/knowledge/shipping.md",
                "Orders ship the same day when placed before 2 pm. Standard shipping takes 2 to "
                "4 working days; express delivers the next working day. Agent " +
                    id + ".",
                token),
         200, "knowledge of " + id);
  Expect(c.Call("PUT", "/v1/agents/" + id + "/channels/chat",
                R"({"plugin":"chat","settings":{"access":"public"}})", token),
         200, "channel of " + id);
  Expect(c.Call("POST", "/v1/agents/" + id + "/deployments", "{}", token), 201, "deploy " + id);
}

// ---------------------------------------------------------------- bare server

class BareHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit BareHandler(const std::string& body) : body_(body) {}
  void handleRequest(Poco::Net::HTTPServerRequest& in,
                     Poco::Net::HTTPServerResponse& out) override {
    std::string request_body;
    Poco::StreamCopier::copyToString(in.stream(), request_body);
    out.setContentType("application/json");
    out.setContentLength64(static_cast<Poco::Int64>(body_.size()));
    out.send() << body_;
  }

 private:
  const std::string& body_;
};

class BareFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit BareFactory(std::string body) : body_(std::move(body)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new BareHandler(body_);
  }

 private:
  std::string body_;
};

// Forks a process serving `body` to every request; returns its pid and URL.
std::pair<pid_t, std::string> StartBareServer(const std::string& body) {
  int fds[2];
  if (pipe(fds) != 0) Die("pipe failed");
  pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    close(fds[0]);
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(128);  // heraldd's default
    params->setKeepAlive(true);
    Poco::Net::HTTPServer server(new BareFactory(body), socket, params);
    server.start();
    const std::string port = std::to_string(socket.address().port()) + "\n";
    if (write(fds[1], port.data(), port.size()) < 0) _exit(1);
    close(fds[1]);
    pause();
    _exit(0);
  }
  close(fds[1]);
  char buf[32] = {};
  if (read(fds[0], buf, sizeof(buf) - 1) <= 0) Die("the bare server did not start");
  close(fds[0]);
  return {pid, "http://127.0.0.1:" + std::string(buf).substr(0, std::string(buf).find('\n'))};
}

// ---------------------------------------------------------------- load

struct Load {
  int64_t requests = 0;
  int64_t failures = 0;
  double per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
};

Load Run(const std::string& url, const std::string& method, const std::string& path,
         const std::string& body, int connections, double seconds) {
  const Poco::URI server(url);
  std::mutex mu;
  std::vector<double> latencies;
  std::atomic<int64_t> failures{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int i = 0; i < connections; ++i) {
    threads.emplace_back([&] {
      Client client(server);
      std::vector<double> mine;
      while (!stop.load(std::memory_order_relaxed)) {
        const auto t0 = Clock::now();
        Answer a = client.Call(method, path, body);
        const auto t1 = Clock::now();
        if (a.status != 200) {
          ++failures;
          continue;
        }
        mine.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  Load out;
  out.requests = static_cast<int64_t>(latencies.size());
  out.failures = failures.load();
  out.per_second = static_cast<double>(out.requests) / elapsed;
  std::sort(latencies.begin(), latencies.end());
  if (!latencies.empty()) {
    out.p50_ms = latencies[latencies.size() / 2];
    out.p99_ms = latencies[std::min(latencies.size() - 1, latencies.size() * 99 / 100)];
  }
  return out;
}

void Print(const char* name, const Load& l) {
  std::printf("  %-8s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (%lld requests, %lld failed)\n",
              name, l.per_second, l.p50_ms, l.p99_ms, static_cast<long long>(l.requests),
              static_cast<long long>(l.failures));
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 5;
  int connections = 50;
  int agents = 1000;
  int conversations = 10000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--seconds")
      seconds = std::atof(argv[i + 1]);
    else if (flag == "--connections")
      connections = std::atoi(argv[i + 1]);
    else if (flag == "--agents")
      agents = std::atoi(argv[i + 1]);
    else if (flag == "--conversations")
      conversations = std::atoi(argv[i + 1]);
    else
      Die("unknown flag " + flag);
  }
  signal(SIGPIPE, SIG_IGN);
  char tmpl[] = "/tmp/herald-chat-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) Die("mkdtemp failed");
  const fs::path dir(tmpl);

  Daemon d = StartHeraldd(dir / "data");
  const Poco::URI server(d.url);
  Client admin(server);

  // ---- 1. Turns per second against a bare Poco server.
  DeployAgent(admin, d.token, "bench");
  const std::string path = "/v1/channels/chat/bench/messages";
  const std::string question = R"({"message":"How long does shipping take?"})";
  Answer sample = admin.Call("POST", path, question);
  Expect(sample, 200, "a chat turn");
  auto [bare_pid, bare_url] = StartBareServer(sample.body);
  Run(bare_url, "POST", path, question, connections, 1);  // warm-up
  Run(d.url, "POST", path, question, connections, 1);
  Load bare = Run(bare_url, "POST", path, question, connections, seconds);
  Load herald = Run(d.url, "POST", path, question, connections, seconds);
  // Where a turn's time goes: the same HTTP layer and chat plugin without a
  // turn (the plugin's GET /{agent}, which answers from its memory).
  Load no_turn = Run(d.url, "GET", "/v1/channels/chat/bench", "", connections, seconds);
  Stop(bare_pid);
  const double ratio = herald.per_second / bare.per_second;
  std::printf(
      "Chat turns, scripted provider, %d keep-alive connections, %.0f s each, %zu-byte "
      "answer:\n",
      connections, seconds, sample.body.size());
  Print("bare", bare);
  Print("heraldd", herald);
  Print("no turn", no_turn);
  std::printf("  heraldd / bare = %.1f%% (target >= 50%%): %s\n\n", 100 * ratio,
              ratio >= 0.5 ? "MET" : "MISSED");

  // ---- 2. Memory with many live agents and stored conversations.
  const auto setup_start = Clock::now();
  for (int i = 1; i < agents; ++i) DeployAgent(admin, d.token, "a" + std::to_string(i));
  std::atomic<int> next{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> talkers;
  for (int t = 0; t < connections; ++t) {
    talkers.emplace_back([&] {
      Client client(server);
      for (int n = next++; n < conversations; n = next++) {
        const std::string agent = n % agents == 0 ? "bench" : "a" + std::to_string(n % agents);
        if (client.Call("POST", "/v1/channels/chat/" + agent + "/messages", question).status !=
            200) {
          ++failed;
        }
      }
    });
  }
  for (auto& t : talkers) t.join();
  if (failed > 0) Die(std::to_string(failed.load()) + " conversation turns failed");
  const double setup_s = std::chrono::duration<double>(Clock::now() - setup_start).count();
  const int64_t rss_kb = ResidentKb(d.pid);
  std::printf(
      "Memory: heraldd with %d live agents and %d stored conversations (set up in %.0f "
      "s):\n",
      agents, conversations, setup_s);
  std::printf("  resident set %.1f MB (target <= 300 MB): %s\n",
              static_cast<double>(rss_kb) / 1024.0, rss_kb <= 300 * 1024 ? "MET" : "MISSED");

  Stop(d.pid);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
