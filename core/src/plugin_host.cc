#include "herald/core/plugin_host.h"

#include <herald/sdk/types.hpp>

#include <chrono>

#include "herald/core/log.h"
#include "herald/core/plugin_services.h"

namespace herald {

int64_t SystemClockUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

PluginHost::PluginHost(std::string plugin_name, PluginConfigLookup config, Clock clock,
                       PluginServices* services)
    : plugin_name_(std::move(plugin_name)),
      config_(std::move(config)),
      clock_(std::move(clock)),
      services_(services) {
  api_.struct_size = sizeof(herald_host_api);
  api_.abi_major = HERALD_ABI_MAJOR;
  api_.abi_minor = HERALD_ABI_MINOR;
  api_.ctx = this;
  api_.log = &PluginHost::Log;
  api_.config_get = &PluginHost::ConfigGet;
  api_.now_unix_ms = &PluginHost::NowUnixMs;
  api_.http_route_add = &PluginHost::RouteAdd;
  api_.run_turn = &PluginHost::RunTurn;
  api_.kv_get = &PluginHost::KvGet;
  api_.kv_put = &PluginHost::KvPut;
  api_.kv_delete = &PluginHost::KvDelete;
  api_.kv_list = &PluginHost::KvList;
  api_.secret_get = &PluginHost::SecretGet;
  api_.secret_put = &PluginHost::SecretPut;
  api_.secret_delete = &PluginHost::SecretDelete;
  api_.fetch = &PluginHost::Fetch;
  api_.verify_identity = &PluginHost::VerifyIdentity;
  api_.kv_apply = &PluginHost::KvApply;
}

void PluginHost::Log(void* ctx, herald_log_level level, herald_str message) {
  auto* self = static_cast<PluginHost*>(ctx);
  spdlog::level::level_enum l = spdlog::level::info;
  switch (level) {
    case HERALD_LOG_TRACE:
      l = spdlog::level::trace;
      break;
    case HERALD_LOG_DEBUG:
      l = spdlog::level::debug;
      break;
    case HERALD_LOG_INFO:
      l = spdlog::level::info;
      break;
    case HERALD_LOG_WARN:
      l = spdlog::level::warn;
      break;
    case HERALD_LOG_ERROR:
      l = spdlog::level::err;
      break;
  }
  LogEvent(l, "plugin.log", {{"plugin", self->plugin_name_}, {"msg", sdk::ToView(message)}});
}

int PluginHost::ConfigGet(void* ctx, herald_str key, const herald_string_sink* out) {
  auto* self = static_cast<PluginHost*>(ctx);
  if (!self->config_) return 0;
  std::optional<std::string> value =
      self->config_(self->plugin_name_, std::string(sdk::ToView(key)));
  if (!value) return 0;
  out->set(out->ctx, sdk::ToStr(*value));
  return 1;
}

int64_t PluginHost::NowUnixMs(void* ctx) {
  auto* self = static_cast<PluginHost*>(ctx);
  return self->clock_ ? self->clock_() : SystemClockUnixMs();
}

namespace {

using sdk::ToStr;
using sdk::ToView;

herald_status ToAbi(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return HERALD_STATUS_OK;
    case StatusCode::kNotFound:
      return HERALD_STATUS_NOT_FOUND;
    case StatusCode::kInvalidArgument:
    case StatusCode::kAlreadyExists:
    case StatusCode::kPayloadTooLarge:
      return HERALD_STATUS_INVALID_ARGUMENT;
    case StatusCode::kPermissionDenied:
    case StatusCode::kUnauthenticated:
      return HERALD_STATUS_PERMISSION_DENIED;
    case StatusCode::kUnavailable:
      return HERALD_STATUS_UNAVAILABLE;
    case StatusCode::kDeadlineExceeded:
      return HERALD_STATUS_TIMEOUT;
    default:
      return HERALD_STATUS_ERROR;
  }
}

herald_status Fail(const Status& s, const herald_string_sink* error) {
  if (error != nullptr && error->set != nullptr) error->set(error->ctx, ToStr(s.message()));
  return ToAbi(s);
}

herald_status NoServices(const herald_string_sink* error) {
  return Fail(Status::Unavailable("this host offers no channel services"), error);
}

}  // namespace

