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
#define HERALD_ABI_MINOR 2

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
  HERALD_STATUS_UNSUPPORTED = 2,
  /* ABI 1.1, returned by host services only (the message sink says more): */
  HERALD_STATUS_NOT_FOUND = 3,         /* no such key, agent not live, ... */
  HERALD_STATUS_INVALID_ARGUMENT = 4,  /* the request itself is wrong */
  HERALD_STATUS_PERMISSION_DENIED = 5, /* refused: bad identity, denied address */
  HERALD_STATUS_UNAVAILABLE = 6,       /* a dependency is down; may retry */
  HERALD_STATUS_TIMEOUT = 7            /* the deadline passed */
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

/* One change of a kv_apply batch: a put of `value`, or a delete. */
typedef struct herald_kv_op {
  herald_str key;
  herald_str value; /* ignored for a delete */
  int is_delete;    /* 1: delete `key` */
} herald_kv_op;

/* A host- or plugin-owned sink that copies name/value pairs. */
typedef struct herald_kv_sink {
  void* ctx;
  void (*add)(void* ctx, herald_str key, herald_str value);
} herald_kv_sink;

/* ---------------------------------------------------------------- HTTP (1.1) */

/* An inbound request to one of the plugin's routes. Valid for the call. */
typedef struct herald_http_request_view {
  size_t struct_size;
  herald_str method;     /* upper case */
  herald_str path;       /* the whole decoded path, without the query */
  herald_kv_list params; /* the {name} segments of the route's pattern */
  herald_kv_list query;
  herald_kv_list headers; /* names lower case */
  herald_str body;
  /* The Herald user whose API token the request carries ("Authorization:
   * Bearer hrd_..."), and that user's role (admin, operator or member);
   * both empty when there is no valid token. The host authenticates; the
   * plugin decides what each route needs. */
  herald_str user_id;
  herald_str user_role;
} herald_http_request_view;

/* The response to an inbound request; host-owned. Nothing is sent until
 * flush or the handler's return: before that, status and headers may still
 * change. The first flush sends status and headers (the body then goes
 * chunked) and every later write is sent at the next flush: that is how a
 * handler streams, e.g. server-sent events. */
typedef struct herald_http_response {
  size_t struct_size;
  void* ctx;
  void (*set_status)(void* ctx, int status); /* default 200 */
  void (*add_header)(void* ctx, herald_str name, herald_str value);
  void (*write)(void* ctx, herald_str data);
  /* Returns 1 when sent, 0 when the client has gone (stop producing). */
  int (*flush)(void* ctx);
} herald_http_response;

/* A route handler. Called on the host's server threads, many at once. On
 * ERROR before anything was flushed the host answers 500 and logs the
 * message (never returning it: it might carry anything). */
typedef herald_status (*herald_http_handler_fn)(void* handler_ctx,
                                                const herald_http_request_view* request,
                                                const herald_http_response* response);

/* An outbound request through the host's HTTP client. */
typedef struct herald_fetch_request {
  size_t struct_size;
  herald_str method;
  herald_str url; /* http:// or https:// */
  herald_kv_list headers;
  herald_str body;
  int64_t timeout_ms; /* the whole exchange; 0: the host's default (30 s) */
} herald_fetch_request;

/* Receives the response of a fetch: status once, each header, then the body
 * in one or more pieces. Redirects are never followed: a 3xx arrives as is. */
typedef struct herald_fetch_response_sink {
  void* ctx;
  void (*status)(void* ctx, int status);
  void (*header)(void* ctx, herald_str name, herald_str value);
  void (*body)(void* ctx, herald_str chunk);
} herald_fetch_response_sink;

/* ---------------------------------------------------------------- turns (1.1) */

/* One conversation turn against the live version of an agent. */
typedef struct herald_turn_request {
  size_t struct_size;
  herald_str agent_id;
  /* Empty: start a new conversation (its id arrives in `begin`). A
   * conversation belongs to the channel, agent and user that started it. */
  herald_str conversation_id;
  herald_str message; /* the user's words */
  /* The Herald member speaking (see verify_identity), whose own credentials
   * member-type connections use; empty for an anonymous user, whose turn
   * then cannot use member-type connections. */
  herald_str user_id;
} herald_turn_request;

/* What a turn reports as it runs; plugin-owned, called on the caller's
 * thread before run_turn returns. `begin` comes first, once; `end` last,
 * once, when the turn succeeded. */
