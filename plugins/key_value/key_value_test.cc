// Tests of the built "key_value" plugin library, loaded as heraldd loads it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/auth_test_support.hpp"

namespace herald::plugins::testing {
namespace {

using sdk::SecurityScheme;

class KeyValueTest : public AuthPluginTest {
 protected:
  KeyValueTest() : AuthPluginTest(HERALD_PLUGIN_PATH) {}
};

TEST_F(KeyValueTest, Descriptor) {
  EXPECT_EQ(sdk::ToView(descriptor().name), "key_value");
  EXPECT_EQ(sdk::ToView(descriptor().version), "1.0.0");
  EXPECT_FALSE(sdk::ToView(descriptor().description).empty());
  EXPECT_EQ(descriptor().abi_major, static_cast<uint32_t>(HERALD_ABI_MAJOR));
  EXPECT_EQ(descriptor().abi_minor, static_cast<uint32_t>(HERALD_ABI_MINOR));
}

TEST_F(KeyValueTest, TeamCredentialsOnly) {
  EXPECT_EQ(vtable().credential_types, static_cast<uint32_t>(HERALD_CREDENTIAL_TEAM));
}

TEST_F(KeyValueTest, ArbitraryFieldsAndNoDeclaredFields) {
  EXPECT_EQ(vtable().flags, static_cast<uint32_t>(HERALD_AUTH_ARBITRARY_FIELDS));
  EXPECT_TRUE(DeclaredFields().empty());
}

TEST_F(KeyValueTest, AppliesEveryPairAsAHeader) {
  sdk::AppliedAuth applied =
      Apply({{"X-Api-Key", "k1"}, {"X-Tenant", "acme corp"}, {"Authorization", "Token abc"}});
  // In field-name order (the host hands fields over sorted by name).
  EXPECT_EQ(
      applied.headers,
      (Headers{{"Authorization", "Token abc"}, {"X-Api-Key", "k1"}, {"X-Tenant", "acme corp"}}));
  EXPECT_TRUE(applied.query.empty());
}

TEST_F(KeyValueTest, AppliesASinglePair) {
  EXPECT_EQ(Apply({{"x-key", "v"}}).headers, (Headers{{"x-key", "v"}}));
}

TEST_F(KeyValueTest, ValidFieldsHaveNoProblems) {
  EXPECT_TRUE(Validate({{"X-Api-Key", "k"}}).empty());
  EXPECT_TRUE(
      Validate({{"!#$%&'*+-.^_`|~09azAZ", "v"}, {"X-B", "any printable value: ok"}}).empty());
  EXPECT_TRUE(Validate({{"X-Utf8", "gr\xc3\xbc\xc3\x9f"}}).empty());
}

TEST_F(KeyValueTest, AtLeastOnePair) {
  std::vector<sdk::Problem> problems = Validate({});
  EXPECT_EQ(problems,
            (std::vector<sdk::Problem>{{"", "at least one header name/value pair is required"}}));
  sdk::AppliedAuth applied;
  EXPECT_FALSE(TryApply({}, &applied).ok());
}

TEST_F(KeyValueTest, InvalidHeaderNames) {
  for (const char* name : {"X Key", "X-Key:", "X-Key\r\n", "(key)", "k\xc3\xa9y", "a/b", "a\tb"}) {
    std::vector<sdk::Problem> problems = Validate({{name, "v"}, {"X-Good", "v"}});
    EXPECT_EQ(problems, (std::vector<sdk::Problem>{
                            {name,
                             "a header name is not a valid HTTP header name (an RFC 7230 token: "
                             "letters, digits and !#$%&'*+-.^_`|~ only)"}}))
        << Describe(problems);
  }
  std::vector<sdk::Problem> problems = Validate({{"", "v"}});
  EXPECT_EQ(problems, (std::vector<sdk::Problem>{{"", "a header name is empty"}}));
}

TEST_F(KeyValueTest, InvalidValues) {
  struct Case {
    std::string value;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", "the value of header \"X-Key\" is empty"},
      {"a\r\nX-Evil: 1", "the value of header \"X-Key\" contains a line break"},
      {"a\n", "the value of header \"X-Key\" contains a line break"},
      {"\ra", "the value of header \"X-Key\" contains a line break"},
      {std::string("a\0b", 3), "the value of header \"X-Key\" contains a control character"},
      {"a\tb", "the value of header \"X-Key\" contains a control character"},
      {"a\x7f", "the value of header \"X-Key\" contains a control character"},
      {"\x1b[0m", "the value of header \"X-Key\" contains a control character"},
  };
  for (const Case& c : cases) {
    std::vector<sdk::Problem> problems = Validate({{"X-Key", c.value}, {"X-Good", "v"}});
    EXPECT_EQ(problems, (std::vector<sdk::Problem>{{"X-Key", c.message}})) << Describe(problems);
  }
  // A value problem under an invalid name does not echo the name.
  std::vector<sdk::Problem> problems = Validate({{"bad name", "a\nb"}});
  EXPECT_EQ(ProblemFields(problems), (std::vector<std::string>{"bad name", "bad name"}));
  EXPECT_EQ(problems.at(1).message, "the value of a header contains a line break");
}

TEST_F(KeyValueTest, CaseInsensitiveDuplicateNames) {
  std::vector<sdk::Problem> problems =
      Validate({{"Authorization", "a"}, {"authorization", "b"}, {"X-Other", "c"}});
  EXPECT_EQ(problems, (std::vector<sdk::Problem>{
                          {"authorization",
                           "header \"authorization\" duplicates header \"Authorization\" (header "
                           "names are case-insensitive)"}}));

  problems = Validate({{"X-KEY", "a"}, {"X-Key", "b"}, {"x-key", "c"}});
  EXPECT_EQ(ProblemFields(problems), (std::vector<std::string>{"X-Key", "x-key"}))
      << Describe(problems);

  sdk::AppliedAuth applied;
  sdk::CallResult r = TryApply({{"Authorization", "a"}, {"AUTHORIZATION", "b"}}, &applied);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("duplicates"), std::string::npos) << r.error;
  EXPECT_TRUE(applied.headers.empty());
}

