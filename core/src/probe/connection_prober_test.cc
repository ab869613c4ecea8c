#include "herald/core/probe/connection_prober.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "test_http_server.h"

namespace herald::probe {
namespace {

using ::herald::testing::ClosedPort;
using ::herald::testing::HeaderList;
using ::herald::testing::RecordedRequest;
using ::herald::testing::TestHttpServer;

ProbeRequest RequestTo(const std::string& url, const std::string& path = "/") {
  ProbeRequest request;
  request.server_url = url;
  request.path = path;
  request.timeout_ms = 5000;
  return request;
}

ProbeResult MustProbe(const ProbeRequest& request) {
  auto result = Probe(request);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? *result : ProbeResult{};
}

// A TLS server on 127.0.0.1 with a freshly made self-signed certificate
// (so no client trusts it): accepts connections, attempts the handshake,
// answers 200 to whatever survives it.
class UntrustedTlsServer {
 public:
  UntrustedTlsServer() {
    Poco::Net::initializeSSL();
    Poco::Net::Context::Params params;
    params.verificationMode = Poco::Net::Context::VERIFY_NONE;
    context_ = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
    UseSelfSignedCertificate(context_->sslContext());
    // (A default-constructed SecureServerSocket would want Poco's
    // application-configured SSLManager; build it with our context.)
    socket_ = std::make_unique<Poco::Net::SecureServerSocket>(
        Poco::Net::SocketAddress("127.0.0.1", 0), 16, context_);
    port_ = socket_->address().port();
    thread_ = std::thread([this] { Serve(); });
  }
  ~UntrustedTlsServer() {
    stop_ = true;
    thread_.join();
    Poco::Net::uninitializeSSL();
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }

 private:
  static void UseSelfSignedCertificate(SSL_CTX* ctx) {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    ASSERT_NE(key, nullptr);
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -24 * 3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509_set_pubkey(cert, key);
    X509_sign(cert, key, EVP_sha256());
    ASSERT_EQ(SSL_CTX_use_certificate(ctx, cert), 1);
    ASSERT_EQ(SSL_CTX_use_PrivateKey(ctx, key), 1);
    X509_free(cert);
    EVP_PKEY_free(key);
  }

  void Serve() {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    while (!stop_) {
      try {
        if (!socket_->poll(Poco::Timespan(0, 50 * 1000), Poco::Net::Socket::SELECT_READ)) continue;
        Poco::Net::SecureStreamSocket client = socket_->acceptConnection();
        client.setReceiveTimeout(Poco::Timespan(2, 0));
        client.completeHandshake();
        char buffer[4096];
        client.receiveBytes(buffer, sizeof(buffer));
        static constexpr char kAnswer[] =
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        client.sendBytes(kAnswer, sizeof(kAnswer) - 1);
      } catch (const Poco::Exception&) {
        // The client refused the certificate: expected.
      }
    }
  }

