// The registration: exactly one per plugin library. It defines and exports the
// `herald_plugin` entry symbol that heraldd looks up after loading the library.
#include "key_pair_auth.hpp"

HERALD_AUTH_TYPE_PLUGIN(sample_key_pair::KeyPairAuth, sample_key_pair::kName,
                        sample_key_pair::kVersion, sample_key_pair::kDescription)
