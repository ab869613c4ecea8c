// sample_echo: a minimal Herald channel. It "serves" an agent by remembering
// which snapshot version is published for it and announcing every publish in
// the host's log, prefixed with the configured greeting. Real channels would
// push the snapshot to a chat service, a web widget, ...; everything around
// that (settings, validation, state, logging, thread-safety) is the same.
#ifndef HERALD_SAMPLES_CHANNEL_ECHO_ECHO_CHANNEL_HPP_
#define HERALD_SAMPLES_CHANNEL_ECHO_ECHO_CHANNEL_HPP_

#include <herald/sdk/plugin.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace sample_echo {

inline constexpr char kName[] = "sample_echo";
inline constexpr char kVersion[] = "1.0.0";
inline constexpr char kDescription[] = "Sample channel: logs every publish with a greeting";

class EchoChannel : public herald::sdk::Channel {
 public:
  // Reads the optional host configuration plugins.sample_echo.max_agents; a
  // bad value makes the constructor throw, which fails the plugin's init.
  explicit EchoChannel(herald::sdk::Host host);

  // greeting: string, required. max_length: int, default 200.
  static std::vector<herald::sdk::SettingSpec> DeclareSettings();

  std::vector<herald::sdk::Problem> Validate(const herald::sdk::Values& settings) override;
  void Publish(const herald::sdk::Snapshot& snapshot, const herald::sdk::Values& settings) override;
  void Unpublish(std::string_view agent_id) override;
  herald::sdk::ChannelStatus Status(std::string_view agent_id) override;

 private:
  herald::sdk::Host host_;
  int64_t max_agents_ = 0;  // 0: no limit
  // Publish, Unpublish and Status run concurrently for different agents.
  std::mutex mu_;
  std::map<std::string, uint64_t, std::less<>> published_;  // agent id -> version
};

}  // namespace sample_echo

#endif  // HERALD_SAMPLES_CHANNEL_ECHO_ECHO_CHANNEL_HPP_
