// A strict JSON reader (RFC 8259) for request bodies whose fields all sit in
// the top-level object: it checks the whole document and fills in the
// top-level members the caller names: their kind and, for strings, their
// text decoded to UTF-8. Everything else is checked and passed over.
//
// Why not Poco's JSON DOM: the chat API reads two string fields per turn, and
// building and destroying a DOM for them was 7% of a loaded daemon's time
// (docs/benchmarks.md). This reader allocates only the wanted strings.
//
// Strict: no comments, no trailing commas, no leading zeros, no bytes after
// the value but whitespace, strings must be valid UTF-8 (raw bytes and \u
// escapes alike, so no lone surrogates), nesting at most kMaxJsonDepth deep.
// A name given twice keeps its last value, as Poco's parser does.
//
// Pure function; thread-safe.
#ifndef HERALD_CHANNELS_CHAT_JSON_READER_H_
#define HERALD_CHANNELS_CHAT_JSON_READER_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace herald::chat {

enum class JsonKind { kNull, kBool, kNumber, kString, kArray, kObject };

// A top-level member the caller wants.
struct JsonField {
  explicit JsonField(std::string_view wanted) : name(wanted) {}

  std::string_view name;
  bool present = false;
  JsonKind kind = JsonKind::kNull;
  std::string text;  // kString: the decoded string; otherwise empty
};

inline constexpr size_t kMaxJsonDepth = 64;

// Reads `text`: sets `kind` to the top-level value's kind and, when it is an
// object, fills in those of `fields` it has. On malformed JSON returns false,
// leaves every field absent and sets `error` to what is wrong and where
// ("expected ':' at byte 12").
bool ReadJson(std::string_view text, JsonKind* kind, std::span<JsonField> fields,
              std::string* error);

}  // namespace herald::chat

#endif  // HERALD_CHANNELS_CHAT_JSON_READER_H_
