// --debug output never shows credentials, but keeps what is needed to debug paging.
#include "inlet/jobsclient/redact.h"

#include <gtest/gtest.h>

namespace inlet::jobsclient {
namespace {

TEST(Redact, AuthorizationHeaderKeepsOnlyScheme) {
  EXPECT_EQ(RedactHeader("Authorization", "Bearer dapi123secret"), "Bearer **REDACTED**");
  EXPECT_EQ(RedactHeader("authorization", "dapi123secret"), "**REDACTED**");
  EXPECT_EQ(RedactHeader("Accept", "application/json"), "application/json");
}

TEST(Redact, TokenFieldsAreReplacedAtAnyDepth) {
  std::string body = RedactBody(
      R"({"token":"t1","nested":{"access_token":"t2","list":[{"client_secret":"s"},{"password":"p"}]},)"
      R"("token_value":"t3","name":"job"})");
  EXPECT_EQ(body.find("t1"), std::string::npos) << body;
  EXPECT_EQ(body.find("t2"), std::string::npos) << body;
  EXPECT_EQ(body.find("t3"), std::string::npos) << body;
  EXPECT_EQ(body.find("\"s\""), std::string::npos) << body;
  EXPECT_EQ(body.find("\"p\""), std::string::npos) << body;
  EXPECT_NE(body.find("\"name\":\"job\""), std::string::npos) << body;
}

TEST(Redact, PageTokensStayVisible) {
  std::string body = RedactBody(R"({"next_page_token":"abc","prev_page_token":"xyz","has_more":true})");
  EXPECT_NE(body.find("abc"), std::string::npos) << body;
  EXPECT_NE(body.find("xyz"), std::string::npos) << body;
}

TEST(Redact, NonJsonBodyIsNotShown) {
  EXPECT_EQ(RedactBody("token=abc&x=1"), "<13 bytes, not JSON: not shown>");
}

TEST(Redact, LongBodyIsCut) {
  std::string body = RedactBody(R"({"name":")" + std::string(100, 'x') + R"("})", 20);
  EXPECT_EQ(body.substr(0, 20), R"({"name":"xxxxxxxxxxx)");
  EXPECT_NE(body.find("chars in all"), std::string::npos);
}

}  // namespace
}  // namespace inlet::jobsclient
