// The webhook channel: tells an integrator's systems of every deploy,
// undeploy and failed deployment of an agent with signed HTTP requests
// (Standard Webhooks), and lets them talk to the live version the same way.
// See docs/channels/webhook.md for the operator's view.
//
// Outbound, per endpoint of the `endpoints` setting:
//   notify  the event is written to the outbox inside the deployment's own
//           transaction (OnDeploymentEvent) and sent by the delivery worker
//           at least once, on the retry schedule;
//   gate    Publish sends agent.deployed and waits: anything but 2xx fails
//           this channel's publish ("receiver answered 503: ..."), so the
//           receiver can veto the deploy.
// Inbound: POST /v1/channels/webhook/{agent}, signed with the agent's inbound
// secret, answered with the live version's reply.
//
// Configuration (plugins.webhook.*): retry_schedule, retry_jitter,
// timeout_ms, gate_timeout_ms, poll_ms, rotation_overlap_s,
// delivery_threads (0 turns the worker off: DeliverDue then sends),
// history_limit, outbound_deny (extra CIDRs refused at validation).
//
// Thread-safety: every method may be called from any thread.
#ifndef HERALD_CHANNELS_WEBHOOK_WEBHOOK_CHANNEL_H_
#define HERALD_CHANNELS_WEBHOOK_WEBHOOK_CHANNEL_H_

#include <herald/sdk/plugin.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "delivery_worker.h"
#include "dispatcher.h"
#include "endpoints.h"
#include "inbound_verifier.h"
#include "outbox.h"
#include "secret_store.h"

namespace herald::webhook {

inline constexpr char kName[] = "webhook";
inline constexpr char kVersion[] = "1.0.0";
inline constexpr char kDescription[] =
    "Signed webhooks (Standard Webhooks): deployment events to your endpoints, with retries or "
    "as a gate, and signed inbound messages answered by the live version";

class WebhookChannel : public sdk::Channel {
 public:
  explicit WebhookChannel(sdk::Host host);
  ~WebhookChannel() override;

  static std::vector<sdk::SettingSpec> DeclareSettings();

  std::vector<sdk::Problem> Validate(const sdk::Values& settings) override;
  void Publish(const sdk::Snapshot& snapshot, const sdk::Values& settings) override;
  void Unpublish(std::string_view agent_id) override;
  sdk::ChannelStatus Status(std::string_view agent_id) override;
  void OnDeploymentEvent(const sdk::DeploymentEvent& event) override;

  // Sends what is due now on the caller's thread; returns how many were
  // attempted. For tests and benchmarks (with delivery_threads = 0).
  size_t DeliverDue() { return dispatcher_->RunDue(); }

 private:
  void SendGate(const sdk::Snapshot& snapshot, const Endpoint& endpoint);

  sdk::Host host_;
  DenyList deny_;
  int64_t gate_timeout_ms_ = 25'000;
  int64_t overlap_ms_ = 24LL * 3600 * 1000;
  size_t history_limit_ = 10'000;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<SecretStore> secrets_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<InboundVerifier> inbound_;
  std::unique_ptr<DeliveryWorker> worker_;  // null when delivery_threads = 0

  std::mutex mu_;
  std::map<std::string, uint64_t, std::less<>> published_;  // agent -> version
};

}  // namespace herald::webhook

#endif  // HERALD_CHANNELS_WEBHOOK_WEBHOOK_CHANNEL_H_
