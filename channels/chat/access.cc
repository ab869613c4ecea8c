#include "channels/chat/access.h"

#include <string>

namespace herald::chat {

namespace {
constexpr char kPublic[] = "public";
constexpr char kSso[] = "sso";
}  // namespace

std::vector<sdk::SettingSpec> DeclareChatSettings() {
  return {
      {.name = kAccessSetting,
       .description = "Who may talk to the agent: public (anyone, anonymously) or sso (members "
                      "with an identity provider's token)",
       .type = HERALD_SETTING_STRING,
       .required = false,
       .default_value = kPublic},
  };
}

std::optional<Access> AccessOf(const sdk::Values& settings) {
  const std::string value = settings.Get(kAccessSetting, kPublic);
  if (value == kPublic) return Access::kPublic;
  if (value == kSso) return Access::kSso;
  return std::nullopt;
}

std::vector<sdk::Problem> ValidateChatSettings(const sdk::Values& settings) {
  std::vector<sdk::Problem> problems;
  if (!AccessOf(settings)) {
    problems.push_back(
        {kAccessSetting, "must be public or sso, got '" + settings.Get(kAccessSetting) + "'"});
  }
  return problems;
}

std::string_view AccessName(Access access) { return access == Access::kSso ? kSso : kPublic; }

}  // namespace herald::chat
