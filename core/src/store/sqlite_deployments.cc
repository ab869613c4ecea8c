// SqliteStore's DeploymentStore: versions, deployments, live state and the
// live search index (FTS5).
#include "herald/core/sqlite_store.h"

#include <algorithm>

#include "deploy/canonical_json.h"
#include "store/sqlite_statement.h"

namespace herald {
namespace {

// A deployment, then one of its channel outcomes (NULLs when it has none):
// a row per outcome, in the order recorded, since json_each reads an array in
// order.
constexpr char kDeploymentRows[] =
    "SELECT d.id, d.agent_id, d.kind, d.version, d.previous_version, d.state, d.partial, "
    "d.author, d.comment, d.started_at, d.finished_at, c.value ->> 0, c.value ->> 1, "
    "c.value ->> 2, c.value ->> 3, c.value ->> 4 FROM deployments d "
    "LEFT JOIN json_each(d.channels) c ";

Deployment ReadDeployment(const store::SqliteStatement& s) {
  Deployment d;
  d.id = s.Int(0);
  d.agent_id = s.Text(1);
  d.kind = s.Text(2);
  if (!s.IsNull(3)) d.version = s.Int(3);
  if (!s.IsNull(4)) d.previous_version = s.Int(4);
  d.state = s.Text(5);
  d.partial = s.Int(6) != 0;
  d.author = s.Text(7);
  d.comment = s.Text(8);
  d.started_at = s.Text(9);
  d.finished_at = s.Text(10);
  return d;
}

// The deployments of the rows of `s`, a statement on kDeploymentRows, each
// with its outcomes.
StatusOr<std::vector<Deployment>> ReadDeployments(store::SqliteStatement& s) {
  std::vector<Deployment> out;
  while (s.Step()) {
    if (out.empty() || out.back().id != s.Int(0)) out.push_back(ReadDeployment(s));
    if (!s.IsNull(11)) {
      out.back().channels.push_back({s.Text(11), s.Text(12), s.Text(13), s.Text(14), s.Int(15)});
    }
  }
  if (!s.ok()) return s.status();
  return out;
}

// deployments.channels for `channels`: in order, each as [channel, plugin,
// outcome, message, latency_ms] (see migration 13).
std::string ChannelsJson(const std::vector<ChannelOutcome>& channels) {
  std::string out = "[";
  for (const ChannelOutcome& c : channels) {
    if (out.size() > 1) out += ',';
    out += '[';
    for (const std::string* text : {&c.channel, &c.plugin, &c.outcome, &c.message}) {
      deploy::AppendJsonString(out, *text);
      out += ',';
    }
    deploy::AppendJsonInt(out, c.latency_ms);
    out += ']';
  }
  out += ']';
  return out;
}

// agent_live_channels.version as stored: kFollowsLive for a channel that
// serves the agent's live version (versions count from 1), so that a redeploy
// that reaches every channel, which moves only agents.live_version, rewrites
// no channel row. Older rows hold their version itself, which reads the same.
constexpr int64_t kFollowsLive = 0;

int64_t EncodeChannelVersion(int64_t version, const LiveState& state) {
  return state.live_version && version == *state.live_version ? kFollowsLive : version;
}

int64_t DecodeChannelVersion(int64_t stored, const LiveState& state) {
  return stored == kFollowsLive ? state.live_version.value_or(kFollowsLive) : stored;
}

}  // namespace

StatusOr<AgentVersion> SqliteStore::CreateVersion(AgentVersion version,
                                                  const std::vector<KnowledgeFile>& knowledge) {
  Status s = Transaction([&]() -> Status {
    std::optional<bool> same_text;  // as the one stored under the hash, if any
    {
      // One statement for what the agent has already: the next number, and
      // its text under this hash. The number is read apart from the INSERT
      // below: an INSERT that reads its own table or has RETURNING goes
      // through a temporary table, which costs more than a statement.
      store::SqliteStatement known(
          *statements_,
          "SELECT (SELECT COALESCE(MAX(version), 0) + 1 FROM agent_versions WHERE agent_id = ?1), "
          "(SELECT snapshot = ?3 FROM version_snapshots "
          "WHERE agent_id = ?1 AND content_hash = ?2)");
      known.BindUncopied(version.agent_id, version.content_hash, version.snapshot_json);
      if (!known.Step()) return known.ok() ? Status::Internal("no next version") : known.status();
      version.version = known.Int(0);
      if (!known.IsNull(1)) same_text = known.Int(1) == 1;
    }
    HERALD_RETURN_IF_ERROR(StoreSnapshot(version, same_text));
    version.created_at = store::NowUtc();
    store::SqliteStatement insert(
        *statements_,
        "INSERT INTO agent_versions (agent_id, version, draft_revision, content_hash, author, "
        "comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    HERALD_RETURN_IF_ERROR(insert
                               .BindUncopied(version.agent_id, version.version,
                                             version.draft_revision, version.content_hash,
                                             version.author, version.comment, version.created_at)
                               .Run());
    // The blobs stay as long as the agent's versions do; unchanged
    // knowledge is already pinned, and then nothing is written.
    return PinBlobs(version.agent_id, knowledge);
  });
  if (!s.ok()) return s;
  return version;
}

// One statement for all the files: ten statements cost more than the lookups
// they make. Up to kMaxPinRows files, a statement of that many rows of
// parameters (one cached statement per count, the SQL built from the count
// alone); more, their hashes as one JSON array (hex, so no escaping) through
// json_each, which reads back into SQLite values what the parameters bind
// directly: about 39,000 instructions for ten files, against 27,000.
Status SqliteStore::PinBlobs(const std::string& agent_id,
                             const std::vector<KnowledgeFile>& knowledge) {
  constexpr size_t kMaxPinRows = 16;
  if (knowledge.empty()) return Status::Ok();
  if (knowledge.size() > kMaxPinRows) {
    std::string hashes = "[";
    for (const KnowledgeFile& k : knowledge) {
      if (hashes.size() > 1) hashes += ',';
      hashes += '"';
      hashes += k.sha256;
      hashes += '"';
    }
    hashes += ']';
    store::SqliteStatement pin(*statements_,
                               "INSERT OR IGNORE INTO version_blobs (agent_id, sha256) "
                               "SELECT ?, value FROM json_each(?)");
    return pin.BindUncopied(agent_id, hashes).Run();
  }
  std::string sql = "INSERT OR IGNORE INTO version_blobs (agent_id, sha256) VALUES ";
  for (size_t i = 0; i < knowledge.size(); ++i) {
    if (i > 0) sql += ',';
    sql += "(?1,?";
    sql += std::to_string(i + 2);
    sql += ')';
  }
  store::SqliteStatement pin(*statements_, sql);
  pin.BindUncopied(agent_id);
  for (size_t i = 0; i < knowledge.size(); ++i) {
    pin.BindUncopiedAt(static_cast<int>(i) + 2, knowledge[i].sha256);
  }
  return pin.Run();
}

// Texts are keyed by their sha256, so a text stored under this hash is this
// one already; comparing them anyway (a few microseconds, in SQLite's page
// cache) turns a caller's wrong hash into an error rather than a version that
// reads back another version's text.
Status SqliteStore::StoreSnapshot(const AgentVersion& version, std::optional<bool> same_text) {
  if (same_text) {
    if (*same_text) return Status::Ok();
    return Status::Internal("agent '" + version.agent_id +
                            "' already has another snapshot under content hash " +
                            version.content_hash);
  }
  store::SqliteStatement insert(
      *statements_,
      "INSERT INTO version_snapshots (agent_id, content_hash, snapshot) VALUES (?, ?, ?)");
  return insert.BindUncopied(version.agent_id, version.content_hash, version.snapshot_json).Run();
}

StatusOr<AgentVersion> SqliteStore::GetVersion(const std::string& agent_id, int64_t version) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement s(
      *statements_,
      "SELECT v.agent_id, v.version, v.draft_revision, v.content_hash, v.author, v.comment, "
      "v.created_at, t.snapshot FROM agent_versions v JOIN version_snapshots t "
      "ON t.agent_id = v.agent_id AND t.content_hash = v.content_hash "
      "WHERE v.agent_id = ? AND v.version = ?");
  s.Bind(agent_id, version);
  if (!s.Step()) {
    if (!s.ok()) return s.status();
    return Status::NotFound("agent '" + agent_id + "' has no version " + std::to_string(version));
  }
  return AgentVersion{s.Text(0), s.Int(1),  s.Int(2),  s.Text(3),
                      s.Text(4), s.Text(5), s.Text(6), s.Text(7)};
}

