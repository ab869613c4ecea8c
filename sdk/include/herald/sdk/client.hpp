// The caller's side of the plugin ABI: C++ wrappers that call a plugin's
// function tables and copy what it returns through host-owned sinks. Used by
// heraldd and by FakeHost, so both drive plugins exactly the same way.
//
// Thread-safety: the clients hold no mutable state; they are as thread-safe
// as the plugin behind them (plugins must accept concurrent calls).
#ifndef HERALD_SDK_CLIENT_HPP_
#define HERALD_SDK_CLIENT_HPP_

#include <herald/sdk/abi.h>

#include <cstddef>
#include <herald/sdk/types.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace herald::sdk {

// What one call through the ABI came to.
struct CallResult {
  herald_status status = HERALD_STATUS_OK;
  std::string error;  // the plugin's message when status is ERROR
  bool ok() const { return status == HERALD_STATUS_OK; }
};

namespace detail {

inline herald_string_sink StringSink(std::string* out) {
  return herald_string_sink{
      out, [](void* ctx, herald_str v) { static_cast<std::string*>(ctx)->assign(v.data, v.size); }};
}

inline herald_problem_sink ProblemSink(std::vector<Problem>* out) {
  return herald_problem_sink{out, [](void* ctx, herald_str field, herald_str message) {
                               static_cast<std::vector<Problem>*>(ctx)->push_back(Problem{
                                   std::string(ToView(field)), std::string(ToView(message))});
                             }};
}

// Plugins are C++ too, mostly; a throwing plugin that bypassed the SDK layer
// must not take the host down, so every call is also guarded here.
template <typename Fn>
CallResult Call(Fn&& fn) noexcept {
  CallResult result;
  try {
    result.status = fn(StringSink(&result.error));
  } catch (const std::exception& e) {
    result.status = HERALD_STATUS_ERROR;
    result.error = std::string("plugin threw across the ABI: ") + e.what();
  } catch (...) {
    result.status = HERALD_STATUS_ERROR;
    result.error = "plugin threw across the ABI";
  }
  if (result.status != HERALD_STATUS_OK && result.status != HERALD_STATUS_ERROR &&
      result.status != HERALD_STATUS_UNSUPPORTED) {
    result.error = "plugin returned an unknown status";
    result.status = HERALD_STATUS_ERROR;
  }
  return result;
}

}  // namespace detail

inline std::vector<SettingSpec> SettingSpecs(const herald_channel_vtable& vt) {
  std::vector<SettingSpec> out;
  for (size_t i = 0; i < vt.settings_count; ++i) {
    const auto& s = vt.settings[i];
    out.push_back(SettingSpec{std::string(ToView(s.name)), std::string(ToView(s.description)),
                              s.type, s.required != 0, std::string(ToView(s.default_value))});
  }
  if (!HasSecretSettingsList(vt)) return out;
  for (size_t i = 0; i < vt.secret_settings_count; ++i) {
    for (auto& spec : out) {
      if (spec.name == ToView(vt.secret_settings[i])) spec.secret = true;
    }
  }
  return out;
}

inline std::vector<FieldSpec> FieldSpecs(const herald_auth_type_vtable& vt) {
  std::vector<FieldSpec> out;
  for (size_t i = 0; i < vt.fields_count; ++i) {
    const auto& f = vt.fields[i];
    out.push_back(FieldSpec{std::string(ToView(f.name)), std::string(ToView(f.label)),
                            f.secret != 0, f.required != 0, std::string(ToView(f.default_value))});
  }
  return out;
}

class ChannelClient {
 public:
  ChannelClient(const herald_channel_vtable* vtable, void* instance)
      : vt_(vtable), instance_(instance) {}

  CallResult Validate(const Values& settings, std::vector<Problem>* problems) const {
    KvList kv(settings.All());
    herald_problem_sink sink = detail::ProblemSink(problems);
    return detail::Call([&](herald_string_sink error) {
      return vt_->validate(instance_, kv.get(), &sink, &error);
    });
  }

  CallResult Publish(std::string_view agent_id, uint64_t version, std::string_view content_hash,
                     std::string_view snapshot_json, const Values& settings) const {
    herald_snapshot_view view{sizeof(herald_snapshot_view), ToStr(agent_id), version,
                              ToStr(content_hash), ToStr(snapshot_json)};
    KvList kv(settings.All());
    return detail::Call(
        [&](herald_string_sink error) { return vt_->publish(instance_, &view, kv.get(), &error); });
  }

