// Tests of the built "api_key" plugin library, loaded as heraldd loads it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/auth_test_support.hpp"

namespace herald::plugins::testing {
namespace {

using sdk::SecurityScheme;

class ApiKeyTest : public AuthPluginTest {
 protected:
  ApiKeyTest() : AuthPluginTest(HERALD_PLUGIN_PATH) {}
};

TEST_F(ApiKeyTest, Descriptor) {
  EXPECT_EQ(sdk::ToView(descriptor().name), "api_key");
  EXPECT_EQ(sdk::ToView(descriptor().version), "1.0.0");
  EXPECT_FALSE(sdk::ToView(descriptor().description).empty());
  EXPECT_EQ(descriptor().abi_major, static_cast<uint32_t>(HERALD_ABI_MAJOR));
  EXPECT_EQ(descriptor().abi_minor, static_cast<uint32_t>(HERALD_ABI_MINOR));
  EXPECT_EQ(vtable().credential_types,
            static_cast<uint32_t>(HERALD_CREDENTIAL_TEAM | HERALD_CREDENTIAL_MEMBER));
  EXPECT_EQ(vtable().flags, 0u);
}

TEST_F(ApiKeyTest, DeclaredFields) {
  std::vector<sdk::FieldSpec> fields = DeclaredFields();
  ASSERT_EQ(fields.size(), 3u);

  EXPECT_EQ(fields[0].name, "key");
  EXPECT_TRUE(fields[0].secret);
  EXPECT_TRUE(fields[0].required);
  EXPECT_EQ(fields[0].default_value, "");

  EXPECT_EQ(fields[1].name, "name");
  EXPECT_FALSE(fields[1].secret);
  EXPECT_FALSE(fields[1].required);
  EXPECT_EQ(fields[1].default_value, "x-api-key");

  EXPECT_EQ(fields[2].name, "location");
  EXPECT_FALSE(fields[2].secret);
  EXPECT_FALSE(fields[2].required);
  EXPECT_EQ(fields[2].default_value, "header");

  for (const auto& f : fields) EXPECT_FALSE(f.label.empty()) << f.name;
}

TEST_F(ApiKeyTest, AppliesDefaultHeader) {
  sdk::AppliedAuth applied = Apply({{"key", "k-123"}});
  EXPECT_EQ(applied.headers, (Headers{{"x-api-key", "k-123"}}));
  EXPECT_TRUE(applied.query.empty());
}

TEST_F(ApiKeyTest, AppliesNamedHeader) {
  sdk::AppliedAuth applied =
      Apply({{"key", "k-123"}, {"name", "X-Custom-Key"}, {"location", "header"}});
  EXPECT_EQ(applied.headers, (Headers{{"X-Custom-Key", "k-123"}}));
  EXPECT_TRUE(applied.query.empty());
}

TEST_F(ApiKeyTest, AppliesQueryParameter) {
  sdk::AppliedAuth applied = Apply({{"key", "k 1&2"}, {"name", "api_key"}, {"location", "query"}});
  EXPECT_TRUE(applied.headers.empty());
  // Encoding the query string is the host's job: the raw value goes through.
  EXPECT_EQ(applied.query, (Headers{{"api_key", "k 1&2"}}));
}

TEST_F(ApiKeyTest, AppliesQueryParameterUnderDefaultName) {
  sdk::AppliedAuth applied = Apply({{"key", "k"}, {"location", "query"}});
  EXPECT_EQ(applied.query, (Headers{{"x-api-key", "k"}}));
}

TEST_F(ApiKeyTest, ValidFieldsHaveNoProblems) {
  EXPECT_TRUE(Validate({{"key", "k"}}).empty());
  EXPECT_TRUE(Validate({{"key", "k"}, {"name", "X-Key"}, {"location", "header"}}).empty());
  EXPECT_TRUE(Validate({{"key", "k"}, {"name", "api key[0]"}, {"location", "query"}}).empty());
}

TEST_F(ApiKeyTest, KeyProblems) {
  struct Case {
    Fields fields;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{}, "key is required"},
      {{{"key", ""}}, "key must not be empty"},
      {{{"key", "a\r\nX-Evil: 1"}}, "key contains a line break"},
      {{{"key", "a\n"}}, "key contains a line break"},
      {{{"key", std::string("a\0b", 3)}}, "key contains a control character"},
      {{{"key", "a\x7f"}}, "key contains a control character"},
      {{{"key", ""}, {"location", "query"}, {"name", "k"}}, "key must not be empty"},
  };
  for (const Case& c : cases) {
    std::vector<sdk::Problem> problems = Validate(c.fields);
    ASSERT_EQ(problems.size(), 1u) << Describe(problems);
    EXPECT_EQ(problems[0], (sdk::Problem{"key", c.message}));
  }
}

TEST_F(ApiKeyTest, LocationProblems) {
  for (const char* location : {"", "cookie", "Header", "body", "path"}) {
    std::vector<sdk::Problem> problems = Validate({{"key", "k"}, {"location", location}});
    ASSERT_EQ(problems.size(), 1u) << location << "\n" << Describe(problems);
    EXPECT_EQ(problems[0], (sdk::Problem{"location", "location must be \"header\" or \"query\""}));
  }
}

TEST_F(ApiKeyTest, HeaderNameProblems) {
  std::vector<sdk::Problem> empty = Validate({{"key", "k"}, {"name", ""}});
  EXPECT_EQ(empty, (std::vector<sdk::Problem>{{"name", "name must not be empty"}}));
  empty = Validate({{"key", "k"}, {"name", ""}, {"location", "query"}});
  EXPECT_EQ(empty, (std::vector<sdk::Problem>{{"name", "name must not be empty"}}));

  for (const char* name : {"X Key", "X-Key:", "X-Key\r\n", "(key)", "k\xc3\xa9y", "a/b", "\"k\""}) {
    std::vector<sdk::Problem> problems = Validate({{"key", "k"}, {"name", name}});
    EXPECT_EQ(ProblemFields(problems), (std::vector<std::string>{"name"})) << name << "\n"
                                                                           << Describe(problems);
  }
  // Any RFC 7230 token is a header name.
  EXPECT_TRUE(Validate({{"key", "k"}, {"name", "!#$%&'*+-.^_`|~09azAZ"}}).empty());
}

TEST_F(ApiKeyTest, QueryNameProblems) {
  std::vector<sdk::Problem> problems =
      Validate({{"key", "k"}, {"name", "a\r\nb"}, {"location", "query"}});
  EXPECT_EQ(problems, (std::vector<sdk::Problem>{{"name", "name contains a line break"}}));
}

TEST_F(ApiKeyTest, EveryProblemAtOnce) {
  std::vector<sdk::Problem> problems = Validate({{"name", "bad name"}, {"location", "cookie"}});
  EXPECT_EQ(ProblemFields(problems), (std::vector<std::string>{"key", "location"}))
      << Describe(problems);
  problems = Validate({{"key", "a\nb"}, {"name", "bad name"}});
  EXPECT_EQ(ProblemFields(problems), (std::vector<std::string>{"key", "name"}))
      << Describe(problems);
}

TEST_F(ApiKeyTest, ApplyRefusesInvalidFields) {
  sdk::AppliedAuth applied;
  sdk::CallResult r = TryApply({{"key", "k"}, {"location", "cookie"}}, &applied);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("location must be"), std::string::npos) << r.error;
  EXPECT_TRUE(applied.headers.empty());
  EXPECT_TRUE(applied.query.empty());
}

