// An in-process Herald for the benchmarks: the services heraldd wires
// (core/src/daemon.cc) over a SqliteStore in a directory of its own, with the
// built-in auth-type plugins and the benchmark channel plugin
// (bench/channel), but without the HTTP layer.
//
// Every failure of the set-up aborts the benchmark program with a message:
// a benchmark of something that did not work measures nothing.
//
// Thread-safety: one BenchEnv per thread.
#ifndef HERALD_BENCH_BENCH_ENV_H_
#define HERALD_BENCH_BENCH_ENV_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "herald/core/agent_service.h"
#include "herald/core/connection_service.h"
#include "herald/core/credential_vault.h"
#include "herald/core/deploy_service.h"
#include "herald/core/model/user.h"
#include "herald/core/plugin_registry.h"
#include "herald/core/sqlite_store.h"
#include "herald/core/summary.h"
#include "herald/core/tool_service.h"

namespace herald::bench {

// The directory every benchmark works in (created once per run, removed at
// exit): $HERALD_BENCH_DIR, else the system's temporary directory, holds a
// fresh herald-bench-XXXXXX. With HERALD_BENCH_KEEP=1 nothing is removed.
const std::filesystem::path& RunDirectory();
// Removes RunDirectory() (when it was created).
void RemoveRunDirectory();

// Aborts with `what` and the status when it is not OK.
void Check(const Status& status, const std::string& what);
template <typename T>
T Check(StatusOr<T> value, const std::string& what) {
  Check(value.status(), what);
  return std::move(value).value();
}

// The shape of an agent to set up.
struct AgentShape {
  int tools = 20;
  int knowledge_files = 10;
  size_t knowledge_bytes = 100 * 1024;
  // One channel per entry, each using the benchmark channel plugin with that
  // publish delay.
  std::vector<int> channel_delays_ms = {0, 0, 0};
};

class BenchEnv {
 public:
  // A fresh store in the directory RunDirectory()/`name` (created when
  // absent; other files there are left alone). The store's files go again
  // with the BenchEnv, unless HERALD_BENCH_KEEP=1.
  explicit BenchEnv(const std::string& name);
  ~BenchEnv();
  BenchEnv(const BenchEnv&) = delete;
  BenchEnv& operator=(const BenchEnv&) = delete;

  // A deployable agent: profile, `shape.tools` tools imported from one
  // OpenAPI document and bound to one bearer connection whose live
  // environment has team credentials, the knowledge files, the channels.
  void CreateAgent(const std::string& id, const AgentShape& shape);

  // Deploys (or redeploys) `id`; aborts unless every channel published.
  Deployment Deploy(const std::string& id);

  AgentDraft GetAgent(const std::string& id);
  // The draft and its tools in one read, as a deploy and GET .../summary
  // read them.
  AgentDraft GetAgentWithTools(const std::string& id, std::vector<Tool>* tools);

  const std::filesystem::path& database() const { return database_; }
  // The database's size on disk once its WAL is checkpointed into it:
  // a TRUNCATE checkpoint through a connection of its own, then the main
  // file's size (the WAL is then empty; aborts if it is not).
  int64_t CheckpointedDatabaseBytes();

  DeployService& deploys() { return *deploys_; }
  SummaryBuilder& summaries() { return *summaries_; }
  SqliteStore& store() { return *store_; }
  const User& operator_user() const { return operator_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path database_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<PluginRegistry> plugins_;
  std::unique_ptr<CredentialVault> vault_;
  std::unique_ptr<ConnectionService> connections_;
  std::unique_ptr<ToolService> tools_;
  std::unique_ptr<AgentService> agents_;
  std::unique_ptr<SummaryBuilder> summaries_;
  std::unique_ptr<DeployService> deploys_;
  User operator_;
};

}  // namespace herald::bench

#endif  // HERALD_BENCH_BENCH_ENV_H_