  CallResult Unpublish(std::string_view agent_id) const {
    return detail::Call([&](herald_string_sink error) {
      return vt_->unpublish(instance_, ToStr(agent_id), &error);
    });
  }

  // On success `state` and `detail` hold the channel's answer; on error
  // `detail` is left alone and the result carries the message.
  CallResult Status(std::string_view agent_id, herald_channel_state* state,
                    std::string* detail) const {
    std::string text;
    herald_string_sink sink = detail::StringSink(&text);
    *state = HERALD_CHANNEL_NOT_PUBLISHED;
    CallResult r = detail::Call(
        [&](herald_string_sink) { return vt_->status(instance_, ToStr(agent_id), state, &sink); });
    if (r.ok()) {
      *detail = text;
    } else {
      r.error = text;
    }
    return r;
  }

  // Whether the plugin wants deployment events (ABI 1.1, and the function set).
  bool WantsDeploymentEvents() const {
    return vt_->struct_size >= offsetof(herald_channel_vtable, deployment_event) + sizeof(void*) &&
           vt_->deployment_event != nullptr;
  }

  // Tells the plugin a deployment ended; a no-op for a plugin that does not
  // want to know. Exceptions cannot escape a conforming plugin; a stray one
  // is swallowed, since the deployment has ended whatever the plugin does.
  void DeploymentEvent(herald_deployment_event_kind kind, std::string_view agent_id,
                       uint64_t version, uint64_t previous_version, std::string_view event_json,
                       const Values& settings) const noexcept {
    if (!WantsDeploymentEvents()) return;
    try {
      KvList kv(settings.All());
      herald_deployment_event event{sizeof(herald_deployment_event),
                                    kind,
                                    ToStr(agent_id),
                                    version,
                                    previous_version,
                                    ToStr(event_json),
                                    kv.get()};
      vt_->deployment_event(instance_, &event);
    } catch (...) {
    }
  }

  const herald_channel_vtable& vtable() const { return *vt_; }

 private:
  const herald_channel_vtable* vt_;
  void* instance_;
};

class AuthTypeClient {
 public:
  AuthTypeClient(const herald_auth_type_vtable* vtable, void* instance)
      : vt_(vtable), instance_(instance) {}

  CallResult Validate(const Values& fields, std::vector<Problem>* problems) const {
    KvList kv(fields.All());
    herald_problem_sink sink = detail::ProblemSink(problems);
    return detail::Call([&](herald_string_sink error) {
      return vt_->validate(instance_, kv.get(), &sink, &error);
    });
  }

  CallResult Apply(const Values& fields, std::string_view method, std::string_view url,
                   AppliedAuth* out) const {
    KvList kv(fields.All());
    herald_request_view request{};
    request.struct_size = sizeof(herald_request_view);
    request.method = ToStr(method);
    request.url = ToStr(url);
    request.ctx = out;
    request.add_header = [](void* ctx, herald_str name, herald_str value) {
      static_cast<AppliedAuth*>(ctx)->headers.emplace_back(std::string(ToView(name)),
                                                           std::string(ToView(value)));
    };
    request.add_query = [](void* ctx, herald_str name, herald_str value) {
      static_cast<AppliedAuth*>(ctx)->query.emplace_back(std::string(ToView(name)),
                                                         std::string(ToView(value)));
    };
    return detail::Call([&](herald_string_sink error) {
      return vt_->apply(instance_, kv.get(), &request, &error);
    });
  }

  CallResult Satisfies(const Values& fields, const SecurityScheme& scheme, bool* satisfied) const {
    KvList kv(fields.All());
    herald_security_scheme s{sizeof(herald_security_scheme), scheme.type, ToStr(scheme.in),
                             ToStr(scheme.name), ToStr(scheme.scheme)};
    int out = 0;
    CallResult r = detail::Call([&](herald_string_sink error) {
      return vt_->satisfies(instance_, kv.get(), &s, &out, &error);
    });
    *satisfied = r.ok() && out != 0;
    return r;
  }

  const herald_auth_type_vtable& vtable() const { return *vt_; }

 private:
  const herald_auth_type_vtable* vt_;
  void* instance_;
};

}  // namespace herald::sdk

#endif  // HERALD_SDK_CLIENT_HPP_
