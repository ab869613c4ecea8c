// The C++ layer for plugin authors: write one class and one registration
// macro; the adapters here turn it into the C ABI of abi.h.
//
//   class Echo : public herald::sdk::Channel {
//    public:
//     explicit Echo(herald::sdk::Host host) : host_(host) {}
//     void Publish(const herald::sdk::Snapshot& s,
//                  const herald::sdk::Values& settings) override { ... }
//     ...
//   };
//   HERALD_CHANNEL_PLUGIN(Echo, "echo", "1.0.0", "Echoes messages back")
//
// Every exception a plugin method throws is caught at the boundary and
// becomes HERALD_STATUS_ERROR carrying the exception's message. Header-only;
// needs only Boost.DLL's alias header.
#ifndef HERALD_SDK_PLUGIN_HPP_
#define HERALD_SDK_PLUGIN_HPP_

#include <herald/sdk/abi.h>
#include <herald/sdk/host.hpp>
#include <herald/sdk/types.hpp>

#include <boost/dll/alias.hpp>
#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace herald::sdk {

// A deployed snapshot, as a channel receives it.
struct Snapshot {
  std::string agent_id;
  uint64_t version = 0;
  std::string content_hash;
  std::string json;  // the full configuration
};

enum class ChannelState { kNotPublished, kPublished, kDegraded };

struct ChannelStatus {
  ChannelState state = ChannelState::kNotPublished;
  std::string detail;
};

// A deployment of an agent has ended (ABI 1.1; see herald_deployment_event).
struct DeploymentEvent {
  herald_deployment_event_kind kind = HERALD_EVENT_AGENT_DEPLOYED;
  std::string agent_id;
  uint64_t version = 0;
  uint64_t previous_version = 0;
  std::string json;  // the whole event
  Values settings;   // this channel's settings for the agent
};

// Base class of a channel plugin. Methods may be called from several threads
// at once, for different agents; a plugin guards its own state.
class Channel {
 public:
  virtual ~Channel() = default;
  // The settings this channel accepts; the host checks them before Validate.
  // A string setting marked `secret` is sealed by the host and never shown;
  // Validate, Publish and OnDeploymentEvent receive its value in `settings`
  // (and a snapshot's json only as {"$secret":"set"}).
  static std::vector<SettingSpec> DeclareSettings() { return {}; }
  // Semantic problems with `settings` beyond the declared spec.
  virtual std::vector<Problem> Validate(const Values& /*settings*/) { return {}; }
  // Makes `snapshot` the version this channel serves for its agent. Throw to
  // fail; the message is shown in the deployment summary.
  virtual void Publish(const Snapshot& snapshot, const Values& settings) = 0;
  // Stops serving the agent. Unpublishing an agent not published is no error.
  virtual void Unpublish(std::string_view agent_id) = 0;
  virtual ChannelStatus Status(std::string_view agent_id) = 0;
  // A deployment of an agent this channel serves has ended. Runs inside the
  // transaction that records it: record (KvPut) only; never send or block.
  virtual void OnDeploymentEvent(const DeploymentEvent& /*event*/) {}
};

// Base class of an auth-type plugin. Thread-safe: Apply is called for many
// requests at once.
class AuthType {
 public:
  virtual ~AuthType() = default;
  static std::vector<FieldSpec> DeclareFields() { return {}; }
  static uint32_t AllowedCredentialTypes() {
    return HERALD_CREDENTIAL_TEAM | HERALD_CREDENTIAL_MEMBER;
  }
  // True when field names are free, each field being one header.
  static bool ArbitraryFields() { return false; }
  // Problems with `fields`, each naming its field; never quoting a secret.
  virtual std::vector<Problem> Validate(const Values& fields) = 0;
  // Adds this auth type's headers or query parameters to an outbound request
  // (`request.method` and `request.url` say which request it is).
  virtual void Apply(const Values& fields, AppliedAuth& request) = 0;
  // Whether a connection of this type, configured with `fields`, meets
  // `scheme`.
  virtual bool Satisfies(const Values& fields, const SecurityScheme& scheme) = 0;
};

