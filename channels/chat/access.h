// The chat channel's one setting, `access`: who may talk to an agent.
//
//   public  anyone; the turn is anonymous (no member credentials).
//   sso     callers send "Authorization: Bearer <identity JWT>"; the host
//           verifies it and the member it names speaks, so member-type
//           connections use that member's own credentials.
//
// Pure functions; thread-safe.
#ifndef HERALD_CHANNELS_CHAT_ACCESS_H_
#define HERALD_CHANNELS_CHAT_ACCESS_H_

#include <herald/sdk/types.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace herald::chat {

enum class Access { kPublic, kSso };

inline constexpr char kAccessSetting[] = "access";

// The settings the chat channel declares: `access`, a string, default public.
std::vector<sdk::SettingSpec> DeclareChatSettings();

// The problems with `settings` beyond the declared spec: an `access` other
// than public or sso, naming the field. Absent means the default (public).
std::vector<sdk::Problem> ValidateChatSettings(const sdk::Values& settings);

// The access mode `settings` asks for; nullopt when it names none we know.
std::optional<Access> AccessOf(const sdk::Values& settings);

std::string_view AccessName(Access access);

}  // namespace herald::chat

#endif  // HERALD_CHANNELS_CHAT_ACCESS_H_