TEST_F(ApiKeyTest, SatisfiesMatchingHeaderScheme) {
  // Defaults: header x-api-key. Header names compare case-insensitively.
  EXPECT_TRUE(Satisfies({}, SecurityScheme::ApiKey("header", "x-api-key")));
  EXPECT_TRUE(Satisfies({}, SecurityScheme::ApiKey("header", "X-API-Key")));
  const Fields named = {{"name", "X-Token"}, {"location", "header"}};
  EXPECT_TRUE(Satisfies(named, SecurityScheme::ApiKey("header", "x-token")));
  EXPECT_TRUE(Satisfies(named, SecurityScheme::ApiKey("header", "X-Token")));
  // The secret key may or may not be passed; it changes nothing.
  EXPECT_TRUE(
      Satisfies({{"key", "k"}, {"name", "X-Token"}}, SecurityScheme::ApiKey("header", "X-TOKEN")));
}

TEST_F(ApiKeyTest, SatisfiesMatchingQueryScheme) {
  const Fields query = {{"name", "api_key"}, {"location", "query"}};
  EXPECT_TRUE(Satisfies(query, SecurityScheme::ApiKey("query", "api_key")));
  // Query parameter names compare exactly.
  EXPECT_FALSE(Satisfies(query, SecurityScheme::ApiKey("query", "API_KEY")));
  EXPECT_FALSE(Satisfies(query, SecurityScheme::ApiKey("query", "api_key ")));
}

