#include "api/deploy_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <functional>
#include <optional>
#include <sstream>
#include <string_view>

#include "api/json_body.h"
#include "herald/core/secret_settings.h"
#include "herald/core/snapshot_diff.h"

namespace herald::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr ChannelOutcomeJson(const ChannelOutcome& c) {
  Object::Ptr ch = new Object;
  ch->set("channel", c.channel);
  ch->set("plugin", c.plugin);
  ch->set("outcome", c.outcome);
  ch->set("message", c.message);
  ch->set("latency_ms", c.latency_ms);
  return ch;
}

Object::Ptr DeploymentJson(const Deployment& d) {
  Object::Ptr o = new Object;
  o->set("id", d.id);
  o->set("kind", d.kind);
  o->set("version", d.version ? Poco::Dynamic::Var(*d.version) : Poco::Dynamic::Var());
  o->set("previous_version",
         d.previous_version ? Poco::Dynamic::Var(*d.previous_version) : Poco::Dynamic::Var());
  o->set("state", d.state);
  o->set("partial", d.partial);
  o->set("author", d.author);
  o->set("comment", d.comment);
  o->set("started_at", d.started_at);
  o->set("finished_at", d.finished_at);
  Array::Ptr channels = new Array;
  for (const auto& c : d.channels) channels->add(ChannelOutcomeJson(c));
  o->set("channels", channels);
  return o;
}

Object::Ptr SummaryJson(const Summary& s) {
  Object::Ptr o = new Object;
  Array::Ptr sections = new Array;
  for (const auto& section : s.sections) {
    Object::Ptr so = new Object;
    so->set("name", section.name);
    Array::Ptr lines = new Array;
    for (const auto& l : section.lines) {
      Object::Ptr lo = new Object;
      lo->set("label", l.label);
      lo->set("ok", l.ok);
      lo->set("detail", l.detail);
      lines->add(lo);
    }
    so->set("lines", lines);
    sections->add(so);
  }
  o->set("sections", sections);
  Array::Ptr blockers = new Array;
  for (const auto& b : s.blockers) {
    Object::Ptr bo = new Object;
    bo->set("code", b.code);
    bo->set("section", b.section);
    bo->set("message", b.message);
    bo->set("fix", b.fix);
    blockers->add(bo);
  }
  o->set("blockers", blockers);
  o->set("deployable", s.deployable());
  return o;
}

// The live state with each channel's own report of what it serves.
StatusOr<Object::Ptr> LiveJson(const ApiServices& services, const std::string& agent_id) {
  StatusOr<LiveState> live = services.store.deployments().GetLiveState(agent_id);
  if (!live.ok()) return live.status();
  Object::Ptr o = new Object;
  o->set("version",
         live->live_version ? Poco::Dynamic::Var(*live->live_version) : Poco::Dynamic::Var());
  o->set("deployed_at", live->deployed_at);
  Array::Ptr channels = new Array;
  for (const auto& c : live->channels) {
    Object::Ptr co = new Object;
    co->set("channel", c.channel);
    co->set("plugin", c.plugin);
    co->set("version", c.version);
    if (const LoadedPlugin* plugin = services.plugins.Find(c.plugin, PluginKind::kChannel)) {
      herald_channel_state state;
      std::string detail;
      sdk::CallResult r = plugin->channel().Status(agent_id, &state, &detail);
      co->set("status", !r.ok()                             ? std::string("error")
                        : state == HERALD_CHANNEL_PUBLISHED ? std::string("published")
                        : state == HERALD_CHANNEL_DEGRADED  ? std::string("degraded")
                                                            : std::string("not_published"));
      co->set("status_detail", r.ok() ? detail : r.error);
    } else {
      co->set("status", std::string("plugin_not_loaded"));
    }
    channels->add(co);
  }
  o->set("channels", channels);
  return o;
}

// Reads the agent and checks that `user` may read it, or with `write` deploy
// it (AgentService owns the rule).
Status CheckAccess(const ApiServices& services, const std::string& agent_id, const User& user,
                   bool write, AgentDraft* draft_out = nullptr) {
  StatusOr<AgentDraft> draft = services.store.agents().GetAgent(agent_id);
  if (!draft.ok()) return draft.status();
  if (draft_out != nullptr) *draft_out = *draft;
  return AgentService::CheckAccess(*draft, user, write ? AgentAccess::kEdit : AgentAccess::kRead);
}

