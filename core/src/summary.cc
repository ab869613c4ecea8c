#include "herald/core/summary.h"

#include <map>
#include <string_view>

#include "herald/core/channel_settings.h"

namespace herald {
namespace {

void Block(Summary& s, std::string code, std::string section, std::string message,
           std::string fix) {
  s.blockers.push_back(
      Blocker{std::move(code), std::move(section), std::move(message), std::move(fix)});
}

std::string Join(const std::set<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

StatusOr<Summary> SummaryBuilder::Build(const AgentDraft& draft,
                                        std::map<std::string, ToolView>* tools_read,
                                        SummaryDetail detail) {
  std::map<std::string, ConnectionState> states;  // of the connections the tools use
  StatusOr<std::map<std::string, ToolView>> found = tools_.GetMany(draft.tools, &states);
  if (!found.ok()) return found.status();
  StatusOr<Summary> summary = Summarize(draft, *found, states, detail);
  if (summary.ok() && tools_read != nullptr) *tools_read = std::move(found).value();
  return summary;
}

StatusOr<Summary> SummaryBuilder::Build(const AgentDraft& draft, std::vector<Tool> draft_tools,
                                        std::map<std::string, ToolView>* tools_read,
                                        SummaryDetail detail) {
  std::map<std::string, ConnectionState> states;
  StatusOr<std::map<std::string, ToolView>> found = tools_.ViewsOf(std::move(draft_tools), &states);
  if (!found.ok()) return found.status();
  StatusOr<Summary> summary = Summarize(draft, *found, states, detail);
  if (summary.ok() && tools_read != nullptr) *tools_read = std::move(found).value();
  return summary;
}

StatusOr<Summary> SummaryBuilder::Summarize(const AgentDraft& draft,
                                            const std::map<std::string, ToolView>& found,
                                            const std::map<std::string, ConnectionState>& states,
                                            SummaryDetail detail) {
  Summary s;
  // Whether to write the lines: every line's text is built only inside an
  // `if (lines)`, the blockers always.
  const bool lines = detail == SummaryDetail::kFull;
  if (lines) s.sections.reserve(7);
  const std::string& id = draft.id;

  // Profile.
  SummarySection profile{"profile", {}};
  if (lines) {
    profile.lines.reserve(4);
    profile.lines.push_back({"name", !draft.name.empty(), draft.name});
    profile.lines.push_back({"description", !draft.description.empty(), draft.description});
  }
  if (draft.name.empty()) {
    Block(s, "profile.name_missing", "profile", "the agent has no name",
          "herald agents set " + id + " --name NAME");
  }
  if (draft.description.empty()) {
    Block(s, "profile.description_missing", "profile", "the agent has no description",
          "herald agents set " + id + " --description TEXT: say what the agent does");
  }
  std::set<std::string> asked;  // a catalog that is not fixed, asked once
  if (!fixed_models_) asked = models_();
  const std::set<std::string>& models = fixed_models_ ? *fixed_models_ : asked;
  const bool model_ok = models.count(draft.model) > 0;
  if (lines) {
    profile.lines.push_back({"model", model_ok, draft.model.empty() ? "(none)" : draft.model});
    const VoiceSettings& v = draft.voice;
    profile.lines.push_back(
        {"voice", true,
         v.voice.empty() ? "(none)"
                         : v.voice + " " + v.language + " at " + std::to_string(v.speaking_rate)});
    s.sections.push_back(std::move(profile));
  }
  if (!model_ok) {
    Block(s, "profile.model_unsupported", "profile",
          draft.model.empty() ? "no model is selected"
                              : "model '" + draft.model + "' is not in the supported-model catalog",
          "herald agents set " + id + " --model M, with M one of: " + Join(models));
  }

  // Knowledge: never a blocker.
  if (lines) {
    SummarySection knowledge{"knowledge", {}};
    knowledge.lines.reserve(draft.knowledge.size());
    for (const KnowledgeFile& f : draft.knowledge) {
      knowledge.lines.push_back(
          {f.name, true, std::to_string(f.size) + " bytes, sha256 " + f.sha256});
    }
    s.sections.push_back(std::move(knowledge));
  }

  // Tools, and the connections they use.
  SummarySection tools{"tools", {}};
  if (lines) tools.lines.reserve(draft.tools.size());
  // Connection (viewing the tool's own id) -> the names of the tools using
  // it (pointing into draft.tools).
  std::map<std::string_view, std::vector<const std::string*>> used;
  for (const std::string& name : draft.tools) {
    auto tool = found.find(name);
    if (tool == found.end()) {
      if (lines) tools.lines.push_back({name, false, "the tool no longer exists"});
      Block(s, "tools.missing", "tools", "tool '" + name + "' no longer exists",
            "herald agents remove-tool " + id + " " + name + ", or import it again");
      continue;
    }
    const ToolView& view = tool->second;
    const std::string& connection = view.tool.connection_id;
    if (connection.empty()) {
      if (lines) tools.lines.push_back({name, false, "no connection"});
      Block(s, "tools.no_connection", "tools", "tool '" + name + "' has no connection",
            "herald tools bind " + name + " CONNECTION");
      continue;
    }
    used[connection].push_back(&name);
    const bool match = view.match && view.match->satisfied;
    if (lines) {
      tools.lines.push_back({name, match,
                             "connection " + connection + ": " +
                                 (view.match ? view.match->explanation : std::string())});
    }
    if (!match) {
      Block(s, "tools.connection_mismatch", "tools",
            "tool '" + name + "': connection '" + connection + "' does not satisfy its security",
            "bind a connection whose auth type meets the tool's security schemes "
            "(herald tools show " +
                name + ")");
    }
  }
  if (lines) s.sections.push_back(std::move(tools));

  // Collaborators and behaviour: never a blocker.
  if (lines) {
    SummarySection collaborators{"collaborators", {}};
    collaborators.lines.reserve(draft.collaborators.size());
    for (const Collaborator& c : draft.collaborators) {
      collaborators.lines.push_back({c.user, true, std::string(CollaboratorRoleName(c.role))});
    }
    s.sections.push_back(std::move(collaborators));

    SummarySection behaviour{"behaviour", {}};
    behaviour.lines.reserve(3);
    const Behaviour& b = draft.behaviour;
    behaviour.lines.push_back({"guidelines", true, b.guidelines.empty() ? "(none)" : b.guidelines});
    behaviour.lines.push_back(
        {"welcome message", true, b.welcome_message.empty() ? "(none)" : b.welcome_message});
    behaviour.lines.push_back({"starter prompts", true, std::to_string(b.starter_prompts.size())});
    s.sections.push_back(std::move(behaviour));
  }

  // Connections: the seed's table, for the connections the tools use.
  SummarySection connections{"connections", {}};
  if (lines) connections.lines.reserve(used.size());
  for (const auto& [connection_id, tool_names] : used) {
    const std::string connection(connection_id);
    // GetMany read every connection a tool is bound to or failed (a tool's
    // connection cannot be removed), so this guards against a change of
    // that contract, keeping the blocker the API documents.
    auto state = states.find(connection);
    if (state == states.end()) {
      if (lines) {
        connections.lines.push_back(
            {connection, false, "connection '" + connection + "' does not exist"});
      }
      Block(s, "connections.missing", "connections",
            "connection '" + connection + "' does not exist",
            "herald connections add " + connection);
      continue;
    }
    const Connection& c = state->second.connection;
    const LiveReadiness live = connections_.Readiness(state->second);
    const std::string status = c.live ? c.live_status.status : std::string("not_configured");
    const bool test_ok = status == "ok" || status == "untested";
    if (lines) {
      const std::string server =
          c.live ? c.live->server_url : std::string("(no live configuration)");
      std::string tools_text;
      for (const std::string* t : tool_names) {
        if (!tools_text.empty()) tools_text += ", ";
        tools_text += *t;
      }
      connections.lines.push_back(
          {connection, live.complete && test_ok,
           "server " + server + "; tools " + tools_text + "; live " +
               (live.complete ? "yes" : "no (" + live.reason + ")") + "; status " + status +
               (c.live_status.detail.empty() ? "" : " (" + c.live_status.detail + ")")});
    }
    if (!live.complete) {
      Block(s, "connections.not_live", "connections",
            "connection '" + connection + "' has no complete live configuration: " + live.reason,
            "herald connections copy-to-live " + connection +
                ", then herald connections "
                "set-credentials " +
                connection + " --env live --team --field ...");
    }
    if (!test_ok) {
      Block(s, "connections.test_failed", "connections",
            "connection '" + connection + "' failed its last live test: " + status +
                (c.live_status.detail.empty() ? "" : " (" + c.live_status.detail + ")"),
            "fix the server or credentials, then herald connections test " + connection +
                " --env live");
    }
  }
  if (lines) s.sections.push_back(std::move(connections));

  // Channels.
  SummarySection channels{"channels", {}};
  if (lines) channels.lines.reserve(draft.channels.size());
  for (const ChannelBinding& ch : draft.channels) {
    const LoadedPlugin* plugin = plugins_.Find(ch.plugin, PluginKind::kChannel);
    if (plugin == nullptr) {
      if (lines) {
        channels.lines.push_back({ch.name, false, "plugin '" + ch.plugin + "' is not loaded"});
      }
      Block(s, "channels.plugin_not_loaded", "channels",
            "channel '" + ch.name + "': channel plugin '" + ch.plugin + "' is not loaded",
            "install the plugin in a --plugin-dir (herald plugins lists what is loaded and "
            "refused), or remove the channel");
      continue;
    }
    std::vector<sdk::Problem> problems = ValidateChannelSettings(
        *plugin, ch.settings_json,
        secrets_ != nullptr ? secrets_->OpenerFor(draft.id, ch.name) : SecretOpener{});
    if (lines) {
      channels.lines.push_back(
          {ch.name, problems.empty(),
           "plugin " + ch.plugin + (problems.empty() ? "" : ": " + JoinProblems(problems))});
    }
    if (!problems.empty()) {
      Block(s, "channels.invalid_settings", "channels",
            "channel '" + ch.name + "': " + JoinProblems(problems),
            "herald agents set-channel " + id + " " + ch.name + " with corrected settings");
    }
  }
  if (draft.channels.empty()) {
    Block(s, "channels.none", "channels", "the agent has no channel",
          "herald agents set-channel " + id + " NAME --plugin PLUGIN");
  }
  if (lines) s.sections.push_back(std::move(channels));
  return s;
}

}  // namespace herald