TEST_F(KeyValueTest, EveryProblemIsReported) {
  std::vector<sdk::Problem> problems =
      Validate({{"X-A", ""}, {"X B", "v"}, {"x-a", "v\n"}, {"X-C", "fine"}});
  EXPECT_EQ(ProblemFields(problems), (std::vector<std::string>{"X B", "X-A", "x-a", "x-a"}))
      << Describe(problems);
}

TEST_F(KeyValueTest, NeverSatisfiesAScheme) {
  const Fields fields = {{"Authorization", "Bearer t"}, {"x-api-key", "k"}};
  EXPECT_FALSE(Satisfies(fields, SecurityScheme::ApiKey("header", "x-api-key")));
  EXPECT_FALSE(Satisfies(fields, SecurityScheme::ApiKey("header", "Authorization")));
  EXPECT_FALSE(Satisfies(fields, SecurityScheme::ApiKey("query", "x-api-key")));
  EXPECT_FALSE(Satisfies(fields, SecurityScheme::Http("bearer")));
  EXPECT_FALSE(Satisfies(fields, SecurityScheme::Http("basic")));
  EXPECT_FALSE(Satisfies({}, SecurityScheme::Http("bearer")));
}

TEST_F(KeyValueTest, SecretNeverLeaks) {
  const std::string canary = "CANARY-s3cr3t-key_value";
  const std::vector<Fields> failing = {
      {{"X-Key", canary + "\r\nX-Evil: 1"}},
      {{"X-Key", canary + "\n"}},
      {{"X-Key", "\r" + canary}},
      {{"X-Key", canary + std::string(1, '\0')}},
      {{"X-Key", canary + "\t"}},
      {{"X-Key", canary + "\x7f"}},
      {{"X Key", canary}},
      {{"X-Key:", canary}},
      {{"", canary}},
      {{"X-Key", canary}, {"x-key", canary}},
      {{"X-Key", canary}, {"X-Empty", ""}},
      {{"X-Key", canary}, {"bad name", canary + "\r\n"}},
  };
  ExpectCanaryNeverSurfaces(
      canary, failing,
      {SecurityScheme::ApiKey("header", "X-Key"), SecurityScheme::Http("bearer"),
       SecurityScheme::ApiKey("query", canary)});

  // The check is not vacuous: the canary does reach the request when valid.
  EXPECT_EQ(Apply({{"X-Key", canary}}).headers, (Headers{{"X-Key", canary}}));
  ExpectNoLeak("host log", host_.AllLogText(), canary);
}

}  // namespace
}  // namespace herald::plugins::testing
