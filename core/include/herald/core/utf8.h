// Checks that text is well-formed UTF-8 before it reaches JSON answers and
// version snapshots, which Poco's parser must be able to read back.
//
// Thread-safety: a free function on values; call from any thread.
#ifndef HERALD_CORE_UTF8_H_
#define HERALD_CORE_UTF8_H_

#include <cstddef>
#include <optional>
#include <string_view>

namespace herald {

// The offset of the first byte of `text` that does not begin a legal UTF-8
// sequence (overlong forms, surrogates and code points past U+10FFFF are not
// legal), or nullopt when all of it is well-formed.
std::optional<size_t> FirstNonUtf8Byte(std::string_view text);

}  // namespace herald

#endif  // HERALD_CORE_UTF8_H_
