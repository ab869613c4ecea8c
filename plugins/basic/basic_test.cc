// Tests of the built "basic" plugin library, loaded as heraldd loads it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/auth_test_support.hpp"

namespace herald::plugins::testing {
namespace {

using sdk::SecurityScheme;

class BasicTest : public AuthPluginTest {
 protected:
  BasicTest() : AuthPluginTest(HERALD_PLUGIN_PATH) {}
};

TEST_F(BasicTest, Descriptor) {
  EXPECT_EQ(sdk::ToView(descriptor().name), "basic");
  EXPECT_EQ(sdk::ToView(descriptor().version), "1.0.0");
  EXPECT_FALSE(sdk::ToView(descriptor().description).empty());
  EXPECT_EQ(descriptor().abi_major, static_cast<uint32_t>(HERALD_ABI_MAJOR));
  EXPECT_EQ(descriptor().abi_minor, static_cast<uint32_t>(HERALD_ABI_MINOR));
  EXPECT_EQ(vtable().credential_types,
            static_cast<uint32_t>(HERALD_CREDENTIAL_TEAM | HERALD_CREDENTIAL_MEMBER));
  EXPECT_EQ(vtable().flags, 0u);
}

TEST_F(BasicTest, DeclaredFields) {
  std::vector<sdk::FieldSpec> fields = DeclaredFields();
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].name, "username");
  EXPECT_FALSE(fields[0].secret);
  EXPECT_TRUE(fields[0].required);
  EXPECT_EQ(fields[0].default_value, "");
  EXPECT_EQ(fields[1].name, "password");
  EXPECT_TRUE(fields[1].secret);
  EXPECT_TRUE(fields[1].required);
  EXPECT_EQ(fields[1].default_value, "");
  for (const auto& f : fields) EXPECT_FALSE(f.label.empty()) << f.name;
}

TEST_F(BasicTest, AppliesRfc7617Example) {
  sdk::AppliedAuth applied = Apply({{"username", "Aladdin"}, {"password", "open sesame"}});
  EXPECT_EQ(applied.headers, (Headers{{"Authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="}}));
  EXPECT_TRUE(applied.query.empty());
}

TEST_F(BasicTest, AppliesUtf8AndColonsInPassword) {
  // RFC 7617 section 2.1: UTF-8; the password may contain colons.
  // base64("test:123£") and base64("user:pa:ss").
  EXPECT_EQ(Apply({{"username", "test"}, {"password", "123\xc2\xa3"}}).headers,
            (Headers{{"Authorization", "Basic dGVzdDoxMjPCow=="}}));
  EXPECT_EQ(Apply({{"username", "user"}, {"password", "pa:ss"}}).headers,
            (Headers{{"Authorization", "Basic dXNlcjpwYTpzcw=="}}));
}

TEST_F(BasicTest, LongCredentialsAreNotLineWrapped) {
  // Poco::Base64Encoder wraps at 72 characters unless told not to; a header
  // value must be one line. 100 bytes in -> 136 base64 characters out.
  const std::string username(49, 'u');
  const std::string password(50, 'p');
  sdk::AppliedAuth applied = Apply({{"username", username}, {"password", password}});
  ASSERT_EQ(applied.headers.size(), 1u);
  const std::string& value = applied.headers[0].second;
  EXPECT_EQ(value.find_first_of("\r\n"), std::string::npos);
  EXPECT_EQ(value.size(), std::string("Basic ").size() + 136);
  EXPECT_EQ(value.substr(0, 10), "Basic dXV1");
}

TEST_F(BasicTest, ValidFieldsHaveNoProblems) {
  EXPECT_TRUE(Validate({{"username", "Aladdin"}, {"password", "open sesame"}}).empty());
  EXPECT_TRUE(Validate({{"username", "j\xc3\xb6rg"}, {"password", "p:a:s:s"}}).empty());
}

TEST_F(BasicTest, UsernameProblems) {
  struct Case {
    Fields fields;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{{"password", "p"}}, "username is required"},
      {{{"username", ""}, {"password", "p"}}, "username must not be empty"},
      {{{"username", "ali:baba"}, {"password", "p"}},
       "username must not contain a colon (RFC 7617)"},
      {{{"username", ":"}, {"password", "p"}}, "username must not contain a colon (RFC 7617)"},
      {{{"username", "ali\r\n"}, {"password", "p"}},
       "username contains a control character (RFC 7617)"},
      {{{"username", "ali\x7f"}, {"password", "p"}},
       "username contains a control character (RFC 7617)"},
  };
  for (const Case& c : cases) {
    std::vector<sdk::Problem> problems = Validate(c.fields);
    EXPECT_EQ(problems, (std::vector<sdk::Problem>{{"username", c.message}})) << Describe(problems);
  }
}

