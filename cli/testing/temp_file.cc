#include "cli/testing/temp_file.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace herald::cli::testing {

TempFile::TempFile(const std::string& name, const std::string& content) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "herald-cli-test-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = buffer.data();
  path_ = dir_ / name;
  std::ofstream out(path_, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path_.string());
}

TempFile::~TempFile() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace herald::cli::testing
