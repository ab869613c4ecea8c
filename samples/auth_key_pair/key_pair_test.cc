// Unit tests for sample_key_pair, without heraldd: FakeHost plays the host and
// the plugin is driven through the C ABI (AuthTypeClient), as heraldd does.
#include "key_pair_auth.hpp"

#include <herald/sdk/client.hpp>
#include <herald/sdk/testing/fake_host.hpp>

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using herald::sdk::AppliedAuth;
using herald::sdk::Problem;
using herald::sdk::SecurityScheme;
using herald::sdk::Values;
using herald::sdk::testing::FakeHost;
using herald::sdk::testing::StartedPlugin;

constexpr char kSecret[] = "s3cr3t-0123456789abcdef";

const herald_plugin_descriptor* Descriptor() {
  return herald::sdk::AuthTypeDescriptor<sample_key_pair::KeyPairAuth>(
      sample_key_pair::kName, sample_key_pair::kVersion, sample_key_pair::kDescription);
}

// A std::map spelled out: Values({{"name", "value"}}) with a single pair is
// ambiguous (std::map's iterator-pair constructor matches two const char*).
using Map = std::map<std::string, std::string>;

Values Fields(Map overrides = {}) {
  Map fields{{"key_id", "app-1234"}, {"secret", kSecret}};
  for (auto& [k, v] : overrides) fields[k] = v;
  return Values(std::move(fields));
}

std::vector<Problem> ProblemsOf(const StartedPlugin& plugin, const Values& fields) {
  std::vector<Problem> problems;
  auto r = plugin.auth_type().Validate(fields, &problems);
  EXPECT_TRUE(r.ok()) << r.error;
  return problems;
}

bool SatisfiesScheme(const StartedPlugin& plugin, const Values& fields,
                     const SecurityScheme& scheme) {
  bool satisfied = false;
  auto r = plugin.auth_type().Satisfies(fields, scheme, &satisfied);
  EXPECT_TRUE(r.ok()) << r.error;
  return satisfied;
}

TEST(KeyPairAuth, DeclaresItsFields) {
  FakeHost host;
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  EXPECT_EQ(plugin.descriptor().kind, HERALD_PLUGIN_AUTH_TYPE);

  const herald_auth_type_vtable& vt = plugin.auth_type().vtable();
  EXPECT_EQ(vt.credential_types, static_cast<uint32_t>(HERALD_CREDENTIAL_TEAM));
  EXPECT_EQ(vt.flags, 0u);  // fixed field names, not one header per field

  auto fields = herald::sdk::FieldSpecs(vt);
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0].name, "key_id");
  EXPECT_FALSE(fields[0].secret);
  EXPECT_TRUE(fields[0].required);
  EXPECT_EQ(fields[1].name, "secret");
  EXPECT_TRUE(fields[1].secret);
  EXPECT_TRUE(fields[1].required);
  EXPECT_EQ(fields[2].name, "header");
  EXPECT_FALSE(fields[2].required);
  EXPECT_EQ(fields[2].default_value, "X-Api-Key");
}

TEST(KeyPairAuth, AcceptsGoodFields) {
  FakeHost host;
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  EXPECT_TRUE(ProblemsOf(plugin, Fields()).empty());
  EXPECT_TRUE(ProblemsOf(plugin, Fields({{"header", "X-Partner-Key"}})).empty());
}

TEST(KeyPairAuth, ProblemsNameTheFieldAndNeverQuoteTheSecret) {
  FakeHost host;
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;

  for (const std::string bad :
       {"tooshort", "has a space in it, long enough", "line\r\nbreak-long"}) {
    auto problems = ProblemsOf(plugin, Fields({{"secret", bad}}));
    ASSERT_EQ(problems.size(), 1u) << bad;
    EXPECT_EQ(problems[0].field, "secret");
    EXPECT_EQ(problems[0].message.find(bad), std::string::npos) << problems[0].message;
  }

  auto problems = ProblemsOf(plugin, Values());
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], (Problem{"key_id", "is required"}));
  EXPECT_EQ(problems[1], (Problem{"secret", "is required"}));

  problems = ProblemsOf(plugin, Fields({{"key_id", "app 1"}, {"header", "X Bad"}}));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].field, "key_id");
  EXPECT_EQ(problems[1].field, "header");
}

