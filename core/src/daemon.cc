#include "herald/core/daemon.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "api/agents_api.h"
#include "api/api_services.h"
#include "api/connections_api.h"
#include "api/deploy_api.h"
#include "api/openapi_api.h"
#include "api/preview_api.h"
#include "api/system_api.h"
#include "api/tools_api.h"
#include "api/users_api.h"
#include "herald/core/agent_service.h"
#include "herald/core/auth/authenticator.h"
#include "herald/core/auth/tokens.h"
#include "herald/core/connection_service.h"
#include "herald/core/credential_vault.h"
#include "herald/core/deploy_service.h"
#include "herald/core/http/http_server.h"
#include "herald/core/log.h"
#include "herald/core/outbound_client.h"
#include "herald/core/plugin_registry.h"
#include "herald/core/plugin_routes.h"
#include "herald/core/plugin_services.h"
#include "herald/core/runtime/agent_runtime.h"
#include "herald/core/runtime/connection_auth.h"
#include "herald/core/secret_settings.h"
#include "herald/core/sqlite_store.h"
#include "herald/core/summary.h"
#include "herald/core/tool_service.h"

namespace herald {

std::string HeraldVersion() { return HERALD_VERSION; }

namespace {

constexpr char kLockFileName[] = "heraldd.lock";
constexpr char kDatabaseFileName[] = "herald.db";

// Holds an exclusive flock on <data-dir>/heraldd.lock while alive.
class DataDirLock {
 public:
  static StatusOr<std::unique_ptr<DataDirLock>> Acquire(const std::filesystem::path& dir) {
    const std::filesystem::path path = dir / kLockFileName;
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
      return Status::Unavailable("cannot open " + path.string() + ": " + std::strerror(errno));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      return Status::FailedPrecondition("data directory " + dir.string() +
                                        " is in use by another heraldd");
    }
    return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
  }
  ~DataDirLock() { ::close(fd_); }

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

Status PrepareDataDir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Status::Unavailable("cannot create data directory " + dir.string() + ": " +
                               ec.message());
  }
  if (!std::filesystem::is_directory(dir)) {
    return Status::InvalidArgument("data-dir: " + dir.string() + " is not a directory");
  }
  // The data directory will hold keys and credentials: owner only.
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  if (ec) {
    return Status::Unavailable("cannot restrict permissions of " + dir.string() + ": " +
                               ec.message());
  }
  return Status::Ok();
}

// Writes via a temporary file (created with `mode`) and rename, so a reader
// never sees half a file.
Status WriteFileAtomically(const std::filesystem::path& path, const std::string& content,
                           mode_t mode = 0644) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    return Status::Unavailable("cannot write " + tmp.string() + ": " + std::strerror(errno));
  }
  bool written =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  written = ::fsync(fd) == 0 && written;
  ::close(fd);
  if (!written) return Status::Unavailable("cannot write " + tmp.string());
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::Unavailable("cannot write " + path.string() + ": " + ec.message());
  return Status::Ok();
}

// On first start (no users yet) creates the admin user and writes its token
// to <data-dir>/admin.token, readable by the owner only. The token itself is
// never logged.
Status BootstrapAdmin(UserStore& users, const std::filesystem::path& data_dir) {
  StatusOr<std::vector<User>> existing = users.ListUsers();
  if (!existing.ok()) return existing.status();
  if (!existing->empty()) return Status::Ok();
  const std::string token = auth::NewToken();
  const std::filesystem::path token_file = data_dir / kAdminTokenFileName;
  HERALD_RETURN_IF_ERROR(WriteFileAtomically(token_file, token + "\n", 0600));
  StatusOr<User> admin = users.CreateUser("admin", Role::kAdmin, auth::HashToken(token));
  if (!admin.ok()) return admin.status();
  LogEvent(spdlog::level::warn, "bootstrap.admin_created",
           {{"user", admin->name}, {"token_file", token_file.string()}});
  return Status::Ok();
}

}  // namespace