TEST_F(ApiKeyTest, DoesNotSatisfyOtherSchemes) {
  const Fields header = {{"name", "X-Token"}, {"location", "header"}};
  EXPECT_FALSE(Satisfies(header, SecurityScheme::ApiKey("header", "X-Other")));
  EXPECT_FALSE(Satisfies(header, SecurityScheme::ApiKey("query", "X-Token")));
  EXPECT_FALSE(Satisfies(header, SecurityScheme::ApiKey("cookie", "X-Token")));
  EXPECT_FALSE(Satisfies(header, SecurityScheme::ApiKey("Header", "X-Token")));
  EXPECT_FALSE(Satisfies(header, SecurityScheme::Http("bearer")));
  EXPECT_FALSE(Satisfies(header, SecurityScheme::Http("basic")));

  const Fields query = {{"name", "X-Token"}, {"location", "query"}};
  EXPECT_FALSE(Satisfies(query, SecurityScheme::ApiKey("header", "X-Token")));
  EXPECT_FALSE(Satisfies(query, SecurityScheme::ApiKey("query", "other")));

  // Invalid configurations satisfy nothing.
  EXPECT_FALSE(Satisfies({{"location", "cookie"}}, SecurityScheme::ApiKey("cookie", "x-api-key")));
  EXPECT_FALSE(Satisfies({{"name", ""}}, SecurityScheme::ApiKey("header", "")));
  EXPECT_FALSE(Satisfies({{"name", "bad name"}}, SecurityScheme::ApiKey("header", "bad name")));

  // An http scheme carrying apiKey-looking data is still not an apiKey scheme.
  SecurityScheme http = SecurityScheme::Http("basic");
  http.in = "header";
  http.name = "x-api-key";
  EXPECT_FALSE(Satisfies({}, http));
}

TEST_F(ApiKeyTest, SecretNeverLeaks) {
  const std::string canary = "CANARY-s3cr3t-api_key";
  const std::vector<Fields> failing = {
      // The key itself is wrong.
      {{"key", canary + "\r\nX-Evil: 1"}},
      {{"key", canary + "\n"}, {"location", "query"}, {"name", "k"}},
      {{"key", canary + std::string(1, '\0')}},
      {{"key", canary + "\x7f"}},
      {{"key", "\x1b" + canary}},
      // The key is fine; another field is wrong (and carries the canary too).
      {{"key", canary}, {"location", "cookie"}},
      {{"key", canary}, {"location", canary}},
      {{"key", canary}, {"name", ""}},
      {{"key", canary}, {"name", canary + " x"}},
      {{"key", canary}, {"name", canary + ":"}},
      {{"key", canary}, {"name", canary + "\r\n"}, {"location", "query"}},
      // The key is missing or empty.
      {{"name", canary}, {"location", "header"}},
      {{"key", ""}, {"name", canary}},
      {{"kye", canary}},
  };
  ExpectCanaryNeverSurfaces(
      canary, failing,
      {SecurityScheme::ApiKey("header", "x-api-key"), SecurityScheme::ApiKey("query", canary),
       SecurityScheme::ApiKey("header", canary), SecurityScheme::Http("bearer")});

  EXPECT_EQ(Apply({{"key", canary}}).headers, (Headers{{"x-api-key", canary}}));
  EXPECT_EQ(Apply({{"key", canary}, {"location", "query"}}).query,
            (Headers{{"x-api-key", canary}}));
  ExpectNoLeak("host log", host_.AllLogText(), canary);
}

}  // namespace
}  // namespace herald::plugins::testing