typedef struct herald_turn_events {
  size_t struct_size;
  void* ctx;
  /* The conversation, and the one version that answers this whole turn. */
  void (*begin)(void* ctx, herald_str conversation_id, uint64_t version);
  /* A piece of the reply, as the model produces it. Return 0 to cancel the
   * turn (the client has gone). May be NULL. */
  int (*delta)(void* ctx, herald_str text);
  /* A tool call the runtime made, and how it went ("200", "error: ..."). May
   * be NULL. */
  void (*tool_call)(void* ctx, herald_str tool, herald_str outcome);
  /* The whole reply. */
  void (*end)(void* ctx, herald_str reply);
} herald_turn_events;

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

  /* ---- ABI 1.1: what a channel plugin needs to serve users. Present when
   * struct_size covers them (abi_minor >= 1). */

  /* Serves `method` requests to `pattern`, a path below the plugin's own
   * prefix /v1/channels/<plugin name>: "/{agent}/messages" serves
   * /v1/channels/chat/{agent}/messages for the plugin "chat". Segments are
   * literals or {name}. Call from init; `handler_ctx` must live as long as
   * the process. INVALID_ARGUMENT for a bad pattern or a route taken. */
  herald_status (*http_route_add)(void* ctx, herald_str method, herald_str pattern,
                                  herald_http_handler_fn handler, void* handler_ctx,
                                  const herald_string_sink* error);
  /* Answers one turn with the agent's live version. NOT_FOUND when the agent
   * is not live on this channel (or the conversation is unknown to it),
   * INVALID_ARGUMENT for an empty or oversized message, PERMISSION_DENIED
   * when a tool needs the user's own credentials and there are none,
   * UNAVAILABLE when the model provider fails. The error message is fit to
   * show the user. */
  herald_status (*run_turn)(void* ctx, const herald_turn_request* request,
                            const herald_turn_events* events, const herald_string_sink* error);
  /* The plugin's own persistent key-value store (a namespace per plugin;
   * keys up to 512 bytes, values up to 1 MiB). A put is durable when it
   * returns. kv_get gives NOT_FOUND when absent. kv_list gives the pairs
   * whose key starts with `prefix`, in key order. */
  herald_status (*kv_get)(void* ctx, herald_str key, const herald_string_sink* value,
                          const herald_string_sink* error);
  herald_status (*kv_put)(void* ctx, herald_str key, herald_str value,
                          const herald_string_sink* error);
  herald_status (*kv_delete)(void* ctx, herald_str key, const herald_string_sink* error);
  herald_status (*kv_list)(void* ctx, herald_str prefix, const herald_kv_sink* out,
                           const herald_string_sink* error);
  /* The same for secrets (signing keys, tokens): sealed with the host's
   * master key at rest, never logged. */
  herald_status (*secret_get)(void* ctx, herald_str key, const herald_string_sink* value,
                              const herald_string_sink* error);
  herald_status (*secret_put)(void* ctx, herald_str key, herald_str value,
                              const herald_string_sink* error);
  herald_status (*secret_delete)(void* ctx, herald_str key, const herald_string_sink* error);
  /* Sends one HTTP(S) request and waits for the answer, reusing kept-alive
   * connections. PERMISSION_DENIED when the target address is on the
   * host's outbound deny list (by default link-local and cloud-metadata
   * ranges), TIMEOUT past the deadline, UNAVAILABLE when unreachable. */
  herald_status (*fetch)(void* ctx, const herald_fetch_request* request,
                         const herald_fetch_response_sink* response,
                         const herald_string_sink* error);
  /* Checks an identity provider's token (a JWT, as configured under sso.*)
   * and gives the Herald member it names. PERMISSION_DENIED when invalid,
   * expired, or naming no member. */
  herald_status (*verify_identity)(void* ctx, herald_str token, const herald_string_sink* user_id,
                                   const herald_string_sink* error);
  /* Applies `count` puts and deletes to the plugin's key-value store all at
   * once: every one or none, durable when it returns, in one commit (so a
   * plugin moving a record from one key to another pays one durable write,
   * not two). The same limits as kv_put apply to each. */
  herald_status (*kv_apply)(void* ctx, const herald_kv_op* ops, size_t count,
                            const herald_string_sink* error);
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

/* ABI 1.1: a deployment has ended. */
typedef enum herald_deployment_event_kind {
  /* A version went live: a deploy, a redeploy or a rollback. */
  HERALD_EVENT_AGENT_DEPLOYED = 1,
  /* The agent was undeployed. */
  HERALD_EVENT_AGENT_UNDEPLOYED = 2,
  /* A deploy or rollback failed; the live version stayed as it was. */
  HERALD_EVENT_DEPLOYMENT_FAILED = 3
} herald_deployment_event_kind;

typedef struct herald_deployment_event {
  size_t struct_size;
  herald_deployment_event_kind kind;
  herald_str agent_id;
  uint64_t version;          /* the version deployed or attempted; 0 on undeploy */
  uint64_t previous_version; /* the live version before; 0 when none */
  /* The whole event as JSON: agent, version, previous_version,
   * content_hash, time, author, comment, each channel's outcome, and the
   * snapshot's manifest. */
  herald_str event_json;
  /* This channel's settings for the agent (as publish received them). */
  herald_kv_list settings;
} herald_deployment_event;

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
  /* ---- ABI 1.1. May be NULL. Told of every deployment of an agent this
   * channel is configured for, once it has ended. Called inside the store
   * transaction that records the outcome, on the same thread: a kv_put or
   * secret_put made here commits or rolls back with the deployment itself
   * (a durable outbox). So it must only record, never send or block. */
  void (*deployment_event)(void* instance, const herald_deployment_event* event);
  /* ---- ABI 1.2. The names of declared settings whose values are secret (a
   * bot token, say); each must name a declared string setting, or the host
   * refuses the plugin. The host seals a secret setting's value with its
   * master key, keeps only a reference in the agent's draft and versions,
   * and never shows, logs or exports the value: API answers show
   * {"$secret":"set"}. The value reaches the plugin only in the `settings`
   * of validate, publish and deployment_event; publish's snapshot_json
   * carries the masked form. (herald_setting_spec, an array element without
   * struct_size, cannot grow: hence this list beside it.) Read by the host
   * only when struct_size covers it: a 1.0 or 1.1 plugin has no secret
   * setting. */
  const herald_str* secret_settings;
  size_t secret_settings_count;
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
