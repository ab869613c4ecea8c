/*
 * Herald plugin ABI.
 *
 * This header is the whole contract between the Herald host (heraldd) and a
 * plugin shared library. It is plain C so that any compiler and any language
 * with a C FFI can implement a plugin, and so that no C++ standard-library
 * type, exception or RTTI ever crosses the boundary.
 *
 * Rules (see docs/plugin-guide.md for the long form):
 *  - Strings are pointer + length (herald_str), UTF-8, not NUL-terminated.
 *    A herald_str passed into a call is valid only for that call.
 *  - Whoever allocates frees. The host never frees plugin memory and the
 *    plugin never frees host memory. Data the plugin returns to the host goes
 *    through host-provided sinks (callbacks that copy), so nothing is ever
 *    handed over for the other side to free.
 *  - Every table starts with struct_size. A newer side reads a field only if
 *    struct_size shows the other side has it: new fields are appended, never
 *    inserted, so an older plugin keeps loading in a newer host.
 *  - HERALD_ABI_MAJOR changes only when a change is incompatible; the host
 *    refuses a plugin whose major differs, or whose minor is newer than its
 *    own.
 *  - No function may let an exception or a longjmp escape.
 *
 * A plugin exports exactly one symbol, HERALD_PLUGIN_ENTRY_SYMBOL, a data
 * symbol holding a pointer to a herald_plugin_entry_fn (this is what
 * BOOST_DLL_ALIAS produces; the C++ layer's registration macros do it).
 */
#ifndef HERALD_SDK_ABI_H_
#define HERALD_SDK_ABI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HERALD_ABI_MAJOR 1
#define HERALD_ABI_MINOR 0

/* The exported alias every plugin defines. */
#define HERALD_PLUGIN_ENTRY_SYMBOL "herald_plugin"

/* ---------------------------------------------------------------- basics */

typedef struct herald_str {
  const char* data;
  size_t size;
} herald_str;

typedef enum herald_status {
  HERALD_STATUS_OK = 0,
  /* The call failed; the message sink received the reason. */
  HERALD_STATUS_ERROR = 1,
  /* The plugin does not implement this call. */
  HERALD_STATUS_UNSUPPORTED = 2
} herald_status;

typedef enum herald_log_level {
  HERALD_LOG_TRACE = 0,
  HERALD_LOG_DEBUG = 1,
  HERALD_LOG_INFO = 2,
  HERALD_LOG_WARN = 3,
  HERALD_LOG_ERROR = 4
} herald_log_level;

/* A host-owned sink that copies one string (an error message, a value). */
typedef struct herald_string_sink {
  void* ctx;
  void (*set)(void* ctx, herald_str value);
} herald_string_sink;

/* A host-owned sink that collects validation problems. `field` names the
 * setting or credential field at fault (empty when the problem is general);
 * `message` says what is wrong and must never contain a secret value. */
typedef struct herald_problem_sink {
  void* ctx;
  void (*add)(void* ctx, herald_str field, herald_str message);
} herald_problem_sink;

/* One name/value pair; arrays of these carry settings and credentials. */
typedef struct herald_kv {
  herald_str key;
  herald_str value;
} herald_kv;

typedef struct herald_kv_list {
  const herald_kv* items;
  size_t count;
} herald_kv_list;

/* ---------------------------------------------------------------- host API */

/* Services the host offers every plugin. Passed to init; valid until the
 * host exits (plugins are never unloaded while the host runs). All functions
 * are thread-safe. */
typedef struct herald_host_api {
  size_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;
  /* Opaque; pass back to every call. Identifies the calling plugin. */
  void* ctx;
  /* Writes one line into the host's log, tagged with the plugin name. */
  void (*log)(void* ctx, herald_log_level level, herald_str message);
  /* Looks up a configuration value for this plugin: `key` is relative to the
   * plugin's own section (plugins.<name>.<key>). Returns 1 and calls `out`
   * when found, 0 otherwise. */
  int (*config_get)(void* ctx, herald_str key, const herald_string_sink* out);
  /* Wall-clock time, milliseconds since the Unix epoch. Tests may fake it. */
  int64_t (*now_unix_ms)(void* ctx);
} herald_host_api;

/* ---------------------------------------------------------------- settings */

/* Plugins declare their settings; the host checks types, required fields and
 * unknown keys before the plugin's own validate is called. */
typedef enum herald_setting_type {
  HERALD_SETTING_STRING = 0,
  HERALD_SETTING_INT = 1,
  HERALD_SETTING_BOOL = 2,
  HERALD_SETTING_JSON = 3 /* any JSON value, passed as its text */
} herald_setting_type;

typedef struct herald_setting_spec {
  herald_str name;
  herald_str description;
  herald_setting_type type;
  int required;          /* 1: must be present */
  herald_str default_value; /* empty when none */
} herald_setting_spec;

/* ---------------------------------------------------------------- channels */

/* An immutable deployed snapshot, as a channel sees it. */
typedef struct herald_snapshot_view {
  size_t struct_size;
  herald_str agent_id;
  uint64_t version;
  herald_str content_hash; /* hex sha256 of the snapshot */
  herald_str snapshot_json; /* the full configuration, as JSON */
} herald_snapshot_view;

