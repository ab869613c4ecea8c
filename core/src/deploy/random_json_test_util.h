// Test support: random JSON values and text for the property tests of the
// snapshot's JSON writers, and Poco's own answers to compare them with.
#ifndef HERALD_CORE_DEPLOY_RANDOM_JSON_TEST_UTIL_H_
#define HERALD_CORE_DEPLOY_RANDOM_JSON_TEST_UTIL_H_

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "herald/core/json_text.h"

namespace herald::deploy::testing {

// Text as Poco reads and writes it back, or "(unparsable)".
inline std::string PocoRoundTrip(const std::string& json) {
  try {
    return CompactJson(Poco::JSON::Parser().parse(json));
  } catch (const Poco::Exception&) {
    return "(unparsable)";
  }
}

// A channel's stored settings as a snapshot held them before it was written
// without Poco: parsed (empty text as "{}", unparsable text as an empty
// object), then written by Poco.
inline std::string PocoSettings(const std::string& json) {
  try {
    return CompactJson(Poco::JSON::Parser().parse(json.empty() ? "{}" : json));
  } catch (const Poco::Exception&) {
    return "{}";
  }
}

class RandomJson {
 public:
  explicit RandomJson(uint64_t seed) : random_(seed) {}

  // With `canonical_only`, only values whose condensed text Poco reads back
  // as it is and IsCanonicalJsonObject must accept: well-formed UTF-8, keys
  // without bytes to escape, integers of at most 18 digits, finite doubles.
  void set_canonical_only(bool only) { canonical_only_ = only; }

  int Below(int n) { return static_cast<int>(random_() % static_cast<uint64_t>(n)); }
  bool OneIn(int n) { return Below(n) == 0; }

  // Short text from pieces that JSON writers get wrong: control characters,
  // quotes, backslashes, slashes, DEL, UTF-8 of 2 to 4 bytes, U+FFFF and
  // U+10FFFF, and (unless canonical_only) bytes that are not UTF-8.
  std::string Text(bool key = false) {
    static const std::vector<std::string> kPieces = {"a",
                                                     "b",
                                                     "Z",
                                                     "0",
                                                     " ",
                                                     "/",
                                                     "</",
                                                     "-",
                                                     "_",
                                                     ".",
                                                     "{",
                                                     "}",
                                                     "[",
                                                     "]",
                                                     ":",
                                                     ",",
                                                     "\x7f",
                                                     "\xc3\xa9",
                                                     "\xe2\x9c\x93",
                                                     "\xf0\x9f\x98\x80",
                                                     "\xef\xbf\xbf",
                                                     "\xf4\x8f\xbf\xbf",
                                                     "\xc2\x80",
                                                     "\xed\x9f\xbf",
                                                     "\xee\x80\x80",
                                                     "hello",
                                                     "https://x.example/a?b=c&d"};
    static const std::vector<std::string> kEscaped = {
        "\"", "\\", "\n", "\t", "\r", "\b", "\f", std::string(1, '\0'), "\x01", "\x1f"};
    static const std::vector<std::string> kNotUtf8 = {
        "\xff", "\xc0\x80", "\x80", "\xe2\x9c", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5"};
    std::string out;
    const int n = Below(9);
    for (int i = 0; i < n; ++i) {
      const int kind = Below(10);
      if (kind == 0 && !(canonical_only_ && key)) {
        out += kEscaped[static_cast<size_t>(Below(static_cast<int>(kEscaped.size())))];
      } else if (kind == 1 && !canonical_only_) {
        out += kNotUtf8[static_cast<size_t>(Below(static_cast<int>(kNotUtf8.size())))];
      } else {
        out += kPieces[static_cast<size_t>(Below(static_cast<int>(kPieces.size())))];
      }
    }
    return out;
  }

  int64_t Integer() {
    switch (Below(6)) {
      case 0:
        return Below(3) - 1;
      case 1:
        return static_cast<int64_t>(random_() % 1000) - 500;
      case 2:
        return static_cast<int64_t>(random_() % 100000000000LL) - 50000000000LL;
      case 3:
        // Up to 18 digits, or 15 when negative (canonical_only).
        if (OneIn(2)) return static_cast<int64_t>(random_() % 999999999999999999LL);
        return -static_cast<int64_t>(random_() %
                                     (canonical_only_ ? 999999999999999LL : 999999999999999999LL));
      default: {
        if (canonical_only_) return static_cast<int64_t>(random_() % 1000000);
        return OneIn(2) ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(random_());
      }
    }
  }

  double Double() {
    static const double kKnown[] = {0.0,  -0.0, 1.0,  1.5,   0.1,     2.25, -3.75,   1e21,
                                    1e-7, 1e15, 1e16, 1e300, 5e-324,  0.3,  1.0 / 3, 123456.789,
                                    2.5,  100,  1e-5, 1e22,  -1e-300, 4.35, 0.000123};
    switch (Below(4)) {
      case 0:
        return kKnown[Below(static_cast<int>(sizeof kKnown / sizeof kKnown[0]))];
      case 1:
        return static_cast<double>(Below(1000)) / 100.0;
      case 2:
        return std::uniform_real_distribution<double>(-1e6, 1e6)(random_);
      default: {
        double d = 0;
        for (;;) {
          const uint64_t bits = random_();
          std::memcpy(&d, &bits, sizeof d);
          if (std::isfinite(d) || !canonical_only_) return d;
        }
      }
    }
  }

  // A value; objects and arrays down to `depth` levels.
  Poco::Dynamic::Var Value(int depth) {
    switch (Below(depth > 0 ? 8 : 6)) {
      case 0:
        return Text();
      case 1:
        return Integer();
      case 2:
        return Double();
      case 3:
        return OneIn(2);
      case 4:
        return Poco::Dynamic::Var();
      case 5:
        return Text();
      case 6:
        return Object(depth - 1);
      default: {
        Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
        const int n = Below(4);
        for (int i = 0; i < n; ++i) a->add(Value(depth - 1));
        return a;
      }
    }
  }

  Poco::JSON::Object::Ptr Object(int depth) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    const int n = Below(5);
    for (int i = 0; i < n; ++i) o->set(Text(/*key=*/true), Value(depth));
    return o;
  }

  // `text` with one byte inserted, removed or replaced: mostly not JSON,
  // or JSON in some other form.
  std::string Mutated(std::string text) {
    static const char kBytes[] = " \t\n{}[]:,\"\\/0123456789-+.eEtfnul\x01\x7f\x80\xc3\xff";
    const size_t at = text.empty() ? 0 : static_cast<size_t>(random_() % (text.size() + 1));
    const char byte = kBytes[Below(static_cast<int>(sizeof kBytes - 1))];
    switch (Below(3)) {
      case 0:
        text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), byte);
        break;
      case 1:
        if (at < text.size()) text.erase(at, 1);
        break;
      default:
        if (at < text.size()) text[at] = byte;
        break;
    }
    return text;
  }

 private:
  std::mt19937_64 random_;
  bool canonical_only_ = false;
};

}  // namespace herald::deploy::testing

#endif  // HERALD_CORE_DEPLOY_RANDOM_JSON_TEST_UTIL_H_
