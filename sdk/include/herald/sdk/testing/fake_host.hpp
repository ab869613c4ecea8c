// A stand-in for heraldd, so that a plugin author can unit-test a plugin with
// GoogleTest (or anything else) without the daemon:
//
//   herald::sdk::testing::FakeHost host;
//   host.SetConfig("greeting", "hi");
//   auto plugin = host.Start(herald::sdk::ChannelDescriptor<Echo>("echo", "1", ""));
//   ASSERT_TRUE(plugin.ok()) << plugin.error;
//   auto result = plugin.channel().Publish("agent", 1, "hash", "{}", {});
//
// or, to test the built shared library exactly as heraldd will load it:
//
//   auto plugin = host.StartLibrary("/path/to/libecho.so");
//
// FakeHost records every log line and serves configuration from a map and
// time from a settable clock. Not thread-safe to configure; plugins may log
// from several threads (the log is guarded).
#ifndef HERALD_SDK_TESTING_FAKE_HOST_HPP_
#define HERALD_SDK_TESTING_FAKE_HOST_HPP_

#include <herald/sdk/abi.h>
#include <herald/sdk/client.hpp>
#include <herald/sdk/descriptor_check.hpp>
#include <herald/sdk/types.hpp>

#include <boost/dll/import.hpp>
#include <boost/dll/shared_library.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace herald::sdk::testing {

struct LogLine {
  herald_log_level level;
  std::string message;
};

// A plugin started on a FakeHost. Shuts the instance down when destroyed.
class StartedPlugin {
 public:
  StartedPlugin() = default;
  StartedPlugin(const StartedPlugin&) = delete;
  StartedPlugin& operator=(const StartedPlugin&) = delete;
  StartedPlugin(StartedPlugin&& o) noexcept { *this = std::move(o); }
  StartedPlugin& operator=(StartedPlugin&& o) noexcept {
    std::swap(descriptor_, o.descriptor_);
    std::swap(instance_, o.instance_);
    std::swap(library_, o.library_);
    error = std::move(o.error);
    return *this;
  }
  ~StartedPlugin() {
    if (instance_ != nullptr && descriptor_->shutdown != nullptr) descriptor_->shutdown(instance_);
  }

  bool ok() const { return instance_ != nullptr; }
  std::string error;  // why it did not start

  const herald_plugin_descriptor& descriptor() const { return *descriptor_; }
  ChannelClient channel() const { return ChannelClient(descriptor_->channel, instance_); }
  AuthTypeClient auth_type() const { return AuthTypeClient(descriptor_->auth_type, instance_); }

 private:
  friend class FakeHost;
  const herald_plugin_descriptor* descriptor_ = nullptr;
  void* instance_ = nullptr;
  std::shared_ptr<boost::dll::shared_library> library_;
};

class FakeHost {
 public:
  FakeHost() {
    api_.struct_size = sizeof(herald_host_api);
    api_.abi_major = HERALD_ABI_MAJOR;
    api_.abi_minor = HERALD_ABI_MINOR;
    api_.ctx = this;
    api_.log = [](void* ctx, herald_log_level level, herald_str message) {
      auto* self = static_cast<FakeHost*>(ctx);
      std::lock_guard<std::mutex> lock(self->mu_);
      self->logs_.push_back(LogLine{level, std::string(ToView(message))});
    };
    api_.config_get = [](void* ctx, herald_str key, const herald_string_sink* out) -> int {
      auto* self = static_cast<FakeHost*>(ctx);
      auto it = self->config_.find(std::string(ToView(key)));
      if (it == self->config_.end()) return 0;
      out->set(out->ctx, ToStr(it->second));
      return 1;
    };
    api_.now_unix_ms = [](void* ctx) -> int64_t { return static_cast<FakeHost*>(ctx)->now_ms_; };
  }
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  void SetConfig(const std::string& key, const std::string& value) { config_[key] = value; }
  void SetNowUnixMs(int64_t ms) { now_ms_ = ms; }

  std::vector<LogLine> logs() const {
    std::lock_guard<std::mutex> lock(mu_);
    return logs_;
  }
  // Every log line joined, for "does this text appear anywhere" checks.
  std::string AllLogText() const {
    std::string out;
    for (const auto& l : logs()) out += l.message + "\n";
    return out;
  }

  const herald_host_api* api() const { return &api_; }

  // Runs the descriptor's init against this host.
  StartedPlugin Start(const herald_plugin_descriptor* descriptor) {
    StartedPlugin p;
    p.descriptor_ = descriptor;
    void* instance = nullptr;
    CallResult r = detail::Call(
        [&](herald_string_sink error) { return descriptor->init(&api_, &instance, &error); });
    if (r.ok()) {
      p.instance_ = instance;
    } else {
      p.error = r.error;
    }
    return p;
  }

  // Loads a plugin shared library the way heraldd does, then starts it.
  StartedPlugin StartLibrary(const std::string& path) {
    StartedPlugin failed;
    try {
      auto lib = std::make_shared<boost::dll::shared_library>(
          path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
      if (!lib->has(HERALD_PLUGIN_ENTRY_SYMBOL)) {
        failed.error = "no Herald entry point";
        return failed;
      }
      auto entry = lib->get_alias<const herald_plugin_descriptor*()>(HERALD_PLUGIN_ENTRY_SYMBOL);
      const herald_plugin_descriptor* descriptor = entry();
      // The same checks heraldd makes, so a plugin FakeHost starts loads there too.
      if (std::string problem = CheckDescriptor(descriptor); !problem.empty()) {
        failed.error = problem;
        return failed;
      }
      StartedPlugin p = Start(descriptor);
      p.library_ = lib;
      return p;
    } catch (const std::exception& e) {
      failed.error = e.what();
      return failed;
    }
  }

 private:
  herald_host_api api_{};
  std::map<std::string, std::string> config_;
  int64_t now_ms_ = 1'700'000'000'000;
  mutable std::mutex mu_;
  std::vector<LogLine> logs_;
};

}  // namespace herald::sdk::testing

#endif  // HERALD_SDK_TESTING_FAKE_HOST_HPP_
