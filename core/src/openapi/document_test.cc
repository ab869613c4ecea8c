#include "herald/core/openapi/document.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace herald::openapi {
namespace {

using ::testing::HasSubstr;

constexpr char kPetstoreYaml[] = R"(openapi: 3.0.3
info:
  title: Petstore
  version: 1.0.0
servers:
  - url: https://{region}.petstore.example/{basePath}
    variables:
      region:
        default: eu
      basePath:
        default: v1
security:
  - api_key: []
paths:
  /pets:
    get:
      operationId: listPets
      summary: List all pets
      description: Long text that is not used while there is a summary.
      parameters:
        - name: limit
          in: query
          description: How many items to return at one time (max 100)
          required: false
          schema:
            type: integer
            format: int32
    post:
      operationId: createPets
      description: Create a pet
      security:
        - bearer: []
        - basic: []
          api_key: []
  /pets/{petId}:
    parameters:
      - name: petId
        in: path
        description: The id of the pet
        schema:
          type: string
    get:
      summary: Info for a specific pet
      security: []
components:
  securitySchemes:
    api_key:
      type: apiKey
      in: header
      name: X-API-Key
    bearer:
      type: http
      scheme: Bearer
      bearerFormat: JWT
    basic:
      type: http
      scheme: basic
)";

// The same document in JSON, with tabs and no spaces after colons.
constexpr char kPetstoreJson[] = R"({
	"openapi":"3.1.0",
	"info":{"title":"Petstore","version":"1.0.0"},
	"servers":[{"url":"https://petstore.example/v1"}],
	"security":[{"api_key":[]}],
	"paths":{
		"/pets":{
			"get":{
				"operationId":"listPets",
				"summary":"List all pets",
				"parameters":[{"name":"limit","in":"query","schema":{"type":["integer","null"]}}]
			}
		},
		"/pets/{petId}":{
			"get":{
				"summary":"Info for a specific pet",
				"parameters":[{"name":"petId","in":"path","required":true,"schema":{"type":"string"}}]
			}
		}
	},
	"components":{
		"securitySchemes":{
			"api_key":{"type":"apiKey","in":"header","name":"X-API-Key"}
		}
	}
})";

std::vector<Operation> ParseOk(const std::string& text, const std::string& file = "test.yaml") {
  auto parsed = ParseDocument(text, file);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  if (!parsed.ok()) return {};
  return std::move(parsed).value();
}

Status ParseError(const std::string& text, const std::string& file = "test.yaml") {
  auto parsed = ParseDocument(text, file);
  EXPECT_FALSE(parsed.ok()) << "expected an error";
  if (parsed.ok()) return Status::Internal("parsed");
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  return parsed.status();
}

std::vector<std::string> Names(const SecurityRequirement& requirement) {
  std::vector<std::string> out;
  for (const NamedScheme& s : requirement) out.push_back(s.name);
  return out;
}

// A document with the given `paths` (and anything else) after a standard head.
std::string Doc(const std::string& rest) {
  return "openapi: 3.0.0\ninfo: {title: t, version: '1'}\n" + rest;
}

