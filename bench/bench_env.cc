#include "bench_env.h"

#include <sqlite3.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <sstream>

#include "herald/core/auth/tokens.h"

namespace herald::bench {
namespace {

namespace fs = std::filesystem;

std::mutex g_run_dir_mu;
fs::path g_run_dir;  // guarded by g_run_dir_mu

// HERALD_BENCH_KEEP=1 leaves the run directory and every store in it, for
// inspection with the sqlite3 shell.
bool Keep() {
  const char* keep = std::getenv("HERALD_BENCH_KEEP");
  return keep != nullptr && *keep && std::string(keep) != "0";
}

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "herald_bench: %s\n", message.c_str());
  RemoveRunDirectory();
  std::exit(1);
}

// An OpenAPI 3 document of `count` operations, each needing a bearer token
// (the document's global security), with a path and a query parameter: what
// a typical imported tool looks like.
std::string ToolsDocument(const std::string& prefix, int count) {
  std::ostringstream doc;
  doc << R"({"openapi":"3.0.3","info":{"title":"CRM","version":"1"},)"
      << R"("servers":[{"url":"https://crm.example/v1"}],)"
      << R"("security":[{"bearerAuth":[]}],)"
      << R"("components":{"securitySchemes":{"bearerAuth":{"type":"http","scheme":"bearer"}}},)"
      << R"("paths":{)";
  for (int i = 0; i < count; ++i) {
    doc << (i ? "," : "") << R"("/records)" << i << R"(/{recordId}":{"get":{"operationId":")"
        << prefix << i << R"(","summary":"Look up a CRM record of kind )" << i
        << R"( by its id, with its history",)"
        << R"("parameters":[)"
        << R"({"name":"recordId","in":"path","required":true,"schema":{"type":"string"}},)"
        << R"({"name":"limit","in":"query","schema":{"type":"integer"}}]}})";
  }
  doc << "}}";
  return doc.str();
}

// `size` bytes that do not compress: knowledge files are documents, not
// runs of one byte.
std::string KnowledgeBytes(int index, size_t size) {
  std::mt19937_64 random(static_cast<uint64_t>(index) + 1);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(' ' + random() % 95);
  return out;
}

}  // namespace

const fs::path& RunDirectory() {
  std::lock_guard<std::mutex> lock(g_run_dir_mu);
  if (g_run_dir.empty()) {
    const char* base = std::getenv("HERALD_BENCH_DIR");
    std::error_code ec;
    const fs::path parent = base != nullptr && *base ? fs::path(base) : fs::temp_directory_path(ec);
    fs::create_directories(parent, ec);
    std::string templ = (parent / "herald-bench-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) {
      std::fprintf(stderr, "herald_bench: cannot create a directory in %s\n",
                   parent.string().c_str());
      std::exit(1);
    }
    g_run_dir = templ;
  }
  return g_run_dir;
}

void RemoveRunDirectory() {
  std::lock_guard<std::mutex> lock(g_run_dir_mu);
  if (g_run_dir.empty()) return;
  if (Keep()) {
    std::fprintf(stderr, "herald_bench: kept %s\n", g_run_dir.string().c_str());
    return;
  }
  std::error_code ec;
  fs::remove_all(g_run_dir, ec);
  g_run_dir.clear();
}

void Check(const Status& status, const std::string& what) {
  if (!status.ok()) Die(what + ": " + status.ToString());
}

BenchEnv::BenchEnv(const std::string& name) {
  dir_ = RunDirectory() / name;
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) Die("cannot create " + dir_.string() + ": " + ec.message());
  database_ = dir_ / "herald.db";
  // A benchmark function runs more than once: start from nothing each time.
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(database_.string() + suffix, ec);
  fs::remove(dir_ / "master.key", ec);

  // As Daemon::Start does, in its order.
  store_ = Check(SqliteStore::Open(database_), "open the store");
  plugins_ = std::make_unique<PluginRegistry>(
      [](const std::string&, const std::string&) -> std::optional<std::string> {
        return std::nullopt;
      },
      Clock(SystemClockUnixMs));
  plugins_->LoadDirectories({HERALD_BENCH_BUILTIN_PLUGIN_DIR, HERALD_BENCH_CHANNEL_DIR});
  if (plugins_->Find("bearer", PluginKind::kAuthType) == nullptr ||
      plugins_->Find("bench_channel", PluginKind::kChannel) == nullptr) {
    std::string refused;
    for (const auto& r : plugins_->refused()) refused += "\n  " + r.path + ": " + r.reason;
    Die("the bearer and bench_channel plugins did not load" + refused);
  }
  MasterKeySource key_source;
  key_source.key_file = dir_ / "master.key";
  vault_ = Check(CredentialVault::Open(*store_, key_source), "open the vault");
  connections_ = std::make_unique<ConnectionService>(*store_, *plugins_, *vault_, std::nullopt);
  tools_ = std::make_unique<ToolService>(*store_, *connections_);
  agents_ = std::make_unique<AgentService>(*store_, *plugins_, size_t{10} * 1024 * 1024);
  summaries_ = std::make_unique<SummaryBuilder>(*plugins_, *connections_, *tools_,
                                                std::set<std::string>{"scripted"});
  deploys_ = std::make_unique<DeployService>(*store_, *plugins_, *summaries_, *tools_,
                                             std::chrono::milliseconds(30000));
  Check(deploys_->Recover(), "recover");
  operator_ =
      Check(store_->users().CreateUser("olga", Role::kOperator, auth::HashToken(auth::NewToken())),
            "create the operator");
}

