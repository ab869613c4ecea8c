// Tests of the built "bearer" plugin library, loaded as heraldd loads it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/auth_test_support.hpp"

namespace herald::plugins::testing {
namespace {

using sdk::SecurityScheme;

class BearerTest : public AuthPluginTest {
 protected:
  BearerTest() : AuthPluginTest(HERALD_PLUGIN_PATH) {}
};

TEST_F(BearerTest, Descriptor) {
  EXPECT_EQ(sdk::ToView(descriptor().name), "bearer");
  EXPECT_EQ(sdk::ToView(descriptor().version), "1.0.0");
  EXPECT_FALSE(sdk::ToView(descriptor().description).empty());
  EXPECT_EQ(descriptor().abi_major, static_cast<uint32_t>(HERALD_ABI_MAJOR));
  EXPECT_EQ(descriptor().abi_minor, static_cast<uint32_t>(HERALD_ABI_MINOR));
  EXPECT_EQ(vtable().credential_types,
            static_cast<uint32_t>(HERALD_CREDENTIAL_TEAM | HERALD_CREDENTIAL_MEMBER));
  EXPECT_EQ(vtable().flags, 0u);
}

TEST_F(BearerTest, DeclaredFields) {
  std::vector<sdk::FieldSpec> fields = DeclaredFields();
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].name, "token");
  EXPECT_TRUE(fields[0].secret);
  EXPECT_TRUE(fields[0].required);
  EXPECT_EQ(fields[0].default_value, "");
  EXPECT_FALSE(fields[0].label.empty());
}

TEST_F(BearerTest, AppliesAuthorizationHeader) {
  sdk::AppliedAuth applied = Apply({{"token", "abc.DEF-123_~+/="}});
  EXPECT_EQ(applied.headers, (Headers{{"Authorization", "Bearer abc.DEF-123_~+/="}}));
  EXPECT_TRUE(applied.query.empty());
}

TEST_F(BearerTest, ValidTokenHasNoProblems) {
  EXPECT_TRUE(Validate({{"token", "eyJhbGciOiJIUzI1NiJ9.e30.sig"}}).empty());
}

TEST_F(BearerTest, ValidationProblemsNameTheTokenField) {
  const std::vector<Fields> bad = {
      {},                                   // missing
      {{"token", ""}},                      // empty
      {{"token", "abc def"}},               // space
      {{"token", "abc\tdef"}},              // tab
      {{"token", "abc\r\nX-Evil: 1"}},      // header injection
      {{"token", "abc\ndef"}},              // bare LF
      {{"token", std::string("a\0b", 3)}},  // NUL
      {{"token", "abc\x7f"}},               // DEL
      {{"token", "abc\x01"}},               // other control character
  };
  for (const Fields& fields : bad) {
    std::vector<sdk::Problem> problems = Validate(fields);
    EXPECT_EQ(ProblemFields(problems), (std::vector<std::string>{"token"})) << Describe(problems);
  }
}

TEST_F(BearerTest, ValidationMessagesSayWhatIsWrong) {
  EXPECT_EQ(Validate({}).at(0).message, "token is required");
  EXPECT_EQ(Validate({{"token", ""}}).at(0).message, "token must not be empty");
  EXPECT_EQ(Validate({{"token", "a b"}}).at(0).message, "token contains whitespace");
  EXPECT_EQ(Validate({{"token", "a\r\nb"}}).at(0).message, "token contains a line break");
  EXPECT_EQ(Validate({{"token", "a\x01"}}).at(0).message, "token contains a control character");
}

TEST_F(BearerTest, ApplyRefusesInvalidToken) {
  sdk::AppliedAuth applied;
  sdk::CallResult r = TryApply({{"token", "a\r\nb"}}, &applied);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("token contains a line break"), std::string::npos) << r.error;
  EXPECT_TRUE(applied.headers.empty());
}

TEST_F(BearerTest, SatisfiesHttpBearerOnly) {
  const Fields fields = {{"token", "t"}};
  EXPECT_TRUE(Satisfies(fields, SecurityScheme::Http("bearer")));
  EXPECT_TRUE(Satisfies(fields, SecurityScheme::Http("Bearer")));
  EXPECT_TRUE(Satisfies({}, SecurityScheme::Http("bearer")));  // only non-secret fields passed
  EXPECT_FALSE(Satisfies(fields, SecurityScheme::Http("basic")));
  EXPECT_FALSE(Satisfies(fields, SecurityScheme::Http("digest")));
  EXPECT_FALSE(Satisfies(fields, SecurityScheme::Http("")));
  EXPECT_FALSE(Satisfies(fields, SecurityScheme::ApiKey("header", "Authorization")));
  SecurityScheme api_key_named_bearer = SecurityScheme::ApiKey("header", "bearer");
  api_key_named_bearer.scheme = "bearer";
  EXPECT_FALSE(Satisfies(fields, api_key_named_bearer));
}

TEST_F(BearerTest, SecretNeverLeaks) {
  const std::string canary = "CANARY-s3cr3t-bearer";
  const std::vector<Fields> failing = {
      {{"token", canary + " trailing"}},
      {{"token", "lead\t" + canary}},
      {{"token", canary + "\r\nX-Evil: 1"}},
      {{"token", canary + "\n"}},
      {{"token", canary + std::string(1, '\0')}},
      {{"token", canary + "\x7f"}},
      {{"token", canary + "\x1b"}},
      {{"tokn", canary}},  // misspelt field: token missing
  };
  ExpectCanaryNeverSurfaces(canary, failing,
                            {SecurityScheme::Http("bearer"), SecurityScheme::Http("basic"),
                             SecurityScheme::ApiKey("header", "x-api-key")});

  // The check is not vacuous: the canary does reach the request when valid.
  EXPECT_EQ(Apply({{"token", canary}}).headers, (Headers{{"Authorization", "Bearer " + canary}}));
  ExpectNoLeak("host log", host_.AllLogText(), canary);
}

}  // namespace
}  // namespace herald::plugins::testing