StatusOr<std::vector<AgentVersion>> SqliteStore::ListVersions(const std::string& agent_id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement s(
      *statements_,
      "SELECT agent_id, version, draft_revision, content_hash, author, comment, "
      "created_at FROM agent_versions WHERE agent_id = ? ORDER BY version DESC");
  s.Bind(agent_id);
  std::vector<AgentVersion> out;
  while (s.Step()) {
    out.push_back(AgentVersion{s.Text(0), s.Int(1), s.Int(2), s.Text(3), s.Text(4), s.Text(5),
                               s.Text(6), ""});
  }
  if (!s.ok()) return s.status();
  return out;
}

Status SqliteStore::BeginDeployment(Deployment* d) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  if (last_deployment_id_ == 0) {
    // Once per process: the table is keyed by agent, so this reads it
    // through. From then on this store is the only one to add deployments
    // (one heraldd holds a data directory), and a number it handed out in
    // a transaction that rolled back is simply not used.
    store::SqliteStatement last(*statements_, "SELECT COALESCE(MAX(id), 0) FROM deployments");
    if (!last.Step()) return last.ok() ? Status::Internal("no deployment id") : last.status();
    last_deployment_id_ = last.Int(0);
  }
  const int64_t id = last_deployment_id_ + 1;
  std::string started_at = store::NowUtc();
  store::SqliteStatement s(
      *statements_,
      "INSERT INTO deployments (agent_id, id, kind, version, previous_version, "
      "state, partial, author, comment, started_at) "
      "VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)");
  HERALD_RETURN_IF_ERROR(s.BindUncopied(d->agent_id, id, d->kind, d->version, d->previous_version,
                                        d->partial, d->author, d->comment, started_at)
                             .Run());
  last_deployment_id_ = id;
  d->id = id;
  d->state = "running";
  d->started_at = std::move(started_at);
  d->finished_at.clear();
  return Status::Ok();
}

