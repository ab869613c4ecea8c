#include "herald/core/runtime/provider_registry.h"

#include <algorithm>
#include <sstream>

#include "herald/core/runtime/scripted_provider.h"

namespace herald::runtime {

std::vector<ProviderSettings> DefaultProviderSettings() {
  ProviderSettings scripted;
  scripted.name = "scripted";
  scripted.type = "scripted";
  return {scripted};
}

namespace {

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    size_t start = item.find_first_not_of(" \t");
    size_t end = item.find_last_not_of(" \t");
    if (start != std::string::npos) out.push_back(item.substr(start, end - start + 1));
  }
  return out;
}

}  // namespace

StatusOr<std::vector<ProviderSettings>> ReadProviderSettings(const ConfigLookup& lookup) {
  if (lookup("herald.models")) {
    return Status::InvalidArgument(
        "herald.models: no longer used; the supported-model catalog is the configured "
        "providers' models (herald.providers, providers.NAME.models)");
  }
  std::optional<std::string> names = lookup("herald.providers");
  if (!names) return DefaultProviderSettings();
  std::vector<ProviderSettings> out;
  for (const std::string& name : SplitList(*names)) {
    for (const auto& other : out) {
      if (other.name == name) {
        return Status::InvalidArgument("herald.providers: '" + name + "' is listed twice");
      }
    }
    const std::string prefix = "providers." + name + ".";
    auto get = [&](const char* key) { return lookup(prefix + key); };
    ProviderSettings s;
    s.name = name;
    s.type = get("type").value_or(name);
    s.base_url = get("base_url").value_or("");
    if (auto models = get("models")) s.models = SplitList(*models);
    s.connection = get("connection").value_or("");
    if (auto stream = get("stream")) {
      if (*stream != "true" && *stream != "false") {
        return Status::InvalidArgument(prefix + "stream: must be true or false");
      }
      s.stream = *stream == "true";
    }
    if (auto timeout = get("timeout_ms")) {
      try {
        s.timeout_ms = std::stoi(*timeout);
      } catch (const std::exception&) {
        return Status::InvalidArgument(prefix + "timeout_ms: must be a number");
      }
    }
    HERALD_RETURN_IF_ERROR(CheckProviderSettings(s));
    out.push_back(std::move(s));
  }
  if (out.empty()) return Status::InvalidArgument("herald.providers: names no provider");
  return out;
}

Status CheckProviderSettings(const ProviderSettings& s) {
  const std::string prefix = "providers." + s.name + ".";
  if (s.name.empty()) return Status::InvalidArgument("herald.providers: an empty provider name");
  if (s.type == "scripted") return Status::Ok();
  if (s.type != "openai") {
    return Status::InvalidArgument(prefix + "type: '" + s.type +
                                   "' is not a provider type (scripted, openai)");
  }
  if (s.base_url.rfind("http://", 0) != 0 && s.base_url.rfind("https://", 0) != 0) {
    return Status::InvalidArgument(prefix + "base_url: must be an http:// or https:// URL");
  }
  if (s.timeout_ms < 100 || s.timeout_ms > 600000) {
    return Status::InvalidArgument(prefix + "timeout_ms: must be between 100 and 600000");
  }
  return Status::Ok();
}

StatusOr<std::unique_ptr<ModelProvider>> MakeProvider(const ProviderSettings& settings,
                                                      ProviderAuth auth) {
  HERALD_RETURN_IF_ERROR(CheckProviderSettings(settings));
  if (settings.type == "scripted") return std::unique_ptr<ModelProvider>(new ScriptedProvider);
  OpenAiOptions options;
  options.name = settings.name;
  options.base_url = settings.base_url;
  options.models = settings.models;
  options.stream = settings.stream;
  options.timeout_ms = settings.timeout_ms;
  if (!settings.connection.empty()) options.auth = std::move(auth);
  return std::unique_ptr<ModelProvider>(new OpenAiProvider(std::move(options)));
}

void ProviderRegistry::Add(std::unique_ptr<ModelProvider> provider) {
  providers_.push_back(std::move(provider));
}

std::set<std::string> ProviderRegistry::Catalog() const {
  std::set<std::string> models;
  for (const auto& p : providers_) {
    StatusOr<std::vector<std::string>> listed = p->ListModels();
    if (listed.ok()) models.insert(listed->begin(), listed->end());
  }
  return models;
}

StatusOr<ModelProvider*> ProviderRegistry::ForModel(const std::string& model) const {
  for (const auto& p : providers_) {
    StatusOr<std::vector<std::string>> listed = p->ListModels();
    if (listed.ok() && std::find(listed->begin(), listed->end(), model) != listed->end()) {
      return p.get();
    }
  }
  return Status::NotFound("no configured model provider offers model '" + model + "'");
}

}  // namespace herald::runtime