TEST(OpenApiDocumentTest, ReadsPetstoreYaml) {
  auto ops = ParseOk(kPetstoreYaml, "petstore.yaml");
  ASSERT_EQ(ops.size(), 3u);

  const Operation& list = ops[0];
  EXPECT_EQ(list.tool_name, "listpets");
  EXPECT_EQ(list.method, "GET");
  EXPECT_EQ(list.path, "/pets");
  EXPECT_EQ(list.description, "List all pets");
  EXPECT_EQ(list.server_url, "https://eu.petstore.example/v1");
  ASSERT_EQ(list.parameters.size(), 1u);
  EXPECT_EQ(list.parameters[0].name, "limit");
  EXPECT_EQ(list.parameters[0].in, "query");
  EXPECT_FALSE(list.parameters[0].required);
  EXPECT_EQ(list.parameters[0].type, "integer");
  EXPECT_EQ(list.parameters[0].description, "How many items to return at one time (max 100)");
  ASSERT_EQ(list.security.size(), 1u);
  ASSERT_EQ(list.security[0].size(), 1u);
  const NamedScheme& key = list.security[0][0];
  EXPECT_EQ(key.name, "api_key");
  EXPECT_TRUE(key.supported);
  EXPECT_EQ(key.scheme.type, HERALD_SCHEME_API_KEY);
  EXPECT_EQ(key.scheme.in, "header");
  EXPECT_EQ(key.scheme.name, "X-API-Key");
  EXPECT_EQ(key.description, "apiKey in header 'X-API-Key'");

  const Operation& create = ops[1];
  EXPECT_EQ(create.tool_name, "createpets");
  EXPECT_EQ(create.method, "POST");
  EXPECT_EQ(create.description, "Create a pet");
  EXPECT_TRUE(create.parameters.empty());

  const Operation& get = ops[2];
  EXPECT_EQ(get.tool_name, "get_pets_by_petid");
  EXPECT_EQ(get.description, "Info for a specific pet");
  ASSERT_EQ(get.parameters.size(), 1u);
  EXPECT_EQ(get.parameters[0].name, "petId");
  EXPECT_EQ(get.parameters[0].in, "path");
  EXPECT_TRUE(get.parameters[0].required) << "path parameters are always required";
  EXPECT_EQ(get.parameters[0].type, "string");
}

TEST(OpenApiDocumentTest, ReadsPetstoreJson) {
  auto ops = ParseOk(kPetstoreJson, "petstore.json");
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].tool_name, "listpets");
  EXPECT_EQ(ops[0].server_url, "https://petstore.example/v1");
  ASSERT_EQ(ops[0].parameters.size(), 1u);
  EXPECT_EQ(ops[0].parameters[0].type, "integer") << "3.1 type lists skip null";
  ASSERT_EQ(ops[0].security.size(), 1u);
  EXPECT_EQ(Names(ops[0].security[0]), std::vector<std::string>{"api_key"});
  EXPECT_EQ(ops[1].tool_name, "get_pets_by_petid");
  EXPECT_EQ(ops[1].security.size(), 1u) << "inherits the global security";
}

TEST(OpenApiDocumentTest, OperationSecurityOverridesGlobal) {
  auto ops = ParseOk(kPetstoreYaml);
  ASSERT_EQ(ops.size(), 3u);
  const Operation& create = ops[1];
  ASSERT_EQ(create.security.size(), 2u) << "OR of two requirement objects";
  EXPECT_EQ(Names(create.security[0]), std::vector<std::string>{"bearer"});
  EXPECT_EQ(Names(create.security[1]), (std::vector<std::string>{"basic", "api_key"}))
      << "AND within one object, in document order";
  EXPECT_EQ(create.security[0][0].scheme.type, HERALD_SCHEME_HTTP);
  EXPECT_EQ(create.security[0][0].scheme.scheme, "bearer") << "lower-cased";
  EXPECT_EQ(create.security[0][0].description, "http bearer");
}

TEST(OpenApiDocumentTest, EmptySecurityListRequiresNothingDespiteGlobal) {
  auto ops = ParseOk(kPetstoreYaml);
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_TRUE(ops[2].security.empty());
}

TEST(OpenApiDocumentTest, NoSecurityAnywhereRequiresNothing) {
  auto ops = ParseOk(Doc("paths:\n  /a:\n    get: {operationId: a}\n"));
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_TRUE(ops[0].security.empty());
}

TEST(OpenApiDocumentTest, OptionalSecurityIsAnEmptyRequirement) {
  auto ops = ParseOk(Doc(R"(security:
  - key: []
  - {}
paths:
  /a:
    get: {operationId: a}
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: api_key}
)"));
  ASSERT_EQ(ops.size(), 1u);
  ASSERT_EQ(ops[0].security.size(), 2u);
  EXPECT_EQ(Names(ops[0].security[0]), std::vector<std::string>{"key"});
  EXPECT_TRUE(ops[0].security[1].empty());
  EXPECT_EQ(ops[0].security[0][0].description, "apiKey in query 'api_key'");
}