PluginHost::~PluginHost() {
  if (services_ != nullptr) services_->routes().RemoveOwner(this);
}

herald_status PluginHost::RouteAdd(void* ctx, herald_str method, herald_str pattern,
                                   herald_http_handler_fn handler, void* handler_ctx,
                                   const herald_string_sink* error) {
  auto* self = static_cast<PluginHost*>(ctx);
  if (self->services_ == nullptr) return NoServices(error);
  Status s = self->services_->routes().Add(self, self->plugin_name_, std::string(ToView(method)),
                                           std::string(ToView(pattern)), handler, handler_ctx);
  return s.ok() ? HERALD_STATUS_OK : Fail(s, error);
}

herald_status PluginHost::RunTurn(void* ctx, const herald_turn_request* request,
                                  const herald_turn_events* events,
                                  const herald_string_sink* error) {
  auto* self = static_cast<PluginHost*>(ctx);
  if (self->services_ == nullptr) return NoServices(error);
  if (request == nullptr || events == nullptr) {
    return Fail(Status::InvalidArgument("request and events must be given"), error);
  }
  runtime::TurnInput input;
  input.agent_id = std::string(ToView(request->agent_id));
  input.conversation_id = std::string(ToView(request->conversation_id));
  input.message = std::string(ToView(request->message));
  input.user_id = std::string(ToView(request->user_id));
  runtime::TurnCallbacks callbacks;
  callbacks.on_begin = [events](const std::string& conversation, int64_t version) {
    if (events->begin != nullptr) {
      events->begin(events->ctx, ToStr(conversation), static_cast<uint64_t>(version));
    }
  };
  callbacks.on_delta = [events](std::string_view text) {
    return events->delta == nullptr || events->delta(events->ctx, ToStr(text)) != 0;
  };
  callbacks.on_tool_call = [events](std::string_view tool, std::string_view outcome) {
    if (events->tool_call != nullptr) events->tool_call(events->ctx, ToStr(tool), ToStr(outcome));
  };
  StatusOr<runtime::TurnOutput> out =
      self->services_->RunTurn(self->plugin_name_, std::move(input), callbacks);
  if (!out.ok()) return Fail(out.status(), error);
  if (events->end != nullptr) events->end(events->ctx, ToStr(out->reply));
  return HERALD_STATUS_OK;
}

namespace {

herald_status GetValue(PluginServices* services, const std::string& plugin, bool sealed,
                       herald_str key, const herald_string_sink* value,
                       const herald_string_sink* error) {
  if (services == nullptr) return NoServices(error);
  StatusOr<std::string> v = services->Get(plugin, sealed, std::string(ToView(key)));
  if (!v.ok()) return Fail(v.status(), error);
  value->set(value->ctx, ToStr(*v));
  return HERALD_STATUS_OK;
}

}  // namespace

herald_status PluginHost::KvGet(void* ctx, herald_str key, const herald_string_sink* value,
                                const herald_string_sink* error) {
  auto* self = static_cast<PluginHost*>(ctx);
  return GetValue(self->services_, self->plugin_name_, false, key, value, error);
}

herald_status PluginHost::SecretGet(void* ctx, herald_str key, const herald_string_sink* value,
                                    const herald_string_sink* error) {
  auto* self = static_cast<PluginHost*>(ctx);
  return GetValue(self->services_, self->plugin_name_, true, key, value, error);
}

herald_status PluginHost::KvPut(void* ctx, herald_str key, herald_str value,
                                const herald_string_sink* error) {
  auto* self = static_cast<PluginHost*>(ctx);
  if (self->services_ == nullptr) return NoServices(error);
  Status s = self->services_->Put(self->plugin_name_, false, std::string(ToView(key)),
                                  std::string(ToView(value)));
  return s.ok() ? HERALD_STATUS_OK : Fail(s, error);
}

herald_status PluginHost::SecretPut(void* ctx, herald_str key, herald_str value,
                                    const herald_string_sink* error) {
  auto* self = static_cast<PluginHost*>(ctx);
  if (self->services_ == nullptr) return NoServices(error);
  Status s = self->services_->Put(self->plugin_name_, true, std::string(ToView(key)),
                                  std::string(ToView(value)));
  return s.ok() ? HERALD_STATUS_OK : Fail(s, error);
}