struct Daemon::Parts {
  std::filesystem::path data_dir;
  std::unique_ptr<DataDirLock> lock;
  std::unique_ptr<Store> store;
  std::unique_ptr<CredentialVault> vault;
  std::unique_ptr<auth::Authenticator> authenticator;
  // What channel plugins get beyond ABI 1.0; built before they load.
  std::unique_ptr<PluginRoutes> plugin_routes;
  std::unique_ptr<OutboundClient> outbound;
  std::unique_ptr<PluginServices> plugin_services;
  std::unique_ptr<PluginRegistry> plugins;
  std::unique_ptr<ConnectionService> connections;
  std::unique_ptr<ToolService> tools;
  // Seals, and opens for the plugins, secret channel settings.
  std::unique_ptr<SecretSettings> secret_settings;
  std::unique_ptr<AgentService> agents;
  std::unique_ptr<runtime::ProviderRegistry> providers;
  std::unique_ptr<SummaryBuilder> summaries;
  std::unique_ptr<DeployService> deploys;
  // Answers turns: live ones for the channels (the plugin host's run_turn),
  // previews for the API.
  std::unique_ptr<runtime::AgentRuntime> runtime;
  std::unique_ptr<api::ApiServices> services;
  http::Router router;
  std::unique_ptr<http::HttpServer> server;
};

