#include "store/generation_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace herald::store {
namespace {

std::shared_ptr<const std::string> Value(const std::string& text) {
  return std::make_shared<const std::string>(text);
}

// An entry is found only at the generation it was read at; one found at
// another is gone for good, even at its own generation afterwards.
TEST(GenerationCacheTest, AnEntryHoldsOnlyAtItsGeneration) {
  GenerationCache<std::string> cache(4);
  EXPECT_EQ(cache.Find("a", 1), nullptr);
  cache.Put("a", 7, Value("seven"));
  ASSERT_NE(cache.Find("a", 7), nullptr);
  EXPECT_EQ(*cache.Find("a", 7), "seven");
  EXPECT_EQ(cache.Find("a", 8), nullptr);
  EXPECT_EQ(cache.Find("a", 7), nullptr);
  EXPECT_EQ(cache.size(), 0u);
  cache.Put("a", 8, Value("eight"));
  cache.Put("a", 9, Value("nine"));  // replaces
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(*cache.Find("a", 9), "nine");
}

// Past its capacity the least recently used entry goes, a found entry
// counting as used; a reader's copy of an evicted entry stays good.
TEST(GenerationCacheTest, KeepsAtMostItsCapacityDroppingTheLeastRecentlyUsed) {
  GenerationCache<std::string> cache(2);
  cache.Put("a", 1, Value("a"));
  cache.Put("b", 1, Value("b"));
  std::shared_ptr<const std::string> held = cache.Find("a", 1);  // b is now the oldest
  cache.Put("c", 1, Value("c"));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Find("b", 1), nullptr);
  ASSERT_NE(cache.Find("c", 1), nullptr);  // a is now the oldest
  cache.Put("d", 1, Value("d"));
  EXPECT_EQ(cache.Find("a", 1), nullptr);
  ASSERT_NE(cache.Find("d", 1), nullptr);
  EXPECT_EQ(*held, "a");

  GenerationCache<std::string> none(0);
  none.Put("a", 1, Value("a"));
  EXPECT_EQ(none.Find("a", 1), nullptr);
}

}  // namespace
}  // namespace herald::store
