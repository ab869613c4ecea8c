#include "webhook_channel.h"

#include <charconv>
#include <stdexcept>

#include "payload.h"
#include "standard_webhooks.h"
#include "webhook_routes.h"

namespace herald::webhook {
namespace {

int64_t ConfigInt(const sdk::Host& host, const char* key, int64_t fallback, int64_t min,
                  int64_t max) {
  std::optional<std::string> text = host.Config(key);
  if (!text) return fallback;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || ptr != text->data() + text->size() || v < min || v > max) {
    throw std::invalid_argument(std::string("plugins.webhook.") + key + " must be a whole number " +
                                std::to_string(min) + " to " + std::to_string(max));
  }
  return v;
}

DispatcherOptions Options(const sdk::Host& host) {
  DispatcherOptions o;
  std::vector<int64_t> delays = o.retry.delays_ms();
  if (std::optional<std::string> schedule = host.Config("retry_schedule")) {
    std::string error;
    std::optional<std::vector<int64_t>> parsed = RetryPolicy::ParseSchedule(*schedule, &error);
    if (!parsed) throw std::invalid_argument("plugins.webhook.retry_schedule: " + error);
    delays = *parsed;
  }
  double jitter = 0.1;
  if (std::optional<std::string> j = host.Config("retry_jitter")) {
    try {
      size_t used = 0;
      jitter = std::stod(*j, &used);
      if (used != j->size() || jitter < 0 || jitter > 1) throw std::invalid_argument(*j);
    } catch (const std::exception&) {
      throw std::invalid_argument("plugins.webhook.retry_jitter must be a fraction 0 to 1");
    }
  }
  o.retry = RetryPolicy(delays, jitter);
  o.timeout_ms = ConfigInt(host, "timeout_ms", 15'000, 1, 600'000);
  return o;
}

}  // namespace

std::vector<sdk::SettingSpec> WebhookChannel::DeclareSettings() {
  return {
      {.name = "endpoints",
       .description = "Where events go: a list of {\"url\", \"events\" (agent.deployed, "
                      "agent.undeployed, deployment.failed; default all), \"mode\" (notify or "
                      "gate; default notify)}",
       .type = HERALD_SETTING_JSON,
       .required = true,
       .default_value = {}},
  };
}

