// The HTTP(S) client heraldd lends channel plugins (host API `fetch`).
//
// - Keeps connections alive: idle sessions are pooled per scheme, host and
//   port (at most `max_idle_per_origin` each) and reused, so a plugin that
//   delivers many small requests to one receiver pays one connect.
// - Never follows redirects: a 3xx is the answer.
// - Refuses targets on the deny list: every address the host name resolves
//   to is checked against it (by default link-local and the cloud metadata
//   addresses), before each new connection. PermissionDenied names the
//   address range, not the URL (whose query may hold a credential).
// - `timeout_ms` bounds each network step (connect, send, each receive).
//   Timeouts are DeadlineExceeded, unreachable targets Unavailable.
//
// Thread-safety: Fetch may be called from any number of threads at once.
#ifndef HERALD_CORE_OUTBOUND_CLIENT_H_
#define HERALD_CORE_OUTBOUND_CLIENT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "herald/core/status.h"

namespace Poco::Net {
class HTTPClientSession;
class IPAddress;
}  // namespace Poco::Net

namespace herald {

// An address range in CIDR form ("169.254.0.0/16", "fe80::/10", or a single
// address).
class AddressRange {
 public:
  static StatusOr<AddressRange> Parse(std::string_view cidr);
  bool Contains(const Poco::Net::IPAddress& address) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::vector<uint8_t> network_;  // 4 or 16 bytes
  unsigned prefix_ = 0;
};

// The default deny list: link-local (IPv4 and IPv6, which holds the common
// cloud metadata address 169.254.169.254) and AWS's IPv6 metadata address.
std::vector<std::string> DefaultOutboundDenyList();

struct OutboundClientOptions {
  std::vector<AddressRange> deny;
  int64_t default_timeout_ms = 30000;
  size_t max_idle_per_origin = 16;
  size_t max_response_bytes = 16 * 1024 * 1024;
};

struct FetchRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int64_t timeout_ms = 0;  // 0: the default
};

struct FetchResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class OutboundClient {
 public:
  explicit OutboundClient(OutboundClientOptions options);
  ~OutboundClient();
  OutboundClient(const OutboundClient&) = delete;
  OutboundClient& operator=(const OutboundClient&) = delete;

  StatusOr<FetchResponse> Fetch(const FetchRequest& request);

  // Sessions sitting idle in the pool, for tests and metrics.
  size_t idle_sessions() const;

 private:
  using Session = std::unique_ptr<Poco::Net::HTTPClientSession>;
  Status CheckTarget(const std::string& host) const;
  Session Take(const std::string& origin);
  void Return(const std::string& origin, Session session);

  OutboundClientOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, std::vector<Session>> idle_;  // guarded by mu_
};

}  // namespace herald

#endif  // HERALD_CORE_OUTBOUND_CLIENT_H_
