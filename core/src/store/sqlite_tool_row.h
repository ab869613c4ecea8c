// How SqliteStore reads a tool's row: the columns, in order, and the Tool
// they make, whole or just its definition. Shared by the tool store (sqlite_tools.cc) and the agent
// store (sqlite_agents.cc), which reads a draft's tools with the draft.
//
// Thread-safety: none needed (constants and a function of its arguments).
#ifndef HERALD_CORE_STORE_SQLITE_TOOL_ROW_H_
#define HERALD_CORE_STORE_SQLITE_TOOL_ROW_H_

#include "herald/core/model/tool.h"
#include "store/sqlite_statement.h"

namespace herald::store {

// The columns of the tools table that make a tool's definition (what a
// snapshot and a security match read: all but source and the timestamps)
// after its name, in ReadToolDefinition's order, to follow a SELECT (the
// table named `tools`, unaliased). Without the name: a reader that finds
// tools by name (a join on it) has it already and need not read it twice.
inline constexpr char kToolDefinitionColumns[] =
    "tools.description, tools.method, tools.server_url, tools.path, tools.parameters, "
    "tools.security, COALESCE(tools.connection_id, '')";
// Every column that makes a Tool: the name, the definition's, then source
// and the timestamps, in ReadToolRow's order.
inline constexpr char kToolRowColumns[] =
    "tools.name, tools.description, tools.method, tools.server_url, tools.path, "
    "tools.parameters, tools.security, COALESCE(tools.connection_id, ''), tools.source, "
    "tools.created_at, tools.updated_at";

// Fills the definition of `t` (a fresh Tool, its name set by the caller)
// from kToolDefinitionColumns at `stmt`'s current row, starting at column
// `first`: in place, so that a list of tools moves none. Leaves source,
// created_at and updated_at empty.
inline void ReadToolDefinition(const SqliteStatement& stmt, int first, Tool& t) {
  t.description = stmt.Text(first + 0);
  t.method = stmt.Text(first + 1);
  t.server_url = stmt.Text(first + 2);
  t.path = stmt.Text(first + 3);
  t.parameters_json = stmt.Text(first + 4);
  t.security_json = stmt.Text(first + 5);
  t.connection_id = stmt.Text(first + 6);
}

// Fills all of `t` (a fresh Tool) from kToolRowColumns, as above.
inline void ReadToolRow(const SqliteStatement& stmt, int first, Tool& t) {
  t.name = stmt.Text(first);
  ReadToolDefinition(stmt, first + 1, t);
  t.source = stmt.Text(first + 8);
  t.created_at = stmt.Text(first + 9);
  t.updated_at = stmt.Text(first + 10);
}

}  // namespace herald::store

#endif  // HERALD_CORE_STORE_SQLITE_TOOL_ROW_H_
