// heraldd: the Herald daemon. Reads its configuration (a file plus
// command-line overrides), starts a herald::Daemon, prints where it listens
// and runs until SIGTERM or SIGINT.
#include <Poco/String.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>
#include <unistd.h>

#include <climits>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "herald/core/daemon.h"
#include "herald/core/log.h"

namespace {

namespace fs = std::filesystem;
using Poco::Util::Option;
using Poco::Util::OptionCallback;

// The built-in plugins sit at <prefix>/<HERALD_PLUGIN_SUBDIR>, and heraldd at
// <prefix>/bin: the same in the build tree and in an install.
fs::path BuiltinPluginDir() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return {};
  buf[n] = '\0';
  return fs::path(buf).parent_path().parent_path() / HERALD_PLUGIN_SUBDIR;
}

class Heraldd : public Poco::Util::ServerApplication {
 public:
  // `start_dir`: the working directory at start, taken before --daemon may
  // move it, so relative paths mean what the operator meant.
  explicit Heraldd(fs::path start_dir) : start_dir_(std::move(start_dir)) { setUnixOptions(true); }

 protected:
  void defineOptions(Poco::Util::OptionSet& options) override {
    ServerApplication::defineOptions(options);
    auto add = [&](const char* name, const char* help, const char* arg, bool repeatable = false) {
      Option o(name, "", help);
      o.required(false).repeatable(repeatable);
      if (arg != nullptr) o.argument(arg);
      o.callback(OptionCallback<Heraldd>(this, &Heraldd::HandleOption));
      options.addOption(o);
    };
    add("help", "Show this help and exit.", nullptr);
    add("version", "Print the version and exit.", nullptr);
    add("config", "Read configuration from FILE (.properties, .ini, .xml or .json).", "FILE");
    add("listen", "Listen on HOST:PORT (default 127.0.0.1:8480; port 0 picks a free port).",
        "HOST:PORT");
    add("data-dir", "Keep the database, keys and logs in DIR (default ./herald-data).", "DIR");
    add("plugin-dir", "Also load plugins from DIR; repeatable.", "DIR", true);
    add("no-builtin-plugins", "Do not load the plugins installed with heraldd.", nullptr);
    add("log-level", "trace, debug, info (default), warn or error.", "LEVEL");
  }

  void HandleOption(const std::string& name, const std::string& value) {
    if (name == "help") {
      Poco::Util::HelpFormatter help(options());
      help.setCommand(commandName());
      help.setUsage("[options]");
      help.setHeader("heraldd: the Herald daemon. Publishes AI agents to channels.");
      help.setFooter(
          "Configuration file keys: herald.listen, herald.data_dir, "
          "herald.plugin_dirs (comma-separated), herald.log_level, herald.max_body_bytes, "
          "herald.max_knowledge_bytes, herald.channel_deadline_ms (default 30000), "
          "herald.providers (model providers, comma-separated; default scripted) and "
          "providers.<name>.type, .base_url, .models, .connection, .stream, .timeout_ms, "
          "herald.http_threads (default 128), herald.outbound_deny (CIDR ranges plugins' "
          "outbound HTTP may not reach; default link-local and cloud metadata), "
          "herald.master_key_file "
          "(HERALD_MASTER_KEY wins); sso.issuer, "
          "sso.audience, sso.hs256_secret_file, sso.rs256_public_key_file; "
          "plugins.<name>.<key> for each plugin.");
      help.format(std::cout);
      exit_early_ = true;
    } else if (name == "version") {
      std::cout << "heraldd " << herald::HeraldVersion() << "\n";
      exit_early_ = true;
    } else if (name == "config") {
      loadConfiguration(Resolve(value).string(), PRIO_DEFAULT);
    } else if (name == "listen") {
      config().setString("herald.listen", value);
    } else if (name == "data-dir") {
      config().setString("herald.data_dir", value);
    } else if (name == "plugin-dir") {
      extra_plugin_dirs_.push_back(Resolve(value));
    } else if (name == "no-builtin-plugins") {
      builtin_plugins_ = false;
    } else if (name == "log-level") {
      config().setString("herald.log_level", value);
    }
    if (exit_early_) stopOptionsProcessing();
  }