namespace detail {

inline void SetString(const herald_string_sink* sink, std::string_view s) {
  if (sink != nullptr && sink->set != nullptr) sink->set(sink->ctx, ToStr(s));
}

// Runs `fn`, turning any exception into HERALD_STATUS_ERROR with its message.
template <typename Fn>
herald_status Guard(const herald_string_sink* error, Fn&& fn) noexcept {
  try {
    fn();
    return HERALD_STATUS_OK;
  } catch (const std::exception& e) {
    SetString(error, e.what());
  } catch (...) {
    SetString(error, "plugin threw a non-standard exception");
  }
  return HERALD_STATUS_ERROR;
}

inline void AddProblems(const herald_problem_sink* sink, const std::vector<Problem>& problems) {
  for (const auto& p : problems) sink->add(sink->ctx, ToStr(p.field), ToStr(p.message));
}

// Descriptor storage shared by both kinds: strings owned here, C records
// pointing into them. Built once per plugin class (function-local static).
template <typename T>
herald_status Init(const herald_host_api* host, void** instance,
                   const herald_string_sink* error) noexcept {
  return Guard(error, [&] { *instance = new T(Host(host)); });
}

template <typename T>
void Shutdown(void* instance) noexcept {
  try {
    delete static_cast<T*>(instance);
  } catch (...) {
  }
}

template <typename T>
struct ChannelAdapter {
  static herald_status Validate(void* self, herald_kv_list settings,
                                const herald_problem_sink* problems,
                                const herald_string_sink* error) noexcept {
    return Guard(error,
                 [&] { AddProblems(problems, static_cast<T*>(self)->Validate(Values(settings))); });
  }
  static herald_status Publish(void* self, const herald_snapshot_view* view,
                               herald_kv_list settings, const herald_string_sink* error) noexcept {
    return Guard(error, [&] {
      Snapshot snapshot{std::string(ToView(view->agent_id)), view->version,
                        std::string(ToView(view->content_hash)),
                        std::string(ToView(view->snapshot_json))};
      static_cast<T*>(self)->Publish(snapshot, Values(settings));
    });
  }
  static herald_status Unpublish(void* self, herald_str agent_id,
                                 const herald_string_sink* error) noexcept {
    return Guard(error, [&] { static_cast<T*>(self)->Unpublish(ToView(agent_id)); });
  }
  static herald_status Status(void* self, herald_str agent_id, herald_channel_state* state,
                              const herald_string_sink* detail) noexcept {
    return Guard(detail, [&] {
      ChannelStatus s = static_cast<T*>(self)->Status(ToView(agent_id));
      *state = s.state == ChannelState::kPublished  ? HERALD_CHANNEL_PUBLISHED
               : s.state == ChannelState::kDegraded ? HERALD_CHANNEL_DEGRADED
                                                    : HERALD_CHANNEL_NOT_PUBLISHED;
      if (!s.detail.empty()) SetString(detail, s.detail);
    });
  }
  static void OnDeploymentEvent(void* self, const herald_deployment_event* event) noexcept {
    try {
      DeploymentEvent e;
      e.kind = event->kind;
      e.agent_id = std::string(ToView(event->agent_id));
      e.version = event->version;
      e.previous_version = event->previous_version;
      e.json = std::string(ToView(event->event_json));
      e.settings = Values(event->settings);
      static_cast<T*>(self)->OnDeploymentEvent(e);
    } catch (...) {
      // Nothing to report to: the deployment has already ended.
    }
  }

  struct Tables {
    std::vector<SettingSpec> specs = T::DeclareSettings();
    std::vector<herald_setting_spec> c_specs;
    std::vector<herald_str> c_secrets;
    herald_channel_vtable vtable{};
    Tables() {
      for (const auto& s : specs) {
        c_specs.push_back(herald_setting_spec{ToStr(s.name), ToStr(s.description), s.type,
                                              s.required ? 1 : 0, ToStr(s.default_value)});
        if (s.secret) c_secrets.push_back(ToStr(s.name));
      }
      vtable.struct_size = sizeof(herald_channel_vtable);
      vtable.settings = c_specs.data();
      vtable.settings_count = c_specs.size();
      vtable.validate = &Validate;
      vtable.publish = &Publish;
      vtable.unpublish = &Unpublish;
      vtable.status = &Status;
      // Only a plugin that overrides OnDeploymentEvent asks for events: for
      // the others the host skips writing each deployment's event.
      if constexpr (!std::is_same_v<decltype(&T::OnDeploymentEvent),
                                    void (Channel::*)(const DeploymentEvent&)>) {
        vtable.deployment_event = &OnDeploymentEvent;
      }
      vtable.secret_settings = c_secrets.data();
      vtable.secret_settings_count = c_secrets.size();
    }
  };
  static const herald_channel_vtable* VTable() {
    static const Tables tables;
    return &tables.vtable;
  }
};

template <typename T>
struct AuthTypeAdapter {
  static herald_status Validate(void* self, herald_kv_list fields,
                                const herald_problem_sink* problems,
                                const herald_string_sink* error) noexcept {
    return Guard(error,
                 [&] { AddProblems(problems, static_cast<T*>(self)->Validate(Values(fields))); });
  }
  static herald_status Apply(void* self, herald_kv_list fields, const herald_request_view* request,
                             const herald_string_sink* error) noexcept {
    return Guard(error, [&] {
      AppliedAuth applied;
      applied.method = std::string(ToView(request->method));
      applied.url = std::string(ToView(request->url));
      static_cast<T*>(self)->Apply(Values(fields), applied);
      for (const auto& [k, v] : applied.headers) {
        request->add_header(request->ctx, ToStr(k), ToStr(v));
      }
      for (const auto& [k, v] : applied.query) {
        request->add_query(request->ctx, ToStr(k), ToStr(v));
      }
    });
  }
  static herald_status Satisfies(void* self, herald_kv_list fields,
                                 const herald_security_scheme* scheme, int* satisfied,
                                 const herald_string_sink* error) noexcept {
    return Guard(error, [&] {
      *satisfied = static_cast<T*>(self)->Satisfies(Values(fields), FromAbi(*scheme)) ? 1 : 0;
    });
  }