herald_status PluginHost::KvDelete(void* ctx, herald_str key, const herald_string_sink* error) {
  auto* self = static_cast<PluginHost*>(ctx);
  if (self->services_ == nullptr) return NoServices(error);
  Status s = self->services_->Delete(self->plugin_name_, false, std::string(ToView(key)));
  return s.ok() ? HERALD_STATUS_OK : Fail(s, error);
}

herald_status PluginHost::SecretDelete(void* ctx, herald_str key, const herald_string_sink* error) {
  auto* self = static_cast<PluginHost*>(ctx);
  if (self->services_ == nullptr) return NoServices(error);
  Status s = self->services_->Delete(self->plugin_name_, true, std::string(ToView(key)));
  return s.ok() ? HERALD_STATUS_OK : Fail(s, error);
}

herald_status PluginHost::KvApply(void* ctx, const herald_kv_op* ops, size_t count,
                                  const herald_string_sink* error) {
  auto* self = static_cast<PluginHost*>(ctx);
  if (self->services_ == nullptr) return NoServices(error);
  if (ops == nullptr && count > 0)
    return Fail(Status::InvalidArgument("ops: must be given"), error);
  std::vector<PluginServices::KvChange> changes;
  changes.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    changes.push_back({std::string(ToView(ops[i].key)), std::string(ToView(ops[i].value)),
                       ops[i].is_delete != 0});
  }
  Status s = self->services_->Apply(self->plugin_name_, changes);
  return s.ok() ? HERALD_STATUS_OK : Fail(s, error);
}

herald_status PluginHost::KvList(void* ctx, herald_str prefix, const herald_kv_sink* out,
                                 const herald_string_sink* error) {
  auto* self = static_cast<PluginHost*>(ctx);
  if (self->services_ == nullptr) return NoServices(error);
  StatusOr<std::vector<PluginStateEntry>> entries =
      self->services_->List(self->plugin_name_, std::string(ToView(prefix)));
  if (!entries.ok()) return Fail(entries.status(), error);
  for (const auto& e : *entries) out->add(out->ctx, ToStr(e.key), ToStr(e.value));
  return HERALD_STATUS_OK;
}

herald_status PluginHost::Fetch(void* ctx, const herald_fetch_request* request,
                                const herald_fetch_response_sink* response,
                                const herald_string_sink* error) {
  auto* self = static_cast<PluginHost*>(ctx);
  if (self->services_ == nullptr) return NoServices(error);
  if (request == nullptr || response == nullptr) {
    return Fail(Status::InvalidArgument("request and response must be given"), error);
  }
  FetchRequest r;
  r.method = std::string(ToView(request->method));
  if (r.method.empty()) r.method = "GET";
  r.url = std::string(ToView(request->url));
  for (size_t i = 0; i < request->headers.count; ++i) {
    r.headers.emplace_back(std::string(ToView(request->headers.items[i].key)),
                           std::string(ToView(request->headers.items[i].value)));
  }
  r.body = std::string(ToView(request->body));
  r.timeout_ms = request->timeout_ms;
  StatusOr<FetchResponse> answer = self->services_->Fetch(r);
  if (!answer.ok()) return Fail(answer.status(), error);
  response->status(response->ctx, answer->status);
  for (const auto& [name, value] : answer->headers) {
    response->header(response->ctx, ToStr(name), ToStr(value));
  }
  response->body(response->ctx, ToStr(answer->body));
  return HERALD_STATUS_OK;
}

herald_status PluginHost::VerifyIdentity(void* ctx, herald_str token,
                                         const herald_string_sink* user,
                                         const herald_string_sink* error) {
  auto* self = static_cast<PluginHost*>(ctx);
  if (self->services_ == nullptr) return NoServices(error);
  StatusOr<std::string> name = self->services_->VerifyIdentity(std::string(ToView(token)));
  if (!name.ok()) return Fail(name.status(), error);
  user->set(user->ctx, ToStr(*name));
  return HERALD_STATUS_OK;
}

}  // namespace herald
