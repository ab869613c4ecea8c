#include "herald/core/openapi/match.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "herald/core/openapi/document.h"

namespace herald::openapi {
namespace {

using ::testing::HasSubstr;

NamedScheme ApiKey(std::string name, std::string in, std::string header) {
  NamedScheme s;
  s.name = std::move(name);
  s.scheme = sdk::SecurityScheme::ApiKey(std::move(in), std::move(header));
  s.supported = s.scheme.in == "header" || s.scheme.in == "query";
  s.description = "apiKey in " + s.scheme.in + " '" + s.scheme.name + "'";
  if (!s.supported) s.description += " (not supported by any auth type)";
  return s;
}

NamedScheme Http(std::string name, std::string scheme) {
  NamedScheme s;
  s.name = std::move(name);
  s.scheme = sdk::SecurityScheme::Http(std::move(scheme));
  s.supported = s.scheme.scheme == "basic" || s.scheme.scheme == "bearer";
  s.description = "http " + s.scheme.scheme;
  if (!s.supported) s.description += " (not supported by any auth type)";
  return s;
}

NamedScheme Unsupported(std::string name, std::string kind) {
  NamedScheme s;
  s.name = std::move(name);
  s.supported = false;
  s.description = kind + " (not supported by any auth type)";
  return s;
}

// Accepts only an API key sent in the X-API-Key header, and counts its calls.
struct XApiKeyChecker {
  int* calls;
  bool operator()(const sdk::SecurityScheme& s) const {
    ++*calls;
    return s.type == HERALD_SCHEME_API_KEY && s.in == "header" && s.name == "X-API-Key";
  }
};

TEST(OpenApiMatchTest, EmptyRequirementListIsSatisfiedEvenByAlwaysNo) {
  // The key-value auth type satisfies no scheme, yet serves APIs without security.
  int calls = 0;
  MatchResult r = MatchSecurity({}, [&](const sdk::SecurityScheme&) {
    ++calls;
    return false;
  });
  EXPECT_TRUE(r.satisfied);
  EXPECT_EQ(r.explanation, "no security required");
  EXPECT_EQ(calls, 0);
}

TEST(OpenApiMatchTest, EmptyRequirementObjectIsSatisfied) {
  std::vector<SecurityRequirement> reqs = {{ApiKey("other", "header", "X-Other")}, {}};
  MatchResult r = MatchSecurity(reqs, [](const sdk::SecurityScheme&) { return false; });
  EXPECT_TRUE(r.satisfied);
  EXPECT_EQ(r.explanation, "satisfies requirement {} (security is optional)");
}

TEST(OpenApiMatchTest, CheckerAcceptingOnlyXApiKeyHeader) {
  int calls = 0;
  XApiKeyChecker checker{&calls};
  const NamedScheme key = ApiKey("api_key", "header", "X-API-Key");

  MatchResult ok = MatchSecurity({{key}}, checker);
  EXPECT_TRUE(ok.satisfied);
  EXPECT_EQ(ok.explanation, "satisfies requirement {api_key}");

  MatchResult other_header = MatchSecurity({{ApiKey("k", "header", "X-Other")}}, checker);
  EXPECT_FALSE(other_header.satisfied);
  EXPECT_EQ(other_header.explanation, "needs {k (apiKey in header 'X-Other')}");

  MatchResult in_query = MatchSecurity({{ApiKey("k", "query", "X-API-Key")}}, checker);
  EXPECT_FALSE(in_query.satisfied);

  MatchResult bearer = MatchSecurity({{Http("bearer", "bearer")}}, checker);
  EXPECT_FALSE(bearer.satisfied);
  EXPECT_EQ(bearer.explanation, "needs {bearer (http bearer)}");
}

TEST(OpenApiMatchTest, OrAcrossRequirementObjects) {
  int calls = 0;
  XApiKeyChecker checker{&calls};
  std::vector<SecurityRequirement> reqs = {{Http("bearer", "bearer")},
                                           {ApiKey("api_key", "header", "X-API-Key")}};
  MatchResult r = MatchSecurity(reqs, checker);
  EXPECT_TRUE(r.satisfied);
  EXPECT_EQ(r.explanation, "satisfies requirement {api_key}");
}

TEST(OpenApiMatchTest, AndWithinRequirementObject) {
  int calls = 0;
  XApiKeyChecker checker{&calls};
  const NamedScheme key = ApiKey("api_key", "header", "X-API-Key");
  const NamedScheme basic = Http("basic", "basic");

  MatchResult both = MatchSecurity({{key, basic}}, checker);
  EXPECT_FALSE(both.satisfied) << "basic is not satisfied, so the object is not";
  EXPECT_EQ(both.explanation,
            "needs {api_key (apiKey in header 'X-API-Key') and basic (http basic)}");

  MatchResult all = MatchSecurity({{key, basic}}, [](const sdk::SecurityScheme&) { return true; });
  EXPECT_TRUE(all.satisfied);
  EXPECT_EQ(all.explanation, "satisfies requirement {api_key and basic}");
}

TEST(OpenApiMatchTest, FirstSatisfiedRequirementIsNamed) {
  std::vector<SecurityRequirement> reqs = {{Http("basic", "basic")}, {Http("bearer", "bearer")}};
  MatchResult r = MatchSecurity(reqs, [](const sdk::SecurityScheme&) { return true; });
  EXPECT_TRUE(r.satisfied);
  EXPECT_EQ(r.explanation, "satisfies requirement {basic}");
}

TEST(OpenApiMatchTest, UnsupportedSchemesAreNeverSatisfied) {
  int calls = 0;
  auto always = [&](const sdk::SecurityScheme&) {
    ++calls;
    return true;
  };
  for (const NamedScheme& s : {Unsupported("oauth", "oauth2"), Unsupported("oidc", "openIdConnect"),
                               Http("digest", "digest"), ApiKey("cookie", "cookie", "sid")}) {
    MatchResult r = MatchSecurity({{s}}, always);
    EXPECT_FALSE(r.satisfied) << s.name;
  }
  EXPECT_EQ(calls, 0) << "the checker is never asked about an unsupported scheme";

  // Not even as one half of an AND whose other half is satisfied.
  MatchResult r = MatchSecurity({{Http("basic", "basic"), Unsupported("oauth", "oauth2")}}, always);
  EXPECT_FALSE(r.satisfied);
}

TEST(OpenApiMatchTest, ExplainsEveryAlternativeWhenNoneMatches) {
  std::vector<SecurityRequirement> reqs = {{ApiKey("api_key", "header", "X-API-Key")},
                                           {Unsupported("oauth", "oauth2")}};
  MatchResult r = MatchSecurity(reqs, [](const sdk::SecurityScheme&) { return false; });
  EXPECT_FALSE(r.satisfied);
  EXPECT_EQ(
      r.explanation,
      "needs one of: {api_key (apiKey in header 'X-API-Key')} or {oauth (oauth2, unsupported)}");
}

TEST(OpenApiMatchTest, EmptyCheckerSaysNo) {
  MatchResult r = MatchSecurity({{Http("basic", "basic")}}, SchemeChecker());
  EXPECT_FALSE(r.satisfied);
  EXPECT_TRUE(MatchSecurity({{}}, SchemeChecker()).satisfied);
  EXPECT_TRUE(MatchSecurity({}, SchemeChecker()).satisfied);
}

TEST(OpenApiMatchTest, DescribeScheme) {
  EXPECT_EQ(DescribeScheme(ApiKey("api_key", "header", "X-API-Key")),
            "api_key (apiKey in header 'X-API-Key')");
  EXPECT_EQ(DescribeScheme(ApiKey("q", "query", "key")), "q (apiKey in query 'key')");
  EXPECT_EQ(DescribeScheme(ApiKey("c", "cookie", "sid")),
            "c (apiKey in cookie 'sid', unsupported)");
  EXPECT_EQ(DescribeScheme(Http("basic", "basic")), "basic (http basic)");
  EXPECT_EQ(DescribeScheme(Http("bearer", "bearer")), "bearer (http bearer)");
  EXPECT_EQ(DescribeScheme(Http("d", "digest")), "d (http digest, unsupported)");
  EXPECT_EQ(DescribeScheme(Unsupported("oauth", "oauth2")), "oauth (oauth2, unsupported)");
  NamedScheme bare;
  bare.name = "bare";
  EXPECT_EQ(DescribeScheme(bare), "bare (unsupported)");
}

// From document to decision: the petstore's operations against an X-API-Key
// connection.
TEST(OpenApiMatchTest, DocumentToDecision) {
  auto ops = ParseDocument(R"(openapi: 3.0.0
security: [{api_key: []}]
paths:
  /pets:
    get: {operationId: listPets}
    post:
      operationId: createPets
      security: [{oauth: [write]}, {basic: [], api_key: []}]
  /health:
    get: {operationId: health, security: []}
  /maybe:
    get: {operationId: maybe, security: [{oauth: []}, {}]}
components:
  securitySchemes:
    api_key: {type: apiKey, in: header, name: X-API-Key}
    basic: {type: http, scheme: basic}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'https://x.example/token', scopes: {write: w}}}
)",
                           "petstore.yaml");
  ASSERT_TRUE(ops.ok()) << ops.status().message();
  ASSERT_EQ(ops->size(), 4u);
  int calls = 0;
  XApiKeyChecker checker{&calls};

  MatchResult list = MatchSecurity((*ops)[0].security, checker);
  EXPECT_TRUE(list.satisfied);
  EXPECT_EQ(list.explanation, "satisfies requirement {api_key}");

  MatchResult create = MatchSecurity((*ops)[1].security, checker);
  EXPECT_FALSE(create.satisfied);
  EXPECT_EQ(create.explanation,
            "needs one of: {oauth (oauth2, unsupported)} or {basic (http basic) and api_key "
            "(apiKey in header 'X-API-Key')}");

  MatchResult health = MatchSecurity((*ops)[2].security, checker);
  EXPECT_TRUE(health.satisfied);
  EXPECT_EQ(health.explanation, "no security required");

  MatchResult maybe = MatchSecurity((*ops)[3].security, checker);
  EXPECT_TRUE(maybe.satisfied);
  EXPECT_THAT(maybe.explanation, HasSubstr("optional"));
}

}  // namespace
}  // namespace herald::openapi
