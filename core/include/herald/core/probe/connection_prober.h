// The connection prober: "test a connection". Sends one real HTTP request to
// a connection's server with its credentials applied and classifies what
// happened.
//
// Contract:
//   - The request goes to `server_url` (http:// or https://) with `path`
//     joined to the URL's own path ("https://api.example.com/v2" + "/me" is
//     "/v2/me"). The query is the URL's own query, then the path's, then
//     `auth.query` with names and values percent-encoded (everything but
//     A-Z a-z 0-9 - . _ ~). `auth.headers` are set on the request (replacing
//     the prober's own User-Agent or Accept if named). `auth.method` and
//     `auth.url` (what the auth type was shown) are not used: `method`,
//     `server_url` and `path` say what is sent. The request carries no body;
//     POST, PUT and PATCH send Content-Length: 0.
//   - Redirects are not followed. 2xx and 3xx are kOk; 401 and 403 are
//     kAuthFailed; any other status is kHttpError. `detail` then reads
//     "server answered 401 Unauthorized" (the standard reason phrase, never
//     the server's own). At most 4 KB of the response body is read, and none
//     of it is reported.
//   - Anything that keeps an HTTP answer from arriving — DNS failure,
//     connection refused or reset, a timeout, a TLS failure, a connection
//     closed without an answer, an answer that is not HTTP — is kUnreachable
//     with the reason in `detail` ("connection refused", "timed out after
//     2000 ms", "could not resolve host 'api.example.com'", "TLS handshake
//     failed: certificate verify failed (self-signed certificate)").
//   - A request that cannot be sent as given is not a probe result but a
//     Status: kInvalidArgument naming the field ("server_url: ...", "method:
//     ...", "path: ...", "timeout_ms: ...", "auth.headers: ...",
//     "auth.query: ..."). A server URL with user information is refused
//     (credentials belong in `auth`). kInternal if TLS cannot be set up.
//   - `timeout_ms` (100..120000) bounds each network step separately
//     (connecting, the TLS handshake, each send and receive), not the probe
//     as a whole, which can take a small multiple of it; name resolution
//     uses the system resolver and its own timeouts.
//   - https:// verifies the server's certificate chain against the system CA
//     store (Poco's VERIFY_RELAXED with the default CAs, TLS 1.2 or later)
//     and its host name or IP address, both by OpenSSL during the handshake,
//     so nothing is sent to a server that fails either check. The check uses
//     its own verify callback: a process-wide Poco SSLManager certificate
//     handler cannot weaken it.
//
// Secrets: the values in `auth` are credentials. No `detail` and no Status
// message ever contains one — nor the query string of any URL (so a
// credential in the server URL's query is not echoed either). Text from
// exceptions is reported only with URL queries stripped and only if it
// contains no credential value; otherwise just the generic reason is given.
//
// Thread-safety: Probe may be called from any number of threads at once;
// each call has its own session and TLS context, and Poco's SSL is
// initialised once, thread-safely (and never uninitialised). While a probe
// runs, SIGPIPE is blocked in the calling thread (a server closing the
// connection must not kill the process); the process's signal dispositions
// are not changed.
#ifndef HERALD_CORE_PROBE_CONNECTION_PROBER_H_
#define HERALD_CORE_PROBE_CONNECTION_PROBER_H_

#include <herald/sdk/types.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "herald/core/status.h"

namespace herald::probe {

struct ProbeRequest {
  std::string server_url;  // http(s)://host[:port][/base/path][?query]
  std::string method = "GET";
  std::string path = "/";  // starts with '/', may carry a query
  int timeout_ms = 10000;
  sdk::AppliedAuth auth;  // what the connection's auth type applied (headers, query)
};

enum class ProbeOutcome { kOk, kAuthFailed, kHttpError, kUnreachable };

// "ok", "auth_failed", "http_error", "unreachable".
std::string_view ProbeOutcomeName(ProbeOutcome outcome);

struct ProbeResult {
  ProbeOutcome outcome = ProbeOutcome::kUnreachable;
  int http_status = 0;     // 0 when no answer arrived
  std::string detail;      // for people; never contains a credential
  int64_t latency_ms = 0;  // from the start to the answer's headers (or the failure)
};

// Sends the request and classifies the outcome; see the contract above.
StatusOr<ProbeResult> Probe(const ProbeRequest& request);

}  // namespace herald::probe

#endif  // HERALD_CORE_PROBE_CONNECTION_PROBER_H_