HttpResponse SummaryResponse(const ApiServices& services, HttpRequest& r, const User& user) {
  // The draft's tools are read with it, as a deploy reads them, rather than
  // read again by name for the summary.
  std::vector<Tool> tools;
  StatusOr<AgentDraft> draft = services.store.agents().GetAgentWithTools(r.Param("id"), &tools);
  if (!draft.ok()) return HttpResponse::Error(draft.status());
  if (Status s = AgentService::CheckAccess(*draft, user, AgentAccess::kRead); !s.ok()) {
    return HttpResponse::Error(s);
  }
  StatusOr<Summary> summary =
      services.summaries.Build(*draft, std::move(tools), nullptr, SummaryDetail::kFull);
  if (!summary.ok()) return HttpResponse::Error(summary.status());
  Object::Ptr out = SummaryJson(*summary);
  out->set("agent", draft->id);
  out->set("draft_revision", draft->revision);
  StatusOr<Object::Ptr> live = LiveJson(services, draft->id);
  if (!live.ok()) return HttpResponse::Error(live.status());
  out->set("live", *live);
  StatusOr<std::optional<Deployment>> last = services.store.deployments().LastDeployment(draft->id);
  if (!last.ok()) return HttpResponse::Error(last.status());
  if (*last) out->set("last_deployment", DeploymentJson(**last));
  return HttpResponse::Json(200, out);
}

HttpResponse DeploymentResponse(const StatusOr<Deployment>& d, int success_status) {
  if (!d.ok()) return HttpResponse::Error(d.status());
  Object::Ptr out = new Object;
  out->set("deployment", DeploymentJson(*d));
  if (d->state == "failed") {
    HttpResponse r = HttpResponse::Error(502, "deploy_failed",
                                         "a channel failed; the live version is unchanged");
    Object::Ptr body = Poco::JSON::Parser().parse(r.body).extract<Object::Ptr>();
    body->set("deployment", DeploymentJson(*d));
    return HttpResponse::Json(502, body);
  }
  return HttpResponse::Json(success_status, out);
}

// Whether the client asked for server-sent events.
bool WantsEventStream(const HttpRequest& r) {
  std::optional<std::string> accept = r.Header("accept");
  return accept && accept->find("text/event-stream") != std::string::npos;
}

std::string SseEvent(std::string_view name, const Object::Ptr& data) {
  std::ostringstream out;
  out << "event: " << name << "\ndata: ";
  Poco::JSON::Stringifier::condense(data, out);
  out << "\n\n";
  return out.str();
}

// Runs a deploy, rollback or undeploy and answers what it returns.
using DeploymentRun = std::function<HttpResponse(const DeployProgress& progress)>;

// With `stream`, the answer is server-sent events: "channel" with each
// channel's outcome as it arrives, then "deployment" with the body the plain
// call would answer plus its "status". Status and headers are sent with the
// first event, so a refusal before any channel was called (blockers, not
// found, not live: an error without a deployment) is still a plain JSON
// answer. The run goes on to the end when the client leaves: events are
// then dropped, never the deployment.
HttpResponse AnswerDeployment(bool stream, DeploymentRun run) {
  if (!stream) return run({});
  return HttpResponse::Stream([run = std::move(run)](http::ResponseWriter& w) {
    bool gone = false;
    auto begin_stream = [&w] {
      if (w.committed()) return;
      w.SetStatus(200);
      w.AddHeader("Content-Type", "text/event-stream");
      w.AddHeader("Cache-Control", "no-cache");
    };
    HttpResponse answer = run([&](const ChannelOutcome& outcome) {
      if (gone) return;
      begin_stream();
      w.Write(SseEvent("channel", ChannelOutcomeJson(outcome)));
      gone = !w.Flush();
    });
    Object::Ptr body;
    try {
      body = Poco::JSON::Parser().parse(answer.body).extract<Object::Ptr>();
    } catch (const Poco::Exception&) {
      body = nullptr;
    }
    const bool has_deployment = !body.isNull() && body->has("deployment");
    if (!w.committed() && (body.isNull() || (answer.status >= 400 && !has_deployment))) {
      w.SetStatus(answer.status);
      w.AddHeader("Content-Type", answer.content_type);
      for (const auto& [name, value] : answer.headers) w.AddHeader(name, value);
      w.Write(answer.body);
      return;
    }
    if (gone || body.isNull()) return;
    begin_stream();
    body->set("status", answer.status);
    w.Write(SseEvent("deployment", body));
    w.Flush();
  });
}