BenchEnv::~BenchEnv() {
  deploys_.reset();
  summaries_.reset();
  agents_.reset();
  tools_.reset();
  connections_.reset();
  vault_.reset();
  plugins_.reset();
  store_.reset();
  if (Keep()) return;
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(database_.string() + suffix, ec);
  fs::remove(dir_ / "master.key", ec);
}

void BenchEnv::CreateAgent(const std::string& id, const AgentShape& shape) {
  const std::string connection = id + "-crm";
  EnvironmentPatch live;
  live.server_url = "https://crm.example";
  live.auth_type = "bearer";
  live.credential_type = CredentialType::kTeam;
  live.probe_path = "/me";
  Check(connections_->Create(connection, "CRM for " + id, live, live), "create the connection");
  Check(connections_->SetCredentials(connection, Environment::kLive, CredentialOwner::Team(),
                                     {{"token", "live-team-token-0123456789abcdef"}}),
        "set the live team credentials");
  Check(connections_->SetCredentials(connection, Environment::kDraft, CredentialOwner::Team(),
                                     {{"token", "draft-team-token-0123456789abcdef"}}),
        "set the draft team credentials");

  std::vector<ToolView> imported =
      Check(tools_->Import(id + "-crm.json", ToolsDocument(id + "_lookup_", shape.tools),
                           connection, /*replace=*/false),
            "import the tools");

  AgentFieldsPatch fields;
  fields.name = "Helper " + id;
  fields.description = "Answers billing questions from the CRM and the handbook";
  fields.model = "scripted";
  fields.voice = "en-us";
  fields.language = "en-US";
  fields.speaking_rate = 1.0;
  fields.instructions = "Be brief. Look the customer up before answering.";
  fields.guidelines = "Never promise a refund.";
  fields.welcome_message = "Hello! How can I help with your bill?";
  fields.starter_prompts = std::vector<std::string>{"Why is my bill higher?", "Change my plan"};
  Check(agents_->Create(id, fields, operator_), "create the agent");

  DraftWrite write{operator_, std::nullopt};
  for (int i = 0; i < shape.knowledge_files; ++i) {
    KnowledgeUpload file{"handbook-" + std::to_string(i) + ".md", "text/markdown",
                         KnowledgeBytes(i, shape.knowledge_bytes)};
    Check(agents_->PutKnowledge(id, file, write), "upload " + file.name);
  }
  for (const ToolView& t : imported) Check(agents_->AddTool(id, t.tool.name, write), "add a tool");
  for (size_t i = 0; i < shape.channel_delays_ms.size(); ++i) {
    ChannelBinding channel;
    channel.name = "channel-" + std::to_string(i);
    channel.plugin = "bench_channel";
    channel.settings_json = R"({"delay_ms":)" + std::to_string(shape.channel_delays_ms[i]) + "}";
    Check(agents_->PutChannel(id, channel, write), "add " + channel.name);
  }
  Summary summary = Check(summaries_->Build(GetAgent(id)), "build the summary");
  if (!summary.deployable()) {
    std::string blockers;
    for (const Blocker& b : summary.blockers) blockers += "\n  " + b.code + ": " + b.message;
    Die("agent " + id + " is not deployable:" + blockers);
  }
}

Deployment BenchEnv::Deploy(const std::string& id) {
  Deployment d = Check(deploys_->Deploy(id, operator_, "", /*partial=*/false, nullptr), "deploy");
  if (d.state != "succeeded") {
    std::string outcomes;
    for (const ChannelOutcome& c : d.channels) {
      outcomes += "\n  " + c.channel + ": " + c.outcome + " " + c.message;
    }
    Die("deploy of " + id + " " + d.state + outcomes);
  }
  return d;
}

AgentDraft BenchEnv::GetAgent(const std::string& id) {
  return Check(store_->agents().GetAgent(id), "read agent " + id);
}

AgentDraft BenchEnv::GetAgentWithTools(const std::string& id, std::vector<Tool>* tools) {
  return Check(store_->agents().GetAgentWithTools(id, tools), "read agent " + id);
}

int64_t BenchEnv::CheckpointedDatabaseBytes() {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(database_.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    Die("cannot open " + database_.string() + ": " + sqlite3_errmsg(db));
  }
  sqlite3_busy_timeout(db, 5000);
  // A connection learns that the database is in WAL mode when it first reads
  // it; until then a checkpoint is a silent no-op.
  if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    Die(std::string("read ") + database_.string() + ": " + sqlite3_errmsg(db));
  }
  int log_frames = -1;
  int checkpointed = -1;
  const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log_frames,
                                           &checkpointed);
  if (rc != SQLITE_OK) Die(std::string("wal_checkpoint(TRUNCATE): ") + sqlite3_errmsg(db));
  sqlite3_close(db);
  std::error_code ec;
  int64_t bytes = static_cast<int64_t>(fs::file_size(database_, ec));
  if (ec) Die("cannot stat " + database_.string() + ": " + ec.message());
  const fs::path wal = database_.string() + "-wal";
  if (fs::exists(wal, ec)) {
    const auto wal_bytes = static_cast<int64_t>(fs::file_size(wal, ec));
    if (wal_bytes != 0) Die("the WAL still holds " + std::to_string(wal_bytes) + " bytes");
  }
  return bytes;
}

}  // namespace herald::bench