TEST_F(BasicTest, PasswordProblems) {
  struct Case {
    Fields fields;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{{"username", "u"}}, "password is required"},
      {{{"username", "u"}, {"password", ""}}, "password must not be empty"},
      {{{"username", "u"}, {"password", "p\n"}},
       "password contains a control character (RFC 7617)"},
      {{{"username", "u"}, {"password", std::string("p\0", 2)}},
       "password contains a control character (RFC 7617)"},
      {{{"username", "u"}, {"password", "\tp"}},
       "password contains a control character (RFC 7617)"},
  };
  for (const Case& c : cases) {
    std::vector<sdk::Problem> problems = Validate(c.fields);
    EXPECT_EQ(problems, (std::vector<sdk::Problem>{{"password", c.message}})) << Describe(problems);
  }
}

TEST_F(BasicTest, BothFieldsWrong) {
  std::vector<sdk::Problem> problems = Validate({});
  EXPECT_EQ(ProblemFields(problems), (std::vector<std::string>{"username", "password"}));
  problems = Validate({{"username", "a:b"}, {"password", "x\r\n"}});
  EXPECT_EQ(ProblemFields(problems), (std::vector<std::string>{"username", "password"}));
}

TEST_F(BasicTest, ApplyRefusesInvalidFields) {
  sdk::AppliedAuth applied;
  sdk::CallResult r = TryApply({{"username", "a:b"}, {"password", "p"}}, &applied);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("username must not contain a colon"), std::string::npos) << r.error;
  EXPECT_TRUE(applied.headers.empty());
}

TEST_F(BasicTest, SatisfiesHttpBasicOnly) {
  const Fields fields = {{"username", "u"}};  // the password is secret: not passed
  EXPECT_TRUE(Satisfies(fields, SecurityScheme::Http("basic")));
  EXPECT_TRUE(Satisfies(fields, SecurityScheme::Http("Basic")));
  EXPECT_TRUE(Satisfies({{"username", "u"}, {"password", "p"}}, SecurityScheme::Http("BASIC")));
  EXPECT_FALSE(Satisfies(fields, SecurityScheme::Http("bearer")));
  EXPECT_FALSE(Satisfies(fields, SecurityScheme::Http("digest")));
  EXPECT_FALSE(Satisfies(fields, SecurityScheme::Http("basic ")));
  EXPECT_FALSE(Satisfies(fields, SecurityScheme::ApiKey("header", "Authorization")));
  SecurityScheme api_key = SecurityScheme::ApiKey("header", "Authorization");
  api_key.scheme = "basic";
  EXPECT_FALSE(Satisfies(fields, api_key));
}

TEST_F(BasicTest, SecretNeverLeaks) {
  const std::string canary = "CANARY-s3cr3t-basic";
  const std::vector<Fields> failing = {
      // The password is wrong.
      {{"username", "u"}, {"password", canary + "\r\n"}},
      {{"username", "u"}, {"password", canary + std::string(1, '\0')}},
      {{"username", "u"}, {"password", "\x1b" + canary}},
      {{"username", "u"}, {"password", canary + "\x7f"}},
      // The username is wrong (and carries the canary too).
      {{"username", canary + ":" + canary}, {"password", canary}},
      {{"username", canary + "\n"}, {"password", canary}},
      {{"username", ""}, {"password", canary}},
      {{"password", canary}},
      // The password is missing or empty.
      {{"username", canary}},
      {{"username", canary}, {"password", ""}},
      {{"username", canary}, {"passwd", canary}},
  };
  ExpectCanaryNeverSurfaces(canary, failing,
                            {SecurityScheme::Http("basic"), SecurityScheme::Http("bearer"),
                             SecurityScheme::ApiKey("header", canary)});

  // The check is not vacuous: the canary does reach the request when valid.
  // base64("u:CANARY-s3cr3t-basic")
  EXPECT_EQ(Apply({{"username", "u"}, {"password", canary}}).headers,
            (Headers{{"Authorization", "Basic dTpDQU5BUlktczNjcjN0LWJhc2lj"}}));
  ExpectNoLeak("host log", host_.AllLogText(), canary);
}

}  // namespace
}  // namespace herald::plugins::testing