WebhookChannel::WebhookChannel(sdk::Host host) : host_(host) {
  using sdk::Service;
  for (Service s : {Service::kHttpRoutes, Service::kTurns, Service::kKeyValue, Service::kSecrets,
                    Service::kFetch}) {
    if (!host_.Has(s)) throw std::runtime_error("the webhook channel needs a host of ABI 1.1");
  }
  DispatcherOptions options = Options(host_);
  gate_timeout_ms_ = ConfigInt(host_, "gate_timeout_ms", 25'000, 1, 600'000);
  overlap_ms_ = ConfigInt(host_, "rotation_overlap_s", 24 * 3600, 0, 30LL * 24 * 3600) * 1000;
  history_limit_ = static_cast<size_t>(ConfigInt(host_, "history_limit", 10'000, 1, 10'000'000));
  const int64_t poll_ms = ConfigInt(host_, "poll_ms", 100, 1, 60'000);
  const int64_t threads = ConfigInt(host_, "delivery_threads", 1, 0, 1);
  if (std::optional<std::string> deny = host_.Config("outbound_deny")) {
    size_t i = 0;
    while (i <= deny->size()) {
      size_t j = deny->find(',', i);
      if (j == std::string::npos) j = deny->size();
      std::string item = deny->substr(i, j - i);
      item.erase(0, item.find_first_not_of(' '));
      item.erase(item.find_last_not_of(' ') + 1);
      if (!item.empty() && !deny_.Add(item)) {
        throw std::invalid_argument("plugins.webhook.outbound_deny: '" + item +
                                    "' is not an address range");
      }
      i = j + 1;
    }
  }

  outbox_ = std::make_unique<Outbox>(host_);
  secrets_ = std::make_unique<SecretStore>(host_);
  dispatcher_ = std::make_unique<Dispatcher>(host_, outbox_.get(), secrets_.get(), options);
  inbound_ = std::make_unique<InboundVerifier>(host_, secrets_.get());
  if (threads > 0) {
    worker_ = std::make_unique<DeliveryWorker>(host_, dispatcher_.get(), poll_ms, [this] {
      outbox_->PruneHistory(history_limit_);
      inbound_->Prune();
    });
  }
  DeliveryWorker* worker = worker_.get();
  AddRoutes(
      RouteContext{host_, outbox_.get(), secrets_.get(), inbound_.get(), overlap_ms_, [worker] {
                     if (worker != nullptr) worker->Kick();
                   }});
  if (worker_) worker_->Start();
}

WebhookChannel::~WebhookChannel() {
  if (worker_) worker_->Stop();
}

std::vector<sdk::Problem> WebhookChannel::Validate(const sdk::Values& settings) {
  std::vector<sdk::Problem> problems;
  std::vector<Endpoint> endpoints = ParseEndpoints(settings.Get("endpoints"), &problems);
  for (const Endpoint& e : endpoints) {
    if (!e.url.empty() && deny_.DeniesLiteralHost(e.url)) {
      problems.push_back({"endpoints", "endpoint " + std::to_string(e.index) +
                                           ": the address is on the outbound deny list "
                                           "(link-local and cloud-metadata ranges)"});
    }
  }
  return problems;
}

void WebhookChannel::Publish(const sdk::Snapshot& snapshot, const sdk::Values& settings) {
  std::vector<Endpoint> endpoints = ParseEndpointsOrThrow(settings.Get("endpoints"));
  for (const Endpoint& e : endpoints) {
    if (deny_.DeniesLiteralHost(e.url)) {
      throw std::invalid_argument("endpoint " + std::to_string(e.index) +
                                  ": the address is on the outbound deny list");
    }
    secrets_->Ensure(SecretStore::EndpointKey(snapshot.agent_id, e.index));
  }
  for (const Endpoint& e : endpoints) {
    if (e.mode == Mode::kGate) SendGate(snapshot, e);
  }
  std::lock_guard<std::mutex> lock(mu_);
  published_[snapshot.agent_id] = snapshot.version;
}

void WebhookChannel::SendGate(const sdk::Snapshot& snapshot, const Endpoint& endpoint) {
  // A version this gate approved already (heraldd republishing at start-up)
  // is not put to it again.
  const std::string approved_key = "g/" + snapshot.agent_id + "/" + std::to_string(endpoint.index);
  const std::string approval =
      std::to_string(snapshot.version) + " " + snapshot.content_hash + " " + endpoint.url;
  std::string previous;
  if (host_.KvGet(approved_key, &previous).ok() && previous == approval) return;

  const int64_t now = host_.NowUnixMs();
  Delivery d;
  d.id = NewMessageId(now);
  d.agent = snapshot.agent_id;
  d.endpoint = endpoint.index;
  d.url = endpoint.url;
  d.event = std::string(kAgentDeployed);
  d.mode = "gate";
  d.body = GateBody(snapshot, now);
  d.created_ms = now;
  d.next_at_ms = now;
  Attempt a = dispatcher_->Send(&d, gate_timeout_ms_);
  const bool ok = a.outcome == kOutcomeDelivered;
  d.state = std::string(ok ? kStateDelivered : kStateFailed);
  try {
    outbox_->Record(d);
  } catch (const std::exception& e) {
    host_.Warn(std::string("a gate request could not be recorded: ") + e.what());
  }
  if (ok) {
    host_.KvPut(approved_key, approval);
    return;
  }
  if (a.response_code != 0) {
    std::string message = "receiver answered " + std::to_string(a.response_code);
    if (!a.detail.empty()) message += ": " + a.detail;
    throw std::runtime_error(message);
  }
  if (a.outcome == kOutcomeTimeout) {
    throw std::runtime_error("receiver did not answer within " + std::to_string(gate_timeout_ms_) +
                             " ms");
  }
  if (a.outcome == kOutcomeDenied) {
    throw std::runtime_error("receiver's address is on the outbound deny list");
  }
  throw std::runtime_error("receiver unreachable: " + a.detail);
}

void WebhookChannel::Unpublish(std::string_view agent_id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = published_.find(agent_id); it != published_.end()) published_.erase(it);
}

sdk::ChannelStatus WebhookChannel::Status(std::string_view agent_id) {
  uint64_t version = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = published_.find(agent_id);
    if (it == published_.end()) return {sdk::ChannelState::kNotPublished, {}};
    version = it->second;
  }
  std::string disabled;
  for (size_t n = 0; n < kMaxEndpoints; ++n) {
    if (outbox_->Disabled(std::string(agent_id), n)) {
      disabled += (disabled.empty() ? "" : ", ") + std::to_string(n);
    }
  }
  if (!disabled.empty()) {
    return {sdk::ChannelState::kDegraded, "version " + std::to_string(version) + "; endpoint " +
                                              disabled + " disabled (answered 410 Gone)"};
  }
  return {sdk::ChannelState::kPublished, "version " + std::to_string(version)};
}

void WebhookChannel::OnDeploymentEvent(const sdk::DeploymentEvent& event) {
  std::vector<sdk::Problem> problems;
  std::vector<Endpoint> endpoints = ParseEndpoints(event.settings.Get("endpoints"), &problems);
  if (!problems.empty()) return;
  const std::string_view type = EventType(event.kind);
  const int64_t now = host_.NowUnixMs();
  const std::string body = EventBody(type, now, event.json);
  bool queued = false;
  for (const Endpoint& e : endpoints) {
    if (!e.Wants(type)) continue;
    // A gate was asked at publish time; it hears of the rest as notify.
    if (e.mode == Mode::kGate && type == kAgentDeployed) continue;
    Delivery d;
    d.id = NewMessageId(now);
    d.agent = event.agent_id;
    d.endpoint = e.index;
    d.url = e.url;
    d.event = std::string(type);
    d.body = body;
    d.created_ms = now;
    d.next_at_ms = now;
    outbox_->Put(d);  // inside the deployment's transaction
    queued = true;
  }
  if (queued && worker_) worker_->Kick();
}

}  // namespace herald::webhook
