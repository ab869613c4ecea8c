#include "herald/core/runtime/knowledge_index.h"

#include <gtest/gtest.h>

namespace herald::runtime {
namespace {

TEST(TermsTest, LowerCasedDistinctWithoutStopWordsOrSingleLetters) {
  EXPECT_EQ(Terms("The Refund policy: refunds, REFUND! a b 30 days"),
            (std::vector<std::string>{"refund", "policy", "refunds", "30", "days"}));
  EXPECT_TRUE(Terms("").empty());
  EXPECT_TRUE(Terms("is it a?").empty());
}

TEST(KnowledgeIndexTest, SplitsParagraphsAndRanksByOverlap) {
  KnowledgeIndex index({{"faq.md",
                         "Refunds are paid within 30 days.\n\nShipping takes 5 days to Europe.\n\n"
                         "Opening hours: 9 to 5."},
                        {"policy.md", "Refunds need a receipt.\nNo receipt, no refund."}});
  EXPECT_EQ(index.passage_count(), 4u);
  std::vector<Passage> hits = index.Search("How long do refunds take, and do I need a receipt?", 3);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].file, "policy.md");  // refunds + receipt
  EXPECT_EQ(hits[0].text, "Refunds need a receipt.\nNo receipt, no refund.");
  EXPECT_EQ(hits[1].file, "faq.md");
  EXPECT_EQ(hits[1].text, "Refunds are paid within 30 days.");
  EXPECT_GT(hits[0].score, hits[1].score);
  EXPECT_TRUE(index.Search("weather tomorrow", 3).empty());
}

TEST(KnowledgeIndexTest, DeterministicTiesKeepFileThenPassageOrder) {
  KnowledgeIndex index({{"a.md", "alpha one\n\nalpha two"}, {"b.md", "alpha three"}});
  for (int i = 0; i < 3; ++i) {
    std::vector<Passage> hits = index.Search("alpha", 5);
    ASSERT_EQ(hits.size(), 3u);
    EXPECT_EQ(hits[0].text, "alpha one");
    EXPECT_EQ(hits[1].text, "alpha two");
    EXPECT_EQ(hits[2].text, "alpha three");
  }
  EXPECT_EQ(index.Search("alpha", 1).size(), 1u);
}

TEST(KnowledgeIndexTest, CutsLongParagraphsAtSpaces) {
  std::string long_text;
  for (int i = 0; i < 300; ++i) long_text += "word" + std::to_string(i) + " ";
  KnowledgeIndex index({{"long.txt", long_text}});
  EXPECT_GT(index.passage_count(), 1u);
  std::vector<Passage> hits = index.Search("word299", 1);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_LE(hits[0].text.size(), KnowledgeIndex::kMaxPassageChars);
  EXPECT_NE(hits[0].text.find("word299"), std::string::npos);
}

}  // namespace
}  // namespace herald::runtime
