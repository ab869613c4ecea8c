#include "herald/core/probe/connection_prober.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Timespan.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace herald::probe {
namespace {

constexpr int kMinTimeoutMs = 100;
constexpr int kMaxTimeoutMs = 120000;
constexpr size_t kMaxBodyBytes = 4096;
constexpr size_t kMaxReasonChars = 200;
constexpr std::array<std::string_view, 7> kMethods = {"GET", "HEAD",  "OPTIONS", "POST",
                                                      "PUT", "PATCH", "DELETE"};

// ---- Text helpers ----------------------------------------------------------

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsUnreserved(unsigned char c) {
  return IsAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 9110 token characters (header names).
bool IsTokenChar(unsigned char c) {
  return IsAlnum(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool HasSpaceOrControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return c <= 0x20 || c == 0x7f;
  });
}

// Percent-encodes every byte but the unreserved ones and those in `keep`.
std::string PercentEncode(std::string_view s, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || keep.find(ch) != std::string_view::npos) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

// Characters left as they are in a path or a query taken from the caller
// (sub-delims, ':' '@' '/', and '%' so that what is already encoded stays so).
constexpr std::string_view kPathKeep = "/:@!$&'()*+,;=%";
constexpr std::string_view kQueryKeep = "/:@!$&'()*+,;=%?";

// ---- The target ------------------------------------------------------------

struct Target {
  bool https = false;
  std::string host;  // without brackets for IPv6
  uint16_t port = 0;
  std::string request_target;  // path and query, encoded
};

// "a/b?c#d" -> path "a/b", query "c" (the fragment dropped).
std::pair<std::string_view, std::string_view> SplitPathQuery(std::string_view s) {
  s = s.substr(0, s.find('#'));
  size_t q = s.find('?');
  if (q == std::string_view::npos) return {s, {}};
  return {s.substr(0, q), s.substr(q + 1)};
}

bool ValidHostName(std::string_view host) {
  return std::all_of(host.begin(), host.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return IsAlnum(c) || c == '-' || c == '.' || c == '_';
  });
}

bool ValidIpv6Literal(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return std::isxdigit(c) || c == ':' || c == '.';
  });
}

// The URL is never echoed in a message: its query might hold a credential.
StatusOr<Target> ParseServerUrl(std::string_view url, std::string& base_path,
                                std::string& base_query) {
  auto bad = [](std::string_view why) {
    return Status::InvalidArgument("server_url: " + std::string(why));
  };
  if (url.empty()) return bad("is empty");
  if (HasSpaceOrControl(url)) return bad("contains a space or a control character");
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return bad("must be an absolute http:// or https:// URL");
  std::string scheme = Lower(url.substr(0, sep));
  Target target;
  if (scheme == "https") {
    target.https = true;
  } else if (scheme != "http") {
    return bad("the scheme must be http or https");
  }
  std::string_view rest = url.substr(sep + 3);
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view remainder =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return bad("must not contain user information; credentials belong in the connection's auth");
  }

  std::string_view host;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("has an unterminated IPv6 address");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("has text after the IPv6 address");
      port = after.substr(1);
    }
    if (!ValidIpv6Literal(host)) return bad("has an invalid IPv6 address");
  } else {
    size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    if (!host.empty() && !ValidHostName(host)) return bad("has an invalid host name");
  }
  if (host.empty()) return bad("has no host");
  target.host = std::string(host);

  if (port.empty()) {
    target.port = target.https ? 443 : 80;
  } else {
    if (port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return bad("has an invalid port");
    }
    int value = std::stoi(std::string(port));
    if (value < 1 || value > 65535) return bad("has a port out of range (1..65535)");
    target.port = static_cast<uint16_t>(value);
  }

  auto [path, query] = SplitPathQuery(remainder);
  base_path = PercentEncode(path, kPathKeep);
  base_query = PercentEncode(query, kQueryKeep);
  return target;
}