  Poco::Net::Context::Ptr context_;
  std::unique_ptr<Poco::Net::SecureServerSocket> socket_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// ---- Names -----------------------------------------------------------------

TEST(ProbeOutcomeNameTest, NamesEveryOutcome) {
  EXPECT_EQ(ProbeOutcomeName(ProbeOutcome::kOk), "ok");
  EXPECT_EQ(ProbeOutcomeName(ProbeOutcome::kAuthFailed), "auth_failed");
  EXPECT_EQ(ProbeOutcomeName(ProbeOutcome::kHttpError), "http_error");
  EXPECT_EQ(ProbeOutcomeName(ProbeOutcome::kUnreachable), "unreachable");
}

// ---- What the server receives -----------------------------------------------

TEST(ProbeTest, SendsAuthHeadersAndEncodedQueryExactly) {
  TestHttpServer server;
  ProbeRequest request = RequestTo(server.url() + "/base", "/v1/me?fixed=1");
  request.auth.headers = {{"Authorization", "Bearer tok-123"}, {"X-Api-Key", "key one"}};
  request.auth.query = {{"api_key", "a b&c=d/\xC3\xA9+%"}, {"second", "x"}};
  ProbeResult result = MustProbe(request);
  EXPECT_EQ(result.outcome, ProbeOutcome::kOk);

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const RecordedRequest& got = requests[0];
  EXPECT_EQ(got.method, "GET");
  EXPECT_EQ(got.path, "/base/v1/me");
  EXPECT_EQ(got.query, "fixed=1&api_key=a%20b%26c%3Dd%2F%C3%A9%2B%25&second=x");
  EXPECT_EQ(got.QueryParams(),
            (HeaderList{{"fixed", "1"}, {"api_key", "a b&c=d/\xC3\xA9+%"}, {"second", "x"}}));
  EXPECT_EQ(got.HeaderValues("authorization"), std::vector<std::string>{"Bearer tok-123"});
  EXPECT_EQ(got.HeaderValues("x-api-key"), std::vector<std::string>{"key one"});
  EXPECT_EQ(got.Header("user-agent"), "herald-probe");
  EXPECT_EQ(got.Header("host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(got.body, "");
}

TEST(ProbeTest, AuthHeadersReplaceTheProbersOwnAndMayRepeat) {
  TestHttpServer server;
  ProbeRequest request = RequestTo(server.url());
  request.auth.headers = {{"user-agent", "custom/1"}, {"X-Multi", "a"}, {"X-Multi", "b"}};
  MustProbe(request);
  ASSERT_EQ(server.request_count(), 1u);
  RecordedRequest got = server.requests()[0];
  EXPECT_EQ(got.HeaderValues("user-agent"), std::vector<std::string>{"custom/1"});
  EXPECT_EQ(got.HeaderValues("x-multi"), (std::vector<std::string>{"a", "b"}));
}

TEST(ProbeTest, JoinsThePathToTheServerUrlsPath) {
  TestHttpServer server;
  MustProbe(RequestTo(server.url() + "/api/", "/things"));
  MustProbe(RequestTo(server.url(), "/"));
  MustProbe(RequestTo(server.url() + "/?v=2", "/x?y=3"));
  MustProbe(RequestTo(server.url() + "/a%2Fb", "/caf\xC3\xA9%20x"));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u + 1u);
  EXPECT_EQ(requests[0].path, "/api/things");
  EXPECT_EQ(requests[1].path, "/");
  EXPECT_EQ(requests[2].path, "/x");
  EXPECT_EQ(requests[2].query, "v=2&y=3");
  EXPECT_EQ(requests[3].path, "/a%2Fb/caf%C3%A9%20x");
}

TEST(ProbeTest, UsesTheMethodGiven) {
  TestHttpServer server;
  for (const char* method : {"POST", "HEAD", "DELETE"}) {
    ProbeRequest request = RequestTo(server.url());
    request.method = method;
    EXPECT_EQ(MustProbe(request).outcome, ProbeOutcome::kOk) << method;
  }
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].Header("content-length"), "0");
  EXPECT_EQ(requests[1].method, "HEAD");
  EXPECT_EQ(requests[2].method, "DELETE");
}

// ---- Classification ----------------------------------------------------------

TEST(ProbeTest, TwoHundredIsOk) {
  TestHttpServer server;
  server.Respond(200, "{\"me\":\"x\"}");
  ProbeResult result = MustProbe(RequestTo(server.url()));
  EXPECT_EQ(result.outcome, ProbeOutcome::kOk);
  EXPECT_EQ(result.http_status, 200);
  EXPECT_EQ(result.detail, "server answered 200 OK");
  EXPECT_GE(result.latency_ms, 0);
}

TEST(ProbeTest, RedirectIsOkAndNotFollowed) {
  TestHttpServer server;
  server.Respond(302, "", {{"Location", "/elsewhere"}});
  server.RespondAt("/elsewhere", 500);
  ProbeResult result = MustProbe(RequestTo(server.url()));
  EXPECT_EQ(result.outcome, ProbeOutcome::kOk);
  EXPECT_EQ(result.http_status, 302);
  EXPECT_EQ(result.detail, "server answered 302 Found (redirect not followed)");
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].path, "/");
}