TEST(KeyPairAuth, ApplyAddsBothHeaders) {
  FakeHost host;
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;

  AppliedAuth applied;
  auto r = plugin.auth_type().Apply(Fields(), "GET", "https://api.example.com/v1/items", &applied);
  ASSERT_TRUE(r.ok()) << r.error;
  using Header = std::pair<std::string, std::string>;
  EXPECT_EQ(applied.headers,
            (std::vector<Header>{{"X-Api-Key-Id", "app-1234"}, {"X-Api-Key", kSecret}}));
  EXPECT_TRUE(applied.query.empty());

  AppliedAuth custom;
  ASSERT_TRUE(plugin.auth_type()
                  .Apply(Fields({{"header", "X-Partner-Key"}}), "POST", "https://x/", &custom)
                  .ok());
  EXPECT_EQ(custom.headers,
            (std::vector<Header>{{"X-Partner-Key-Id", "app-1234"}, {"X-Partner-Key", kSecret}}));
}

TEST(KeyPairAuth, ApplyFailsWithoutLeakingTheSecret) {
  FakeHost host;
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;

  AppliedAuth applied;
  auto r =
      plugin.auth_type().Apply(Values(Map{{"secret", kSecret}}), "GET", "https://x/", &applied);
  EXPECT_EQ(r.status, HERALD_STATUS_ERROR);
  EXPECT_EQ(r.error, "key_id and secret must both be set");
  EXPECT_TRUE(applied.headers.empty());
  EXPECT_EQ(host.AllLogText().find(kSecret), std::string::npos);
}

TEST(KeyPairAuth, SatisfiesApiKeyHeaderSchemes) {
  FakeHost host;
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  // Satisfies sees only the non-secret fields.
  Values fields(Map{{"key_id", "app-1234"}});

  EXPECT_TRUE(SatisfiesScheme(plugin, fields, SecurityScheme::ApiKey("header", "X-Api-Key")));
  EXPECT_TRUE(SatisfiesScheme(plugin, fields, SecurityScheme::ApiKey("header", "x-api-key-id")));
  EXPECT_FALSE(SatisfiesScheme(plugin, fields, SecurityScheme::ApiKey("query", "X-Api-Key")));
  EXPECT_FALSE(SatisfiesScheme(plugin, fields, SecurityScheme::ApiKey("header", "X-Other")));
  EXPECT_FALSE(SatisfiesScheme(plugin, fields, SecurityScheme::Http("bearer")));

  Values custom(Map{{"key_id", "app-1234"}, {"header", "X-Partner-Key"}});
  EXPECT_TRUE(SatisfiesScheme(plugin, custom, SecurityScheme::ApiKey("header", "X-Partner-Key")));
  EXPECT_FALSE(SatisfiesScheme(plugin, custom, SecurityScheme::ApiKey("header", "X-Api-Key")));
}

TEST(KeyPairAuth, ConcurrentApply) {
  FakeHost host;
  StartedPlugin plugin = host.Start(Descriptor());
  ASSERT_TRUE(plugin.ok()) << plugin.error;

  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&plugin, t] {
      auto auth = plugin.auth_type();
      Values fields = Fields({{"key_id", "app-" + std::to_string(t)}});
      for (int i = 0; i < 200; ++i) {
        AppliedAuth applied;
        ASSERT_TRUE(auth.Apply(fields, "GET", "https://x/", &applied).ok());
        ASSERT_EQ(applied.headers.size(), 2u);
        EXPECT_EQ(applied.headers[0].second, "app-" + std::to_string(t));
      }
    });
  }
  for (auto& t : threads) t.join();
}

// The built shared library, loaded with RTLD_NOW | RTLD_LOCAL and started
// through its exported `herald_plugin` alias, as heraldd does it.
TEST(KeyPairAuth, LoadsAsASharedLibrary) {
  FakeHost host;
  StartedPlugin plugin = host.StartLibrary(SAMPLE_KEY_PAIR_LIBRARY);
  ASSERT_TRUE(plugin.ok()) << plugin.error;
  EXPECT_EQ(herald::sdk::ToView(plugin.descriptor().name), "sample_key_pair");
  EXPECT_EQ(plugin.descriptor().kind, HERALD_PLUGIN_AUTH_TYPE);

  AppliedAuth applied;
  ASSERT_TRUE(plugin.auth_type().Apply(Fields(), "GET", "https://x/", &applied).ok());
  ASSERT_EQ(applied.headers.size(), 2u);
  EXPECT_EQ(applied.headers[0].first, "X-Api-Key-Id");
}

}  // namespace
