// SqliteStore's AgentStore: drafts, their lists, knowledge blobs by sha256,
// and the audit trail.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <sstream>

#include "herald/core/sqlite_store.h"
#include "store/sqlite_cached_reads.h"
#include "store/sqlite_statement.h"
#include "store/sqlite_tool_row.h"

namespace herald {
namespace {

constexpr char kNow[] = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

Status AgentNotFound(const std::string& id) {
  return Status::NotFound("agent '" + id + "' does not exist");
}

std::string PromptsToJson(const std::vector<std::string>& prompts) {
  Poco::JSON::Array array;
  for (const auto& p : prompts) array.add(p);
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(array, out);
  return out.str();
}

std::vector<std::string> PromptsFromJson(const std::string& json) {
  std::vector<std::string> out;
  // A parser per thread: making one costs more than parsing a draft's few
  // prompts (every GetAgent, so every deploy, reads them). Reset before use
  // (a failed parse leaves it midway) and after (not to keep the prompts).
  thread_local Poco::JSON::Parser parser;
  try {
    parser.reset();
    Poco::JSON::Array::Ptr array =
        parser.parse(json.empty() ? "[]" : json).extract<Poco::JSON::Array::Ptr>();
    for (size_t i = 0; i < array->size(); ++i) out.push_back(array->getElement<std::string>(i));
  } catch (const Poco::Exception&) {
  }
  parser.reset();
  return out;
}

// Doubles go in and out as text: the shortest form that reads back exactly,
// and SQLite's 17 significant digits.
std::string RateText(double rate) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), rate);
  return ec == std::errc() ? std::string(buf, end) : "1";
}

double RateFromText(const std::string& text) {
  double out = 1.0;
  std::from_chars(text.data(), text.data() + text.size(), out);
  return out;
}

constexpr char kSelectAgent[] =
    "SELECT id, name, description, model, voice, language, printf('%.17g', speaking_rate), "
    "instructions, guidelines, welcome_message, starter_prompts, revision, live_version, "
    "created_at, updated_at, updated_by FROM agents WHERE id = ?";

AgentDraft ReadAgentRow(const store::SqliteStatement& stmt) {
  AgentDraft d;
  d.id = stmt.Text(0);
  d.name = stmt.Text(1);
  d.description = stmt.Text(2);
  d.model = stmt.Text(3);
  d.voice.voice = stmt.Text(4);
  d.voice.language = stmt.Text(5);
  d.voice.speaking_rate = RateFromText(stmt.Text(6));
  d.instructions = stmt.Text(7);
  d.behaviour.guidelines = stmt.Text(8);
  d.behaviour.welcome_message = stmt.Text(9);
  d.behaviour.starter_prompts = PromptsFromJson(stmt.Text(10));
  d.revision = stmt.Int(11);
  if (!stmt.IsNull(12)) d.live_version = stmt.Int(12);
  d.created_at = stmt.Text(13);
  d.updated_at = stmt.Text(14);
  d.updated_by = stmt.Text(15);
  return d;
}

}  // namespace

Status SqliteStore::CreateAgent(const AgentDraft& d) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement insert(
      *statements_,
      "INSERT INTO agents (id, name, description, model, voice, language, speaking_rate, "
      "instructions, guidelines, welcome_message, starter_prompts, revision, updated_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)");
  Status s = insert
                 .Bind(d.id, d.name, d.description, d.model, d.voice.voice, d.voice.language,
                       RateText(d.voice.speaking_rate), d.instructions, d.behaviour.guidelines,
                       d.behaviour.welcome_message, PromptsToJson(d.behaviour.starter_prompts),
                       d.updated_by)
                 .Run();
  if (s.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("id: an agent '" + d.id + "' already exists");
  }
  return s;
}

StatusOr<AgentDraft> SqliteStore::GetAgent(const std::string& id) {
  return ReadAgent(id, nullptr, nullptr);
}

StatusOr<AgentDraft> SqliteStore::GetAgentWithTools(const std::string& id, std::vector<Tool>* tools,
                                                    int64_t* generation) {
  return ReadAgent(id, tools, generation);
}

