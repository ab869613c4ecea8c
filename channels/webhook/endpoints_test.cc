// The `endpoints` setting and the deny list.
#include "endpoints.h"

#include <gtest/gtest.h>

namespace herald::webhook {
namespace {

std::vector<std::string> Messages(std::string_view json) {
  std::vector<sdk::Problem> problems;
  ParseEndpoints(json, &problems);
  std::vector<std::string> out;
  for (const auto& p : problems) {
    EXPECT_EQ(p.field, "endpoints");
    out.push_back(p.message);
  }
  return out;
}

TEST(EndpointsTest, ParsesWithDefaults) {
  std::vector<sdk::Problem> problems;
  auto e = ParseEndpoints(
      R"([{"url":"https://a.example/h"},
          {"url":"http://127.0.0.1:9/x","events":["agent.undeployed"],"mode":"notify"},
          {"url":"https://ci.example","mode":"gate","events":["agent.deployed"]}])",
      &problems);
  ASSERT_TRUE(problems.empty()) << problems[0].message;
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].index, 0u);
  EXPECT_EQ(e[0].mode, Mode::kNotify);
  EXPECT_TRUE(e[0].Wants("agent.deployed"));
  EXPECT_TRUE(e[0].Wants("agent.undeployed"));
  EXPECT_TRUE(e[0].Wants("deployment.failed"));
  EXPECT_FALSE(e[1].Wants("agent.deployed"));
  EXPECT_TRUE(e[1].Wants("agent.undeployed"));
  EXPECT_EQ(e[2].mode, Mode::kGate);
  EXPECT_EQ(e[2].index, 2u);
}

TEST(EndpointsTest, Problems) {
  EXPECT_EQ(Messages("{}"), std::vector<std::string>{"must be a JSON list of endpoints"});
  EXPECT_EQ(Messages("nope"), std::vector<std::string>{"must be a JSON list of endpoints"});
  EXPECT_EQ(Messages("[]"), std::vector<std::string>{"needs at least one endpoint"});
  EXPECT_EQ(Messages(R"([{"url":"ftp://x"}])"),
            std::vector<std::string>{"endpoint 0: url must start with http:// or https://"});
  EXPECT_EQ(Messages(R"([{}])"), std::vector<std::string>{"endpoint 0: url is required"});
  EXPECT_EQ(Messages(R"([{"url":"https://x","events":["agent.renamed"]}])"),
            std::vector<std::string>{"endpoint 0: unknown event 'agent.renamed' "
                                     "(agent.deployed, agent.undeployed, deployment.failed)"});
  EXPECT_EQ(Messages(R"([{"url":"https://x","mode":"sync"}])"),
            std::vector<std::string>{"endpoint 0: mode must be notify or gate"});
  EXPECT_EQ(Messages(R"([{"url":"https://x","mode":"gate","events":["agent.undeployed"]}])"),
            std::vector<std::string>{"endpoint 0: a gate endpoint must want agent.deployed"});
  EXPECT_EQ(Messages(R"([{"url":"https://x","retries":3}])"),
            std::vector<std::string>{"endpoint 0: unknown key 'retries' (url, events, mode)"});
}

TEST(EndpointsTest, ASecretInTheSettingsIsRefusedWithoutBeingQuoted) {
  auto m = Messages(R"([{"url":"https://x","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}])");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_NE(m[0].find("POST /v1/channels/webhook/{agent}/endpoints/0/secret"), std::string::npos);
  EXPECT_EQ(m[0].find("MfKQ9r8"), std::string::npos);
}

TEST(EndpointsTest, DenyListRefusesLinkLocalAndMetadataLiterals) {
  DenyList deny;
  EXPECT_TRUE(deny.DeniesLiteralHost("http://169.254.169.254/latest/meta-data"));
  EXPECT_TRUE(deny.DeniesLiteralHost("http://169.254.1.2:8080/x"));
  EXPECT_TRUE(deny.DeniesLiteralHost("http://[fe80::1]/x"));
  EXPECT_TRUE(deny.DeniesLiteralHost("http://[fd00:ec2::254]/x"));
  EXPECT_TRUE(deny.DeniesLiteralHost("http://[::ffff:169.254.169.254]/"));
  EXPECT_TRUE(deny.DeniesLiteralHost("http://user@169.254.169.254/"));
  EXPECT_FALSE(deny.DeniesLiteralHost("http://127.0.0.1:8080/x"));
  EXPECT_FALSE(deny.DeniesLiteralHost("http://[fd00:ec2::253]/x"));
  EXPECT_FALSE(deny.DeniesLiteralHost("https://hooks.example/x"));
  EXPECT_FALSE(deny.DeniesLiteralHost("http://169.255.0.1/"));
  EXPECT_TRUE(deny.Add("10.0.0.0/8"));
  EXPECT_TRUE(deny.DeniesLiteralHost("http://10.1.2.3/"));
  EXPECT_FALSE(deny.Add("10.0.0.0/33"));
  EXPECT_FALSE(deny.Add("example.com/8"));
}

}  // namespace
}  // namespace herald::webhook
