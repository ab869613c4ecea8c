#include "cli/settings.h"

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

namespace herald::cli {
namespace {

Environment FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

ClientSettings Resolve(const std::vector<std::string>& tokens,
                       std::map<std::string, std::string> vars) {
  return ResolveClientSettings(ParseArgs(tokens, GlobalSpec()), FakeEnv(std::move(vars)));
}

class TokenFile {
 public:
  explicit TokenFile(const std::string& content)
      : path_(std::filesystem::temp_directory_path() /
              ("herald_token_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
               "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::ofstream(path_) << content;
  }
  ~TokenFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST(SettingsTest, Defaults) {
  ClientSettings s = Resolve({}, {});
  EXPECT_EQ(s.server_url, "http://127.0.0.1:8480");
  EXPECT_EQ(s.token, std::nullopt);
}

TEST(SettingsTest, ServerFromOptionThenEnvironment) {
  EXPECT_EQ(Resolve({}, {{"HERALD_URL", "http://env:1"}}).server_url, "http://env:1");
  EXPECT_EQ(Resolve({"--server", "http://opt:2"}, {{"HERALD_URL", "http://env:1"}}).server_url,
            "http://opt:2");
  EXPECT_EQ(Resolve({}, {{"HERALD_URL", ""}}).server_url, "http://127.0.0.1:8480");
}

TEST(SettingsTest, TokenFromOptionThenEnvironmentThenFile) {
  TokenFile file("  from-file\n");
  std::map<std::string, std::string> all = {{"HERALD_TOKEN", "from-env"},
                                            {"HERALD_TOKEN_FILE", file.path()}};
  EXPECT_EQ(Resolve({"--token=from-opt"}, all).token, "from-opt");
  EXPECT_EQ(Resolve({}, all).token, "from-env");
  EXPECT_EQ(Resolve({}, {{"HERALD_TOKEN_FILE", file.path()}}).token, "from-file");
  EXPECT_EQ(Resolve({}, {{"HERALD_TOKEN", ""}, {"HERALD_TOKEN_FILE", file.path()}}).token,
            "from-file");
}

TEST(SettingsTest, EmptyTokenFileMeansNoToken) {
  TokenFile file("\n");
  EXPECT_EQ(Resolve({}, {{"HERALD_TOKEN_FILE", file.path()}}).token, std::nullopt);
}

TEST(SettingsTest, UnreadableTokenFileIsAUsageError) {
  EXPECT_THROW(Resolve({}, {{"HERALD_TOKEN_FILE", "/nonexistent/herald/token"}}), UsageError);
}

}  // namespace
}  // namespace herald::cli