StatusOr<std::shared_ptr<const DraftWithTools>> SqliteStore::GetSharedAgentWithTools(
    const std::string& id, int64_t* generation) {
  std::optional<int64_t> live_version;
  return KeptAgent(id, &live_version, generation);
}

StatusOr<AgentDraft> SqliteStore::ReadAgent(const std::string& id, std::vector<Tool>* tools,
                                            int64_t* generation) {
  std::optional<int64_t> live_version;
  StatusOr<std::shared_ptr<const DraftWithTools>> kept = KeptAgent(id, &live_version, generation);
  if (!kept.ok()) return kept.status();
  AgentDraft d = (*kept)->draft;
  d.live_version = live_version;
  if (tools != nullptr) *tools = (*kept)->tools;
  return d;
}

StatusOr<std::shared_ptr<const DraftWithTools>> SqliteStore::KeptAgent(
    const std::string& id, std::optional<int64_t>* live_version, int64_t* generation) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::ReadTransaction read(*statements_);
  // The generation first, so that the rows read after it are of that
  // generation; with the agent's live version, which deploys write without
  // moving the generation and so is no part of a kept draft.
  int64_t at = 0;
  {
    store::SqliteStatement head(
        *statements_,
        "SELECT (SELECT value FROM content_generation), live_version FROM agents WHERE id = ?");
    head.BindUncopied(id);
    if (!head.Step()) return head.ok() ? AgentNotFound(id) : head.status();
    at = head.Int(0);
    if (!head.IsNull(1)) *live_version = head.Int(1);
  }
  const bool committed = store::GenerationIsCommitted(db_);
  std::shared_ptr<const DraftWithTools> kept = drafts_->Find(id, at);
  if (kept == nullptr) {
    auto fresh = std::make_shared<DraftWithTools>();
    StatusOr<AgentDraft> d = ReadAgentRows(id, &fresh->tools);
    if (!d.ok()) return d.status();
    fresh->draft = std::move(d).value();
    fresh->draft.live_version.reset();
    kept = std::move(fresh);
    if (committed && read.atomic()) drafts_->Put(id, at, kept);
  }
  if (generation != nullptr) *generation = committed ? at : 0;
  return kept;
}

StatusOr<AgentDraft> SqliteStore::ReadAgentRows(const std::string& id, std::vector<Tool>* tools) {
  AgentDraft d;
  {
    store::SqliteStatement stmt(*statements_, kSelectAgent);
    stmt.Bind(id);
    if (!stmt.Step()) return stmt.ok() ? AgentNotFound(id) : stmt.status();
    d = ReadAgentRow(stmt);
  }
  {
    store::SqliteStatement stmt(*statements_,
                                "SELECT name, sha256, size, content_type FROM agent_knowledge "
                                "WHERE agent_id = ? ORDER BY name");
    stmt.Bind(id);
    while (stmt.Step()) {
      d.knowledge.push_back(KnowledgeFile{stmt.Text(0), stmt.Text(1), stmt.Int(2), stmt.Text(3)});
    }
    if (!stmt.ok()) return stmt.status();
  }
  if (tools == nullptr) {
    store::SqliteStatement stmt(*statements_,
                                "SELECT tool FROM agent_tools WHERE agent_id = ? ORDER BY tool");
    stmt.Bind(id);
    while (stmt.Step()) d.tools.push_back(stmt.Text(0));
    if (!stmt.ok()) return stmt.status();
  } else {
    // The list and the definitions in one statement, so that they agree: a
    // name with no tool comes with NULLs (the LEFT JOIN; description is NOT
    // NULL in a tool's row) and no definition. Read apart, the names had to
    // go back to SQLite through json_each, which cost more than the join.
    // A tool's name is the list's (the join's equality), read once. The
    // text is made once.
    static const std::string* const sql =
        new std::string(std::string("SELECT agent_tools.tool, ") + store::kToolDefinitionColumns +
                        " FROM agent_tools LEFT JOIN tools ON tools.name = agent_tools.tool "
                        "WHERE agent_tools.agent_id = ? ORDER BY agent_tools.tool");
    store::SqliteStatement stmt(*statements_, *sql);
    stmt.Bind(id);
    tools->clear();
    // A draft has a few dozen tools at most: room for them spares moving
    // every Tool read so far at each growth of the vector.
    tools->reserve(32);
    while (stmt.Step()) {
      d.tools.push_back(stmt.Text(0));
      if (stmt.IsNull(1)) continue;
      Tool& tool = tools->emplace_back();
      tool.name = d.tools.back();
      store::ReadToolDefinition(stmt, 1, tool);
    }
    if (!stmt.ok()) return stmt.status();
  }
  {
    // Sorted here rather than by an ORDER BY, which would cost SQLite a
    // temporary b-tree for the few rows: user names are unique, and
    // std::string orders them as SQLite's BINARY collation does (memcmp).
    store::SqliteStatement stmt(*statements_,
                                "SELECT u.name, c.role FROM agent_collaborators c "
                                "JOIN users u ON u.id = c.user_id WHERE c.agent_id = ?");
    stmt.Bind(id);
    while (stmt.Step()) {
      d.collaborators.push_back(Collaborator{
          stmt.Text(0), ParseCollaboratorRole(stmt.Text(1)).value_or(CollaboratorRole::kViewer)});
    }
    if (!stmt.ok()) return stmt.status();
    std::sort(d.collaborators.begin(), d.collaborators.end(),
              [](const Collaborator& a, const Collaborator& b) { return a.user < b.user; });
  }
  {
    store::SqliteStatement stmt(*statements_,
                                "SELECT name, plugin, settings FROM agent_channels "
                                "WHERE agent_id = ? ORDER BY name");
    stmt.Bind(id);
    while (stmt.Step()) {
      d.channels.push_back(ChannelBinding{stmt.Text(0), stmt.Text(1), stmt.Text(2)});
    }
    if (!stmt.ok()) return stmt.status();
  }
  return d;
}

