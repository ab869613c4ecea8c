// Test support for the built-in auth-type plugins: a GoogleTest fixture that
// loads a built plugin library through FakeHost exactly as heraldd would, thin
// wrappers over its ABI calls, and the secret-leak check every plugin's test
// runs. Header-only.
#ifndef HERALD_PLUGINS_TESTING_AUTH_TEST_SUPPORT_HPP_
#define HERALD_PLUGINS_TESTING_AUTH_TEST_SUPPORT_HPP_

#include <gtest/gtest.h>
#include <herald/sdk/abi.h>
#include <herald/sdk/client.hpp>
#include <herald/sdk/testing/fake_host.hpp>
#include <herald/sdk/types.hpp>

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald::plugins::testing {

using Fields = std::map<std::string, std::string>;
using Header = std::pair<std::string, std::string>;
using Headers = std::vector<Header>;

// The fields of `problems`, in order.
inline std::vector<std::string> ProblemFields(const std::vector<sdk::Problem>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.field);
  return out;
}

// "field: message" per line, for failure output.
inline std::string Describe(const std::vector<sdk::Problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += "  [" + p.field + "] " + p.message + "\n";
  return out.empty() ? "  (no problems)\n" : out;
}

// The first piece of `canary` found in `text`: the whole canary or any run of
// at least 8 of its characters, so a truncated secret counts as a leak too.
inline std::optional<std::string> FindLeak(std::string_view text, std::string_view canary) {
  constexpr size_t kWindow = 8;
  if (text.find(canary) != std::string_view::npos) return std::string(canary);
  for (size_t i = 0; i + kWindow <= canary.size(); ++i) {
    std::string_view piece = canary.substr(i, kWindow);
    if (text.find(piece) != std::string_view::npos) return std::string(piece);
  }
  return std::nullopt;
}

// Loads the plugin library at `library_path` on a fresh FakeHost per test.
class AuthPluginTest : public ::testing::Test {
 protected:
  explicit AuthPluginTest(std::string library_path) : library_path_(std::move(library_path)) {}

  void SetUp() override {
    plugin_ = host_.StartLibrary(library_path_);
    ASSERT_TRUE(plugin_.ok()) << "cannot start " << library_path_ << ": " << plugin_.error;
    ASSERT_EQ(plugin_.descriptor().kind, HERALD_PLUGIN_AUTH_TYPE);
    ASSERT_NE(plugin_.descriptor().auth_type, nullptr);
    ASSERT_EQ(plugin_.descriptor().channel, nullptr);
  }

  const herald_plugin_descriptor& descriptor() const { return plugin_.descriptor(); }
  const herald_auth_type_vtable& vtable() const { return *plugin_.descriptor().auth_type; }
  sdk::AuthTypeClient client() const { return plugin_.auth_type(); }
  std::vector<sdk::FieldSpec> DeclaredFields() const { return sdk::FieldSpecs(vtable()); }

  // The plugin's problems with `fields`; the call itself must succeed.
  std::vector<sdk::Problem> Validate(const Fields& fields) const {
    std::vector<sdk::Problem> problems;
    sdk::CallResult r = client().Validate(sdk::Values(fields), &problems);
    EXPECT_TRUE(r.ok()) << "validate failed: " << r.error;
    return problems;
  }

  sdk::CallResult TryApply(const Fields& fields, sdk::AppliedAuth* out) const {
    return client().Apply(sdk::Values(fields), "GET", "https://api.example.com/v1/things", out);
  }

  // What the plugin adds to a request; the call must succeed.
  sdk::AppliedAuth Apply(const Fields& fields) const {
    sdk::AppliedAuth applied;
    sdk::CallResult r = TryApply(fields, &applied);
    EXPECT_TRUE(r.ok()) << "apply failed: " << r.error;
    return applied;
  }

  bool Satisfies(const Fields& fields, const sdk::SecurityScheme& scheme) const {
    bool satisfied = false;
    sdk::CallResult r = client().Satisfies(sdk::Values(fields), scheme, &satisfied);
    EXPECT_TRUE(r.ok()) << "satisfies failed: " << r.error;
    return satisfied;
  }

  // The secret-leak check. Each of `failing_inputs` must fail validation and
  // be refused by apply; for each, and for each of `schemes` asked of
  // satisfies, the canary must not appear (not even in part, see FindLeak) in
  // any problem field or message, any error string, or any host log line.
  void ExpectCanaryNeverSurfaces(std::string_view canary, const std::vector<Fields>& failing_inputs,
                                 const std::vector<sdk::SecurityScheme>& schemes) const {
    ASSERT_FALSE(failing_inputs.empty());
    for (size_t i = 0; i < failing_inputs.size(); ++i) {
      SCOPED_TRACE("failing input #" + std::to_string(i));
      const Fields& input = failing_inputs[i];

      bool canary_in_input = false;
      for (const auto& [k, v] : input)
        canary_in_input |= FindLeak(k + "\n" + v, canary).has_value();
      EXPECT_TRUE(canary_in_input) << "the input does not carry the canary";

      std::vector<sdk::Problem> problems;
      sdk::CallResult validated = client().Validate(sdk::Values(input), &problems);
      EXPECT_FALSE(problems.empty()) << "expected this input to fail validation";
      ExpectNoLeak("validate error", validated.error, canary);
      for (const auto& p : problems) {
        ExpectNoLeak("problem field", p.field, canary);
        ExpectNoLeak("problem message", p.message, canary);
      }

      sdk::AppliedAuth applied;
      sdk::CallResult apply = TryApply(input, &applied);
      EXPECT_FALSE(apply.ok()) << "apply must refuse fields that fail validation";
      EXPECT_FALSE(apply.error.empty()) << "apply must say why it refused";
      EXPECT_TRUE(applied.headers.empty() && applied.query.empty())
          << "a refused apply must not touch the request";
      ExpectNoLeak("apply error", apply.error, canary);

      for (const auto& scheme : schemes) {
        bool satisfied = false;
        sdk::CallResult r = client().Satisfies(sdk::Values(input), scheme, &satisfied);
        ExpectNoLeak("satisfies error", r.error, canary);
      }
    }
    ExpectNoLeak("host log", host_.AllLogText(), canary);
  }

  static void ExpectNoLeak(std::string_view where, std::string_view text, std::string_view canary) {
    std::optional<std::string> leak = FindLeak(text, canary);
    EXPECT_FALSE(leak.has_value())
        << where << " contains the secret (\"" << leak.value_or("") << "\"): " << text;
  }

  sdk::testing::FakeHost host_;
  sdk::testing::StartedPlugin plugin_;

 private:
  std::string library_path_;
};

}  // namespace herald::plugins::testing

#endif  // HERALD_PLUGINS_TESTING_AUTH_TEST_SUPPORT_HPP_