// One statement, so atomic without a transaction of its own.
Status SqliteStore::FinishDeployment(Deployment* d) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  std::string finished_at = store::NowUtc();
  store::SqliteStatement update(*statements_,
                                "UPDATE deployments SET state = ?, finished_at = ?, channels = ? "
                                "WHERE agent_id = ? AND id = ? AND state = 'running'");
  HERALD_RETURN_IF_ERROR(
      update.BindUncopied(d->state, finished_at, ChannelsJson(d->channels), d->agent_id, d->id)
          .Run());
  if (sqlite3_changes(db_) == 0) {
    return Status::FailedPrecondition("deployment " + std::to_string(d->id) + " is not running");
  }
  d->finished_at = std::move(finished_at);
  return Status::Ok();
}

StatusOr<std::vector<Deployment>> SqliteStore::ListDeployments(const std::string& agent_id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement s(
      *statements_, std::string(kDeploymentRows) + "WHERE d.agent_id = ? ORDER BY d.id DESC");
  s.Bind(agent_id);
  return ReadDeployments(s);
}

StatusOr<std::optional<Deployment>> SqliteStore::LastDeployment(const std::string& agent_id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  // The largest id is one seek down the (agent_id, id) key.
  store::SqliteStatement s(*statements_,
                           std::string(kDeploymentRows) +
                               "WHERE d.agent_id = ?1 AND d.id = "
                               "(SELECT MAX(id) FROM deployments WHERE agent_id = ?1)");
  s.BindUncopied(agent_id);
  StatusOr<std::vector<Deployment>> read = ReadDeployments(s);
  if (!read.ok()) return read.status();
  if (read->empty()) return std::optional<Deployment>();
  return std::optional<Deployment>(std::move(read->front()));
}

