#include "inbound_verifier.h"

#include <charconv>
#include <cstdlib>

#include "standard_webhooks.h"

namespace herald::webhook {
namespace {

std::string Find(const std::map<std::string, std::string>& headers, const std::string& name) {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> InboundVerifier::Verify(
    const std::string& agent, const std::map<std::string, std::string>& headers,
    const std::string& body) {
  const std::string id = Find(headers, "webhook-id");
  const std::string timestamp = Find(headers, "webhook-timestamp");
  const std::string signature = Find(headers, "webhook-signature");
  if (id.empty() || timestamp.empty() || signature.empty()) {
    return "webhook-id, webhook-timestamp and webhook-signature are required";
  }
  if (!ValidId(id)) return "webhook-id must be 1 to 128 characters of A-Z, a-z, 0-9, _ - . :";
  int64_t ts = 0;
  auto [ptr, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts);
  if (ec != std::errc() || ptr != timestamp.data() + timestamp.size()) {
    return "webhook-timestamp must be whole seconds since the Unix epoch";
  }
  const int64_t now = host_.NowUnixMs();
  if (std::llabs(now - ts * 1000) > tolerance_ms_) {
    return "webhook-timestamp is more than 5 minutes from the server's time";
  }
  std::vector<std::string> keys = secrets_->Keys(SecretStore::InboundKey(agent), now);
  if (keys.empty()) return "the agent has no inbound secret; an operator creates one";
  if (!VerifySignatureHeader(keys, signature, id, ts, body)) return "the signature does not match";

  std::lock_guard<std::mutex> lock(mu_);
  const std::string seen_key = "seen/" + agent + "/" + id;
  std::string value;
  sdk::HostResult seen = host_.KvGet(seen_key, &value);
  if (seen.ok()) return "this webhook-id was already received (a replay)";
  if (seen.status != HERALD_STATUS_NOT_FOUND) {
    throw std::runtime_error("the replay check failed: " + seen.message);
  }
  sdk::HostResult put = host_.KvPut(seen_key, std::to_string(now));
  if (!put.ok()) throw std::runtime_error("the replay check failed: " + put.message);
  return std::nullopt;
}

void InboundVerifier::Prune() {
  std::vector<std::pair<std::string, std::string>> seen;
  if (!host_.KvList("seen/", &seen).ok()) return;
  const int64_t now = host_.NowUnixMs();
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, value] : seen) {
    int64_t at = 0;
    std::from_chars(value.data(), value.data() + value.size(), at);
    if (now - at > 2 * tolerance_ms_) host_.KvDelete(key);
  }
}

}  // namespace herald::webhook
