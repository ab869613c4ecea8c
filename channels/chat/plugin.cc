// The registration of the chat channel: libherald_chat.so's one exported
// symbol.
#include "channels/chat/chat_channel.h"

HERALD_CHANNEL_PLUGIN(herald::chat::ChatChannel, herald::chat::kName, herald::chat::kVersion,
                      herald::chat::kDescription)
