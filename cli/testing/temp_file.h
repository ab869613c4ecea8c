// TempFile: a file with given content in a directory of its own under the
// system's temporary directory, both removed by the destructor. For tests of
// commands that read files (tools import, --field NAME=@PATH, key files).
#ifndef HERALD_CLI_TESTING_TEMP_FILE_H_
#define HERALD_CLI_TESTING_TEMP_FILE_H_

#include <filesystem>
#include <string>

namespace herald::cli::testing {

class TempFile {
 public:
  // `name` is the file's name within its directory.
  TempFile(const std::string& name, const std::string& content);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  std::string path() const { return path_.string(); }
  std::string dir() const { return dir_.string(); }

 private:
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

}  // namespace herald::cli::testing

#endif  // HERALD_CLI_TESTING_TEMP_FILE_H_
