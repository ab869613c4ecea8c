#include "herald/core/utf8.h"

#include <Poco/UTF8Encoding.h>

#include <algorithm>

namespace herald {

std::optional<size_t> FirstNonUtf8Byte(std::string_view text) {
  const Poco::UTF8Encoding utf8;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = 0;
  while (i < text.size()) {
    if (bytes[i] < 0x80) {
      ++i;
      continue;
    }
    const int left = static_cast<int>(std::min<size_t>(text.size() - i, 4));
    const int length = utf8.sequenceLength(bytes + i, left);
    if (length <= 0 || length > left || utf8.queryConvert(bytes + i, length) < 0) return i;
    i += static_cast<size_t>(length);
  }
  return std::nullopt;
}

}  // namespace herald
