// SHA-256 as lower-case hex: content addresses of knowledge files, snapshot
// hashes and API token hashes.
#ifndef HERALD_CORE_SHA256_H_
#define HERALD_CORE_SHA256_H_

#include <string>
#include <string_view>

namespace herald {

std::string Sha256Hex(std::string_view bytes);

}  // namespace herald

#endif  // HERALD_CORE_SHA256_H_