TEST(ProbeTest, UnauthorizedAndForbiddenAreAuthFailed) {
  TestHttpServer server;
  server.Respond(401, "bad key");
  ProbeResult unauthorized = MustProbe(RequestTo(server.url()));
  EXPECT_EQ(unauthorized.outcome, ProbeOutcome::kAuthFailed);
  EXPECT_EQ(unauthorized.http_status, 401);
  EXPECT_EQ(unauthorized.detail, "server answered 401 Unauthorized");

  server.Respond(403);
  ProbeResult forbidden = MustProbe(RequestTo(server.url()));
  EXPECT_EQ(forbidden.outcome, ProbeOutcome::kAuthFailed);
  EXPECT_EQ(forbidden.http_status, 403);
  EXPECT_EQ(forbidden.detail, "server answered 403 Forbidden");
}

TEST(ProbeTest, OtherStatusesAreHttpErrors) {
  TestHttpServer server;
  server.Respond(500, "boom");
  ProbeResult result = MustProbe(RequestTo(server.url()));
  EXPECT_EQ(result.outcome, ProbeOutcome::kHttpError);
  EXPECT_EQ(result.http_status, 500);
  EXPECT_EQ(result.detail, "server answered 500 Internal Server Error");

  server.Respond(404);
  EXPECT_EQ(MustProbe(RequestTo(server.url())).outcome, ProbeOutcome::kHttpError);
  server.Respond(420, "", {{"X-Reason", "made up"}});
  ProbeResult unknown = MustProbe(RequestTo(server.url()));
  EXPECT_EQ(unknown.outcome, ProbeOutcome::kHttpError);
  EXPECT_EQ(unknown.detail, "server answered 420");
}

TEST(ProbeTest, TheBodyIsNeitherReportedNorReadInFull) {
  TestHttpServer server;
  server.Respond(200, "BODY-MARKER" + std::string(256 * 1024, 'x'));
  ProbeResult result = MustProbe(RequestTo(server.url()));
  EXPECT_EQ(result.outcome, ProbeOutcome::kOk);
  EXPECT_EQ(result.detail.find("BODY-MARKER"), std::string::npos);
}

// ---- Unreachable -------------------------------------------------------------

TEST(ProbeTest, ClosedPortIsConnectionRefused) {
  ClosedPort closed;
  ProbeResult result = MustProbe(RequestTo(closed.url()));
  EXPECT_EQ(result.outcome, ProbeOutcome::kUnreachable);
  EXPECT_EQ(result.http_status, 0);
  EXPECT_EQ(result.detail, "connection refused");
}