StatusOr<Deployment> SqliteStore::GetDeployment(int64_t id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement s(*statements_, std::string(kDeploymentRows) + "WHERE d.id = ?");
  s.Bind(id);
  StatusOr<std::vector<Deployment>> read = ReadDeployments(s);
  if (!read.ok()) return read.status();
  if (read->empty()) {
    return Status::NotFound("deployment " + std::to_string(id) + " does not exist");
  }
  return std::move(read->front());
}

StatusOr<std::vector<Deployment>> SqliteStore::RunningDeployments() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement s(
      *statements_, std::string(kDeploymentRows) + "WHERE d.state = 'running' ORDER BY d.id");
  return ReadDeployments(s);
}

StatusOr<LiveState> SqliteStore::GetLiveState(const std::string& agent_id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  // The agent, then a row per live channel (one with NULLs when it has none).
  store::SqliteStatement s(*statements_,
                           "SELECT a.live_version, a.deployed_at, c.channel, c.plugin, c.version "
                           "FROM agents a LEFT JOIN agent_live_channels c ON c.agent_id = a.id "
                           "WHERE a.id = ? ORDER BY c.channel");
  s.BindUncopied(agent_id);
  if (!s.Step()) {
    if (!s.ok()) return s.status();
    return Status::NotFound("agent '" + agent_id + "' does not exist");
  }
  LiveState state;
  if (!s.IsNull(0)) state.live_version = s.Int(0);
  state.deployed_at = s.Text(1);
  if (!s.IsNull(2)) {
    do {
      state.channels.push_back({s.Text(2), s.Text(3), DecodeChannelVersion(s.Int(4), state)});
    } while (s.Step());
  }
  if (!s.ok()) return s.status();
  return state;
}

Status SqliteStore::SetLiveState(const std::string& agent_id, const LiveState& state,
                                 const std::string& name, const std::string& description) {
  return Transaction([&]() -> Status {
    store::SqliteStatement agent(
        *statements_, "UPDATE agents SET live_version = ?, deployed_at = ? WHERE id = ?");
    HERALD_RETURN_IF_ERROR(
        agent.BindUncopied(state.live_version, state.deployed_at, agent_id).Run());
    HERALD_RETURN_IF_ERROR(WriteLiveChannels(agent_id, state));
    return WriteSearchRow(agent_id, state.live_version ? &name : nullptr, description);
  });
}

// The agent's live search row, found by the rowid its agents row keeps. A
// redeploy seldom changes the live name or description, and rewriting the
// row costs several pages: an unchanged one stays.
Status SqliteStore::WriteSearchRow(const std::string& agent_id, const std::string* name,
                                   const std::string& description) {
  std::optional<int64_t> row;
  {
    // The indexed text read from FTS5's content table, where FTS5 keeps it
    // (a shadow table of its file format: columns c0, c1, c2 in
    // live_search's order, keyed by the rowid), not through live_search,
    // whose every read runs two statements of its own, one of them a
    // PRAGMA.
    store::SqliteStatement find(
        *statements_,
        "SELECT a.search_row, l.c1 = ?2 AND l.c2 = ?3 FROM agents a "
        "LEFT JOIN live_search_content l ON l.id = a.search_row WHERE a.id = ?1");
    find.BindUncopied(agent_id, name != nullptr ? std::string_view(*name) : std::string_view(),
                      description);
    bool unchanged = false;
    if (find.Step() && !find.IsNull(0)) {
      row = find.Int(0);
      unchanged = name != nullptr && find.Int(1) == 1;
    }
    HERALD_RETURN_IF_ERROR(find.status());
    if (unchanged) return Status::Ok();
  }
  if (row) {
    store::SqliteStatement unindex(*statements_, "DELETE FROM live_search WHERE rowid = ?");
    HERALD_RETURN_IF_ERROR(unindex.Bind(*row).Run());
  }
  std::optional<int64_t> indexed_row;
  if (name != nullptr) {
    store::SqliteStatement index(
        *statements_, "INSERT INTO live_search (agent_id, name, description) VALUES (?, ?, ?)");
    HERALD_RETURN_IF_ERROR(index.Bind(agent_id, *name, description).Run());
    indexed_row = sqlite3_last_insert_rowid(db_);
  }
  if (!row && !indexed_row) return Status::Ok();
  store::SqliteStatement keep(*statements_, "UPDATE agents SET search_row = ? WHERE id = ?");
  return keep.Bind(indexed_row, agent_id).Run();
}

