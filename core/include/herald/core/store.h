// The store: where heraldd keeps everything that must survive a restart.
//
// An interface, so that a PostgreSQL backend (several heraldd nodes sharing
// one database) can be added beside the embedded SQLite default without
// touching its callers. Each backend brings its own schema migrations, with
// the same numbering: schema version N means the same tables everywhere.
//
// Thread-safety: every method may be called from any thread.
#ifndef HERALD_CORE_STORE_H_
#define HERALD_CORE_STORE_H_

#include <string>

#include "herald/core/status.h"

namespace herald {

class Store {
 public:
  virtual ~Store() = default;

  // "sqlite", "postgresql".
  virtual std::string backend() const = 0;
  // The schema version the database is at (after migrations).
  virtual int schema_version() const = 0;
  // A cheap round trip to the database, for health checks.
  virtual Status Ping() = 0;
  // A random id made when the database was created; stable for its life.
  virtual StatusOr<std::string> InstanceId() = 0;
};

}  // namespace herald

#endif  // HERALD_CORE_STORE_H_
