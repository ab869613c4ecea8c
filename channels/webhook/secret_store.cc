#include "secret_store.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>
#include <stdexcept>

#include "standard_webhooks.h"

namespace herald::webhook {
namespace {

std::string ToJson(const SecretRecord& r) {
  Poco::JSON::Object o;
  o.set("current", r.current);
  o.set("previous", r.previous);
  o.set("previous_until_ms", r.previous_until_ms);
  o.set("shown", r.shown);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

std::optional<SecretRecord> FromJson(const std::string& text) {
  try {
    auto o = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    SecretRecord r;
    r.current = o->getValue<std::string>("current");
    r.previous = o->getValue<std::string>("previous");
    r.previous_until_ms = o->getValue<int64_t>("previous_until_ms");
    r.shown = o->getValue<bool>("shown");
    return r;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::optional<SecretRecord> SecretStore::Load(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  std::string text;
  sdk::HostResult r = host_.SecretGet(key, &text);
  if (r.status == HERALD_STATUS_NOT_FOUND) return std::nullopt;
  if (!r.ok()) throw std::runtime_error("the secret store could not be read: " + r.message);
  std::optional<SecretRecord> record = FromJson(text);
  if (record) cache_[key] = *record;
  return record;
}

std::vector<std::string> SecretStore::Keys(const std::string& key, int64_t now_ms) {
  std::vector<std::string> out;
  std::optional<SecretRecord> r = Load(key);
  if (!r) return out;
  if (auto k = SecretKey(r->current)) out.push_back(std::move(*k));
  if (!r->previous.empty() && now_ms < r->previous_until_ms) {
    if (auto k = SecretKey(r->previous)) out.push_back(std::move(*k));
  }
  return out;
}

void SecretStore::Save(const std::string& key, const SecretRecord& record) {
  sdk::HostResult r = host_.SecretPut(key, ToJson(record));
  if (!r.ok()) throw std::runtime_error("the secret store could not be written: " + r.message);
  cache_[key] = record;
}

bool SecretStore::Ensure(const std::string& key) {
  if (Load(key)) return false;
  std::lock_guard<std::mutex> lock(mu_);
  if (cache_.count(key)) return false;
  SecretRecord record;
  record.current = GenerateSecret();
  record.shown = false;
  Save(key, record);
  return true;
}

std::string SecretStore::Rotate(const std::string& key, const std::string& given, int64_t now_ms,
                                int64_t overlap_ms) {
  if (!given.empty() && !SecretKey(given)) {
    throw std::invalid_argument(
        "the secret must be whsec_ followed by the base64 of 24 to 64 bytes");
  }
  std::optional<SecretRecord> old = Load(key);
  std::lock_guard<std::mutex> lock(mu_);
  SecretRecord record;
  record.current = given.empty() ? GenerateSecret() : given;
  record.shown = true;  // the caller shows a generated one now, or gave it
  if (old && overlap_ms > 0) {
    record.previous = old->current;
    record.previous_until_ms = now_ms + overlap_ms;
  }
  Save(key, record);
  return record.current;
}

std::optional<std::string> SecretStore::RevealOnce(const std::string& key) {
  if (!Load(key)) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cache_.find(key);
  if (it == cache_.end() || it->second.shown) return std::nullopt;
  SecretRecord record = it->second;
  record.shown = true;
  Save(key, record);
  return record.current;
}

}  // namespace herald::webhook
