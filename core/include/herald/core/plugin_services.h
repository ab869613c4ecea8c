// What heraldd lends channel plugins beyond ABI 1.0 (routes, turns, state,
// secrets, outbound HTTP, identity), in C++ terms. PluginHost turns each
// herald_host_api call of ABI 1.1 into a call here, naming the plugin.
//
// Built before plugins load (their init may add routes and read state); the
// runtime is attached later, once the services it needs exist, and turns
// asked for before that are Unavailable.
//
// Limits: keys up to 512 bytes, values up to 1 MiB (InvalidArgument beyond,
// naming which). Secrets are sealed by the credential vault, bound to the
// plugin and key, and re-sealed when the master key rotates.
//
// Thread-safety: every method may be called from any thread.
#ifndef HERALD_CORE_PLUGIN_SERVICES_H_
#define HERALD_CORE_PLUGIN_SERVICES_H_

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "herald/core/outbound_client.h"
#include "herald/core/plugin_routes.h"
#include "herald/core/runtime/runtime.h"
#include "herald/core/sso/jwt_verifier.h"
#include "herald/core/status.h"
#include "herald/core/store.h"

namespace herald {

class CredentialVault;

inline constexpr size_t kPluginKeyMaxBytes = 512;
inline constexpr size_t kPluginValueMaxBytes = 1024 * 1024;

class PluginServices {
 public:
  // `sso` is the daemon-wide identity provider; without it every identity
  // check is refused.
  PluginServices(PluginRoutes& routes, Store& store, const CredentialVault& vault,
                 OutboundClient& outbound, std::optional<sso::JwtVerifier> sso);

  void AttachRuntime(runtime::Runtime* runtime) { runtime_.store(runtime); }

  PluginRoutes& routes() { return routes_; }

  StatusOr<runtime::TurnOutput> RunTurn(const std::string& plugin, runtime::TurnInput input,
                                        const runtime::TurnCallbacks& callbacks);

  StatusOr<std::string> Get(const std::string& plugin, bool sealed, const std::string& key);
  Status Put(const std::string& plugin, bool sealed, const std::string& key,
             const std::string& value);
  Status Delete(const std::string& plugin, bool sealed, const std::string& key);
  StatusOr<std::vector<PluginStateEntry>> List(const std::string& plugin,
                                               const std::string& prefix);
  // Plain puts and deletes in one transaction: all or none.
  struct KvChange {
    std::string key;
    std::string value;
    bool is_delete = false;
  };
  Status Apply(const std::string& plugin, const std::vector<KvChange>& changes);

  StatusOr<FetchResponse> Fetch(const FetchRequest& request) { return outbound_.Fetch(request); }

  // The Herald user (by name) an identity provider's token names.
  StatusOr<std::string> VerifyIdentity(const std::string& token);

 private:
  PluginRoutes& routes_;
  Store& store_;
  const CredentialVault& vault_;
  OutboundClient& outbound_;
  std::optional<sso::JwtVerifier> sso_;
  std::atomic<runtime::Runtime*> runtime_{nullptr};
};

}  // namespace herald

#endif  // HERALD_CORE_PLUGIN_SERVICES_H_