HttpResponse Deploy(const ApiServices& services, HttpRequest& r, const User& user) {
  if (Status s = CheckAccess(services, r.Param("id"), user, true); !s.ok()) {
    return HttpResponse::Error(s);
  }
  StatusOr<Object::Ptr> body = ParseObject(r);
  if (!body.ok()) return HttpResponse::Error(body.status());
  if (Status s = RejectUnknownFields(**body, {"comment", "partial"}); !s.ok()) {
    return HttpResponse::Error(s);
  }
  StatusOr<std::optional<std::string>> comment = GetString(**body, "comment");
  if (!comment.ok()) return HttpResponse::Error(comment.status());
  StatusOr<std::optional<bool>> partial = GetBool(**body, "partial");
  if (!partial.ok()) return HttpResponse::Error(partial.status());
  return AnswerDeployment(WantsEventStream(r), [&services, id = r.Param("id"), user,
                                                comment = comment->value_or(""),
                                                partial = partial->value_or(false)](
                                                   const DeployProgress& progress) {
    DeployRefusal refusal;
    StatusOr<Deployment> d =
        services.deploys.Deploy(id, user, comment, partial, &refusal, progress);
    if (!d.ok() && d.status().code() == StatusCode::kFailedPrecondition &&
        !refusal.summary.blockers.empty()) {
      Object::Ptr out =
          Poco::JSON::Parser().parse(HttpResponse::Error(d.status()).body).extract<Object::Ptr>();
      out->set("blockers", SummaryJson(refusal.summary)->getArray("blockers"));
      return HttpResponse::Json(422, out);
    }
    return DeploymentResponse(d, 201);
  });
}

HttpResponse Rollback(const ApiServices& services, HttpRequest& r, const User& user) {
  if (Status s = CheckAccess(services, r.Param("id"), user, true); !s.ok()) {
    return HttpResponse::Error(s);
  }
  StatusOr<Object::Ptr> body = ParseObject(r);
  if (!body.ok()) return HttpResponse::Error(body.status());
  if (Status s = RejectUnknownFields(**body, {"version", "comment"}); !s.ok()) {
    return HttpResponse::Error(s);
  }
  StatusOr<std::optional<int64_t>> version = GetInt(**body, "version");
  if (!version.ok()) return HttpResponse::Error(version.status());
  if (!*version) return HttpResponse::Error(Status::InvalidArgument("version: required"));
  StatusOr<std::optional<std::string>> comment = GetString(**body, "comment");
  if (!comment.ok()) return HttpResponse::Error(comment.status());
  return AnswerDeployment(
      WantsEventStream(r), [&services, id = r.Param("id"), to = **version, user,
                            comment = comment->value_or("")](const DeployProgress& progress) {
        return DeploymentResponse(services.deploys.Rollback(id, to, user, comment, progress), 201);
      });
}

HttpResponse Undeploy(const ApiServices& services, HttpRequest& r, const User& user) {
  if (Status s = CheckAccess(services, r.Param("id"), user, true); !s.ok()) {
    return HttpResponse::Error(s);
  }
  return AnswerDeployment(
      WantsEventStream(r), [&services, id = r.Param("id"), user](const DeployProgress& progress) {
        return DeploymentResponse(services.deploys.Undeploy(id, user, progress), 200);
      });
}

HttpResponse Versions(const ApiServices& services, HttpRequest& r, const User& user) {
  if (Status s = CheckAccess(services, r.Param("id"), user, false); !s.ok()) {
    return HttpResponse::Error(s);
  }
  StatusOr<std::vector<AgentVersion>> versions =
      services.store.deployments().ListVersions(r.Param("id"));
  if (!versions.ok()) return HttpResponse::Error(versions.status());
  StatusOr<LiveState> live = services.store.deployments().GetLiveState(r.Param("id"));
  if (!live.ok()) return HttpResponse::Error(live.status());
  Array::Ptr list = new Array;
  for (const auto& v : *versions) {
    Object::Ptr o = new Object;
    o->set("version", v.version);
    o->set("draft_revision", v.draft_revision);
    o->set("content_hash", v.content_hash);
    o->set("author", v.author);
    o->set("comment", v.comment);
    o->set("created_at", v.created_at);
    o->set("live", live->live_version && *live->live_version == v.version);
    list->add(o);
  }
  Object::Ptr out = new Object;
  out->set("versions", list);
  return HttpResponse::Json(200, out);
}

HttpResponse Version(const ApiServices& services, HttpRequest& r, const User& user) {
  if (Status s = CheckAccess(services, r.Param("id"), user, false); !s.ok()) {
    return HttpResponse::Error(s);
  }
  int64_t n = 0;
  try {
    n = std::stoll(r.Param("n"));
  } catch (...) {
    return HttpResponse::Error(Status::InvalidArgument("version: expected a number"));
  }
  StatusOr<AgentVersion> v = services.store.deployments().GetVersion(r.Param("id"), n);
  if (!v.ok()) return HttpResponse::Error(v.status());
  Object::Ptr o = new Object;
  o->set("version", v->version);
  o->set("draft_revision", v->draft_revision);
  o->set("content_hash", v->content_hash);
  o->set("author", v->author);
  o->set("comment", v->comment);
  o->set("created_at", v->created_at);
  o->set("snapshot", Poco::JSON::Parser().parse(MaskSnapshotJson(v->snapshot_json)));
  Object::Ptr out = new Object;
  out->set("version", o);
  return HttpResponse::Json(200, out);
}