TEST(ProbeTest, ServerThatNeverAnswersTimesOut) {
  TestHttpServer server;
  server.NeverAnswer();
  ProbeRequest request = RequestTo(server.url());
  request.timeout_ms = 300;
  ProbeResult result = MustProbe(request);
  EXPECT_EQ(result.outcome, ProbeOutcome::kUnreachable);
  EXPECT_EQ(result.http_status, 0);
  EXPECT_EQ(result.detail, "timed out after 300 ms");
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(ProbeTest, ServerThatDropsTheConnectionIsUnreachable) {
  TestHttpServer server;
  server.DropConnection();
  ProbeResult result = MustProbe(RequestTo(server.url()));
  EXPECT_EQ(result.outcome, ProbeOutcome::kUnreachable);
  EXPECT_EQ(result.http_status, 0);
  EXPECT_EQ(result.detail, "the server closed the connection without answering");
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(ProbeTest, HttpsToAPlainHttpServerIsATlsFailure) {
  TestHttpServer server;
  // Poco's HTTP parser answers some ClientHellos with 400 at once, waits for
  // more bytes on others, and now and then reads the hello's random bytes as
  // a request line and answers that; whichever it does, the handshake fails.
  // So the server's request count is not part of the contract checked here.
  ProbeRequest request = RequestTo("https://127.0.0.1:" + std::to_string(server.port()));
  request.timeout_ms = 500;
  ProbeResult result = MustProbe(request);
  EXPECT_EQ(result.outcome, ProbeOutcome::kUnreachable);
  EXPECT_EQ(result.detail.rfind("TLS handshake failed", 0), 0u) << result.detail;
}

TEST(ProbeTest, HttpsWithAnUntrustedCertificateIsATlsFailure) {
  UntrustedTlsServer tls;
  ProbeResult result = MustProbe(RequestTo(tls.url()));
  EXPECT_EQ(result.outcome, ProbeOutcome::kUnreachable);
  EXPECT_EQ(result.detail.rfind("TLS handshake failed", 0), 0u) << result.detail;
  EXPECT_NE(result.detail.find("certificate"), std::string::npos) << result.detail;
}

TEST(ProbeTest, ConcurrentProbesAreIndependent) {
  TestHttpServer server;
  server.RespondAt("/denied", 401);
  std::vector<std::thread> threads;
  std::vector<ProbeResult> results(8);
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      std::string url = server.url();
      if (i % 4 == 3) url = "https://127.0.0.1:" + std::to_string(server.port());
      ProbeRequest request = RequestTo(url, i % 2 == 0 ? "/fine" : "/denied");
      request.timeout_ms = 500;
      auto r = Probe(request);
      if (r.ok()) results[i] = *r;
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < results.size(); ++i) {
    ProbeOutcome expected = i % 4 == 3   ? ProbeOutcome::kUnreachable
                            : i % 2 == 0 ? ProbeOutcome::kOk
                                         : ProbeOutcome::kAuthFailed;
    EXPECT_EQ(results[i].outcome, expected) << i << ": " << results[i].detail;
  }
}

// ---- Refused requests ---------------------------------------------------------

void ExpectRefused(const ProbeRequest& request, const std::string& field) {
  auto result = Probe(request);
  ASSERT_FALSE(result.ok()) << request.server_url << " " << request.method << " " << request.path;
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message().rfind(field + ": ", 0), 0u) << result.status().message();
}

TEST(ProbeValidationTest, RefusesABadServerUrl) {
  for (const char* url :
       {"", "ftp://example.com/", "example.com", "127.0.0.1:80", "http://", "http:///path",
        "http://:80/", "http://user:pw@example.com/", "http://example.com:99999/",
        "http://example.com:0/", "http://example.com:8o/", "http://exa mple.com/",
        "http://example.com/\r\nX: y", "http://[::1/", "http://[::1]x/", "http://ex*ample.com/"}) {
    ExpectRefused(RequestTo(url), "server_url");
  }
}

TEST(ProbeValidationTest, RefusesABadMethod) {
  for (const char* method : {"", "get", "FOO", "GET ", "CONNECT", "TRACE"}) {
    ProbeRequest request = RequestTo("http://127.0.0.1:1");
    request.method = method;
    ExpectRefused(request, "method");
  }
}

TEST(ProbeValidationTest, RefusesABadPath) {
  for (const char* path : {"", "v1/me", "/a b", "/a\nb"}) {
    ExpectRefused(RequestTo("http://127.0.0.1:1", path), "path");
  }
}

TEST(ProbeValidationTest, RefusesATimeoutOutOfRange) {
  for (int timeout : {-1, 0, 99, 120001}) {
    ProbeRequest request = RequestTo("http://127.0.0.1:1");
    request.timeout_ms = timeout;
    ExpectRefused(request, "timeout_ms");
  }
  TestHttpServer server;
  for (int timeout : {100, 120000}) {
    ProbeRequest request = RequestTo(server.url());
    request.timeout_ms = timeout;
    EXPECT_EQ(MustProbe(request).outcome, ProbeOutcome::kOk);
  }
}

TEST(ProbeValidationTest, RefusesHeadersThatWouldBreakTheRequest) {
  ProbeRequest injected = RequestTo("http://127.0.0.1:1");
  injected.auth.headers = {{"X-Key", "abc\r\nX-Evil: 1"}};
  ExpectRefused(injected, "auth.headers");

  ProbeRequest bad_name = RequestTo("http://127.0.0.1:1");
  bad_name.auth.headers = {{"Bad Name", "v"}};
  ExpectRefused(bad_name, "auth.headers");

  ProbeRequest empty_query_name = RequestTo("http://127.0.0.1:1");
  empty_query_name.auth.query = {{"", "v"}};
  ExpectRefused(empty_query_name, "auth.query");
}