TEST(OpenApiDocumentTest, UndefinedSchemeInGlobalSecurityIsRefusedNamingOperation) {
  Status s = ParseError(Doc(R"(security:
  - api_key: []
paths:
  /pets:
    get: {operationId: listPets}
)"),
                        "petstore.yaml");
  EXPECT_EQ(s.message(),
            "petstore.yaml: operation listPets requires security scheme 'api_key', which "
            "components.securitySchemes does not define");
}

TEST(OpenApiDocumentTest, UndefinedSchemeInOperationSecurityIsRefused) {
  Status s = ParseError(Doc(R"(paths:
  /pets:
    post:
      security:
        - oauth: [write]
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: api_key}
)"),
                        "petstore.yaml");
  EXPECT_EQ(s.message(),
            "petstore.yaml: operation POST /pets requires security scheme 'oauth', which "
            "components.securitySchemes does not define");
}

TEST(OpenApiDocumentTest, UndefinedSchemeInUnusedGlobalSecurityIsRefused) {
  Status s = ParseError(Doc(R"(security:
  - ghost: []
paths:
  /a:
    get:
      security: []
)"));
  EXPECT_THAT(s.message(), HasSubstr("global security requires security scheme 'ghost'"));
}

TEST(OpenApiDocumentTest, SwaggerTwoIsRefused) {
  Status s = ParseError(
      R"({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}})", "old.json");
  EXPECT_THAT(s.message(), HasSubstr("old.json: this is a Swagger 2.0 document"));
  EXPECT_THAT(s.message(), HasSubstr("only OpenAPI 3.x is supported"));
}

TEST(OpenApiDocumentTest, OtherVersionsAndNonDocumentsAreRefused) {
  EXPECT_THAT(ParseError("openapi: 4.0.0\npaths: {}\n").message(),
              HasSubstr("test.yaml: openapi: unsupported version '4.0.0'"));
  EXPECT_THAT(ParseError("info: {title: t}\npaths: {}\n").message(),
              HasSubstr("missing 'openapi'"));
  EXPECT_EQ(ParseError("").message(), "test.yaml: empty document");
  EXPECT_THAT(ParseError("just some text").message(), HasSubstr("top level is not a mapping"));
  EXPECT_THAT(ParseError("- a\n- b\n").message(), HasSubstr("top level is not a mapping"));
}

TEST(OpenApiDocumentTest, AcceptsOpenApi30And31) {
  EXPECT_TRUE(ParseDocument("openapi: 3.0.0\npaths: {}\n", "a.yaml").ok());
  EXPECT_TRUE(ParseDocument("openapi: '3.1.0'\npaths: {}\n", "a.yaml").ok());
  EXPECT_TRUE(ParseDocument("openapi: 3.1\npaths: {}\n", "a.yaml").ok());
  auto empty = ParseDocument("openapi: 3.0.0\npaths: {}\n", "a.yaml");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(OpenApiDocumentTest, MissingPathsIsRefused) {
  EXPECT_EQ(ParseError("openapi: 3.0.0\ninfo: {title: t, version: '1'}\n").message(),
            "test.yaml: missing 'paths'");
  EXPECT_EQ(ParseError("openapi: 3.0.0\npaths: [1, 2]\n").message(),
            "test.yaml: paths: not a mapping");
}

TEST(OpenApiDocumentTest, MalformedYamlIsRefusedWithLineAndColumn) {
  Status s = ParseError("openapi: 3.0.0\npaths:\n  /a: {get: {x: 1}\n  /b: [\n", "broken.yaml");
  EXPECT_THAT(s.message(), HasSubstr("broken.yaml: line 4, column 3: malformed YAML/JSON"));
  Status t = ParseError("openapi: 3.0.0\npaths:\n  /a: b: c\n", "bad.yaml");
  EXPECT_THAT(t.message(), HasSubstr("bad.yaml: line 3, column"));
}

TEST(OpenApiDocumentTest, MalformedJsonIsRefusedWithLineAndColumn) {
  Status s =
      ParseError("{\n  \"openapi\": \"3.0.0\",\n  \"paths\": {\"/a\": [1, 2}\n}\n", "x.json");
  EXPECT_THAT(s.message(), HasSubstr("x.json: line 3"));
  EXPECT_THAT(s.message(), HasSubstr("malformed YAML/JSON"));
}

TEST(OpenApiDocumentTest, DuplicateOperationIdIsRefusedNamingBoth) {
  Status s = ParseError(Doc(R"(paths:
  /pets:
    get: {operationId: listPets}
  /animals:
    get: {operationId: listPets}
)"),
                        "petstore.yaml");
  EXPECT_EQ(
      s.message(),
      "petstore.yaml: duplicate operationId 'listPets': used by GET /pets and by GET /animals");
}

TEST(OpenApiDocumentTest, OperationIdsThatNormaliseAlikeAreRefused) {
  Status s = ParseError(Doc(R"(paths:
  /pets:
    get: {operationId: listPets}
  /animals:
    get: {operationId: ListPets}
)"));
  EXPECT_THAT(s.message(), HasSubstr("GET /pets (operationId 'listPets')"));
  EXPECT_THAT(s.message(), HasSubstr("GET /animals (operationId 'ListPets')"));
  EXPECT_THAT(s.message(), HasSubstr("tool name 'listpets'"));
}

TEST(OpenApiDocumentTest, GeneratedNameClashingWithOperationIdIsRefused) {
  Status s = ParseError(Doc(R"(paths:
  /pets:
    get: {summary: no id}
    post: {operationId: get_pets}
)"));
  EXPECT_THAT(s.message(), HasSubstr("GET /pets and POST /pets (operationId 'get_pets')"));
}

TEST(OpenApiDocumentTest, OperationIdIsNormalisedToSlug) {
  auto ops = ParseOk(Doc(R"(paths:
  /a:
    get: {operationId: "Pets.List v2"}
    post: {operationId: create-pet_2}
)"));
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].tool_name, "pets_list_v2");
  EXPECT_EQ(ops[1].tool_name, "create-pet_2");
  EXPECT_THAT(ParseError(Doc("paths:\n  /a:\n    get: {operationId: ''}\n")).message(),
              HasSubstr("paths./a.get.operationId: not a non-empty string"));
}

TEST(OpenApiDocumentTest, ToolNameFromMethodAndPath) {
  auto ops = ParseOk(Doc(R"(paths:
  /pets/{petId}:
    get: {}
    delete: {}
  /stores/{storeId}/pets/{petId}/photo.jpg:
    put: {}
  /:
    head: {}
  /v1/pet-shops//{id}x:
    patch: {}
)"));
  ASSERT_EQ(ops.size(), 5u);
  EXPECT_EQ(ops[0].tool_name, "get_pets_by_petid");
  EXPECT_EQ(ops[0].method, "GET");
  EXPECT_EQ(ops[1].tool_name, "delete_pets_by_petid");
  EXPECT_EQ(ops[1].method, "DELETE");
  EXPECT_EQ(ops[2].tool_name, "put_stores_by_storeid_pets_by_petid_photo_jpg");
  EXPECT_EQ(ops[3].tool_name, "head");
  EXPECT_EQ(ops[4].tool_name, "patch_v1_pet-shops_by_idx");
}

TEST(OpenApiDocumentTest, OnlyHttpMethodsAreOperations) {
  auto ops = ParseOk(Doc(R"(paths:
  /a:
    summary: shared summary
    description: shared
    servers: []
    parameters: []
    x-extension: {get: 1}
    options: {}
    trace: {}
    post: {}
)"));
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0].method, "OPTIONS");
  EXPECT_EQ(ops[1].method, "TRACE");
  EXPECT_EQ(ops[2].method, "POST");
  EXPECT_EQ(ops[0].description, "shared summary") << "falls back to the path item's summary";
}

TEST(OpenApiDocumentTest, DescriptionPrefersSummary) {
  auto ops = ParseOk(Doc(R"(paths:
  /a:
    get: {summary: S, description: D}
    post: {description: D}
    put: {}
)"));
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0].description, "S");
  EXPECT_EQ(ops[1].description, "D");
  EXPECT_EQ(ops[2].description, "");
}

TEST(OpenApiDocumentTest, ServerUrlPrecedence) {
  auto ops = ParseOk(Doc(R"(servers:
  - url: https://doc.example/{version}
    variables:
      version: {default: v2, enum: [v1, v2]}
  - url: https://second.example
paths:
  /a:
    get: {}
    post:
      servers: [{url: https://op.example}]
  /b:
    servers:
      - url: '{scheme}://item.example:{port}/{unknown}'
        variables:
          scheme: {default: http}
          port: {default: '8080'}
    get: {}
    post:
      servers: [{url: https://op-b.example}]
    put:
      servers: []
)"));
  ASSERT_EQ(ops.size(), 5u);
  EXPECT_EQ(ops[0].server_url, "https://doc.example/v2") << "document's first server";
  EXPECT_EQ(ops[1].server_url, "https://op.example") << "operation's own";
  EXPECT_EQ(ops[2].server_url, "http://item.example:8080/{unknown}") << "path item's";
  EXPECT_EQ(ops[3].server_url, "https://op-b.example") << "operation over path item";
  EXPECT_EQ(ops[4].server_url, "http://item.example:8080/{unknown}") << "empty list falls back";
}

TEST(OpenApiDocumentTest, NoServersMeansEmptyUrl) {
  auto ops = ParseOk(Doc("paths:\n  /a:\n    get: {}\n"));
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].server_url, "");
  auto relative = ParseOk(Doc("servers: [{url: /api}]\npaths:\n  /a:\n    get: {}\n"));
  ASSERT_EQ(relative.size(), 1u);
  EXPECT_EQ(relative[0].server_url, "/api");
  EXPECT_EQ(ParseError(Doc("servers: [{description: x}]\npaths: {}\n")).message(),
            "test.yaml: servers[0]: missing 'url'");
}

TEST(OpenApiDocumentTest, ParametersMergeAndOperationOverrides) {
  auto ops = ParseOk(Doc(R"(paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, schema: {type: string}, description: from item}
      - {name: trace, in: header, schema: {type: string}}
      - {name: verbose, in: query, schema: {type: boolean}}
    get:
      parameters:
        - {name: petId, in: path, schema: {type: integer}, description: from operation}
        - {name: verbose, in: header, schema: {type: string}}
        - {name: fields, in: query, required: true}
)"));
  ASSERT_EQ(ops.size(), 1u);
  const auto& p = ops[0].parameters;
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0].name, "petId");
  EXPECT_EQ(p[0].type, "integer");
  EXPECT_EQ(p[0].description, "from operation");
  EXPECT_EQ(p[1].name, "trace");
  EXPECT_EQ(p[2].name, "verbose");
  EXPECT_EQ(p[2].in, "query") << "same name, other location: both kept";
  EXPECT_EQ(p[3].name, "verbose");
  EXPECT_EQ(p[3].in, "header");
  EXPECT_EQ(p[4].name, "fields");
  EXPECT_TRUE(p[4].required);
  EXPECT_EQ(p[4].type, "");
}

TEST(OpenApiDocumentTest, ParameterRefsAreResolved) {
  auto ops = ParseOk(Doc(R"(paths:
  /pets:
    parameters:
      - $ref: '#/components/parameters/Limit'
    get:
      parameters:
        - $ref: '#/components/parameters/Alias'
        - $ref: 'common.yaml#/components/parameters/Elsewhere'
        - name: id
          in: query
          schema: {$ref: '#/components/schemas/Id'}
        - name: filter
          in: query
          content:
            application/json:
              schema: {type: object}
components:
  schemas:
    Id: {type: integer}
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer}, description: max items}
    Alias: {$ref: '#/components/parameters/Offset'}
    Offset: {name: offset, in: query, schema: {type: integer}}
)"));
  ASSERT_EQ(ops.size(), 1u);
  const auto& p = ops[0].parameters;
  ASSERT_EQ(p.size(), 4u) << "the reference into another file is skipped";
  EXPECT_EQ(p[0].name, "limit");
  EXPECT_EQ(p[0].description, "max items");
  EXPECT_EQ(p[0].type, "integer");
  EXPECT_EQ(p[1].name, "offset") << "a reference to a reference";
  EXPECT_EQ(p[2].name, "id");
  EXPECT_EQ(p[2].type, "integer") << "schema $ref";
  EXPECT_EQ(p[3].name, "filter");
  EXPECT_EQ(p[3].type, "object") << "content's schema";
}

TEST(OpenApiDocumentTest, BadRefsAreRefusedNotCrashed) {
  EXPECT_EQ(ParseError(Doc(R"(paths:
  /a:
    get:
      parameters: [{$ref: '#/components/parameters/Nope'}]
)"))
                .message(),
            "test.yaml: paths./a.get.parameters[0]: $ref '#/components/parameters/Nope' points "
            "to nothing in this document");
  EXPECT_THAT(ParseError(Doc(R"(paths:
  /a:
    get:
      parameters: [{$ref: '#/components/parameters/Loop'}]
components:
  parameters:
    Loop: {$ref: '#/components/parameters/Loop'}
)"))
                  .message(),
              HasSubstr("$ref chain too long"));
  EXPECT_THAT(ParseError(Doc(R"(paths:
  /a:
    get:
      parameters: [{$ref: [1]}]
)"))
                  .message(),
              HasSubstr("paths./a.get.parameters[0].$ref: not a string"));
  // A pointer through a list, and to a scalar.
  EXPECT_THAT(ParseError(Doc(R"(paths:
  /a:
    get:
      parameters: [{$ref: '#/x/0'}, {$ref: '#/x/5'}]
x: [1]
)"))
                  .message(),
              HasSubstr("test.yaml: x.0: not a mapping"));
}

TEST(OpenApiDocumentTest, MalformedParametersAreRefusedWithFieldPath) {
  EXPECT_EQ(ParseError(Doc("paths:\n  /pets:\n    get:\n      parameters: [{in: query}]\n"),
                       "petstore.yaml")
                .message(),
            "petstore.yaml: paths./pets.get.parameters[0]: missing 'name'");
  EXPECT_EQ(ParseError(Doc("paths:\n  /pets:\n    parameters: [{name: a, in: query}, {name: b}]\n"))
                .message(),
            "test.yaml: paths./pets.parameters[1]: missing 'in'");
  EXPECT_EQ(ParseError(Doc("paths:\n  /pets:\n    get:\n      parameters: [{name: a, in: body}]\n"))
                .message(),
            "test.yaml: paths./pets.get.parameters[0].in: must be path, query, header or cookie, "
            "not 'body'");
  EXPECT_EQ(
      ParseError(Doc("paths:\n  /p:\n    get:\n      parameters: [{name: a, in: query, required: "
                     "maybe}]\n"))
          .message(),
      "test.yaml: paths./p.get.parameters[0].required: not a boolean");
  EXPECT_EQ(ParseError(Doc("paths:\n  /p:\n    get:\n      parameters: [{name: [1], in: query}]\n"))
                .message(),
            "test.yaml: paths./p.get.parameters[0].name: not a string");
  EXPECT_EQ(ParseError(Doc("paths:\n  /p:\n    get:\n      parameters: {a: 1}\n")).message(),
            "test.yaml: paths./p.get.parameters: not a list");
  EXPECT_EQ(ParseError(Doc("paths:\n  /p:\n    get:\n      parameters: [a]\n")).message(),
            "test.yaml: paths./p.get.parameters[0]: not a mapping");
  EXPECT_EQ(ParseError(Doc("paths:\n  /p:\n    get: [1]\n")).message(),
            "test.yaml: paths./p.get: not a mapping");
  EXPECT_EQ(ParseError(Doc("paths:\n  /p: 3\n")).message(), "test.yaml: paths./p: not a mapping");
}

TEST(OpenApiDocumentTest, SecuritySchemeKinds) {
  auto ops = ParseOk(Doc(R"(paths:
  /a:
    get:
      security:
        - {header_key: [], query_key: [], cookie_key: []}
        - {basic: [], bearer: [], digest: []}
        - {oauth: [read], oidc: [], mtls: [], odd: []}
components:
  securitySchemes:
    header_key: {type: apiKey, in: header, name: X-Key}
    query_key: {type: apiKey, in: query, name: key}
    cookie_key: {type: apiKey, in: cookie, name: sid}
    basic: {type: http, scheme: BASIC}
    bearer: {type: http, scheme: bearer}
    digest: {type: http, scheme: Digest}
    oauth:
      type: oauth2
      flows:
        implicit: {authorizationUrl: 'https://x.example/auth', scopes: {read: read}}
    oidc: {type: openIdConnect, openIdConnectUrl: 'https://x.example/.well-known'}
    mtls: {type: mutualTLS}
    odd: {type: somethingElse}
)"));
  ASSERT_EQ(ops.size(), 1u);
  const auto& sec = ops[0].security;
  ASSERT_EQ(sec.size(), 3u);
  ASSERT_EQ(sec[0].size(), 3u);
  EXPECT_TRUE(sec[0][0].supported);
  EXPECT_TRUE(sec[0][1].supported);
  EXPECT_FALSE(sec[0][2].supported);
  EXPECT_EQ(sec[0][2].scheme.in, "cookie");
  EXPECT_EQ(sec[0][2].description, "apiKey in cookie 'sid' (not supported by any auth type)");
  ASSERT_EQ(sec[1].size(), 3u);
  EXPECT_TRUE(sec[1][0].supported);
  EXPECT_EQ(sec[1][0].scheme.scheme, "basic");
  EXPECT_EQ(sec[1][0].description, "http basic");
  EXPECT_TRUE(sec[1][1].supported);
  EXPECT_FALSE(sec[1][2].supported);
  EXPECT_EQ(sec[1][2].scheme.scheme, "digest");
  EXPECT_EQ(sec[1][2].description, "http digest (not supported by any auth type)");
  ASSERT_EQ(sec[2].size(), 4u);
  for (const NamedScheme& s : sec[2]) EXPECT_FALSE(s.supported) << s.name;
  EXPECT_EQ(sec[2][0].description, "oauth2 (not supported by any auth type)");
  EXPECT_EQ(sec[2][1].description, "openIdConnect (not supported by any auth type)");
  EXPECT_EQ(sec[2][2].description, "mutualTLS (not supported by any auth type)");
  EXPECT_EQ(sec[2][3].description, "unknown type 'somethingElse' (not supported by any auth type)");
}

TEST(OpenApiDocumentTest, MalformedSecuritySchemesAreRefused) {
  const std::string head = "paths: {}\ncomponents:\n  securitySchemes:\n";
  EXPECT_EQ(ParseError(Doc(head + "    k: {type: apiKey, name: X}\n")).message(),
            "test.yaml: components.securitySchemes.k: missing 'in'");
  EXPECT_EQ(ParseError(Doc(head + "    k: {type: apiKey, in: header}\n")).message(),
            "test.yaml: components.securitySchemes.k: missing 'name'");
  EXPECT_EQ(ParseError(Doc(head + "    h: {type: http}\n")).message(),
            "test.yaml: components.securitySchemes.h: missing 'scheme'");
  EXPECT_EQ(ParseError(Doc(head + "    t: {in: header}\n")).message(),
            "test.yaml: components.securitySchemes.t: missing 'type'");
  EXPECT_EQ(ParseError(Doc(head + "    t: 5\n")).message(),
            "test.yaml: components.securitySchemes.t: not a mapping");
}

TEST(OpenApiDocumentTest, SecuritySchemeRefIsResolved) {
  auto ops = ParseOk(Doc(R"(security: [{key: []}]
paths:
  /a:
    get: {}
components:
  securitySchemes:
    key: {$ref: '#/x-shared/key'}
x-shared:
  key: {type: apiKey, in: header, name: X-Shared}
)"));
  ASSERT_EQ(ops.size(), 1u);
  ASSERT_EQ(ops[0].security.size(), 1u);
  EXPECT_EQ(ops[0].security[0][0].name, "key");
  EXPECT_EQ(ops[0].security[0][0].scheme.name, "X-Shared");
}

TEST(OpenApiDocumentTest, MalformedSecurityIsRefused) {
  const std::string tail =
      "components:\n  securitySchemes:\n    k: {type: apiKey, in: header, name: X}\n";
  EXPECT_EQ(ParseError(Doc("security: {k: []}\npaths: {}\n" + tail)).message(),
            "test.yaml: security: not a list");
  EXPECT_EQ(ParseError(Doc("paths:\n  /a:\n    get:\n      security: [k]\n" + tail)).message(),
            "test.yaml: paths./a.get.security[0]: not a mapping (use {} for optional security)");
}

TEST(OpenApiDocumentTest, OddShapesNeverCrash) {
  const char* docs[] = {
      "openapi: [3]\npaths: {}\n",
      "openapi: 3.0.0\npaths:\n  ? [a, b]\n  : {get: {}}\n",
      "openapi: 3.0.0\npaths:\n  /a: ~\n",
      "openapi: 3.0.0\npaths:\n  /a:\n    get: {operationId: [x]}\n",
      "openapi: 3.0.0\npaths:\n  /a:\n    get: {summary: [x], parameters: [{name: [1], in: q}]}\n",
      "openapi: 3.0.0\npaths:\n  /a:\n    $ref: '#/nowhere'\n",
      "openapi: 3.0.0\npaths:\n  /a:\n    $ref: 'other.yaml#/paths/~1a'\n",
      "openapi: 3.0.0\ncomponents: 5\npaths:\n  /a:\n    get: {security: [{k: []}]}\n",
      "openapi: 3.0.0\nservers: 5\npaths: {}\n",
      "openapi: 3.0.0\nservers: [{url: 'https://{a'}]\npaths:\n  /a: {get: {}}\n",
      "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      parameters: [{name: a, in: query, schema: "
      "5, content: 3}]\n",
      "openapi: 3.0.0\nx: &a {b: *a}\npaths: {}\n",
      "\xff\xfe\x00garbage",
  };
  for (const char* doc : docs) {
    auto parsed = ParseDocument(doc, "odd.yaml");
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << doc;
      EXPECT_THAT(parsed.status().message(), HasSubstr("odd.yaml")) << doc;
    }
  }
}

TEST(OpenApiDocumentTest, PathItemRefIsResolved) {
  auto ops = ParseOk(Doc(R"(paths:
  /a:
    $ref: '#/x-items/shared'
x-items:
  shared:
    get: {operationId: shared_get}
)"));
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].tool_name, "shared_get");
  EXPECT_EQ(ops[0].path, "/a");
}

}  // namespace
}  // namespace herald::openapi
