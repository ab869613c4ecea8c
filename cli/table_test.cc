#include "cli/table.h"

#include <sstream>

#include <gtest/gtest.h>

namespace herald::cli {
namespace {

std::string Render(const Table& table) {
  std::ostringstream out;
  table.Print(out);
  return out.str();
}

TEST(TableTest, AlignsColumnsToTheWidestCell) {
  Table table({"NAME", "KIND", "PATH"});
  table.AddRow({"bearer", "auth_type", "/a.so"});
  table.AddRow({"x", "channel", "/long/path.so"});
  EXPECT_EQ(Render(table),
            "NAME    KIND       PATH\n"
            "bearer  auth_type  /a.so\n"
            "x       channel    /long/path.so\n");
}

TEST(TableTest, HeaderOnlyWhenNoRows) {
  Table table({"A", "B"});
  EXPECT_EQ(table.row_count(), 0u);
  EXPECT_EQ(Render(table), "A  B\n");
}

TEST(TableTest, CheckMarksCountAsOneColumn) {
  Table table({"OK", "NAME"});
  table.AddRow({"✓", "alpha"});
  table.AddRow({"✗", "beta"});
  EXPECT_EQ(Render(table),
            "OK  NAME\n"
            "✓   alpha\n"
            "✗   beta\n");
}

TEST(TableTest, WideCharactersCountAsTwoColumns) {
  Table table({"NAME", "X"});
  table.AddRow({"日本", "1"});
  EXPECT_EQ(Render(table),
            "NAME  X\n"
            "日本  1\n");
}

TEST(TableTest, RightAlignedColumn) {
  Table table({"NAME", "COUNT"});
  table.SetAlign(1, Align::kRight);
  table.AddRow({"a", "7"});
  table.AddRow({"b", "1234"});
  EXPECT_EQ(Render(table),
            "NAME  COUNT\n"
            "a         7\n"
            "b      1234\n");
}

TEST(TableTest, NoTrailingSpacesWhenTrailingCellsAreEmpty) {
  Table table({"A", "B", "C"});
  table.AddRow({"x", "", ""});
  EXPECT_EQ(Render(table),
            "A  B  C\n"
            "x\n");
}

TEST(TableTest, ControlCharactersCannotBreakTheLayout) {
  Table table({"A", "B"});
  table.AddRow({"line\nbreak", "tab\there"});
  EXPECT_EQ(Render(table),
            "A           B\n"
            "line break  tab here\n");
}

TEST(TableTest, RowWithWrongCellCountIsRejected) {
  Table table({"A", "B"});
  EXPECT_THROW(table.AddRow({"only one"}), std::invalid_argument);
  EXPECT_THROW(table.SetAlign(2, Align::kRight), std::out_of_range);
}

TEST(DisplayWidthTest, CountsTerminalColumns) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("✓"), 1u);          // U+2713, three bytes
  EXPECT_EQ(DisplayWidth("✗ no"), 4u);       // U+2717
  EXPECT_EQ(DisplayWidth("é"), 1u);          // precomposed
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1u);  // e + combining acute
  EXPECT_EQ(DisplayWidth("漢字"), 4u);
  EXPECT_EQ(DisplayWidth("\xF0\x9F\x98\x80"), 2u);  // emoji
  EXPECT_EQ(DisplayWidth("a\xFF"
                         "b"),
            3u);                            // invalid byte counts as one
  EXPECT_EQ(DisplayWidth("\xE2\x9C"), 2u);  // truncated sequence: two invalid bytes
}

}  // namespace
}  // namespace herald::cli
