#include "voice_catalog.h"

#include <gtest/gtest.h>

namespace herald::voice {
namespace {

// A catalogue shaped like espeak-ng's own (see speech_test.cc for the real one).
VoiceCatalog Catalog() {
  return VoiceCatalog(
      {
          {"English (Great Britain)", "gmw/en", {{2, "en-gb"}, {2, "en"}}},
          {"English (America)", "gmw/en-US", {{2, "en-us"}, {3, "en"}}},
          {"German", "gmw/de", {{5, "de"}}},
          {"Portuguese (Brazil)", "roa/pt-BR", {{5, "pt-br"}, {6, "pt"}}},
          {"Chinese (Mandarin)", "sit/cmn", {{5, "cmn"}, {5, "zh"}}},
      },
      {{"female3", "f3"}, {"Klatt", "klatt"}});
}

TEST(VoiceCatalog, ResolvesEveryNameOfAVoice) {
  VoiceCatalog c = Catalog();
  for (const char* name : {"en-us", "EN-US", "gmw/en-US", "English (America)", "en-US"}) {
    auto v = c.ResolveVoice(name);
    ASSERT_TRUE(v.ok()) << name << ": " << v.status().message();
    EXPECT_EQ(*v, "gmw/en-US") << name;
  }
  EXPECT_EQ(*c.ResolveVoice("zh"), "sit/cmn");
  // A language several voices speak goes to the one ranked first for it.
  EXPECT_EQ(*c.ResolveVoice("en"), "gmw/en");
}

TEST(VoiceCatalog, ResolvesVariantsByFileOrName) {
  VoiceCatalog c = Catalog();
  EXPECT_EQ(*c.ResolveVoice("en-us+f3"), "gmw/en-US+f3");
  EXPECT_EQ(*c.ResolveVoice("de+Klatt"), "gmw/de+klatt");
  EXPECT_EQ(*c.ResolveVoice("en-us+female3"), "gmw/en-US+f3");
}

TEST(VoiceCatalog, UnknownVoicesAndVariantsAreNamed) {
  VoiceCatalog c = Catalog();
  auto v = c.ResolveVoice("robot");
  EXPECT_EQ(v.status().code(), Code::kInvalidArgument);
  EXPECT_NE(v.status().message().find("unknown voice 'robot'"), std::string::npos);
  auto variant = c.ResolveVoice("en-us+bogus");
  EXPECT_NE(variant.status().message().find("unknown voice variant 'bogus'"), std::string::npos);
  EXPECT_FALSE(c.ResolveVoice("+f3").ok());
  EXPECT_FALSE(c.ResolveVoice("").ok());
}

TEST(VoiceCatalog, ResolvesLanguagesByTagThenPrimarySubtag) {
  VoiceCatalog c = Catalog();
  EXPECT_EQ(*c.ResolveLanguage("en-US"), "gmw/en-US");
  EXPECT_EQ(*c.ResolveLanguage("en_us"), "gmw/en-US");
  EXPECT_EQ(*c.ResolveLanguage("en-GB"), "gmw/en");
  EXPECT_EQ(*c.ResolveLanguage("de-AT"), "gmw/de");  // via "de"
  EXPECT_EQ(*c.ResolveLanguage("pt-BR"), "roa/pt-BR");
  auto unknown = c.ResolveLanguage("xx-YY");
  EXPECT_EQ(unknown.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(unknown.status().message(), "unknown language 'xx-YY' (espeak-ng has no voice for it)");
}

}  // namespace
}  // namespace herald::voice
