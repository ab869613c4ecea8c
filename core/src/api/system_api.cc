#include "api/system_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace herald::api {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string SettingTypeName(herald_setting_type type) {
  switch (type) {
    case HERALD_SETTING_STRING:
      return "string";
    case HERALD_SETTING_INT:
      return "int";
    case HERALD_SETTING_BOOL:
      return "bool";
    case HERALD_SETTING_JSON:
      return "json";
  }
  return "string";
}

Object::Ptr ChannelDetails(const sdk::ChannelClient& channel) {
  Array::Ptr settings = new Array;
  for (const auto& s : sdk::SettingSpecs(channel.vtable())) {
    Object::Ptr o = new Object;
    o->set("name", s.name);
    o->set("type", SettingTypeName(s.type));
    o->set("required", s.required);
    if (!s.default_value.empty()) o->set("default", s.default_value);
    o->set("description", s.description);
    o->set("secret", s.secret);
    settings->add(o);
  }
  Object::Ptr details = new Object;
  details->set("settings", settings);
  return details;
}

Object::Ptr AuthTypeDetails(const sdk::AuthTypeClient& auth) {
  const herald_auth_type_vtable& vt = auth.vtable();
  Array::Ptr fields = new Array;
  for (const auto& f : sdk::FieldSpecs(vt)) {
    Object::Ptr o = new Object;
    o->set("name", f.name);
    o->set("label", f.label);
    o->set("secret", f.secret);
    o->set("required", f.required);
    if (!f.default_value.empty()) o->set("default", f.default_value);
    fields->add(o);
  }
  Array::Ptr credential_types = new Array;
  if (vt.credential_types & HERALD_CREDENTIAL_TEAM) credential_types->add("team");
  if (vt.credential_types & HERALD_CREDENTIAL_MEMBER) credential_types->add("member");
  Object::Ptr details = new Object;
  details->set("fields", fields);
  details->set("arbitrary_fields", (vt.flags & HERALD_AUTH_ARBITRARY_FIELDS) != 0);
  details->set("credential_types", credential_types);
  return details;
}

http::HttpResponse Health(const ApiServices& services) {
  Object::Ptr store = new Object;
  store->set("backend", services.store.backend());
  store->set("schema_version", services.store.schema_version());
  Object::Ptr body = new Object;
  body->set("version", services.version);
  body->set("store", store);
  Status ping = services.store.Ping();
  body->set("status", ping.ok() ? "ok" : "unavailable");
  return http::HttpResponse::Json(ping.ok() ? 200 : 503, body);
}

http::HttpResponse Plugins(const ApiServices& services) {
  Array::Ptr loaded = new Array;
  for (const auto& plugin : services.plugins.loaded()) {
    const PluginInfo& info = plugin->info();
    Object::Ptr o = new Object;
    o->set("name", info.name);
    o->set("kind", std::string(PluginKindName(info.kind)));
    o->set("version", info.version);
    o->set("description", info.description);
    o->set("abi", std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor));
    o->set("path", info.path.string());
    o->set(std::string(PluginKindName(info.kind)), info.kind == PluginKind::kChannel
                                                       ? ChannelDetails(plugin->channel())
                                                       : AuthTypeDetails(plugin->auth_type()));
    loaded->add(o);
  }
  Array::Ptr refused = new Array;
  for (const auto& r : services.plugins.refused()) {
    Object::Ptr o = new Object;
    o->set("path", r.path);
    o->set("reason", r.reason);
    refused->add(o);
  }
  Object::Ptr body = new Object;
  body->set("host_abi", std::to_string(HERALD_ABI_MAJOR) + "." + std::to_string(HERALD_ABI_MINOR));
  body->set("loaded", loaded);
  body->set("refused", refused);
  return http::HttpResponse::Json(200, body);
}

}  // namespace

void AddSystemRoutes(http::Router& router, const ApiServices& services) {
  router.Add("GET", "/healthz", [&services](http::HttpRequest&) { return Health(services); });
  router.Add(
      "GET", "/v1/plugins",
      services.authenticator.Require(Role::kMember, [&services](http::HttpRequest&, const User&) {
        return Plugins(services);
      }));
}

}  // namespace herald::api
