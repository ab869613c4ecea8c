#include "outbox.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <stdexcept>

namespace herald::webhook {
namespace {

std::string DisabledKey(const std::string& agent, size_t endpoint) {
  return "x/" + agent + "/" + std::to_string(endpoint);
}

std::vector<Delivery> ListDeliveries(const sdk::Host& host, const std::string& prefix) {
  std::vector<std::pair<std::string, std::string>> pairs;
  sdk::HostResult r = host.KvList(prefix, &pairs);
  if (!r.ok()) throw std::runtime_error("the outbox could not be read: " + r.message);
  std::vector<Delivery> out;
  out.reserve(pairs.size());
  for (const auto& [key, value] : pairs) {
    if (std::optional<Delivery> d = Delivery::FromJson(value)) out.push_back(std::move(*d));
  }
  return out;
}

}  // namespace

void Outbox::Check(const sdk::HostResult& r, const char* what) const {
  if (!r.ok())
    throw std::runtime_error(std::string("the outbox could not ") + what + ": " + r.message);
}

void Outbox::Put(const Delivery& d) { Check(host_.KvPut("q/" + d.id, d.ToJson()), "be written"); }

std::vector<Delivery> Outbox::Pending() const { return ListDeliveries(host_, "q/"); }

void Outbox::Finish(const Delivery& d) {
  std::lock_guard<std::mutex> lock(finish_mu_);
  // One durable commit where the host offers batches (ABI 1.1 kv_apply).
  if (host_.Has(sdk::Service::kKeyValueBatch)) {
    Check(host_.KvApply({sdk::KvOp::Put("h/" + d.id, d.ToJson()), sdk::KvOp::Delete("q/" + d.id)}),
          "be written");
    return;
  }
  Check(host_.KvPut("h/" + d.id, d.ToJson()), "be written");
  Check(host_.KvDelete("q/" + d.id), "be written");
}

void Outbox::Record(const Delivery& d) {
  Check(host_.KvPut("h/" + d.id, d.ToJson()), "be written");
}

std::optional<Delivery> Outbox::Find(const std::string& id) const {
  for (const char* prefix : {"q/", "h/"}) {
    std::string value;
    sdk::HostResult r = host_.KvGet(prefix + id, &value);
    if (r.status == HERALD_STATUS_NOT_FOUND) continue;
    Check(r, "be read");
    return Delivery::FromJson(value);
  }
  return std::nullopt;
}

std::vector<Delivery> Outbox::ForAgent(const std::string& agent, size_t limit) const {
  std::vector<Delivery> out;
  for (const char* prefix : {"q/", "h/"}) {
    for (Delivery& d : ListDeliveries(host_, prefix)) {
      if (d.agent == agent) out.push_back(std::move(d));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Delivery& a, const Delivery& b) { return a.id > b.id; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

Outbox::RedeliverResult Outbox::Redeliver(const std::string& id, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(finish_mu_);
  std::string value;
  sdk::HostResult pending = host_.KvGet("q/" + id, &value);
  if (pending.ok()) return RedeliverResult::kPending;
  sdk::HostResult done = host_.KvGet("h/" + id, &value);
  if (done.status == HERALD_STATUS_NOT_FOUND) return RedeliverResult::kNotFound;
  Check(done, "be read");
  std::optional<Delivery> d = Delivery::FromJson(value);
  if (!d) return RedeliverResult::kNotFound;
  d->state = std::string(kStatePending);
  d->next_at_ms = now_ms;
  d->round_attempts = 0;
  d->redeliveries += 1;
  d->mode = "notify";
  Check(host_.KvPut("q/" + d->id, d->ToJson()), "be written");
  Check(host_.KvDelete("h/" + d->id), "be written");
  return RedeliverResult::kQueued;
}

std::optional<DisabledEndpoint> Outbox::Disabled(const std::string& agent, size_t endpoint) const {
  std::string value;
  sdk::HostResult r = host_.KvGet(DisabledKey(agent, endpoint), &value);
  if (r.status == HERALD_STATUS_NOT_FOUND) return std::nullopt;
  Check(r, "be read");
  try {
    auto o = Poco::JSON::Parser().parse(value).extract<Poco::JSON::Object::Ptr>();
    return DisabledEndpoint{o->getValue<std::string>("url"), o->getValue<int64_t>("at_ms")};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void Outbox::Disable(const std::string& agent, size_t endpoint, const std::string& url,
                     int64_t at_ms) {
  Poco::JSON::Object o;
  o.set("url", url);
  o.set("at_ms", at_ms);
  std::ostringstream text;
  o.stringify(text);
  Check(host_.KvPut(DisabledKey(agent, endpoint), text.str()), "be written");
}

void Outbox::Enable(const std::string& agent, size_t endpoint) {
  Check(host_.KvDelete(DisabledKey(agent, endpoint)), "be written");
}

void Outbox::PruneHistory(size_t keep) {
  std::vector<std::pair<std::string, std::string>> pairs;
  Check(host_.KvList("h/", &pairs), "be read");
  if (pairs.size() <= keep) return;
  for (size_t i = 0; i < pairs.size() - keep; ++i)
    Check(host_.KvDelete(pairs[i].first), "be written");
}

}  // namespace herald::webhook