// From the tables, not through drafts_: a listing of every agent would
// push the drafts in use out of it.
StatusOr<std::vector<AgentDraft>> SqliteStore::ListAgents() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::ReadTransaction read(*statements_);
  std::vector<std::string> ids;
  {
    store::SqliteStatement stmt(*statements_, "SELECT id FROM agents ORDER BY id");
    while (stmt.Step()) ids.push_back(stmt.Text(0));
    if (!stmt.ok()) return stmt.status();
  }
  std::vector<AgentDraft> out;
  for (const auto& id : ids) {
    StatusOr<AgentDraft> d = ReadAgentRows(id, nullptr);
    if (!d.ok()) return d.status();
    out.push_back(std::move(d).value());
  }
  return out;
}

Status SqliteStore::UpdateAgentFields(const AgentDraft& d) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement update(
      *statements_,
      "UPDATE agents SET name = ?, description = ?, model = ?, voice = ?, language = ?, "
      "speaking_rate = ?, instructions = ?, guidelines = ?, welcome_message = ?, "
      "starter_prompts = ? WHERE id = ?");
  HERALD_RETURN_IF_ERROR(update
                             .Bind(d.name, d.description, d.model, d.voice.voice, d.voice.language,
                                   RateText(d.voice.speaking_rate), d.instructions,
                                   d.behaviour.guidelines, d.behaviour.welcome_message,
                                   PromptsToJson(d.behaviour.starter_prompts), d.id)
                             .Run());
  if (sqlite3_changes(db_) == 0) return AgentNotFound(d.id);
  return Status::Ok();
}

StatusOr<int64_t> SqliteStore::RecordAgentChange(const std::string& id, const std::string& user,
                                                 const std::string& summary) {
  StatusOr<int64_t> revision = Status::Internal("not recorded");
  Status s = Transaction([&]() -> Status {
    store::SqliteStatement bump(*statements_,
                                std::string("UPDATE agents SET revision = revision + 1, "
                                            "updated_by = ?, updated_at = ") +
                                    kNow + " WHERE id = ? RETURNING revision");
    bump.Bind(user, id);
    if (!bump.Step()) return bump.ok() ? AgentNotFound(id) : bump.status();
    revision = bump.Int(0);
    HERALD_RETURN_IF_ERROR(bump.Run());
    store::SqliteStatement audit(
        *statements_,
        "INSERT INTO agent_changes (agent_id, revision, user_name, summary) VALUES (?, ?, ?, ?)");
    return audit.Bind(id, *revision, user, summary).Run();
  });
  if (!s.ok()) return s;
  return revision;
}

