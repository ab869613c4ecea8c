// A plain-text table for human output: a header row and data rows, columns
// separated by two spaces and padded to the widest cell, measured in terminal
// columns (UTF-8 aware, so "✓" and "✗" count as one column and CJK as two).
// Lines never end in spaces (the last column is not padded). Control
// characters in cells (newlines, tabs) are printed as spaces so that a value
// can never break the layout.
#ifndef HERALD_CLI_TABLE_H_
#define HERALD_CLI_TABLE_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace herald::cli {

enum class Align { kLeft, kRight };

class Table {
 public:
  // One column per header; the headers are printed as given (e.g. "NAME").
  explicit Table(std::vector<std::string> headers);

  // Numbers read better right-aligned. Throws std::out_of_range for a bad column.
  void SetAlign(std::size_t column, Align align);

  // Throws std::invalid_argument unless there is exactly one cell per column.
  void AddRow(std::vector<std::string> cells);

  std::size_t row_count() const { return rows_.size(); }

  // Writes the header and the rows, one line each, every line ending in '\n'.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

// The number of terminal columns `utf8` takes: one per code point, except
// zero for combining marks and zero-width characters and two for East Asian
// wide and emoji characters. An invalid byte counts as one column.
std::size_t DisplayWidth(std::string_view utf8);

}  // namespace herald::cli

#endif  // HERALD_CLI_TABLE_H_
