#include "deploy/canonical_json.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberFormatter.h>
#include <Poco/NumberParser.h>
#include <Poco/UTF8String.h>

#include <array>
#include <charconv>
#include <cstring>

#include "herald/core/json_text.h"

namespace herald::deploy {
namespace {

// The bytes Poco's writer escapes inside a string.
constexpr std::array<bool, 256> kEscaped = [] {
  std::array<bool, 256> escaped{};
  for (int c = 0; c < 0x20; ++c) escaped[c] = true;
  escaped['"'] = true;
  escaped['\\'] = true;
  return escaped;
}();

// Poco's escape of each of those bytes (\n, \u001F, \", ...), taken from
// Poco itself so that they cannot differ.
const std::array<std::string, 128>& Escapes() {
  static const std::array<std::string, 128> escapes = [] {
    std::array<std::string, 128> out;
    for (int c = 0; c < 128; ++c) {
      if (!kEscaped[c]) continue;
      const std::string one(1, static_cast<char>(c));
      out[c] = Poco::UTF8::escape(one.begin(), one.end(), true);
    }
    return out;
  }();
  return escapes;
}

// Whether a byte of `word` is 0, with no false answer either way (the
// classic test: a borrow can only start at a zero byte).
bool HasZeroByte(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  return ((word - kOnes) & ~word & kHighs) != 0;
}

// Whether one of the eight bytes of `word` is one to escape.
bool HoldsEscaped(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  const bool below_space = ((word - kOnes * 0x20) & ~word & kHighs) != 0;
  return below_space || HasZeroByte(word ^ (kOnes * '"')) || HasZeroByte(word ^ (kOnes * '\\'));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One pass over a JSON text that succeeds only if the text is Poco's
// condensed form of what Poco's parser reads from it (see
// IsCanonicalJsonObject). Each method starts at its value's first byte and
// leaves `p_` just past it.
class CanonicalCheck {
 public:
  explicit CanonicalCheck(std::string_view text)
      : p_(text.data()), end_(text.data() + text.size()) {}

  bool WholeObject() { return p_ < end_ && *p_ == '{' && Object() && p_ == end_; }

 private:
  static constexpr int kMaxDepth = 64;

  bool Value() {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{':
        return Object();
      case '[':
        return Array();
      case '"':
        return String(nullptr);
      case 't':
        return Word("true");
      case 'f':
        return Word("false");
      case 'n':
        return Word("null");
      default:
        return Number();
    }
  }

  // Keys strictly ascending in byte order, as Poco's std::map keeps them
  // (no duplicates: Poco would drop all but the last). A key with an escape
  // would have to be compared decoded: such text is left to Poco.
  bool Object() {
    if (++depth_ > kMaxDepth) return false;
    ++p_;
    if (p_ < end_ && *p_ == '}') return Close();
    std::string_view previous;
    for (bool first = true;; first = false) {
      std::string_view key;
      if (p_ == end_ || *p_ != '"' || !String(&key)) return false;
      if (!first && !(previous < key)) return false;
      previous = key;
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      if (!Value()) return false;
      if (p_ == end_) return false;
      if (*p_ == '}') return Close();
      if (*p_ != ',') return false;
      ++p_;
    }
  }

  bool Array() {
    if (++depth_ > kMaxDepth) return false;
    ++p_;
    if (p_ < end_ && *p_ == ']') return Close();
    for (;;) {
      if (!Value()) return false;
      if (p_ == end_) return false;
      if (*p_ == ']') return Close();
      if (*p_ != ',') return false;
      ++p_;
    }
  }

  bool Close() {
    ++p_;
    --depth_;
    return true;
  }

  // A string Poco writes back as it is: only its escapes for the bytes it
  // escapes, and every other byte as it is, in well-formed UTF-8 (which
  // Poco's parser insists on). With `key`, its bytes, and no escape at all.
  bool String(std::string_view* key) {
    const char* start = ++p_;
    const std::array<std::string, 128>& escapes = Escapes();
    while (p_ < end_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        if (key != nullptr) *key = std::string_view(start, static_cast<size_t>(p_ - start));
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c < 0x80 && c != '\\') {
        ++p_;
        continue;
      }
      if (c == '\\') {
        if (key != nullptr) return false;
        const int escaped = Escaped();
        if (escaped < 0 || !kEscaped[escaped]) return false;
        const std::string& poco = escapes[escaped];
        if (static_cast<size_t>(end_ - p_) < poco.size() ||
            std::string_view(p_, poco.size()) != poco) {
          return false;
        }
        p_ += poco.size();
        continue;
      }
      if (!Utf8Sequence()) return false;
    }
    return false;
  }

  // The byte an escape at `p_` stands for, if it is an ASCII one; else -1.
  int Escaped() const {
    if (end_ - p_ < 2) return -1;
    switch (p_[1]) {
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'u': {
        if (end_ - p_ < 6) return -1;
        int value = 0;
        for (int i = 2; i < 6; ++i) {
          const int digit = HexValue(p_[i]);
          if (digit < 0) return -1;
          value = value * 16 + digit;
        }
        return value < 0x80 ? value : -1;
      }
      default:
        return -1;
    }
  }

  // A well-formed UTF-8 sequence of two to four bytes (Unicode's table
  // 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
  bool Utf8Sequence() {
    const auto lead = static_cast<unsigned char>(*p_);
    int trail = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      trail = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      trail = 2;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      trail = 3;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (end_ - p_ <= trail) return false;
    for (int i = 1; i <= trail; ++i) {
      const auto c = static_cast<unsigned char>(p_[i]);
      if (c < low || c > high) return false;
      low = 0x80;
      high = 0xBF;
    }
    p_ += trail + 1;
    return true;
  }

  bool Word(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  // A number Poco writes back as it is. Poco reads a number with neither
  // fraction nor exponent as an integer and writes its digits; but it
  // clamps one beyond int64, and reads a negative one through a double,
  // exact only up to 2^53 (> 10^15). It reads any other number as a double,
  // which it writes in its shortest form, so that form alone comes back.
  bool Number() {
    const char* start = p_;
    if (*p_ == '-') ++p_;
    const char* digits = p_;
    if (p_ == end_ || !IsDigit(*p_)) return false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ < end_ && IsDigit(*p_)) ++p_;
    }
    const size_t integer_digits = static_cast<size_t>(p_ - digits);
    bool integral = true;
    if (p_ < end_ && *p_ == '.') {
      integral = false;
      ++p_;
      if (p_ == end_ || !IsDigit(*p_)) return false;
      while (p_ < end_ && IsDigit(*p_)) ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      integral = false;
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !IsDigit(*p_)) return false;
      while (p_ < end_ && IsDigit(*p_)) ++p_;
    }
    const std::string_view text(start, static_cast<size_t>(p_ - start));
    if (integral) {
      if (*start == '-') return integer_digits <= 15 && text != "-0";
      return integer_digits <= 18;
    }
    double value = 0;
    if (!Poco::NumberParser::tryParseFloat(std::string(text), value)) return false;
    std::string written;
    Poco::NumberFormatter::append(written, value);
    return written == text;
  }

  const char* p_;
  const char* const end_;
  int depth_ = 0;
};

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  size_t plain = 0;
  size_t i = 0;
  while (i < text.size()) {
    // Eight bytes at a time while none of them is to be escaped: most text
    // has no such byte at all.
    if (text.size() - i >= 8) {
      uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof word);
      if (!HoldsEscaped(word)) {
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (kEscaped[c]) {
      out.append(text, plain, i - plain);
      out += Escapes()[c];
      plain = i + 1;
    }
    ++i;
  }
  out.append(text, plain);
  out += '"';
}

void AppendJsonInt(std::string& out, int64_t value) {
  char digits[24];
  const std::to_chars_result end = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end.ptr);
}

void AppendJsonDouble(std::string& out, double value) { Poco::NumberFormatter::append(out, value); }

bool IsCanonicalJsonObject(std::string_view json) { return CanonicalCheck(json).WholeObject(); }

std::string CanonicalJson(const std::string& json) {
  if (json.empty()) return "{}";
  if (IsCanonicalJsonObject(json)) return json;
  try {
    return CompactJson(Poco::JSON::Parser().parse(json));
  } catch (const Poco::Exception&) {
    return "{}";
  }
}

}  // namespace herald::deploy