  int main(const std::vector<std::string>&) override {
    if (exit_early_) return EXIT_OK;
    const auto& cfg = config();

    herald::DaemonOptions options;
    options.data_dir = Resolve(cfg.getString("herald.data_dir", "herald-data"));
    options.listen = cfg.getString("herald.listen", "127.0.0.1:8480");
    options.max_body_bytes = cfg.getUInt64("herald.max_body_bytes", options.max_body_bytes);
    options.max_knowledge_bytes =
        cfg.getUInt64("herald.max_knowledge_bytes", options.max_knowledge_bytes);
    options.channel_deadline_ms =
        cfg.getInt64("herald.channel_deadline_ms", options.channel_deadline_ms);
    if (options.channel_deadline_ms < 1) {
      std::cerr << "heraldd: herald.channel_deadline_ms: must be at least 1\n";
      return EXIT_CONFIG;
    }
    herald::StatusOr<std::vector<herald::runtime::ProviderSettings>> providers =
        herald::runtime::ReadProviderSettings(
            [&cfg](const std::string& key) -> std::optional<std::string> {
              if (!cfg.hasProperty(key)) return std::nullopt;
              return cfg.getString(key);
            });
    if (!providers.ok()) {
      std::cerr << "heraldd: " << providers.status().message() << "\n";
      return EXIT_CONFIG;
    }
    options.providers = std::move(providers).value();
    options.http_threads = cfg.getInt("herald.http_threads", options.http_threads);
    if (cfg.hasProperty("herald.outbound_deny")) {
      // Comma-separated CIDR ranges; empty allows every address.
      options.outbound_deny.clear();
      std::stringstream ranges(cfg.getString("herald.outbound_deny"));
      for (std::string range; std::getline(ranges, range, ',');) {
        range = Poco::trim(range);
        if (!range.empty()) options.outbound_deny.push_back(range);
      }
    }
    if (builtin_plugins_) options.plugin_dirs.push_back(BuiltinPluginDir());
    std::stringstream configured(cfg.getString("herald.plugin_dirs", ""));
    for (std::string dir; std::getline(configured, dir, ',');) {
      if (!dir.empty()) options.plugin_dirs.push_back(Resolve(dir));
    }
    options.plugin_dirs.insert(options.plugin_dirs.end(), extra_plugin_dirs_.begin(),
                               extra_plugin_dirs_.end());
    options.plugin_config = [&cfg](const std::string& plugin,
                                   const std::string& key) -> std::optional<std::string> {
      const std::string full = "plugins." + plugin + "." + key;
      if (!cfg.hasProperty(full)) return std::nullopt;
      return cfg.getString(full);
    };

    if (const char* key = std::getenv("HERALD_MASTER_KEY"); key != nullptr && *key != '\0') {
      options.master_key_env = key;
    }
    if (cfg.hasProperty("herald.master_key_file")) {
      options.master_key_file = Resolve(cfg.getString("herald.master_key_file"));
    }
    if (cfg.hasProperty("sso.issuer")) {
      herald::StatusOr<herald::sso::JwtConfig> sso = ReadSsoConfig();
      if (!sso.ok()) {
        std::cerr << "heraldd: " << sso.status().message() << "\n";
        return EXIT_CONFIG;
      }
      options.sso = std::move(sso).value();
    }

    spdlog::level::level_enum level =
        spdlog::level::from_str(cfg.getString("herald.log_level", "info"));
    std::error_code ec;
    fs::create_directories(options.data_dir, ec);
    herald::LogOptions log_options;
    log_options.level = level;
    log_options.to_stderr = isInteractive();
    log_options.file = (options.data_dir / "heraldd.log").string();
    std::string log_error;
    if (!herald::InitLogging(log_options, &log_error)) {
      std::cerr << "heraldd: cannot open log file " << log_options.file << ": " << log_error
                << "\n";
      return EXIT_CANTCREAT;
    }

    herald::StatusOr<std::unique_ptr<herald::Daemon>> daemon = herald::Daemon::Start(options);
    if (!daemon.ok()) {
      herald::LogEvent(spdlog::level::critical, "heraldd.start_failed",
                       {{"reason", daemon.status().message()}});
      std::cerr << "heraldd: " << daemon.status().message() << "\n";
      return EXIT_SOFTWARE;
    }
    std::cout << "heraldd " << herald::HeraldVersion() << " listening on " << (*daemon)->url()
              << " (data directory " << options.data_dir.string() << ")" << std::endl;
    waitForTerminationRequest();
    herald::LogEvent(spdlog::level::info, "heraldd.stopping");
    (*daemon)->Stop();
    herald::LogEvent(spdlog::level::info, "heraldd.stopped");
    return EXIT_OK;
  }

 private:
  // The daemon-wide identity provider for SSO: sso.issuer, sso.audience and
  // either sso.hs256_secret_file or sso.rs256_public_key_file (secrets come
  // from files, never from the configuration itself).
  herald::StatusOr<herald::sso::JwtConfig> ReadSsoConfig() const {
    const auto& cfg = config();
    herald::sso::JwtConfig sso;
    sso.issuer = cfg.getString("sso.issuer", "");
    sso.audience = cfg.getString("sso.audience", "");
    sso.leeway_seconds = cfg.getInt64("sso.leeway_seconds", sso.leeway_seconds);
    auto read = [&](const char* key, std::string* out) -> herald::Status {
      if (!cfg.hasProperty(key)) return herald::Status::Ok();
      const fs::path path = Resolve(cfg.getString(key));
      std::ifstream in(path);
      if (!in)
        return herald::Status::InvalidArgument(std::string(key) + ": cannot read " + path.string());
      std::stringstream text;
      text << in.rdbuf();
      *out = text.str();
      if (std::string(key) == "sso.hs256_secret_file") {
        while (!out->empty() && (out->back() == '\n' || out->back() == '\r')) out->pop_back();
      }
      return herald::Status::Ok();
    };
    HERALD_RETURN_IF_ERROR(read("sso.hs256_secret_file", &sso.hs256_secret));
    HERALD_RETURN_IF_ERROR(read("sso.rs256_public_key_file", &sso.rs256_public_key_pem));
    herald::StatusOr<herald::sso::JwtVerifier> verifier = herald::sso::JwtVerifier::Create(sso);
    if (!verifier.ok()) return verifier.status();
    return sso;
  }

  fs::path Resolve(const std::string& path) const {
    fs::path p(path);
    return p.is_absolute() ? p : (start_dir_ / p).lexically_normal();
  }

  fs::path start_dir_;
  bool exit_early_ = false;
  bool builtin_plugins_ = true;
  std::vector<fs::path> extra_plugin_dirs_;
};

}  // namespace

int main(int argc, char** argv) {
  // A client that hangs up mid-answer must cost one request, not the daemon.
  std::signal(SIGPIPE, SIG_IGN);
  std::error_code ec;
  Heraldd app(fs::current_path(ec));
  return app.run(argc, argv);
}
