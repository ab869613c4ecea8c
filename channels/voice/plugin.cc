// The voice channel's registration: lib/herald/plugins/libherald_voice.so.
#include <herald/sdk/plugin.hpp>

#include "voice_channel.h"

HERALD_CHANNEL_PLUGIN(herald::voice::VoiceChannel, herald::voice::kName, herald::voice::kVersion,
                      herald::voice::kDescription)