// Each row by its key, and only where its stored form changed (a redeploy
// that reaches every channel changes none; a channel seldom comes or goes):
// deleting all of the agent's rows at once goes through a temporary table in
// SQLite, and costs more than reading them first.
Status SqliteStore::WriteLiveChannels(const std::string& agent_id, const LiveState& state) {
  std::vector<ChannelLiveState> stored;  // versions as stored
  {
    store::SqliteStatement read(
        *statements_,
        "SELECT channel, plugin, version FROM agent_live_channels WHERE agent_id = ?");
    read.BindUncopied(agent_id);
    while (read.Step()) stored.push_back({read.Text(0), read.Text(1), read.Int(2)});
    HERALD_RETURN_IF_ERROR(read.status());
  }
  auto find = [](const std::vector<ChannelLiveState>& in, const std::string& channel) {
    return std::find_if(in.begin(), in.end(),
                        [&](const ChannelLiveState& c) { return c.channel == channel; });
  };
  for (const ChannelLiveState& c : state.channels) {
    const int64_t version = EncodeChannelVersion(c.version, state);
    auto was = find(stored, c.channel);
    if (was == stored.end()) {
      store::SqliteStatement insert(*statements_,
                                    "INSERT INTO agent_live_channels (agent_id, channel, plugin, "
                                    "version) VALUES (?, ?, ?, ?)");
      HERALD_RETURN_IF_ERROR(insert.Bind(agent_id, c.channel, c.plugin, version).Run());
    } else if (was->plugin != c.plugin || was->version != version) {
      store::SqliteStatement update(*statements_,
                                    "UPDATE agent_live_channels SET plugin = ?, version = ? "
                                    "WHERE agent_id = ? AND channel = ?");
      HERALD_RETURN_IF_ERROR(update.Bind(c.plugin, version, agent_id, c.channel).Run());
    }
  }
  for (const ChannelLiveState& c : stored) {
    if (find(state.channels, c.channel) != state.channels.end()) continue;
    store::SqliteStatement remove(
        *statements_, "DELETE FROM agent_live_channels WHERE agent_id = ? AND channel = ?");
    HERALD_RETURN_IF_ERROR(remove.Bind(agent_id, c.channel).Run());
  }
  return Status::Ok();
}

StatusOr<std::vector<std::string>> SqliteStore::LiveAgentIds() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  store::SqliteStatement s(*statements_,
                           "SELECT id FROM agents WHERE live_version IS NOT NULL ORDER BY id");
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  if (!s.ok()) return s.status();
  return out;
}

StatusOr<std::vector<LiveSearchHit>> SqliteStore::SearchLive(const std::string& query) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  // Each word of the query as a quoted prefix term: user text is never FTS
  // syntax.
  std::string match;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    std::string quoted;
    for (char c : word) {
      if (c == '"') {
        quoted += "\"\"";
      } else {
        quoted += c;
      }
    }
    if (!match.empty()) match += ' ';
    match += '"';
    match += quoted;
    match += "\"*";
    word.clear();
  };
  for (char c : query) {
    if (c == ' ' || c == '\t' || c == '\n') {
      flush();
    } else {
      word += c;
    }
  }
  flush();
  const bool all = match.empty();
  store::SqliteStatement s(
      *statements_,
      all ? "SELECT a.id, l.name, l.description, a.live_version, a.deployed_at FROM agents a "
            "JOIN live_search l ON l.rowid = a.search_row WHERE a.live_version IS NOT NULL "
            "ORDER BY a.id"
          : "SELECT a.id, l.name, l.description, a.live_version, a.deployed_at FROM "
            "live_search l JOIN agents a ON a.id = l.agent_id WHERE live_search MATCH ? AND "
            "a.live_version IS NOT NULL ORDER BY rank");
  if (!all) s.Bind(match);
  std::vector<LiveSearchHit> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Int(3), s.Text(4)});
  if (!s.ok()) return s.status();
  return out;
}

}  // namespace herald
