// The registration: exactly one per plugin library. It defines and exports the
// `herald_plugin` entry symbol that heraldd looks up after loading the library.
#include "echo_channel.hpp"

HERALD_CHANNEL_PLUGIN(sample_echo::EchoChannel, sample_echo::kName, sample_echo::kVersion,
                      sample_echo::kDescription)