  struct Tables {
    std::vector<FieldSpec> specs = T::DeclareFields();
    std::vector<herald_field_spec> c_specs;
    herald_auth_type_vtable vtable{};
    Tables() {
      for (const auto& f : specs) {
        c_specs.push_back(herald_field_spec{ToStr(f.name), ToStr(f.label), f.secret ? 1 : 0,
                                            f.required ? 1 : 0, ToStr(f.default_value)});
      }
      vtable.struct_size = sizeof(herald_auth_type_vtable);
      vtable.fields = c_specs.data();
      vtable.fields_count = c_specs.size();
      vtable.credential_types = T::AllowedCredentialTypes();
      vtable.flags = T::ArbitraryFields() ? uint32_t{HERALD_AUTH_ARBITRARY_FIELDS} : uint32_t{0};
      vtable.validate = &Validate;
      vtable.apply = &Apply;
      vtable.satisfies = &Satisfies;
    }
  };
  static const herald_auth_type_vtable* VTable() {
    static const Tables tables;
    return &tables.vtable;
  }
};

inline herald_plugin_descriptor MakeDescriptor(herald_plugin_kind kind, const char* name,
                                               const char* version, const char* description) {
  herald_plugin_descriptor d{};
  d.struct_size = sizeof(herald_plugin_descriptor);
  d.abi_major = HERALD_ABI_MAJOR;
  d.abi_minor = HERALD_ABI_MINOR;
  d.kind = kind;
  d.name = ToStr(name);
  d.version = ToStr(version);
  d.description = ToStr(description);
  return d;
}

}  // namespace detail

// The descriptor of a channel class. Usable directly in tests (FakeHost).
template <typename T>
const herald_plugin_descriptor* ChannelDescriptor(const char* name, const char* version,
                                                  const char* description) {
  static const herald_plugin_descriptor d = [&] {
    herald_plugin_descriptor out =
        detail::MakeDescriptor(HERALD_PLUGIN_CHANNEL, name, version, description);
    out.init = &detail::Init<T>;
    out.shutdown = &detail::Shutdown<T>;
    out.channel = detail::ChannelAdapter<T>::VTable();
    return out;
  }();
  return &d;
}

template <typename T>
const herald_plugin_descriptor* AuthTypeDescriptor(const char* name, const char* version,
                                                   const char* description) {
  static const herald_plugin_descriptor d = [&] {
    herald_plugin_descriptor out =
        detail::MakeDescriptor(HERALD_PLUGIN_AUTH_TYPE, name, version, description);
    out.init = &detail::Init<T>;
    out.shutdown = &detail::Shutdown<T>;
    out.auth_type = detail::AuthTypeAdapter<T>::VTable();
    return out;
  }();
  return &d;
}

}  // namespace herald::sdk

// Registration: one per shared library. Exports HERALD_PLUGIN_ENTRY_SYMBOL.
#define HERALD_CHANNEL_PLUGIN(Class, Name, Version, Description)                \
  namespace {                                                                   \
  const herald_plugin_descriptor* herald_sdk_entry() {                          \
    return ::herald::sdk::ChannelDescriptor<Class>(Name, Version, Description); \
  }                                                                             \
  }                                                                             \
  BOOST_DLL_ALIAS(herald_sdk_entry, herald_plugin)

#define HERALD_AUTH_TYPE_PLUGIN(Class, Name, Version, Description)               \
  namespace {                                                                    \
  const herald_plugin_descriptor* herald_sdk_entry() {                           \
    return ::herald::sdk::AuthTypeDescriptor<Class>(Name, Version, Description); \
  }                                                                              \
  }                                                                              \
  BOOST_DLL_ALIAS(herald_sdk_entry, herald_plugin)

#endif  // HERALD_SDK_PLUGIN_HPP_
