// heraldd's services wired together: the data directory, the store, the
// plugin registry, the REST API and its HTTP listener.
//
// Daemon::Start brings them up in that order and fails whole: on error
// nothing keeps running. The data directory is locked for the life of the
// Daemon, so two heraldd processes never share one. Once listening, the URL
// is written to <data-dir>/heraldd.url (removed again on Stop).
//
// Thread-safety: Start and Stop from one thread.
#ifndef HERALD_CORE_DAEMON_H_
#define HERALD_CORE_DAEMON_H_

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "herald/core/outbound_client.h"
#include "herald/core/plugin_host.h"
#include "herald/core/runtime/provider_registry.h"
#include "herald/core/sso/jwt_verifier.h"
#include "herald/core/status.h"

namespace herald {

struct DaemonOptions {
  std::filesystem::path data_dir;
  // Scanned in order; the first plugin of a name wins.
  std::vector<std::filesystem::path> plugin_dirs;
  std::string listen = "127.0.0.1:8480";
  size_t max_body_bytes = 16 * 1024 * 1024;
  // The largest knowledge file an agent may hold (an upload over it is 413).
  size_t max_knowledge_bytes = 10 * 1024 * 1024;
  // How long each channel may take to publish or unpublish.
  int64_t channel_deadline_ms = 30000;
  // The model providers; the supported-model catalog the summary checks is
  // the union of their models.
  std::vector<runtime::ProviderSettings> providers = runtime::DefaultProviderSettings();
  // Server threads: each open connection holds one (streams and keep-alive
  // clients included), so this bounds concurrent clients.
  int http_threads = 128;
  // Address ranges the plugins' outbound HTTP may not reach (CIDR).
  std::vector<std::string> outbound_deny = DefaultOutboundDenyList();
  PluginConfigLookup plugin_config;
  // The master key: HERALD_MASTER_KEY's value when set, else this file
  // (default <data-dir>/master.key).
  std::optional<std::string> master_key_env;
  std::filesystem::path master_key_file;
  // The daemon-wide SSO identity provider, when configured.
  std::optional<sso::JwtConfig> sso;
};

// The file in the data directory that holds the listening URL.
inline constexpr char kUrlFileName[] = "heraldd.url";
// The file in the data directory that holds the first admin's token (0600).
inline constexpr char kAdminTokenFileName[] = "admin.token";
// The default master key file in the data directory (0600).
inline constexpr char kMasterKeyFileName[] = "master.key";

class Daemon {
 public:
  static StatusOr<std::unique_ptr<Daemon>> Start(DaemonOptions options);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // "http://127.0.0.1:8480"
  const std::string& url() const { return url_; }
  void Stop();

 private:
  struct Parts;
  explicit Daemon(std::unique_ptr<Parts> parts);

  std::unique_ptr<Parts> parts_;
  std::string url_;
};

std::string HeraldVersion();

}  // namespace herald

#endif  // HERALD_CORE_DAEMON_H_
