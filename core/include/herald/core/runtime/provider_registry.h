// The configured model providers and the supported-model catalog: the union
// of their models. A model offered by two providers is served by the first
// configured.
//
// Configuration (heraldd's config file; see the README):
//   herald.providers = scripted,openai         the providers, in order
//   providers.NAME.type = scripted|openai      default: NAME itself
//   providers.NAME.base_url = http://...       openai: the server
//   providers.NAME.models = m1,m2              openai: else GET /v1/models
//   providers.NAME.connection = CONN           openai: the API key's connection
//   providers.NAME.stream = true|false         openai: default true
//   providers.NAME.timeout_ms = 60000          openai: per network step
//
// Thread-safety: built at start-up (Add), then Catalog and ForModel from any
// thread.
#ifndef HERALD_CORE_RUNTIME_PROVIDER_REGISTRY_H_
#define HERALD_CORE_RUNTIME_PROVIDER_REGISTRY_H_

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "herald/core/runtime/model_provider.h"
#include "herald/core/runtime/openai_provider.h"

namespace herald::runtime {

// One configured provider, as read from the configuration.
struct ProviderSettings {
  std::string name;  // unique
  std::string type;  // "scripted" | "openai"
  std::string base_url;
  std::vector<std::string> models;
  std::string connection;  // a Herald connection id; empty: no credentials
  bool stream = true;
  int timeout_ms = 60000;
};

// The default: the scripted provider only.
std::vector<ProviderSettings> DefaultProviderSettings();

// A configuration key's value, or nullopt when absent.
using ConfigLookup = std::function<std::optional<std::string>(const std::string& key)>;

// Reads herald.providers and providers.NAME.* (see above; default: the
// scripted provider only), each checked. The retired key herald.models is
// refused with a message saying what replaced it.
StatusOr<std::vector<ProviderSettings>> ReadProviderSettings(const ConfigLookup& lookup);

// Checks one provider's settings (INVALID_ARGUMENT naming
// "providers.NAME.FIELD").
Status CheckProviderSettings(const ProviderSettings& settings);

// Makes a provider; `auth` is used by openai providers with a connection.
StatusOr<std::unique_ptr<ModelProvider>> MakeProvider(const ProviderSettings& settings,
                                                      ProviderAuth auth);

class ProviderRegistry {
 public:
  void Add(std::unique_ptr<ModelProvider> provider);

  // The union of every provider's models; a provider that cannot list its
  // models now contributes none.
  std::set<std::string> Catalog() const;
  // The provider serving `model`; NOT_FOUND naming the model when none does.
  StatusOr<ModelProvider*> ForModel(const std::string& model) const;

  const std::vector<std::unique_ptr<ModelProvider>>& providers() const { return providers_; }

 private:
  std::vector<std::unique_ptr<ModelProvider>> providers_;
};

}  // namespace herald::runtime

#endif  // HERALD_CORE_RUNTIME_PROVIDER_REGISTRY_H_