StatusOr<Target> BuildTarget(const ProbeRequest& request) {
  std::string base_path;
  std::string base_query;
  auto target = ParseServerUrl(request.server_url, base_path, base_query);
  if (!target.ok()) return target.status();

  if (std::find(kMethods.begin(), kMethods.end(), request.method) == kMethods.end()) {
    return Status::InvalidArgument(
        "method: must be one of GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE");
  }
  if (request.path.empty() || request.path.front() != '/') {
    return Status::InvalidArgument("path: must start with '/'");
  }
  if (HasSpaceOrControl(request.path)) {
    return Status::InvalidArgument("path: contains a space or a control character");
  }
  if (request.timeout_ms < kMinTimeoutMs || request.timeout_ms > kMaxTimeoutMs) {
    return Status::InvalidArgument("timeout_ms: must be between " + std::to_string(kMinTimeoutMs) +
                                   " and " + std::to_string(kMaxTimeoutMs) + ", not " +
                                   std::to_string(request.timeout_ms));
  }
  for (size_t i = 0; i < request.auth.headers.size(); ++i) {
    const auto& [name, value] = request.auth.headers[i];
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
          return IsTokenChar(static_cast<unsigned char>(c));
        })) {
      return Status::InvalidArgument("auth.headers: header " + std::to_string(i + 1) +
                                     " has an invalid name");
    }
    bool bad_value = std::any_of(value.begin(), value.end(), [](char ch) {
      auto c = static_cast<unsigned char>(ch);
      return (c < 0x20 && c != '\t') || c == 0x7f;
    });
    if (bad_value) {
      return Status::InvalidArgument("auth.headers: the value of header '" + name +
                                     "' contains a line break or a control character");
    }
  }
  for (size_t i = 0; i < request.auth.query.size(); ++i) {
    if (request.auth.query[i].first.empty()) {
      return Status::InvalidArgument("auth.query: parameter " + std::to_string(i + 1) +
                                     " has an empty name");
    }
  }

  auto [extra_path, extra_query] = SplitPathQuery(request.path);
  std::string path = base_path;
  while (!path.empty() && path.back() == '/') path.pop_back();
  path += PercentEncode(extra_path, kPathKeep);

  std::vector<std::string> query_parts;
  if (!base_query.empty()) query_parts.push_back(base_query);
  if (!extra_query.empty()) query_parts.push_back(PercentEncode(extra_query, kQueryKeep));
  for (const auto& [name, value] : request.auth.query) {
    query_parts.push_back(PercentEncode(name, "") + "=" + PercentEncode(value, ""));
  }
  std::string query;
  for (const auto& part : query_parts) {
    if (!query.empty()) query += '&';
    query += part;
  }
  target->request_target = query.empty() ? path : path + "?" + query;
  return target;
}

// ---- Keeping credentials out of messages -----------------------------------

// Every form in which a credential could show up in text we report.
std::vector<std::string> SecretsOf(const ProbeRequest& request) {
  std::vector<std::string> secrets;
  auto add = [&](const std::string& s) {
    if (!s.empty()) secrets.push_back(s);
  };
  for (const auto& [name, value] : request.auth.headers) {
    add(value);
    // "Bearer <token>": the token alone, too.
    size_t start = 0;
    while (start < value.size()) {
      size_t end = value.find_first_of(" \t", start);
      if (end == std::string::npos) end = value.size();
      if (end > start && end - start < value.size()) add(value.substr(start, end - start));
      start = end + 1;
    }
  }
  for (const auto& [name, value] : request.auth.query) {
    add(value);
    add(PercentEncode(value, ""));
  }
  return secrets;
}

