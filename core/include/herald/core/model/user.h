// Users of heraldd and their roles.
//
// Roles are ordered: admin includes operator, operator includes member.
//   member:   manages only their own member credentials
//   operator: manages connections, tools and agents
//   admin:    manages users
#ifndef HERALD_CORE_MODEL_USER_H_
#define HERALD_CORE_MODEL_USER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herald {

enum class Role { kMember = 0, kOperator = 1, kAdmin = 2 };

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

struct User {
  int64_t id = 0;
  std::string name;
  Role role = Role::kMember;
  std::string created_at;  // RFC 3339, UTC

  bool Has(Role needed) const { return static_cast<int>(role) >= static_cast<int>(needed); }
};

}  // namespace herald

#endif  // HERALD_CORE_MODEL_USER_H_
