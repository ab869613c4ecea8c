// The webhook channel's `endpoints` setting: where events go, which ones,
// and how (notify or gate).
//
//   [{"url": "https://ci.example/hooks",
//     "events": ["agent.deployed", "agent.undeployed", "deployment.failed"],
//     "mode": "notify"}]
//
// `events` defaults to all three, `mode` to notify. An endpoint is known by
// its position in the list (0, 1, ...): its signing secret and its disabled
// state belong to the agent and that position. Secrets never go in settings
// (settings are exported in plain text); see SecretStore.
//
// Stateless and thread-safe.
#ifndef HERALD_CHANNELS_WEBHOOK_ENDPOINTS_H_
#define HERALD_CHANNELS_WEBHOOK_ENDPOINTS_H_

#include <herald/sdk/types.hpp>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace herald::webhook {

inline constexpr std::string_view kAgentDeployed = "agent.deployed";
inline constexpr std::string_view kAgentUndeployed = "agent.undeployed";
inline constexpr std::string_view kDeploymentFailed = "deployment.failed";

enum class Mode { kNotify, kGate };

struct Endpoint {
  size_t index = 0;
  std::string url;
  std::set<std::string> events;
  Mode mode = Mode::kNotify;
  bool Wants(std::string_view event) const { return events.count(std::string(event)) > 0; }
};

// The most endpoints one agent may have.
inline constexpr size_t kMaxEndpoints = 16;

// Parses the setting's JSON text. Each fault is one problem naming
// "endpoints" (with the position in the message); the endpoints returned are
// meaningful only when there are none.
std::vector<Endpoint> ParseEndpoints(std::string_view json, std::vector<sdk::Problem>* problems);

// Parses, throwing std::invalid_argument with the first problem.
std::vector<Endpoint> ParseEndpointsOrThrow(std::string_view json);

// An address range, as a CIDR ("169.254.0.0/16", "fe80::/10").
class DenyList {
 public:
  // The default: link-local and cloud-metadata ranges (169.254.0.0/16,
  // fe80::/10, fd00:ec2::254/128).
  DenyList();
  // Adds "a.b.c.d/n" or "v6/n" (or a bare address); false when malformed.
  bool Add(std::string_view cidr);
  // Whether the URL's host is a literal IP address in a denied range. Host
  // names are not resolved here: the host's HTTP client checks the address
  // it connects to.
  bool DeniesLiteralHost(std::string_view url) const;

 private:
  struct Range {
    int family;
    unsigned char bytes[16];
    int prefix;
  };
  std::vector<Range> ranges_;
};

}  // namespace herald::webhook

#endif  // HERALD_CHANNELS_WEBHOOK_ENDPOINTS_H_
