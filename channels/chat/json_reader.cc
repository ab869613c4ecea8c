#include "channels/chat/json_reader.h"

#include <cstdint>

namespace herald::chat {
namespace {

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// The length of the well-formed UTF-8 sequence at the start of `s` (which
// begins with a byte >= 0x80), or 0 when it is not one (Unicode 15, table
// 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
size_t Utf8Length(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(0);
  size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    n = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    if (b0 == 0xe0) lo = 0xa0;
    if (b0 == 0xed) hi = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    if (b0 == 0xf0) lo = 0x90;
    if (b0 == 0xf4) hi = 0x8f;
  } else {
    return 0;
  }
  if (s.size() < n) return 0;
  if (byte(1) < lo || byte(1) > hi) return 0;
  for (size_t i = 2; i < n; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
  }
  return n;
}

class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  bool Document(JsonKind* kind, std::span<JsonField> fields) {
    SkipSpace();
    if (!Value(0, kind, &fields, nullptr)) return false;
    SkipSpace();
    if (pos_ != s_.size()) return Fail("unexpected text after the JSON value");
    return true;
  }

  const std::string& error() const { return error_; }

 private:
  bool Fail(std::string_view what) {
    if (error_.empty()) {
      error_ = std::string(what) +
               (pos_ < s_.size() ? " at byte " + std::to_string(pos_) : std::string(" at the end"));
    }
    return false;
  }

  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t')) {
      ++pos_;
    }
  }

  bool Take(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  // A value at `depth`; when it is an object and `fields` is set, they are
  // filled in from its members; when it is a string and `text` is set, its
  // text is appended there.
  bool Value(size_t depth, JsonKind* kind, std::span<JsonField>* fields, std::string* text) {
    if (pos_ >= s_.size()) return Fail("expected a value");
    switch (s_[pos_]) {
      case '{':
        *kind = JsonKind::kObject;
        return Object(depth + 1, fields);
      case '[':
        *kind = JsonKind::kArray;
        return Array(depth + 1);
      case '"':
        *kind = JsonKind::kString;
        return String(text);
      case 't':
        *kind = JsonKind::kBool;
        return Literal("true");
      case 'f':
        *kind = JsonKind::kBool;
        return Literal("false");
      case 'n':
        *kind = JsonKind::kNull;
        return Literal("null");
      default:
        *kind = JsonKind::kNumber;
        return Number();
    }
  }

  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return Fail("expected a value");
    pos_ += word.size();
    return true;
  }

  bool Digits() {
    const size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  bool Number() {
    Take('-');
    if (Take('0')) {
      // no more digits: leading zeros are not JSON
    } else if (pos_ >= s_.size() || s_[pos_] < '1' || s_[pos_] > '9' || !Digits()) {
      return Fail("expected a value");
    }
    if (Take('.') && !Digits()) return Fail("expected digits after '.'");
    if (Take('e') || Take('E')) {
      if (!Take('+')) Take('-');
      if (!Digits()) return Fail("expected digits in the exponent");
    }
    return true;
  }

  bool Hex4(uint32_t* out) {
    if (s_.size() - pos_ < 4) return Fail("expected four hex digits after \\u");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[pos_];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return Fail("expected four hex digits after \\u");
      }
      ++pos_;
    }
    *out = v;
    return true;
  }

  // After "\u": one code point, two escapes for a surrogate pair.
  bool Unicode(std::string* out) {
    uint32_t cp = 0;
    if (!Hex4(&cp)) return false;
    if (cp >= 0xdc00 && cp <= 0xdfff) return Fail("lone low surrogate in \\u escape");
    if (cp >= 0xd800 && cp <= 0xdbff) {
      uint32_t low = 0;
      if (!Take('\\') || !Take('u')) return Fail("lone high surrogate in \\u escape");
      if (!Hex4(&low)) return false;
      if (low < 0xdc00 || low > 0xdfff) return Fail("lone high surrogate in \\u escape");
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
    }
    if (out != nullptr) AppendUtf8(*out, cp);
    return true;
  }

  // A string; its decoded text is appended to `out` unless null.
  bool String(std::string* out) {
    ++pos_;  // the opening quote
    while (true) {
      // Plain bytes in one piece.
      const size_t start = pos_;
      while (pos_ < s_.size()) {
        const auto c = static_cast<unsigned char>(s_[pos_]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++pos_;
      }
      if (out != nullptr) out->append(s_.data() + start, pos_ - start);
      if (pos_ >= s_.size()) return Fail("unterminated string");
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return Fail("control character in a string");
      if (c >= 0x80) {
        const size_t n = Utf8Length(s_.substr(pos_));
        if (n == 0) return Fail("invalid UTF-8 in a string");
        if (out != nullptr) out->append(s_.data() + pos_, n);
        pos_ += n;
        continue;
      }
      ++pos_;  // the backslash
      if (pos_ >= s_.size()) return Fail("unterminated string");
      const char e = s_[pos_++];
      char plain = 0;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          plain = e;
          break;
        case 'b':
          plain = '\b';
          break;
        case 'f':
          plain = '\f';
          break;
        case 'n':
          plain = '\n';
          break;
        case 'r':
          plain = '\r';
          break;
        case 't':
          plain = '\t';
          break;
        case 'u':
          if (!Unicode(out)) return false;
          continue;
        default:
          --pos_;
          return Fail("invalid escape in a string");
      }
      if (out != nullptr) *out += plain;
    }
  }

  bool Array(size_t depth) {
    if (depth > kMaxJsonDepth) return Fail("nested too deeply");
    ++pos_;  // '['
    SkipSpace();
    if (Take(']')) return true;
    while (true) {
      JsonKind kind;
      SkipSpace();
      if (!Value(depth, &kind, nullptr, nullptr)) return false;
      SkipSpace();
      if (Take(']')) return true;
      if (!Take(',')) return Fail("expected ',' or ']'");
    }
  }

  // An object; fills in `fields` from its members unless null (nested
  // objects).
  bool Object(size_t depth, std::span<JsonField>* fields) {
    if (depth > kMaxJsonDepth) return Fail("nested too deeply");
    ++pos_;  // '{'
    SkipSpace();
    if (Take('}')) return true;
    std::string name;
    while (true) {
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '"') return Fail("expected a member name");
      name.clear();
      if (!String(fields != nullptr ? &name : nullptr)) return false;
      SkipSpace();
      if (!Take(':')) return Fail("expected ':'");
      SkipSpace();
      JsonField* field = nullptr;
      if (fields != nullptr) {
        for (JsonField& f : *fields) {
          if (f.name == name) field = &f;
        }
      }
      JsonKind kind;
      if (field != nullptr) {
        // A name given again replaces its earlier value.
        field->present = true;
        field->text.clear();
        if (!Value(depth, &field->kind, nullptr, &field->text)) return false;
      } else if (!Value(depth, &kind, nullptr, nullptr)) {
        return false;
      }
      SkipSpace();
      if (Take('}')) return true;
      if (!Take(',')) return Fail("expected ',' or '}'");
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

bool ReadJson(std::string_view text, JsonKind* kind, std::span<JsonField> fields,
              std::string* error) {
  for (JsonField& f : fields) {
    f.present = false;
    f.kind = JsonKind::kNull;
    f.text.clear();
  }
  Reader reader(text);
  if (reader.Document(kind, fields)) return true;
  *error = reader.error();
  for (JsonField& f : fields) {
    f.present = false;
    f.kind = JsonKind::kNull;
    f.text.clear();
  }
  return false;
}

}  // namespace herald::chat
