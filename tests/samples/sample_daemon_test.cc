// The samples, built out of tree against the installed SDK, loaded by the real
// heraldd from a --plugin-dir and listed by the real CLI.
#include <gtest/gtest.h>

#include "daemon_harness.h"

namespace herald::testing {
namespace {

TEST(SampleDaemonTest, HeralddLoadsTheOutOfTreeSamples) {
  TempDir dir;
  RunningDaemon daemon(dir.path() / "data", {"--plugin-dir", HERALD_SAMPLES_PLUGIN_DIR});
  ASSERT_TRUE(daemon.ok()) << daemon.error();
  ProcessResult plugins = daemon.Cli({"plugins"});
  ASSERT_EQ(plugins.exit_code, 0) << plugins.err;
  EXPECT_NE(plugins.out.find("sample_echo"), std::string::npos) << plugins.out;
  EXPECT_NE(plugins.out.find("sample_key_pair"), std::string::npos) << plugins.out;
  EXPECT_EQ(plugins.out.find("Refused:"), std::string::npos) << plugins.out;
}

}  // namespace
}  // namespace herald::testing