StatusOr<std::vector<DraftChange>> SqliteStore::ListAgentChanges(const std::string& id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(*statements_,
                              "SELECT revision, user_name, at, summary FROM agent_changes "
                              "WHERE agent_id = ? ORDER BY revision");
  stmt.Bind(id);
  std::vector<DraftChange> out;
  while (stmt.Step()) {
    out.push_back(DraftChange{stmt.Int(0), stmt.Text(1), stmt.Text(2), stmt.Text(3)});
  }
  if (!stmt.ok()) return stmt.status();
  return out;
}

Status SqliteStore::DeleteAgent(const std::string& id) {
  return Transaction([&]() -> Status {
    std::set<std::string> blobs;
    {
      store::SqliteStatement stmt(*statements_,
                                  "SELECT sha256 FROM agent_knowledge WHERE agent_id = ?1 UNION "
                                  "SELECT sha256 FROM version_blobs WHERE agent_id = ?1");
      stmt.Bind(id);
      while (stmt.Step()) blobs.insert(stmt.Text(0));
      if (!stmt.ok()) return stmt.status();
    }
    store::SqliteStatement del(*statements_, "DELETE FROM agents WHERE id = ?");
    HERALD_RETURN_IF_ERROR(del.Bind(id).Run());
    if (sqlite3_changes(db_) == 0) return AgentNotFound(id);
    for (const auto& sha : blobs) HERALD_RETURN_IF_ERROR(DeleteBlobIfUnused(sha));
    return Status::Ok();
  });
}

// The one place that decides whether a blob is still used. Deploys add their
// own users of blobs (versions' knowledge): each must be checked here too,
// or a version's files would vanish with the last draft that had them.
Status SqliteStore::DeleteBlobIfUnused(const std::string& sha256) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement del(*statements_,
                             "DELETE FROM blobs WHERE sha256 = ?1 AND NOT EXISTS "
                             "(SELECT 1 FROM agent_knowledge WHERE sha256 = ?1) AND NOT EXISTS "
                             "(SELECT 1 FROM version_blobs WHERE sha256 = ?1)");
  return del.Bind(sha256).Run();
}

Status SqliteStore::PutKnowledge(const std::string& agent_id, const KnowledgeFile& file,
                                 std::string_view bytes) {
  return Transaction([&]() -> Status {
    std::optional<std::string> previous;
    {
      store::SqliteStatement stmt(
          *statements_, "SELECT sha256 FROM agent_knowledge WHERE agent_id = ? AND name = ?");
      stmt.Bind(agent_id, file.name);
      if (stmt.Step()) previous = stmt.Text(0);
      if (!stmt.ok()) return stmt.status();
    }
    // Same content, same bytes: nothing new is written when the blob exists.
    store::SqliteStatement blob(*statements_,
                                "INSERT INTO blobs (sha256, size, bytes) VALUES (?, ?, ?) "
                                "ON CONFLICT (sha256) DO NOTHING");
    HERALD_RETURN_IF_ERROR(
        blob.Bind(file.sha256, static_cast<int64_t>(bytes.size()), store::SqliteBlob{bytes}).Run());
    store::SqliteStatement put(
        *statements_,
        std::string("INSERT INTO agent_knowledge (agent_id, name, sha256, size, "
                    "content_type) VALUES (?, ?, ?, ?, ?) ON CONFLICT (agent_id, name) DO "
                    "UPDATE SET sha256 = excluded.sha256, size = excluded.size, "
                    "content_type = excluded.content_type, updated_at = ") +
            kNow);
    Status s = put.Bind(agent_id, file.name, file.sha256, file.size, file.content_type).Run();
    if (s.code() == StatusCode::kAlreadyExists) return AgentNotFound(agent_id);
    HERALD_RETURN_IF_ERROR(s);
    if (previous && *previous != file.sha256) return DeleteBlobIfUnused(*previous);
    return Status::Ok();
  });
}

