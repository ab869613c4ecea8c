// The benchmarks' channel plugin: publishing does nothing, or waits
// `delay_ms` first (a channel whose downstream takes that long). It keeps no
// per-agent state beyond which version it serves, so it costs the host only
// the plugin call itself. Several of an agent's channels may use it at once.
#include <herald/sdk/plugin.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace {

class BenchChannel : public herald::sdk::Channel {
 public:
  explicit BenchChannel(herald::sdk::Host /*host*/) {}

  static std::vector<herald::sdk::SettingSpec> DeclareSettings() {
    return {{"delay_ms", "Wait this long in publish", HERALD_SETTING_INT, false, "0"}};
  }

  std::vector<herald::sdk::Problem> Validate(const herald::sdk::Values& settings) override {
    if (settings.GetInt("delay_ms").value_or(0) < 0) return {{"delay_ms", "must not be negative"}};
    return {};
  }

  void Publish(const herald::sdk::Snapshot& snapshot,
               const herald::sdk::Values& settings) override {
    if (int64_t ms = settings.GetInt("delay_ms").value_or(0); ms > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
    std::lock_guard<std::mutex> lock(mu_);
    serving_[snapshot.agent_id] = snapshot.version;
  }

  void Unpublish(std::string_view agent_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    serving_.erase(std::string(agent_id));
  }

  herald::sdk::ChannelStatus Status(std::string_view agent_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = serving_.find(std::string(agent_id));
    if (it == serving_.end()) return {};
    return {herald::sdk::ChannelState::kPublished, "version " + std::to_string(it->second)};
  }

 private:
  std::mutex mu_;
  std::map<std::string, uint64_t, std::less<>> serving_;
};

}  // namespace

HERALD_CHANNEL_PLUGIN(BenchChannel, "bench_channel", "1.0.0",
                      "Benchmark channel: publishes nothing, optionally after a delay")