// ---- Secrets -------------------------------------------------------------------

TEST(ProbeSecretsTest, CanaryNeverAppearsInAnyDetailOrStatusMessage) {
  const std::string secret = "canary-7f3a9c-SECRET";
  auto with_secret = [&](ProbeRequest request) {
    request.auth.headers = {{"Authorization", "Bearer " + secret}, {"X-Api-Key", secret}};
    request.auth.query = {{"api_key", secret}, {"other", "v " + secret}};
    return request;
  };

  TestHttpServer server;
  // Echoes of the credential from the server itself must not leak either.
  server.RespondAt("/ok", 200, "you sent " + secret);
  server.RespondAt("/redirect", 302, "", {{"Location", "/login?key=" + secret}});
  server.RespondAt("/unauthorized", 401, "bad key " + secret, {{"X-Echo", secret}});
  server.RespondAt("/forbidden", 403);
  server.RespondAt("/error", 500, secret);
  server.NeverAnswerAt("/hang");
  server.DropConnectionAt("/drop");
  ClosedPort closed;
  UntrustedTlsServer tls;
  const std::string https_to_plain = "https://127.0.0.1:" + std::to_string(server.port());

  struct Case {
    std::string name;
    ProbeRequest request;
  };
  std::vector<Case> cases = {
      {"ok", with_secret(RequestTo(server.url(), "/ok"))},
      {"redirect", with_secret(RequestTo(server.url(), "/redirect"))},
      {"401", with_secret(RequestTo(server.url(), "/unauthorized"))},
      {"403", with_secret(RequestTo(server.url(), "/forbidden"))},
      {"500", with_secret(RequestTo(server.url(), "/error"))},
      {"timeout", with_secret(RequestTo(server.url(), "/hang"))},
      {"drop", with_secret(RequestTo(server.url(), "/drop"))},
      {"refused", with_secret(RequestTo(closed.url()))},
      {"https to plain http", with_secret(RequestTo(https_to_plain))},
      {"untrusted certificate", with_secret(RequestTo(tls.url()))},
      {"credential in the server url's query",
       with_secret(RequestTo(closed.url() + "/?token=" + secret))},
      {"bad scheme, credential in the url", with_secret(RequestTo("ftp://h/?k=" + secret))},
      {"user info", with_secret(RequestTo("http://user:" + secret + "@example.com/"))},
      {"bad method", with_secret(RequestTo(server.url()))},
      {"bad timeout", with_secret(RequestTo(server.url()))},
      {"bad path", with_secret(RequestTo(server.url(), secret))},
      {"header injection", with_secret(RequestTo(server.url()))},
  };
  for (auto& c : cases) {
    if (c.name == "timeout" || c.name == "https to plain http") c.request.timeout_ms = 300;
    if (c.name == "bad method") c.request.method = secret;
    if (c.name == "bad timeout") c.request.timeout_ms = 5;
    if (c.name == "header injection") c.request.auth.headers.push_back({"X-Bad", secret + "\n"});
  }

  std::set<ProbeOutcome> outcomes;
  int refused = 0;
  for (const auto& c : cases) {
    auto result = Probe(c.request);
    if (result.ok()) {
      outcomes.insert(result->outcome);
      EXPECT_EQ(result->detail.find(secret), std::string::npos) << c.name << ": " << result->detail;
      EXPECT_FALSE(result->detail.empty()) << c.name;
    } else {
      ++refused;
      EXPECT_EQ(result.status().message().find(secret), std::string::npos)
          << c.name << ": " << result.status().message();
    }
  }
  EXPECT_EQ(outcomes,
            (std::set<ProbeOutcome>{ProbeOutcome::kOk, ProbeOutcome::kAuthFailed,
                                    ProbeOutcome::kHttpError, ProbeOutcome::kUnreachable}));
  EXPECT_EQ(refused, 6);
}

}  // namespace
}  // namespace herald::probe