// Text from an exception, fit to report: URL queries stripped, control
// characters dropped, shortened; "" if it still contains a credential.
std::string SafeText(std::string_view text, const std::vector<std::string>& secrets) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '?') {
      // Drop a query up to the end of the URL it belongs to.
      while (i + 1 < text.size() &&
             std::string_view(" \t\r\n'\"<>").find(text[i + 1]) == std::string_view::npos) {
        ++i;
      }
      continue;
    }
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) continue;
    out += c;
  }
  if (out.size() > kMaxReasonChars) out = out.substr(0, kMaxReasonChars) + "...";
  for (const auto& secret : secrets) {
    if (out.find(secret) != std::string::npos) return "";
  }
  return out;
}

std::string WithReason(std::string prefix, const std::string& reason) {
  return reason.empty() ? prefix : prefix + ": " + reason;
}

// OpenSSL's "error:0A000086:SSL routines::certificate verify failed" reads
// better as its last part.
std::string OpenSslReason(const std::string& message) {
  if (message.rfind("error:", 0) == 0) {
    size_t colon = message.rfind(':');
    if (colon != std::string::npos && colon + 1 < message.size()) {
      return message.substr(colon + 1);
    }
  }
  return message;
}

// ---- TLS -------------------------------------------------------------------

// What OpenSSL reported during this thread's current handshake (OpenSSL calls
// back in the thread doing the I/O, which is the probing thread).
thread_local std::string tls_verify_error;
thread_local bool tls_handshake_started = false;
thread_local bool tls_handshake_done = false;

int VerifyCallback(int ok, X509_STORE_CTX* store) {
  if (!ok && tls_verify_error.empty()) {
    tls_verify_error = X509_verify_cert_error_string(X509_STORE_CTX_get_error(store));
  }
  return ok;  // records only; a failure stays a failure
}

void InfoCallback(const SSL*, int where, int) {
  if (where & SSL_CB_HANDSHAKE_START) tls_handshake_started = true;
  if (where & SSL_CB_HANDSHAKE_DONE) tls_handshake_done = true;
}

bool IsIpLiteral(const std::string& host) {
  return host.find(':') != std::string::npos || std::all_of(host.begin(), host.end(), [](char c) {
           return (c >= '0' && c <= '9') || c == '.';
         });
}

// A client context for one probe of `host`. OpenSSL itself checks the chain
// against the system CAs and the certificate against `host` during the
// handshake, and the verify callback is ours: a process-wide Poco
// SSLManager certificate handler cannot weaken it, and no request byte is
// sent before the check has passed.
StatusOr<Poco::Net::Context::Ptr> MakeClientContext(const std::string& host) {
  static const bool initialised = [] {
    Poco::Net::initializeSSL();  // once; never undone
    return true;
  }();
  (void)initialised;
  try {
    Poco::Net::Context::Params params;
    params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
    params.verificationDepth = 9;
    params.loadDefaultCAs = true;
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    // Poco's own after-the-handshake host check is redundant with
    // OpenSSL's (and may resolve names); OpenSSL's is the one that counts.
    context->enableExtendedCertificateVerification(false);
    SSL_CTX* ssl = context->sslContext();
    SSL_CTX_set_verify(ssl, SSL_VERIFY_PEER, &VerifyCallback);
    SSL_CTX_set_info_callback(ssl, &InfoCallback);
    X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    // An address is checked against the certificate's IP entries, a name
    // against its DNS names ("1.2.3" is no address, so it is a name).
    bool set = IsIpLiteral(host) && X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1;
    if (!set) set = X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) == 1;
    if (!set) return Status::Internal("TLS client setup failed: cannot check the host name");
    return context;
  } catch (const Poco::Exception& e) {
    return Status::Internal("TLS client setup failed: " + e.displayText());
  }
}

