// Names of the model's enumerations, as the API and the store spell them.
#include "herald/core/model/connection.h"
#include "herald/core/model/user.h"

namespace herald {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kOperator:
      return "operator";
    case Role::kMember:
      return "member";
  }
  return "member";
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "operator") return Role::kOperator;
  if (name == "member") return Role::kMember;
  return std::nullopt;
}

std::string_view EnvironmentName(Environment env) {
  return env == Environment::kDraft ? "draft" : "live";
}

std::optional<Environment> ParseEnvironment(std::string_view name) {
  if (name == "draft") return Environment::kDraft;
  if (name == "live") return Environment::kLive;
  return std::nullopt;
}

std::string_view CredentialTypeName(CredentialType type) {
  return type == CredentialType::kTeam ? "team" : "member";
}

std::optional<CredentialType> ParseCredentialType(std::string_view name) {
  if (name == "team") return CredentialType::kTeam;
  if (name == "member") return CredentialType::kMember;
  return std::nullopt;
}

}  // namespace herald
