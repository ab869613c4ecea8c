#include "welcome_cache.h"

#include <gtest/gtest.h>

namespace herald::voice {
namespace {

TEST(WelcomeCache, RendersOncePerContentWhileHeld) {
  int calls = 0;
  WelcomeCache cache([&](const std::string& text, const Voice& voice) -> StatusOr<std::string> {
    ++calls;
    return text + "|" + voice.name + "|" + std::to_string(voice.words_per_minute);
  });
  Voice v{"gmw/en-US", 175};
  auto a = cache.Get("Hello", v);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)->wav, "Hello|gmw/en-US|175");
  EXPECT_EQ((*a)->key, WelcomeCache::KeyOf("Hello", v));
  EXPECT_EQ((*a)->key.size(), 64u);

  auto again = cache.Get("Hello", v);
  EXPECT_EQ(a->get(), again->get());
  EXPECT_EQ(calls, 1);

  // Text, voice and rate each make a different entry.
  cache.Get("Hello!", v);
  cache.Get("Hello", Voice{"gmw/de", 175});
  auto faster = cache.Get("Hello", Voice{"gmw/en-US", 200});
  EXPECT_EQ(calls, 4);
  EXPECT_NE((*faster)->key, (*a)->key);

  // Nobody holds the three temporaries: they are not kept.
  EXPECT_EQ(cache.live_entries(), 2u);
  a = Status::Internal("x");
  again = Status::Internal("x");
  EXPECT_EQ(cache.live_entries(), 1u);
  cache.Get("Hello", v);
  EXPECT_EQ(calls, 5);
  EXPECT_EQ(cache.renders(), 5u);
}

TEST(WelcomeCache, PassesTheRenderError) {
  WelcomeCache cache([](const std::string&, const Voice&) -> StatusOr<std::string> {
    return Status::Internal("espeak-ng failed");
  });
  auto r = cache.Get("Hi", Voice{});
  EXPECT_EQ(r.status().message(), "espeak-ng failed");
  EXPECT_EQ(cache.live_entries(), 0u);
}

}  // namespace
}  // namespace herald::voice