StatusOr<std::unique_ptr<Daemon>> Daemon::Start(DaemonOptions options) {
  StatusOr<std::pair<std::string, uint16_t>> listen = http::ParseListenAddress(options.listen);
  if (!listen.ok()) return listen.status();

  auto parts = std::make_unique<Parts>();
  parts->data_dir = std::filesystem::absolute(options.data_dir);
  HERALD_RETURN_IF_ERROR(PrepareDataDir(parts->data_dir));
  StatusOr<std::unique_ptr<DataDirLock>> lock = DataDirLock::Acquire(parts->data_dir);
  if (!lock.ok()) return lock.status();
  parts->lock = std::move(lock).value();

  StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(parts->data_dir / kDatabaseFileName);
  if (!store.ok()) return store.status();
  parts->store = std::move(store).value();
  LogEvent(spdlog::level::info, "store.opened",
           {{"backend", parts->store->backend()},
            {"schema_version", parts->store->schema_version()},
            {"path", (parts->data_dir / kDatabaseFileName).string()}});

  MasterKeySource key_source;
  key_source.environment_value = options.master_key_env;
  key_source.key_file = options.master_key_file.empty() ? parts->data_dir / kMasterKeyFileName
                                                        : options.master_key_file;
  StatusOr<std::unique_ptr<CredentialVault>> vault =
      CredentialVault::Open(*parts->store, key_source);
  if (!vault.ok()) return vault.status();
  parts->vault = std::move(vault).value();

  HERALD_RETURN_IF_ERROR(BootstrapAdmin(parts->store->users(), parts->data_dir));

  std::optional<sso::JwtVerifier> sso_verifier;
  if (options.sso) {
    StatusOr<sso::JwtVerifier> verifier = sso::JwtVerifier::Create(*options.sso);
    if (!verifier.ok()) return verifier.status();
    sso_verifier = std::move(verifier).value();
  }
  parts->authenticator = std::make_unique<auth::Authenticator>(parts->store->users());

  OutboundClientOptions outbound_options;
  for (const std::string& range : options.outbound_deny) {
    StatusOr<AddressRange> parsed = AddressRange::Parse(range);
    if (!parsed.ok()) return parsed.status();
    outbound_options.deny.push_back(std::move(parsed).value());
  }
  parts->plugin_routes = std::make_unique<PluginRoutes>(parts->authenticator.get());
  parts->outbound = std::make_unique<OutboundClient>(std::move(outbound_options));
  parts->plugin_services =
      std::make_unique<PluginServices>(*parts->plugin_routes, *parts->store, *parts->vault,
                                       *parts->outbound, std::move(sso_verifier));
  parts->plugins = std::make_unique<PluginRegistry>(options.plugin_config, Clock(),
                                                    parts->plugin_services.get());
  parts->plugins->LoadDirectories(options.plugin_dirs);
  LogEvent(
      spdlog::level::info, "plugins.ready",
      {{"loaded", parts->plugins->loaded().size()}, {"refused", parts->plugins->refused().size()}});
  parts->connections = std::make_unique<ConnectionService>(*parts->store, *parts->plugins,
                                                           *parts->vault, options.sso);
  parts->tools = std::make_unique<ToolService>(*parts->store, *parts->connections);
  parts->secret_settings = std::make_unique<SecretSettings>(*parts->store, *parts->vault);
  parts->agents = std::make_unique<AgentService>(
      *parts->store, *parts->plugins, options.max_knowledge_bytes, parts->secret_settings.get());
  parts->providers = std::make_unique<runtime::ProviderRegistry>();
  for (const runtime::ProviderSettings& settings : options.providers) {
    auto provider = runtime::MakeProvider(
        settings, runtime::ConnectionAuth(*parts->connections, settings.connection));
    if (!provider.ok()) return provider.status();
    parts->providers->Add(std::move(provider).value());
  }
  parts->summaries = std::make_unique<SummaryBuilder>(
      *parts->plugins, *parts->connections, *parts->tools,
      ModelCatalog([providers = parts->providers.get()] { return providers->Catalog(); }),
      parts->secret_settings.get());
  parts->deploys = std::make_unique<DeployService>(
      *parts->store, *parts->plugins, *parts->summaries, *parts->tools,
      std::chrono::milliseconds(options.channel_deadline_ms), parts->secret_settings.get());
  parts->runtime = std::make_unique<runtime::AgentRuntime>(
      *parts->store, *parts->connections, *parts->providers,
      [deploys = parts->deploys.get()](const AgentDraft& draft) {
        return deploys->Snapshot(draft);
      });
  parts->deploys->SetLiveStateListener(
      [rt = parts->runtime.get()](const std::string& agent_id) { rt->LiveStateChanged(agent_id); });
  parts->plugin_services->AttachRuntime(parts->runtime.get());
  // Channels serve what the store says is live before anyone can ask.
  HERALD_RETURN_IF_ERROR(parts->deploys->Recover());
  parts->services.reset(new api::ApiServices{
      *parts->store, *parts->plugins, *parts->authenticator, *parts->vault, *parts->connections,
      *parts->tools, HeraldVersion(), *parts->agents, *parts->summaries, *parts->deploys});
  api::AddSystemRoutes(parts->router, *parts->services);
  api::AddUserRoutes(parts->router, *parts->services);
  api::AddConnectionRoutes(parts->router, *parts->services);
  api::AddToolRoutes(parts->router, *parts->services);
  api::AddAdminRoutes(parts->router, *parts->services);
  api::AddAgentRoutes(parts->router, *parts->services);
  api::AddDeployRoutes(parts->router, *parts->services);
  api::AddPreviewRoutes(parts->router, *parts->services, *parts->runtime);
  api::AddOpenApiRoutes(parts->router);
  parts->router.AddPrefix(kChannelRoutePrefix,
                          [routes = parts->plugin_routes.get()](http::HttpRequest& request) {
                            return routes->Dispatch(request);
                          });

  http::HttpServerOptions server_options;
  server_options.host = listen->first;
  server_options.port = listen->second;
  // A knowledge upload is one body: allow it whatever the general limit.
  server_options.max_body_bytes = std::max(options.max_body_bytes, options.max_knowledge_bytes);
  server_options.max_threads = options.http_threads;
  parts->server = std::make_unique<http::HttpServer>(parts->router, server_options);
  HERALD_RETURN_IF_ERROR(parts->server->Start());

  const std::string& host = parts->server->host();
  const bool ipv6 = host.find(':') != std::string::npos;
  std::unique_ptr<Daemon> daemon(new Daemon(std::move(parts)));
  daemon->url_ = "http://" + (ipv6 ? "[" + host + "]" : host) + ":" +
                 std::to_string(daemon->parts_->server->port());
  HERALD_RETURN_IF_ERROR(
      WriteFileAtomically(daemon->parts_->data_dir / kUrlFileName, daemon->url_ + "\n"));
  LogEvent(spdlog::level::info, "http.listening", {{"url", daemon->url_}});
  return daemon;
}

Daemon::Daemon(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Daemon::~Daemon() { Stop(); }

void Daemon::Stop() {
  if (!parts_) return;
  if (parts_->server) {
    parts_->server->Stop();
    std::error_code ec;
    std::filesystem::remove(parts_->data_dir / kUrlFileName, ec);
    LogEvent(spdlog::level::info, "http.stopped");
  }
  // Members go in reverse: services, plugins (shut down), store, lock.
  parts_.reset();
}

}  // namespace herald