// Blocks SIGPIPE in the calling thread for its lifetime, then discards a
// SIGPIPE raised meanwhile and restores the mask.
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    blocked_ = pthread_sigmask(SIG_BLOCK, &pipe_, &old_) == 0;
  }
  ~ScopedSigpipeBlock() {
    if (!blocked_) return;
    if (!was_pending_) {
      sigset_t pending;
      sigemptyset(&pending);
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        timespec zero{};
        sigtimedwait(&pipe_, nullptr, &zero);
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  ScopedSigpipeBlock(const ScopedSigpipeBlock&) = delete;
  ScopedSigpipeBlock& operator=(const ScopedSigpipeBlock&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
  bool blocked_ = false;
};

// ---- Classifying -----------------------------------------------------------

// The standard reason phrase (RFC 9110 and common extensions), or "".
std::string_view StandardReason(int status) {
  static constexpr std::pair<int, std::string_view> kReasons[] = {
      {100, "Continue"},
      {101, "Switching Protocols"},
      {200, "OK"},
      {201, "Created"},
      {202, "Accepted"},
      {203, "Non-Authoritative Information"},
      {204, "No Content"},
      {205, "Reset Content"},
      {206, "Partial Content"},
      {300, "Multiple Choices"},
      {301, "Moved Permanently"},
      {302, "Found"},
      {303, "See Other"},
      {304, "Not Modified"},
      {307, "Temporary Redirect"},
      {308, "Permanent Redirect"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {402, "Payment Required"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {406, "Not Acceptable"},
      {407, "Proxy Authentication Required"},
      {408, "Request Timeout"},
      {409, "Conflict"},
      {410, "Gone"},
      {411, "Length Required"},
      {412, "Precondition Failed"},
      {413, "Content Too Large"},
      {414, "URI Too Long"},
      {415, "Unsupported Media Type"},
      {416, "Range Not Satisfiable"},
      {417, "Expectation Failed"},
      {421, "Misdirected Request"},
      {422, "Unprocessable Content"},
      {425, "Too Early"},
      {426, "Upgrade Required"},
      {428, "Precondition Required"},
      {429, "Too Many Requests"},
      {431, "Request Header Fields Too Large"},
      {451, "Unavailable For Legal Reasons"},
      {500, "Internal Server Error"},
      {501, "Not Implemented"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Gateway Timeout"},
      {505, "HTTP Version Not Supported"},
      {511, "Network Authentication Required"}};
  for (const auto& [code, reason] : kReasons) {
    if (code == status) return reason;
  }
  return "";
}

// "server answered 401 Unauthorized": never the server's own reason phrase,
// which could say anything (even echo a credential).
std::string StatusText(int status) {
  std::string text = "server answered " + std::to_string(status);
  std::string_view reason = StandardReason(status);
  if (!reason.empty()) text += " " + std::string(reason);
  return text;
}

ProbeResult Classify(int status) {
  ProbeResult result;
  result.http_status = status;
  result.detail = StatusText(status);
  if (status >= 200 && status < 300) {
    result.outcome = ProbeOutcome::kOk;
  } else if (status >= 300 && status < 400) {
    result.outcome = ProbeOutcome::kOk;
    result.detail += " (redirect not followed)";
  } else if (status == 401 || status == 403) {
    result.outcome = ProbeOutcome::kAuthFailed;
  } else {
    result.outcome = ProbeOutcome::kHttpError;
  }
  return result;
}

}  // namespace

std::string_view ProbeOutcomeName(ProbeOutcome outcome) {
  switch (outcome) {
    case ProbeOutcome::kOk:
      return "ok";
    case ProbeOutcome::kAuthFailed:
      return "auth_failed";
    case ProbeOutcome::kHttpError:
      return "http_error";
    case ProbeOutcome::kUnreachable:
      return "unreachable";
  }
  return "unknown";
}

StatusOr<ProbeResult> Probe(const ProbeRequest& request) {
  auto target = BuildTarget(request);
  if (!target.ok()) return target.status();

  Poco::Net::Context::Ptr context;
  if (target->https) {
    auto made = MakeClientContext(target->host);
    if (!made.ok()) return made.status();
    context = *made;
  }

  const std::vector<std::string> secrets = SecretsOf(request);
  ScopedSigpipeBlock no_sigpipe;
  tls_verify_error.clear();
  tls_handshake_started = false;
  tls_handshake_done = false;

  Poco::Net::HTTPRequest http_request(request.method, target->request_target,
                                      Poco::Net::HTTPMessage::HTTP_1_1);
  http_request.set("User-Agent", "herald-probe");
  http_request.set("Accept", "*/*");
  http_request.setKeepAlive(false);
  std::set<std::string> named;
  for (const auto& [name, value] : request.auth.headers) {
    if (named.insert(Lower(name)).second) {
      http_request.set(name, value);
    } else {
      http_request.add(name, value);
    }
  }
  if (request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
    http_request.setContentLength(0);
  }

  const auto start = std::chrono::steady_clock::now();
  auto elapsed_ms = [&start] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start)
        .count();
  };
  ProbeResult failure;
  failure.outcome = ProbeOutcome::kUnreachable;
  try {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (target->https) {
      session =
          std::make_unique<Poco::Net::HTTPSClientSession>(target->host, target->port, context);
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(target->host, target->port);
    }
    session->setTimeout(
        Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(request.timeout_ms) * 1000));
    session->sendRequest(http_request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session->receiveResponse(response);
    ProbeResult result = Classify(static_cast<int>(response.getStatus()));
    result.latency_ms = elapsed_ms();
    try {
      // Read a little of the body (and drop it); the status decides.
      std::array<char, kMaxBodyBytes> discard;
      body.read(discard.data(), static_cast<std::streamsize>(discard.size()));
    } catch (...) {
    }
    return result;
  } catch (const Poco::Net::SSLConnectionUnexpectedlyClosedException&) {
    failure.detail = tls_handshake_done ? "the server closed the TLS connection without answering"
                                        : "TLS handshake failed: the server closed the connection";
  } catch (const Poco::Net::SSLException& e) {
    // Includes Poco's CertificateValidationException.
    std::string reason = SafeText(OpenSslReason(e.message()), secrets);
    std::string verify = SafeText(tls_verify_error, secrets);
    if (!verify.empty()) reason = reason.empty() ? verify : reason + " (" + verify + ")";
    failure.detail = WithReason(tls_handshake_done ? "TLS error" : "TLS handshake failed", reason);
  } catch (const Poco::Net::DNSException&) {
    failure.detail = "could not resolve host '" + target->host + "'";
  } catch (const Poco::Net::ConnectionRefusedException&) {
    failure.detail = "connection refused";
  } catch (const Poco::Net::ConnectionResetException&) {
    failure.detail = "connection reset by the server";
    if (tls_handshake_started && !tls_handshake_done) {
      failure.detail = "TLS handshake failed: " + failure.detail;
    }
  } catch (const Poco::Net::ConnectionAbortedException&) {
    failure.detail = "connection aborted";
  } catch (const Poco::Net::NoMessageException&) {
    failure.detail = "the server closed the connection without answering";
  } catch (const Poco::Net::MessageException&) {
    // Poco's text may quote the server's bytes; not worth the risk.
    failure.detail = "the server's answer is not valid HTTP";
  } catch (const Poco::TimeoutException&) {
    failure.detail = "timed out after " + std::to_string(request.timeout_ms) + " ms";
    if (tls_handshake_started && !tls_handshake_done) {
      failure.detail = "TLS handshake failed: " + failure.detail;
    }
  } catch (const Poco::Net::NetException& e) {
    failure.detail = WithReason("network error", SafeText(e.message(), secrets));
  } catch (const Poco::Exception& e) {
    failure.detail = WithReason("request failed", SafeText(e.displayText(), secrets));
  } catch (const std::exception& e) {
    failure.detail = WithReason("request failed", SafeText(e.what(), secrets));
  }
  failure.latency_ms = elapsed_ms();
  return failure;
}

}  // namespace herald::probe