typedef enum herald_channel_state {
  HERALD_CHANNEL_NOT_PUBLISHED = 0,
  HERALD_CHANNEL_PUBLISHED = 1,
  HERALD_CHANNEL_DEGRADED = 2
} herald_channel_state;

typedef struct herald_channel_vtable {
  size_t struct_size;
  const herald_setting_spec* settings;
  size_t settings_count;
  /* Settings arrive as name/value text pairs, already checked against the
   * declared spec (types, required, unknown names) and with defaults filled
   * in: ints and bools as their text ("42", "true"), JSON settings as JSON
   * text. validate makes the semantic checks beyond the spec. */
  herald_status (*validate)(void* instance, herald_kv_list settings,
                            const herald_problem_sink* problems,
                            const herald_string_sink* error);
  herald_status (*publish)(void* instance, const herald_snapshot_view* snapshot,
                           herald_kv_list settings,
                           const herald_string_sink* error);
  herald_status (*unpublish)(void* instance, herald_str agent_id,
                             const herald_string_sink* error);
  /* Writes the state into *state; `detail` may receive a short explanation. */
  herald_status (*status)(void* instance, herald_str agent_id,
                          herald_channel_state* state,
                          const herald_string_sink* detail);
} herald_channel_vtable;

/* ---------------------------------------------------------------- auth types */

typedef struct herald_field_spec {
  herald_str name;
  herald_str label;
  int secret;   /* 1: never shown, logged or returned */
  int required; /* 1: must be set */
  herald_str default_value;
} herald_field_spec;

enum {
  HERALD_CREDENTIAL_TEAM = 1,
  HERALD_CREDENTIAL_MEMBER = 2
};

/* OpenAPI 3 security scheme, as far as matching needs it. */
typedef enum herald_scheme_type {
  HERALD_SCHEME_API_KEY = 0,
  HERALD_SCHEME_HTTP = 1
} herald_scheme_type;

typedef struct herald_security_scheme {
  size_t struct_size;
  herald_scheme_type type;
  herald_str in;     /* apiKey: "header", "query" or "cookie" */
  herald_str name;   /* apiKey: the header or parameter name */
  herald_str scheme; /* http: "basic", "bearer", ... (lower case) */
} herald_security_scheme;

/* An outbound request the host is about to send; the plugin adds to it. */
typedef struct herald_request_view {
  size_t struct_size;
  herald_str method;
  herald_str url;
  void* ctx;
  void (*add_header)(void* ctx, herald_str name, herald_str value);
  void (*add_query)(void* ctx, herald_str name, herald_str value);
} herald_request_view;

enum {
  /* Field names are free: every field is one header name/value pair. */
  HERALD_AUTH_ARBITRARY_FIELDS = 1
};

/* The host checks credential fields against `fields` before validate is
 * called (unknown names, unless HERALD_AUTH_ARBITRARY_FIELDS; required ones
 * missing) and fills declared defaults in; validate makes the checks beyond
 * that. */
typedef struct herald_auth_type_vtable {
  size_t struct_size;
  const herald_field_spec* fields;
  size_t fields_count;
  uint32_t credential_types; /* HERALD_CREDENTIAL_* bits */
  uint32_t flags;            /* HERALD_AUTH_* bits */
  herald_status (*validate)(void* instance, herald_kv_list fields,
                            const herald_problem_sink* problems,
                            const herald_string_sink* error);
  herald_status (*apply)(void* instance, herald_kv_list fields,
                         const herald_request_view* request,
                         const herald_string_sink* error);
  /* Whether a connection of this type, with these non-secret fields, meets
   * `scheme`. Writes 1 or 0 to *satisfied. */
  herald_status (*satisfies)(void* instance, herald_kv_list fields,
                             const herald_security_scheme* scheme,
                             int* satisfied,
                             const herald_string_sink* error);
} herald_auth_type_vtable;

/* ---------------------------------------------------------------- descriptor */

typedef enum herald_plugin_kind {
  HERALD_PLUGIN_CHANNEL = 1,
  HERALD_PLUGIN_AUTH_TYPE = 2
} herald_plugin_kind;

typedef struct herald_plugin_descriptor {
  size_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;
  herald_plugin_kind kind;
  herald_str name;    /* unique among loaded plugins: [a-z0-9_]+ */
  herald_str version; /* the plugin's own version */
  herald_str description;
  /* Creates the plugin's instance. On failure returns ERROR and writes the
   * reason to `error`; *instance is then ignored. */
  herald_status (*init)(const herald_host_api* host, void** instance,
                        const herald_string_sink* error);
  /* Releases the instance at host shutdown. May be NULL. */
  void (*shutdown)(void* instance);
  /* Exactly one of these is set, matching `kind`. */
  const herald_channel_vtable* channel;
  const herald_auth_type_vtable* auth_type;
} herald_plugin_descriptor;

typedef const herald_plugin_descriptor* (*herald_plugin_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* HERALD_SDK_ABI_H_ */