Status SqliteStore::DeleteKnowledge(const std::string& agent_id, const std::string& name) {
  return Transaction([&]() -> Status {
    store::SqliteStatement del(
        *statements_,
        "DELETE FROM agent_knowledge WHERE agent_id = ? AND name = ? RETURNING sha256");
    del.Bind(agent_id, name);
    if (!del.Step()) {
      if (!del.ok()) return del.status();
      return Status::NotFound("agent '" + agent_id + "' has no knowledge file '" + name + "'");
    }
    const std::string sha = del.Text(0);
    HERALD_RETURN_IF_ERROR(del.Run());
    return DeleteBlobIfUnused(sha);
  });
}

StatusOr<std::string> SqliteStore::ReadBlob(const std::string& sha256) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(*statements_, "SELECT bytes FROM blobs WHERE sha256 = ?");
  stmt.Bind(sha256);
  if (stmt.Step()) return stmt.Blob(0);
  if (!stmt.ok()) return stmt.status();
  return Status::NotFound("no blob " + sha256);
}

Status SqliteStore::AddAgentTool(const std::string& agent_id, const std::string& tool) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(
      *statements_,
      "INSERT INTO agent_tools (agent_id, tool) VALUES (?, ?) ON CONFLICT DO NOTHING");
  Status s = stmt.Bind(agent_id, tool).Run();
  if (s.code() == StatusCode::kAlreadyExists) return AgentNotFound(agent_id);
  return s;
}

Status SqliteStore::RemoveAgentTool(const std::string& agent_id, const std::string& tool) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(*statements_,
                              "DELETE FROM agent_tools WHERE agent_id = ? AND tool = ?");
  HERALD_RETURN_IF_ERROR(stmt.Bind(agent_id, tool).Run());
  if (sqlite3_changes(db_) == 0) {
    return Status::NotFound("agent '" + agent_id + "' has no tool '" + tool + "'");
  }
  return Status::Ok();
}

Status SqliteStore::PutCollaborator(const std::string& agent_id, const Collaborator& c) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  int64_t user_id = 0;
  {
    store::SqliteStatement stmt(*statements_, "SELECT id FROM users WHERE name = ?");
    stmt.Bind(c.user);
    if (!stmt.Step()) {
      return stmt.ok() ? Status::NotFound("no user named '" + c.user + "'") : stmt.status();
    }
    user_id = stmt.Int(0);
  }
  store::SqliteStatement put(*statements_,
                             "INSERT INTO agent_collaborators (agent_id, user_id, role) "
                             "VALUES (?, ?, ?) ON CONFLICT (agent_id, user_id) DO UPDATE SET "
                             "role = excluded.role");
  Status s = put.Bind(agent_id, user_id, CollaboratorRoleName(c.role)).Run();
  if (s.code() == StatusCode::kAlreadyExists) return AgentNotFound(agent_id);
  return s;
}

Status SqliteStore::RemoveCollaborator(const std::string& agent_id, const std::string& user) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(*statements_,
                              "DELETE FROM agent_collaborators WHERE agent_id = ? AND user_id = "
                              "(SELECT id FROM users WHERE name = ?)");
  HERALD_RETURN_IF_ERROR(stmt.Bind(agent_id, user).Run());
  if (sqlite3_changes(db_) == 0) {
    return Status::NotFound("'" + user + "' is not a collaborator of agent '" + agent_id + "'");
  }
  return Status::Ok();
}

Status SqliteStore::PutAgentChannel(const std::string& agent_id, const ChannelBinding& channel) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement put(*statements_,
                             "INSERT INTO agent_channels (agent_id, name, plugin, settings) "
                             "VALUES (?, ?, ?, ?) ON CONFLICT (agent_id, name) DO UPDATE SET "
                             "plugin = excluded.plugin, settings = excluded.settings");
  Status s = put.Bind(agent_id, channel.name, channel.plugin, channel.settings_json).Run();
  if (s.code() == StatusCode::kAlreadyExists) return AgentNotFound(agent_id);
  return s;
}

Status SqliteStore::RemoveAgentChannel(const std::string& agent_id, const std::string& name) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement stmt(*statements_,
                              "DELETE FROM agent_channels WHERE agent_id = ? AND name = ?");
  HERALD_RETURN_IF_ERROR(stmt.Bind(agent_id, name).Run());
  if (sqlite3_changes(db_) == 0) {
    return Status::NotFound("agent '" + agent_id + "' has no channel '" + name + "'");
  }
  return Status::Ok();
}

}  // namespace herald
