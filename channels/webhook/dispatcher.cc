#include "dispatcher.h"

#include <chrono>
#include <random>

#include "standard_webhooks.h"

namespace herald::webhook {

std::string Excerpt(std::string_view body, size_t max) {
  if (body.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;
    body = body.substr(0, cut);
  }
  std::string out(body);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

Dispatcher::Dispatcher(sdk::Host host, Outbox* outbox, SecretStore* secrets,
                       DispatcherOptions options)
    : host_(host), outbox_(outbox), secrets_(secrets), options_(std::move(options)) {}

double Dispatcher::Random01() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

Attempt Dispatcher::Send(Delivery* d, int64_t timeout_ms, std::optional<int64_t>* retry_after_ms) {
  Attempt a;
  a.at_ms = host_.NowUnixMs();
  const int64_t timestamp_s = a.at_ms / 1000;
  std::vector<std::string> keys =
      secrets_->Keys(SecretStore::EndpointKey(d->agent, d->endpoint), a.at_ms);
  if (keys.empty()) {
    secrets_->Ensure(SecretStore::EndpointKey(d->agent, d->endpoint));
    keys = secrets_->Keys(SecretStore::EndpointKey(d->agent, d->endpoint), a.at_ms);
  }
  sdk::FetchRequest request;
  request.method = "POST";
  request.url = d->url;
  request.timeout_ms = timeout_ms;
  request.body = d->body;
  request.headers = {
      {"Content-Type", "application/json"},
      {"User-Agent", "Herald-Webhook/1.0"},
      {"webhook-id", d->id},
      {"webhook-timestamp", std::to_string(timestamp_s)},
      {"webhook-signature", SignatureHeader(keys, d->id, timestamp_s, d->body)},
  };
  sdk::FetchResponse response;
  const auto started = std::chrono::steady_clock::now();
  sdk::HostResult r = host_.Fetch(request, &response);
  a.latency_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - started)
                     .count();
  if (!r.ok()) {
    a.outcome = r.status == HERALD_STATUS_TIMEOUT             ? std::string(kOutcomeTimeout)
                : r.status == HERALD_STATUS_PERMISSION_DENIED ? std::string(kOutcomeDenied)
                                                              : std::string(kOutcomeUnreachable);
    a.detail = Excerpt(r.message, options_.excerpt_bytes);
  } else {
    a.response_code = response.status;
    a.detail = Excerpt(response.body, options_.excerpt_bytes);
    if (response.status >= 200 && response.status < 300) {
      a.outcome = std::string(kOutcomeDelivered);
    } else if (response.status == 410) {
      a.outcome = std::string(kOutcomeGone);
    } else if (response.status >= 300 && response.status < 400) {
      a.outcome = std::string(kOutcomeRedirect);
    } else {
      a.outcome = std::string(kOutcomeHttpError);
    }
    if (a.outcome != kOutcomeDelivered) {
      if (std::optional<std::string> ra = response.Header("Retry-After")) {
        if (retry_after_ms != nullptr) *retry_after_ms = ParseRetryAfter(*ra, a.at_ms);
        a.detail = "Retry-After: " + Excerpt(*ra, 64) + (a.detail.empty() ? "" : "; ") + a.detail;
      }
    }
  }
  d->attempts.push_back(a);
  if (d->attempts.size() > kMaxAttemptsKept) d->attempts.erase(d->attempts.begin());
  d->round_attempts += 1;
  return a;
}

void Dispatcher::AttemptAndStore(Delivery* d) {
  if (std::optional<DisabledEndpoint> off = outbox_->Disabled(d->agent, d->endpoint);
      off && off->url == d->url) {
    Attempt skipped;
    skipped.at_ms = host_.NowUnixMs();
    skipped.outcome = std::string(kOutcomeSkipped);
    skipped.detail = "the endpoint answered 410 Gone earlier and is disabled";
    d->attempts.push_back(skipped);
    d->state = std::string(kStateDisabled);
    outbox_->Finish(*d);
    return;
  }
  std::optional<int64_t> retry_after;
  Attempt a = Send(d, options_.timeout_ms, &retry_after);
  const int64_t now = host_.NowUnixMs();
  if (a.outcome == kOutcomeDelivered) {
    d->state = std::string(kStateDelivered);
    outbox_->Finish(*d);
    return;
  }
  if (a.outcome == kOutcomeGone) {
    outbox_->Disable(d->agent, d->endpoint, d->url, now);
    d->state = std::string(kStateDisabled);
    outbox_->Finish(*d);
    host_.Warn("endpoint " + std::to_string(d->endpoint) + " of agent " + d->agent +
               " answered 410 Gone; it is disabled until a redelivery");
    return;
  }
  if (a.outcome == kOutcomeDenied) {
    d->state = std::string(kStateFailed);
    outbox_->Finish(*d);
    return;
  }
  std::optional<int64_t> next =
      options_.retry.NextAttemptAt(d->round_attempts, now, Random01(), retry_after);
  if (!next) {
    d->state = std::string(kStateFailed);
    outbox_->Finish(*d);
    return;
  }
  d->next_at_ms = *next;
  outbox_->Put(*d);
}

size_t Dispatcher::RunDue(const std::function<bool()>& stop) {
  std::vector<Delivery> pending = outbox_->Pending();
  const int64_t now = host_.NowUnixMs();
  size_t attempted = 0;
  std::optional<int64_t> next_due;
  for (Delivery& d : pending) {
    if (stop && stop()) break;
    if (d.next_at_ms > now) {
      next_due = next_due ? std::min(*next_due, d.next_at_ms) : d.next_at_ms;
      continue;
    }
    try {
      AttemptAndStore(&d);
    } catch (const std::exception& e) {
      host_.Error("delivery " + d.id + " could not be recorded: " + e.what());
    }
    ++attempted;
    if (d.state == kStatePending) {
      next_due = next_due ? std::min(*next_due, d.next_at_ms) : d.next_at_ms;
    }
  }
  next_due_ms_ = next_due;
  return attempted;
}

}  // namespace herald::webhook