// "draft", "live" or a version number, as snapshot JSON.
StatusOr<std::string> SnapshotOf(const ApiServices& services, const AgentDraft& draft,
                                 const std::string& which) {
  if (which == "draft") {
    StatusOr<std::pair<std::string, std::string>> s = services.deploys.Snapshot(draft);
    if (!s.ok()) return s.status();
    return s->first;
  }
  int64_t n = 0;
  if (which == "live") {
    StatusOr<LiveState> live = services.store.deployments().GetLiveState(draft.id);
    if (!live.ok()) return live.status();
    if (!live->live_version) {
      return Status::FailedPrecondition("agent '" + draft.id + "' is not live");
    }
    n = *live->live_version;
  } else {
    try {
      n = std::stoll(which);
    } catch (...) {
      return Status::InvalidArgument("from/to: expected draft, live or a version number");
    }
  }
  StatusOr<AgentVersion> v = services.store.deployments().GetVersion(draft.id, n);
  if (!v.ok()) return v.status();
  return v->snapshot_json;
}

HttpResponse Diff(const ApiServices& services, HttpRequest& r, const User& user) {
  AgentDraft draft;
  if (Status s = CheckAccess(services, r.Param("id"), user, false, &draft); !s.ok()) {
    return HttpResponse::Error(s);
  }
  const std::string from = r.QueryParam("from").value_or("live");
  const std::string to = r.QueryParam("to").value_or("draft");
  StatusOr<std::string> a = SnapshotOf(services, draft, from);
  if (!a.ok()) return HttpResponse::Error(a.status().WithContext("from"));
  StatusOr<std::string> b = SnapshotOf(services, draft, to);
  if (!b.ok()) return HttpResponse::Error(b.status().WithContext("to"));
  Array::Ptr changes = new Array;
  for (const auto& c : DiffSnapshots(*a, *b)) {
    Object::Ptr o = new Object;
    o->set("path", c.path);
    o->set("from", c.from ? Poco::Dynamic::Var(*c.from) : Poco::Dynamic::Var());
    o->set("to", c.to ? Poco::Dynamic::Var(*c.to) : Poco::Dynamic::Var());
    changes->add(o);
  }
  Object::Ptr out = new Object;
  out->set("from", from);
  out->set("to", to);
  out->set("changes", changes);
  return HttpResponse::Json(200, out);
}

HttpResponse Deployments(const ApiServices& services, HttpRequest& r, const User& user) {
  if (Status s = CheckAccess(services, r.Param("id"), user, false); !s.ok()) {
    return HttpResponse::Error(s);
  }
  StatusOr<std::vector<Deployment>> list =
      services.store.deployments().ListDeployments(r.Param("id"));
  if (!list.ok()) return HttpResponse::Error(list.status());
  Array::Ptr out_list = new Array;
  for (const auto& d : *list) out_list->add(DeploymentJson(d));
  Object::Ptr out = new Object;
  out->set("deployments", out_list);
  return HttpResponse::Json(200, out);
}

HttpResponse Search(const ApiServices& services, HttpRequest& r) {
  StatusOr<std::vector<LiveSearchHit>> hits =
      services.store.deployments().SearchLive(r.QueryParam("q").value_or(""));
  if (!hits.ok()) return HttpResponse::Error(hits.status());
  Array::Ptr list = new Array;
  for (const auto& h : *hits) {
    Object::Ptr o = new Object;
    o->set("id", h.agent_id);
    o->set("name", h.name);
    o->set("description", h.description);
    o->set("version", h.version);
    o->set("deployed_at", h.deployed_at);
    list->add(o);
  }
  Object::Ptr out = new Object;
  out->set("agents", list);
  return HttpResponse::Json(200, out);
}

}  // namespace

void AddDeployRoutes(http::Router& router, const ApiServices& services) {
  const auth::Authenticator& auth = services.authenticator;
  auto member = [&](auto fn) {
    return auth.Require(Role::kMember, [&services, fn](HttpRequest& r, const User& u) {
      return fn(services, r, u);
    });
  };
  router.Add("GET", "/v1/agents/{id}/summary", member(SummaryResponse));
  router.Add("POST", "/v1/agents/{id}/deployments", member(Deploy));
  router.Add("GET", "/v1/agents/{id}/deployments", member(Deployments));
  router.Add("POST", "/v1/agents/{id}/rollback", member(Rollback));
  router.Add("POST", "/v1/agents/{id}/undeploy", member(Undeploy));
  router.Add("GET", "/v1/agents/{id}/versions", member(Versions));
  router.Add("GET", "/v1/agents/{id}/versions/{n}", member(Version));
  router.Add("GET", "/v1/agents/{id}/diff", member(Diff));
  router.Add("GET", "/v1/live/agents",
             auth.Require(Role::kMember, [&services](HttpRequest& r, const User&) {
               return Search(services, r);
             }));
}

}  // namespace herald::api
