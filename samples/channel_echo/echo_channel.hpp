// sample_echo: a minimal Herald channel. It "serves" an agent by remembering
// which snapshot version is published for it and announcing every publish in
// the host's log, prefixed with the configured greeting. Real channels would
// push the snapshot to a chat service, a web widget, ...; everything around
// that (settings, validation, state, logging, thread-safety) is the same.
//
// On a host with ABI 1.1 it also shows the host services a channel uses to
// serve users, each feature-tested with Host::Has so that the plugin still
// runs, announcing only, on a 1.0 host:
//
//   POST /v1/channels/sample_echo/{agent}/echo   (HTTP routes, turns)
//       body: the message, as plain text. Runs one turn with the agent's live
//       version and answers, as plain text:
//           you said: <message>
//           <greeting> <reply>
//           version: <version that answered>
//           messages: <how many this channel has passed to the agent>
//       404 when the agent is not published here; the host's error otherwise.
//   The message count lives in the plugin's key-value store ("count/<agent>"),
//   so it survives restarts (key-value store).
//   The last deployment of each agent is recorded there too
//   ("last_deployment/<agent>"), from OnDeploymentEvent (deployment events).
#ifndef HERALD_SAMPLES_CHANNEL_ECHO_ECHO_CHANNEL_HPP_
#define HERALD_SAMPLES_CHANNEL_ECHO_ECHO_CHANNEL_HPP_

#include <herald/sdk/plugin.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
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
  void OnDeploymentEvent(const herald::sdk::DeploymentEvent& event) override;

 private:
  struct Published {
    uint64_t version = 0;
    std::string greeting;
  };

  // POST /{agent}/echo; runs on the host's server threads, many at once.
  void HandleEcho(const herald::sdk::HttpRequest& request,
                  const herald::sdk::HttpResponse& response);
  // Adds one to the agent's message count in the key-value store; the new
  // count, or nullopt when the host has no store (ABI 1.0) or it failed.
  std::optional<int64_t> CountMessage(const std::string& agent_id);

  herald::sdk::Host host_;
  int64_t max_agents_ = 0;  // 0: no limit
  // Publish, Unpublish, Status and the route run concurrently.
  std::mutex mu_;
  std::map<std::string, Published, std::less<>> published_;  // by agent id
  // Serialises the read-modify-write of the message counts.
  std::mutex count_mu_;
};

}  // namespace sample_echo

#endif  // HERALD_SAMPLES_CHANNEL_ECHO_ECHO_CHANNEL_HPP_
